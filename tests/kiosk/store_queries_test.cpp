#include <catch2/catch.hpp>

#include <algorithm>

#include <string>

#include "kiosk/ui/model.hpp"
#include "shared/figures.hpp"
#include "shared/hlc.hpp"
#include "shared/pin.hpp"
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

namespace {

// A store with commitments in several areas and every status, some late.
Store storeWithMix(const TempDir& dir) {
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    const Category areas[] = {Category::elderlyCare, Category::housing, Category::parking};
    const Status statuses[] = {Status::notStarted, Status::inProgress, Status::fulfilled,
                               Status::broken,     Status::rectified,  Status::amended};
    for (int i = 0; i < 24; ++i) {
        const Date published = Date::fromCivil(2026, 1, 1).plusDays(i * 5);
        std::optional<Date> deadline = published.plusDays(20 + (i % 7) * 15);
        if (i % 5 == 4) deadline.reset();
        Commitment c = sampleCommitment(i % 2 ? "养老服务上门" : "停车位补贴发放", published, deadline);
        c.category = areas[i % 3];
        c.kind = kKinds[static_cast<std::size_t>(i) % kKinds.size()];
        REQUIRE(store.record(c, "clerk:wang"));
        const Status s = statuses[i % 6];
        if (s == Status::notStarted) continue;
        if (s == Status::rectified) {
            REQUIRE(
                store.record(sampleReport(c.id, Status::broken, 10, published.plusDays(1)), "clerk:wang"));
        }
        const int progress = s == Status::fulfilled || s == Status::rectified ? 100 : 40;
        REQUIRE(store.record(sampleReport(c.id, s, progress, published.plusDays(2 + i % 40)), "clerk:wang"));
    }
    return store;
}

void checkSame(const Figures& a, const Figures& b) {
    CHECK(a.total == b.total);
    for (std::size_t s = 0; s < kStatusCount; ++s)
        CHECK(a.byStatus[s] == b.byStatus[s]);
    CHECK(a.overdue == b.overdue);
    CHECK(a.fulfilledWithDeadline == b.fulfilledWithDeadline);
    CHECK(a.fulfilledOnTime == b.fulfilledOnTime);
}

std::vector<std::string> idsOf(const std::vector<Row>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows)
        out.push_back(r.id);
    return out;
}

}  // namespace

TEST_CASE("screen data streamed from the store equals the shared figures over every commitment held",
          "[store][ui]") {
    TempDir dir;
    Store store = storeWithMix(dir);
    const auto all = store.commitments();
    for (const Date today :
         {Date::fromCivil(2026, 3, 15), Date::fromCivil(2026, 6, 1), Date::fromCivil(2027, 1, 1)}) {
        const kiosk::HomeData streamed = kiosk::loadHome(store, today);
        const kiosk::HomeData inMemory = kiosk::homeData(all, today);
        CHECK_FALSE(streamed.loading);
        CHECK(streamed.officeName == kOfficeName);
        checkSame(streamed.overall, computeFigures(all, {}, today));
        for (std::size_t i = 0; i < kCategoryCount; ++i) {
            INFO(i);
            CHECK(streamed.tiles[i].category == inMemory.tiles[i].category);
            checkSame(streamed.tiles[i].figures, inMemory.tiles[i].figures);
        }

        const kiosk::FiguresData figures = kiosk::loadFigures(store, today, 12);
        const kiosk::FiguresData expected = kiosk::figuresData(all, today, 12);
        checkSame(figures.overall, expected.overall);
        REQUIRE(figures.trend.size() == expected.trend.size());
        for (std::size_t i = 0; i < figures.trend.size(); ++i) {
            CHECK(figures.trend[i].month == expected.trend[i].month);
            checkSame(figures.trend[i].figures, expected.trend[i].figures);
        }
        CHECK(idsOf(figures.overdueAndBroken) == idsOf(expected.overdueAndBroken));

        for (const Category c :
             {Category::elderlyCare, Category::housing, Category::parking, Category::schooling}) {
            kiosk::AreaFilter late;
            late.status = kiosk::StatusFilter::overdue;
            for (const kiosk::AreaFilter& f : {kiosk::AreaFilter{}, late}) {
                const kiosk::AreaData area = kiosk::loadArea(store, c, f, today);
                CHECK(idsOf(area.rows) == idsOf(kiosk::areaRows(all, c, f, today)));
                CHECK(area.totalInArea == inMemory.tiles[static_cast<std::size_t>(c)].figures.total);
            }
        }
    }
}

TEST_CASE("commitment summaries leave the long text out and keep what lists and figures need", "[store]") {
    TempDir dir;
    Store store = storeWithMix(dir);
    int seen = 0;
    store.forEachCommitmentSummary(Category::housing, [&](const CommitmentState& c) {
        ++seen;
        CHECK(c.commitment.category == Category::housing);
        CHECK(c.commitment.detail.empty());
        CHECK(c.commitment.responsible.empty());
        CHECK_FALSE(c.commitment.title.empty());
        CHECK(c.commitment.department == "社会事务办公室");
        const auto full = store.commitment(c.commitment.id);
        REQUIRE(full);
        CHECK(full->status == c.status);
        CHECK(full->commitment.deadline == c.commitment.deadline);
        CHECK(full->fulfilledOn == c.fulfilledOn);
    });
    CHECK(seen == 8);
}

TEST_CASE("short searches match titles and departments, up to the limit", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    Commitment inDetail = sampleCommitment("道路修缮");
    inDetail.detail = "青山村道路年内修缮完毕，补齐路灯。";
    REQUIRE(store.record(inDetail, "clerk:wang"));
    Commitment inTitle = sampleCommitment("残疾人补贴按月发放");
    REQUIRE(store.record(inTitle, "clerk:wang"));
    Commitment inDepartment = sampleCommitment("道路保洁");
    inDepartment.department = "补充保障办公室";
    REQUIRE(store.record(inDepartment, "clerk:wang"));

    // One or two characters match where so short a term means something:
    // titles and departments, not the detail text.
    const auto hits = store.search("补", 10);
    REQUIRE(hits.size() == 2);
    CHECK(std::find(hits.begin(), hits.end(), inDetail.id) == hits.end());
    CHECK(store.search("补", 1).size() == 1);
    CHECK(store.search("补齐", 10).empty());
    CHECK(store.search("补齐路灯", 10) == std::vector<std::string>{inDetail.id});  // three or more: full text
    CHECK(store.search("修缮", 10) ==
          std::vector<std::string>{inDetail.id});  // in its title and detail: listed once
    CHECK(store.search("%", 10).empty());          // LIKE's wildcard is searched for as itself
}

TEST_CASE("search summaries are the search's hits in its order, without the long text", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    Commitment inDetail = sampleCommitment("道路修缮");
    inDetail.detail = "青山村道路年内修缮完毕，补齐路灯。";
    REQUIRE(store.record(inDetail, "clerk:wang"));
    Commitment inTitle = sampleCommitment("残疾人补贴按月发放");
    REQUIRE(store.record(inTitle, "clerk:wang"));
    for (const char* query : {"补", "补贴", "道路修缮", "残疾人补贴", "鱻"}) {
        std::vector<std::string> ids;
        for (const CommitmentState& c : store.searchSummaries(query, 10)) {
            ids.push_back(c.commitment.id);
            CHECK(c.commitment.detail.empty());
            CHECK_FALSE(c.commitment.title.empty());
        }
        CHECK(ids == store.search(query, 10));
    }
    CHECK(store.searchSummaries("补", 1).size() == 1);
}

TEST_CASE("a revised commitment's text as first published stays readable for the detail view",
          "[store][ui]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    REQUIRE(store.record(ClerkAdded{"li", kOffice, "李华", Role::supervisor, pin::hash("654321")}, "system"));
    const Commitment c = sampleCommitment("高龄津贴十个工作日内发放");
    REQUIRE(store.record(c, "clerk:li"));
    CHECK_FALSE(kiosk::loadDetail(store, c.id, Date::fromCivil(2026, 4, 2), "").published);  // never revised

    CommitmentRevised r{c.id,
                        "高龄津贴七个工作日内发放",
                        c.detail,
                        c.department,
                        c.responsible,
                        c.deadline,
                        "7个工作日",
                        "县里简化审批流程",
                        Date::fromCivil(2026, 4, 1)};
    REQUIRE(store.record(r, "clerk:li"));
    const auto original = store.publishedText(c.id);
    REQUIRE(original);
    CHECK(original->title == "高龄津贴十个工作日内发放");
    CHECK(store.commitment(c.id)->commitment.title == "高龄津贴七个工作日内发放");
    CHECK_FALSE(store.publishedText("no-such-commitment"));

    const kiosk::DetailData d = kiosk::loadDetail(store, c.id, Date::fromCivil(2026, 4, 2), "");
    REQUIRE(d.revisions.size() == 1);
    REQUIRE(d.published);
    CHECK(d.published->title == "高龄津贴十个工作日内发放");
}
