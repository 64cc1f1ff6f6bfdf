#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/model.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;

namespace {

Date day(int year, unsigned month, unsigned d) { return Date::fromCivil(year, month, d); }
const Date kToday = day(2026, 5, 10);

CommitmentState make(std::string id, Category category, Kind kind, Status status,
                     std::optional<Date> deadline, std::string title = "承诺") {
    CommitmentState s;
    s.commitment.id = std::move(id);
    s.commitment.office = "330110104";
    s.commitment.category = category;
    s.commitment.kind = kind;
    s.commitment.title = std::move(title);
    s.commitment.department = "社会事务办";
    s.commitment.deadline = deadline;
    s.commitment.published = day(2026, 1, 1);
    s.status = status;
    if (status == Status::fulfilled) s.fulfilledOn = day(2026, 4, 1);
    return s;
}

std::vector<std::string> ids(const std::vector<Row>& rows) {
    std::vector<std::string> out;
    for (const Row& r : rows)
        out.push_back(r.id);
    return out;
}

const std::vector<CommitmentState> kAll = {
    make("a-fulfilled", Category::elderlyCare, Kind::timeLimit, Status::fulfilled, day(2026, 4, 30)),
    make("b-soon", Category::elderlyCare, Kind::timeLimit, Status::inProgress, day(2026, 5, 12)),
    make("c-late-long", Category::elderlyCare, Kind::guarantee, Status::notStarted, day(2026, 3, 1)),
    make("d-late-short", Category::elderlyCare, Kind::timeLimit, Status::inProgress, day(2026, 5, 9)),
    make("e-no-deadline", Category::elderlyCare, Kind::serviceQuality, Status::inProgress, std::nullopt),
    make("f-later", Category::elderlyCare, Kind::timeLimit, Status::notStarted, day(2026, 9, 1)),
    make("g-broken", Category::elderlyCare, Kind::guarantee, Status::broken, day(2026, 2, 1)),
    make("h-other-area", Category::housing, Kind::timeLimit, Status::notStarted, day(2026, 1, 1)),
};

}  // namespace

TEST_CASE("an area's list puts overdue first, then the nearest deadlines, then closed ones", "[ui]") {
    const auto rows = areaRows(kAll, Category::elderlyCare, {}, kToday);
    CHECK(ids(rows) == std::vector<std::string>{"c-late-long", "d-late-short", "b-soon", "f-later",
                                                "e-no-deadline", "a-fulfilled", "g-broken"});
    CHECK(rows[0].badge == Badge::overdue);
    CHECK(rows[0].daysLeft == -70);
    CHECK(rows[2].daysLeft == 2);
    CHECK(rows[4].badge == Badge::inProgress);
    CHECK_FALSE(rows[4].daysLeft);
}

TEST_CASE("the status filter includes derived overdue, and kind filters combine with it", "[ui]") {
    AreaFilter overdue;
    overdue.status = StatusFilter::overdue;
    CHECK(ids(areaRows(kAll, Category::elderlyCare, overdue, kToday)) ==
          std::vector<std::string>{"c-late-long", "d-late-short"});

    AreaFilter inProgress;
    inProgress.status = StatusFilter::inProgress;  // stored status, overdue or not
    CHECK(ids(areaRows(kAll, Category::elderlyCare, inProgress, kToday)) ==
          std::vector<std::string>{"d-late-short", "b-soon", "e-no-deadline"});

    AreaFilter lateGuarantees = overdue;
    lateGuarantees.kind = Kind::guarantee;
    CHECK(ids(areaRows(kAll, Category::elderlyCare, lateGuarantees, kToday)) ==
          std::vector<std::string>{"c-late-long"});

    AreaFilter broken;
    broken.status = StatusFilter::broken;
    CHECK(ids(areaRows(kAll, Category::elderlyCare, broken, kToday)) == std::vector<std::string>{"g-broken"});
    AreaFilter none;
    none.status = StatusFilter::amended;
    CHECK(areaRows(kAll, Category::elderlyCare, none, kToday).empty());
}

TEST_CASE("a badge names overdue when it is, the stored status otherwise, always with catalogue text",
          "[ui]") {
    CHECK(badgeOf(kAll[2], kToday) == Badge::overdue);
    CHECK(badgeOf(kAll[2], day(2026, 3, 1)) == Badge::dueSoon);  // due today is not late
    CHECK(badgeOf(kAll[0], kToday) == Badge::fulfilled);
    CHECK(badgeOf(kAll[6], kToday) == Badge::broken);
    CHECK(badgeMessageId(Badge::overdue) == "status.overdue");
    CHECK(badgeMessageId(Badge::rectified) == "status.rectified");
    CHECK(tr(badgeMessageId(Badge::overdue), Lang::zh) == "逾期");
    for (const StatusFilter f : kStatusFilters)
        CHECK(tr(filterMessageId(f), Lang::zh) != filterMessageId(f));
}

TEST_CASE("home data counts each area with the shared figures, overdue included", "[ui]") {
    const HomeData home = homeData(kAll, kToday);
    CHECK(home.overall.total == 8);
    CHECK(home.overall.overdue == 3);
    const auto& elderly = home.tiles[static_cast<std::size_t>(Category::elderlyCare)];
    CHECK(elderly.category == Category::elderlyCare);
    CHECK(elderly.figures.total == 7);
    CHECK(elderly.figures.overdue == 2);
    // fulfilled / (fulfilled + broken + rectified + overdue) = 1 / 4
    REQUIRE(elderly.figures.fulfilmentRate());
    CHECK(*elderly.figures.fulfilmentRate() == Approx(0.25));
    CHECK(home.tiles[static_cast<std::size_t>(Category::parking)].figures.total == 0);
    CHECK_FALSE(home.tiles[static_cast<std::size_t>(Category::parking)].figures.fulfilmentRate());
}

TEST_CASE("figures data lists overdue and broken commitments, most urgent first, and a monthly trend",
          "[ui]") {
    const FiguresData f = figuresData(kAll, kToday, 12);
    CHECK(ids(f.overdueAndBroken) ==
          std::vector<std::string>{"h-other-area", "c-late-long", "d-late-short", "g-broken"});
    REQUIRE(f.trend.size() == 12);
    CHECK(f.trend.back().month == 5);
    CHECK(f.trend.back().figures.total == 2);  // due in May 2026: b and d
    CHECK(f.overall.total == 8);
}

TEST_CASE("views have stable ids for --view and the trace file", "[ui]") {
    for (const View v : {View::home, View::area, View::detail, View::figures, View::search})
        CHECK(parseView(idOf(v)) == v);
    CHECK_FALSE(parseView("settings"));
}

TEST_CASE("a commitment's public URL joins the base and the id", "[ui]") {
    CHECK(publicUrlOf("http://127.0.0.1:8080", "abc") == "http://127.0.0.1:8080/c/abc");
    CHECK(publicUrlOf("https://gov.example/", "abc") == "https://gov.example/c/abc");
    CHECK(publicUrlOf("", "abc").empty());
}

TEST_CASE("code points are decoded from UTF-8 including Ext-A and skip malformed bytes", "[ui]") {
    CHECK(codePointsOf("李䶮") == std::vector<char32_t>{U'李', U'䶮'});
    CHECK(codePointsOf("a\xff"
                       "b") == std::vector<char32_t>{U'a', U'b'});
    CHECK(codePointsOf("\xe4\xb8").empty());
    GlyphSet g;
    CHECK(g.add("陈㵘"));
    CHECK_FALSE(g.add("㵘陈"));
    CHECK(g.contains(U'㵘'));
    CHECK_FALSE(g.add("\n\t"));  // control characters are never drawn
}

TEST_CASE("an open commitment due within 7 days shows due soon, derived like overdue", "[ui]") {
    const CommitmentState& open = kAll[5];                        // not started, due 2026-09-01
    CHECK(badgeOf(open, day(2026, 8, 25)) == Badge::dueSoon);     // 7 days left
    CHECK(badgeOf(open, day(2026, 9, 1)) == Badge::dueSoon);      // due today
    CHECK(badgeOf(open, day(2026, 8, 24)) == Badge::notStarted);  // 8 days left
    CHECK(badgeOf(open, day(2026, 9, 2)) == Badge::overdue);
    CHECK(badgeOf(kAll[1], kToday) == Badge::dueSoon);     // in progress, 2 days left
    CHECK(badgeOf(kAll[4], kToday) == Badge::inProgress);  // no deadline
    CommitmentState done = kAll[1];
    done.status = Status::fulfilled;
    CHECK(badgeOf(done, kToday) == Badge::fulfilled);
    CHECK(tr(badgeMessageId(Badge::dueSoon), Lang::zh) == "即将到期");
    CHECK(tr(badgeMessageId(Badge::dueSoon), Lang::en) == "Due soon");
}
