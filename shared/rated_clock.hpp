#pragma once
// A clock that runs `rate` times as fast as the system's from the moment it
// is made: for tests, a week of calendar in a minute (shouxin-kiosk
// --clock-rate). At rate 1 it reads the system's clocks unchanged. A
// plain value: copies made from one clock agree, and every reading is const
// and safe from any thread.
#include <chrono>
#include <cstdint>

namespace shouxin {

class RatedClock {
public:
    /// `rate` > 0: simulated milliseconds per real millisecond.
    explicit RatedClock(double rate = 1.0);

    double rate() const { return m_rate; }
    /// Milliseconds on a clock that never jumps, `rate` times as fast.
    std::int64_t steadyMillis() const;
    /// Unix milliseconds: the wall clock at the start, then `rate` times as fast.
    std::int64_t wallMillis() const;
    /// A real Unix instant on this clock's calendar: instants before the
    /// start are kept as they were, later ones spread `rate` times as far.
    std::int64_t wallOf(std::int64_t realUnixMillis) const;
    /// How long to wait really for `millis` on this clock to pass.
    std::chrono::milliseconds realWait(std::int64_t millis) const;

private:
    double m_rate;
    std::chrono::steady_clock::time_point m_steadyStart;
    std::int64_t m_wallStart;  // Unix ms at the start
};

}  // namespace shouxin
