#include "shared/rated_clock.hpp"

#include <cassert>
#include <cmath>

namespace shouxin {

namespace {

std::int64_t systemWallMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

RatedClock::RatedClock(double rate)
    : m_rate(rate), m_steadyStart(std::chrono::steady_clock::now()), m_wallStart(systemWallMillis()) {
    assert(rate > 0);
}

std::int64_t RatedClock::steadyMillis() const {
    const auto real = std::chrono::steady_clock::now();
    if (m_rate == 1.0)
        return std::chrono::duration_cast<std::chrono::milliseconds>(real.time_since_epoch()).count();
    const double elapsed = std::chrono::duration<double, std::milli>(real - m_steadyStart).count();
    return static_cast<std::int64_t>(elapsed * m_rate);
}

std::int64_t RatedClock::wallMillis() const {
    const std::int64_t real = systemWallMillis();
    if (m_rate == 1.0) return real;
    // The calendar follows the steady clock, so a step of the system clock
    // (NTP) does not move a simulated week.
    const double elapsed =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - m_steadyStart).count();
    return m_wallStart + static_cast<std::int64_t>(elapsed * m_rate);
}

std::int64_t RatedClock::wallOf(std::int64_t realUnixMillis) const {
    if (m_rate == 1.0 || realUnixMillis <= m_wallStart) return realUnixMillis;
    return m_wallStart + static_cast<std::int64_t>(static_cast<double>(realUnixMillis - m_wallStart) * m_rate);
}

std::chrono::milliseconds RatedClock::realWait(std::int64_t millis) const {
    if (millis <= 0) return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(static_cast<double>(millis) / m_rate)));
}

}  // namespace shouxin
