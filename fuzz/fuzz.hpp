#pragma once
// What every fuzz target shares: the input as text, and a check that stops
// the run (and so makes libFuzzer keep the input) when a property fails.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace shouxin::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

inline void check(bool ok, const char* what) {
    if (ok) return;
    std::fprintf(stderr, "fuzz property failed: %s\n", what);
    std::abort();
}

}  // namespace shouxin::fuzz
