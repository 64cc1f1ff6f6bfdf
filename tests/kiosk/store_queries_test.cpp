#include <catch2/catch.hpp>

#include <string>

#include "shared/hlc.hpp"
#include "shared/store.hpp"
#include "tests/support/scenario.hpp"

using namespace shouxin;
using namespace shouxin::test;

TEST_CASE("kiosk queries: newest event time, a change mark, and every text a resident can see", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    store.setClock([] { return std::int64_t{1'780'000'000'000}; });
    const auto named = store.newestEventMillis();  // office.named
    REQUIRE(named);
    const std::int64_t mark = store.changeMark();

    Commitment c = sampleCommitment("为陈㵘等独居老人上门服务");
    c.responsible = "李䶮";
    REQUIRE(store.record(c, "clerk:wang"));
    FulfilmentReport r = sampleReport(c.id, Status::inProgress, 40);
    r.note = "已走访鱻村";
    r.evidence = {"档案号甲-1"};
    REQUIRE(store.record(r, "clerk:wang"));

    CHECK(store.changeMark() > mark);
    REQUIRE(store.newestEventMillis());
    CHECK(*store.newestEventMillis() >= 1'780'000'000'000);

    std::string all;
    store.forEachText([&](std::string_view text) { all += std::string(text) + "|"; });
    for (const char* needle : {kOfficeName, "陈㵘", "李䶮", "鱻村", "档案号甲-1"}) {
        INFO(needle);
        CHECK(all.find(needle) != std::string::npos);
    }

    const std::int64_t after = store.changeMark();
    CHECK(store.changeMark() == after);  // stable while nothing is stored
}

TEST_CASE("kiosk queries on an empty log", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    // create() records office.named, so there is always one event.
    CHECK(store.newestEventMillis());
    CHECK(store.changeMark() >= 1);
}
