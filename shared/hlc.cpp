#include "shared/hlc.hpp"

#include <algorithm>
#include <chrono>

namespace shouxin::hlc {

std::uint64_t tick(std::uint64_t last, std::int64_t nowMillis) {
    const std::uint64_t wall = pack(std::max<std::int64_t>(nowMillis, 0), 0);
    // A later wall clock starts a new millisecond at counter 0; otherwise
    // count on from the last stamp (the counter carries into the
    // milliseconds when it overflows, which keeps stamps strictly rising).
    return wall > last ? wall : last + 1;
}

std::uint64_t receive(std::uint64_t last, std::uint64_t remote) { return std::max(last, remote); }

std::int64_t nowMillis() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return std::chrono::duration_cast<std::chrono::milliseconds>(now).count();
}

}  // namespace shouxin::hlc
