#include <catch2/catch.hpp>

#include "shared/text.hpp"

TEST_CASE("valid UTF-8 passes", "[text]") { REQUIRE(shouxin::isValidUtf8("青山镇 䶮")); }

TEST_CASE("formatTime writes Unix milliseconds on the UTC clock", "[text]") {
    using shouxin::Clock;
    CHECK(shouxin::formatTime(1'764'633'600'000, "%Y%m%d-%H%M%S", Clock::utc) == "20251202-000000");
    CHECK(shouxin::formatTime(1'764'633'600'999, "%Y-%m-%dT%H:%M:%SZ", Clock::utc) == "2025-12-02T00:00:00Z");
    CHECK(shouxin::formatTime(0, "%H:%M", Clock::utc) == "00:00");
    CHECK(shouxin::formatTime(0, "", Clock::utc).empty());
}
