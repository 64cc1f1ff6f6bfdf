#include "shared/engine_memory.hpp"

#include <sqlite3.h>

namespace shouxin {

std::int64_t sqliteMemoryBytes() { return sqlite3_memory_used(); }

}  // namespace shouxin
