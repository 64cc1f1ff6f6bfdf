// Node settings: one typed list whose stored keys never change.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "shared/settings.hpp"
#include "shared/store.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;

TEST_CASE("every setting has its own key, as databases in the field store them", "[store]") {
    std::set<std::string> keys;
    for (const Setting s : kAllSettings) {
        const std::string key(keyOf(s));
        CHECK_FALSE(key.empty());
        CHECK(keys.insert(key).second);
    }
    CHECK(keyOf(Setting::token) == "token");
    CHECK(keyOf(Setting::cursor) == "cursor");
    CHECK(keyOf(Setting::clockOffset) == "clock_offset_ms");
    CHECK(keyOf(Setting::pinLockedUntil) == "pin_locked_until");
}

TEST_CASE("a setting reads back what was set, and empty when unset", "[store]") {
    test::TempDir dir;
    Store store = Store::create(dir / "office.db", "330110104", "青山镇人民政府");
    CHECK(store.setting(Setting::serverUrl).empty());
    store.setSetting(Setting::serverUrl, "https://district.example");
    CHECK(store.setting(Setting::serverUrl) == "https://district.example");
    CHECK(store.setting(Setting::token).empty());
}
