#pragma once
// A SQLite file as a URI that opens it read-only (backup's checks, a
// damaged file's salvage): no byte of it changes, and with `immutable`
// SQLite neither reads its WAL nor creates a -wal or -shm beside it.
#include <filesystem>
#include <string>

namespace shouxin::sql {

inline std::string readOnlyUri(const std::filesystem::path& file, bool immutable) {
    std::string uri = "file:";
    for (const char c : std::filesystem::absolute(file).string()) {
        if (c == '%' || c == '?' || c == '#') {
            static constexpr char kHex[] = "0123456789ABCDEF";
            uri += '%';
            uri += kHex[static_cast<unsigned char>(c) >> 4];
            uri += kHex[static_cast<unsigned char>(c) & 15];
        } else {
            uri += c;
        }
    }
    return uri + (immutable ? "?mode=ro&immutable=1" : "?mode=ro");
}

}  // namespace shouxin::sql
