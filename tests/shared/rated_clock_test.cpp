#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "shared/rated_clock.hpp"

using namespace shouxin;

TEST_CASE("a rated clock at rate 1 reads the system's clocks", "[shared][clock]") {
    const RatedClock clock;
    const auto system = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    CHECK(std::abs(clock.wallMillis() - system) < 1000);
    CHECK(clock.wallOf(12345) == 12345);
    CHECK(clock.realWait(1500) == std::chrono::milliseconds(1500));
}

TEST_CASE("a rated clock spreads later instants by its rate and keeps earlier ones", "[shared][clock]") {
    const RatedClock clock(1000.0);
    const std::int64_t start = clock.wallOf(0);
    CHECK(start == 0);  // before the start: as it was
    const std::int64_t realNow = std::chrono::duration_cast<std::chrono::milliseconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
    // A real second after the clock's start is a thousand on its calendar.
    CHECK(clock.wallOf(realNow + 1000) - clock.wallOf(realNow) == 1'000'000);
    // Waiting two simulated minutes takes 120 real milliseconds.
    CHECK(clock.realWait(120'000) == std::chrono::milliseconds(120));
    CHECK(clock.realWait(1) == std::chrono::milliseconds(1));
    CHECK(clock.realWait(0) == std::chrono::milliseconds(0));
}

TEST_CASE("a rated clock's copies agree and its steady time runs at its rate", "[shared][clock]") {
    const RatedClock clock(100.0);
    const RatedClock copy = clock;
    const std::int64_t before = clock.steadyMillis();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    // At least 20 real ms passed: at least 2 simulated seconds.
    CHECK(copy.steadyMillis() - before >= 2000);
    CHECK(std::abs(copy.wallMillis() - clock.wallMillis()) < 1000);
}
