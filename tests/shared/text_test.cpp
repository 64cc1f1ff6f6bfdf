#include <catch2/catch.hpp>

#include "shared/text.hpp"

TEST_CASE("valid UTF-8 passes", "[text]") { REQUIRE(shouxin::isValidUtf8("青山镇 䶮")); }
