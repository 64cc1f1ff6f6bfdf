#pragma once
// Hybrid logical clock stamps: 48 bits of Unix milliseconds, 16 bits of
// counter, packed in one integer so that stamps compare as numbers. Events
// are ordered by (stamp, device, seq): a total order every replica agrees on.
#include <cstdint>

namespace shouxin::hlc {

inline constexpr int kCounterBits = 16;
inline constexpr std::uint64_t kCounterMask = (1u << kCounterBits) - 1;

constexpr std::uint64_t pack(std::int64_t unixMillis, std::uint32_t counter) {
    return (static_cast<std::uint64_t>(unixMillis) << kCounterBits) | (counter & kCounterMask);
}
constexpr std::int64_t millisOf(std::uint64_t stamp) {
    return static_cast<std::int64_t>(stamp >> kCounterBits);
}

/// The stamp of a new local event, strictly after `last`.
std::uint64_t tick(std::uint64_t last, std::int64_t nowMillis);
/// The clock after seeing a remote stamp: never behind it.
std::uint64_t receive(std::uint64_t last, std::uint64_t remote);
/// Milliseconds since the Unix epoch, from the system clock.
std::int64_t nowMillis();

}  // namespace shouxin::hlc
