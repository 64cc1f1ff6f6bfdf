#pragma once
// What of a process's heap is the database engine's, for measurements (the
// kiosk's uptime lines): every SQLite connection's page cache and
// statements together, bounded by the caches' size.
#include <cstdint>

namespace shouxin {

/// Bytes SQLite holds in this process now.
std::int64_t sqliteMemoryBytes();

}  // namespace shouxin
