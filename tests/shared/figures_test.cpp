#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

#include "shared/figures.hpp"

using namespace shouxin;

namespace {

Date day(int year, unsigned month, unsigned d) { return Date::fromCivil(year, month, d); }

const Date kToday = day(2026, 5, 10);

CommitmentState state(Status status, std::optional<Date> deadline,
                      std::optional<Date> fulfilledOn = std::nullopt, Date published = day(2026, 1, 10)) {
    CommitmentState s;
    s.commitment.id = "01920000-0000-7000-8000-000000000001";
    s.commitment.office = "330110104";
    s.commitment.category = Category::elderlyCare;
    s.commitment.kind = Kind::timeLimit;
    s.commitment.title = "助餐点";
    s.commitment.detail = "设立助餐点";
    s.commitment.department = "社会事务办";
    s.commitment.deadline = deadline;
    s.commitment.published = published;
    s.status = status;
    s.fulfilledOn = fulfilledOn;
    return s;
}

CommitmentState at(std::string office, Category category, CommitmentState s) {
    s.commitment.office = std::move(office);
    s.commitment.category = category;
    return s;
}

}  // namespace

// ---- Overdue and deadlines --------------------------------------------------

TEST_CASE("a not started or in progress commitment is overdue the day after its deadline", "[figures]") {
    CHECK(isOverdue(state(Status::notStarted, kToday.plusDays(-1)), kToday));
    CHECK(isOverdue(state(Status::inProgress, kToday.plusDays(-1)), kToday));
    CHECK(isOverdue(state(Status::inProgress, day(2025, 12, 31)), kToday));
}

TEST_CASE("a commitment is not overdue on its deadline day or before it", "[figures]") {
    CHECK_FALSE(isOverdue(state(Status::notStarted, kToday), kToday));
    CHECK_FALSE(isOverdue(state(Status::inProgress, kToday), kToday));
    CHECK_FALSE(isOverdue(state(Status::inProgress, kToday.plusDays(1)), kToday));
    // The same commitment becomes overdue as the days pass.
    const CommitmentState c = state(Status::inProgress, kToday);
    CHECK(isOverdue(c, kToday.plusDays(1)));
}

TEST_CASE("closed commitments are never overdue", "[figures]") {
    for (const Status s : {Status::fulfilled, Status::broken, Status::rectified, Status::amended}) {
        INFO(idOf(s));
        CHECK_FALSE(isOverdue(state(s, kToday.plusDays(-30), kToday.plusDays(-1)), kToday));
    }
}

TEST_CASE("a commitment without a deadline is never overdue", "[figures]") {
    for (const Status s : kStatuses) {
        INFO(idOf(s));
        CHECK_FALSE(isOverdue(state(s, std::nullopt, std::nullopt, day(2020, 1, 1)), kToday));
    }
}

TEST_CASE("daysToDeadline counts from today, negative once past", "[figures]") {
    CHECK(daysToDeadline(state(Status::inProgress, kToday), kToday) == 0);
    CHECK(daysToDeadline(state(Status::inProgress, kToday.plusDays(3)), kToday) == 3);
    CHECK(daysToDeadline(state(Status::inProgress, kToday.plusDays(-2)), kToday) == -2);
    CHECK(daysToDeadline(state(Status::notStarted, day(2027, 5, 10)), kToday) == 365);
    CHECK_FALSE(daysToDeadline(state(Status::inProgress, std::nullopt), kToday).has_value());
}

TEST_CASE("isOnTime: fulfilled on or before the deadline", "[figures]") {
    const Date deadline = day(2026, 4, 30);
    CHECK(isOnTime(state(Status::fulfilled, deadline, deadline.plusDays(-10))));
    CHECK(isOnTime(state(Status::fulfilled, deadline, deadline)));
    CHECK_FALSE(isOnTime(state(Status::fulfilled, deadline, deadline.plusDays(1))));
    CHECK_FALSE(isOnTime(state(Status::fulfilled, std::nullopt, deadline)));  // no deadline
    CHECK_FALSE(isOnTime(state(Status::fulfilled, deadline, std::nullopt)));  // no date
    CHECK_FALSE(isOnTime(state(Status::inProgress, deadline, std::nullopt)));
    CHECK_FALSE(isOnTime(state(Status::rectified, deadline, deadline.plusDays(-1))));
}

// ---- Figures ----------------------------------------------------------------

TEST_CASE("computeFigures counts by status and computes the fulfilment and on-time rates", "[figures]") {
    const Date deadline = day(2026, 4, 30);
    const std::vector<CommitmentState> all = {
        state(Status::fulfilled, deadline, day(2026, 4, 20)),     // on time
        state(Status::fulfilled, deadline, deadline),             // on time, on the day
        state(Status::fulfilled, deadline, day(2026, 5, 2)),      // late
        state(Status::fulfilled, std::nullopt, day(2026, 4, 1)),  // no deadline
        state(Status::broken, deadline),                          //
        state(Status::rectified, day(2026, 3, 31)),               //
        state(Status::amended, day(2026, 4, 1)),                  // left out
        state(Status::inProgress, day(2026, 5, 1)),               // overdue
        state(Status::notStarted, kToday.plusDays(-1)),           // overdue
        state(Status::inProgress, kToday),                        // due today: not yet
        state(Status::notStarted, day(2026, 6, 30)),              // not yet due
        state(Status::inProgress, std::nullopt),                  // never due
    };
    const Figures f = computeFigures(all, FiguresFilter{}, kToday);
    CHECK(f.total == 12);
    CHECK(f.count(Status::fulfilled) == 4);
    CHECK(f.count(Status::broken) == 1);
    CHECK(f.count(Status::rectified) == 1);
    CHECK(f.count(Status::amended) == 1);
    CHECK(f.count(Status::inProgress) == 3);
    CHECK(f.count(Status::notStarted) == 2);
    CHECK(f.overdue == 2);
    CHECK(f.fulfilledWithDeadline == 3);
    CHECK(f.fulfilledOnTime == 2);

    // fulfilled / (fulfilled + broken + rectified + overdue) = 4 / (4 + 1 + 1 + 2)
    CHECK(f.assessed() == 8);
    REQUIRE(f.fulfilmentRate().has_value());
    CHECK(*f.fulfilmentRate() == Approx(0.5));
    // fulfilled on or before the deadline / fulfilled with a deadline = 2 / 3
    REQUIRE(f.onTimeRate().has_value());
    CHECK(*f.onTimeRate() == Approx(2.0 / 3.0));
}

TEST_CASE("the same commitments give a lower fulfilment rate as more fall overdue", "[figures]") {
    const std::vector<CommitmentState> all = {
        state(Status::fulfilled, day(2026, 4, 30), day(2026, 4, 30)),
        state(Status::inProgress, day(2026, 6, 1)),
    };
    const Figures before = computeFigures(all, {}, day(2026, 6, 1));
    REQUIRE(before.fulfilmentRate().has_value());
    CHECK(*before.fulfilmentRate() == Approx(1.0));
    const Figures after = computeFigures(all, {}, day(2026, 6, 2));
    CHECK(after.overdue == 1);
    REQUIRE(after.fulfilmentRate().has_value());
    CHECK(*after.fulfilmentRate() == Approx(0.5));
}

TEST_CASE("rates are nullopt when their denominator is zero", "[figures]") {
    const Figures none = computeFigures({}, {}, kToday);
    CHECK(none.total == 0);
    CHECK_FALSE(none.fulfilmentRate().has_value());
    CHECK_FALSE(none.onTimeRate().has_value());

    // Only amended and not-yet-due commitments: nothing assessed.
    const std::vector<CommitmentState> pending = {
        state(Status::amended, day(2026, 1, 31)),
        state(Status::notStarted, day(2026, 12, 31)),
        state(Status::inProgress, std::nullopt),
    };
    const Figures p = computeFigures(pending, {}, kToday);
    CHECK(p.total == 3);
    CHECK(p.assessed() == 0);
    CHECK_FALSE(p.fulfilmentRate().has_value());
    CHECK_FALSE(p.onTimeRate().has_value());

    // Fulfilled, but none had a deadline: a fulfilment rate, no on-time rate.
    const std::vector<CommitmentState> noDeadlines = {
        state(Status::fulfilled, std::nullopt, day(2026, 2, 1)),
        state(Status::broken, std::nullopt),
    };
    const Figures n = computeFigures(noDeadlines, {}, kToday);
    REQUIRE(n.fulfilmentRate().has_value());
    CHECK(*n.fulfilmentRate() == Approx(0.5));
    CHECK_FALSE(n.onTimeRate().has_value());

    // Only broken ones: a rate of zero, not "no data".
    const std::vector<CommitmentState> broken = {state(Status::broken, day(2026, 3, 1))};
    const Figures b = computeFigures(broken, {}, kToday);
    REQUIRE(b.fulfilmentRate().has_value());
    CHECK(*b.fulfilmentRate() == Approx(0.0));
}

TEST_CASE("the figures filter scopes by office code prefix", "[figures]") {
    const CommitmentState base = state(Status::fulfilled, day(2026, 4, 30), day(2026, 4, 1));
    const std::vector<CommitmentState> all = {
        at("330110104", Category::elderlyCare, base),
        at("330110105", Category::elderlyCare, base),
        at("330110", Category::elderlyCare, base),  // district-wide
        at("330111001", Category::elderlyCare, base),
    };
    const auto total = [&](std::string office) {
        FiguresFilter filter;
        filter.office = std::move(office);
        return computeFigures(all, filter, kToday).total;
    };
    CHECK(total("") == 4);
    CHECK(total("330110") == 3);
    CHECK(total("330110104") == 1);
    CHECK(total("330111") == 1);
    CHECK(total("33011") == 4);
    CHECK(total("330112") == 0);
    CHECK(total("330110106") == 0);

    FiguresFilter office;
    office.office = "330110104";
    CHECK(matches(office, all[0]));
    CHECK_FALSE(matches(office, all[1]));
    CHECK_FALSE(matches(office, all[2]));  // an office's scope does not take in its district
}

TEST_CASE("the figures filter scopes by service area", "[figures]") {
    const CommitmentState base = state(Status::broken, day(2026, 4, 30));
    const std::vector<CommitmentState> all = {
        at("330110104", Category::elderlyCare, base),
        at("330110104", Category::elderlyCare, base),
        at("330110104", Category::parking, base),
        at("330110105", Category::parking, base),
    };
    FiguresFilter filter;
    filter.category = Category::parking;
    CHECK(computeFigures(all, filter, kToday).total == 2);
    filter.category = Category::elderlyCare;
    CHECK(computeFigures(all, filter, kToday).total == 2);
    filter.office = "330110105";
    CHECK(computeFigures(all, filter, kToday).total == 0);
    filter.category = Category::housing;
    filter.office = "";
    CHECK(computeFigures(all, filter, kToday).total == 0);
}

TEST_CASE("the figures filter puts a commitment in a period by its deadline, or published date",
          "[figures]") {
    // Published in January, due at the end of April.
    const CommitmentState dueApril =
        state(Status::fulfilled, day(2026, 4, 30), day(2026, 4, 29), day(2026, 1, 10));
    // Published in April, due in May: May's, not April's.
    const CommitmentState dueMay = state(Status::inProgress, day(2026, 5, 1), std::nullopt, day(2026, 4, 2));
    // No deadline: its published date decides.
    const CommitmentState publishedApril =
        state(Status::inProgress, std::nullopt, std::nullopt, day(2026, 4, 1));
    const CommitmentState publishedMarch =
        state(Status::inProgress, std::nullopt, std::nullopt, day(2026, 3, 31));

    FiguresFilter april;
    april.from = day(2026, 4, 1);
    april.to = day(2026, 4, 30);
    CHECK(matches(april, dueApril));  // `to` is inclusive
    CHECK_FALSE(matches(april, dueMay));
    CHECK(matches(april, publishedApril));  // `from` is inclusive
    CHECK_FALSE(matches(april, publishedMarch));

    FiguresFilter fromMay;
    fromMay.from = day(2026, 5, 1);
    CHECK_FALSE(matches(fromMay, dueApril));
    CHECK(matches(fromMay, dueMay));

    FiguresFilter untilMarch;
    untilMarch.to = day(2026, 3, 31);
    CHECK(matches(untilMarch, publishedMarch));
    CHECK_FALSE(matches(untilMarch, dueApril));  // published in January, but due in April

    const std::vector<CommitmentState> all = {dueApril, dueMay, publishedApril, publishedMarch};
    const Figures f = computeFigures(all, april, kToday);
    CHECK(f.total == 2);
    CHECK(f.count(Status::fulfilled) == 1);
    CHECK(f.fulfilledOnTime == 1);
    CHECK(computeFigures(all, FiguresFilter{}, kToday).total == 4);
}

TEST_CASE("monthly figures bucket commitments by the month they are due, oldest month first", "[figures]") {
    const std::vector<CommitmentState> all = {
        state(Status::fulfilled, day(2026, 5, 3), day(2026, 5, 1)),   // May, on time
        state(Status::broken, day(2026, 4, 30)),                      // April
        state(Status::inProgress, day(2026, 4, 1)),                   // April, overdue
        state(Status::fulfilled, day(2026, 3, 31), day(2026, 4, 2)),  // March, late
        state(Status::fulfilled, std::nullopt, day(2026, 2, 2), day(2026, 2, 1)),  // Feb by published
        state(Status::fulfilled, day(2025, 12, 31), day(2025, 12, 1)),  // Dec 2025: outside 4 months
        state(Status::notStarted, day(2026, 6, 30)),                  // not yet: after today's month
    };
    const auto months = monthlyFigures(all, {}, kToday, 4);
    REQUIRE(months.size() == 4);
    CHECK(months[0].year == 2026);
    CHECK(months[0].month == 2);
    CHECK(months[3].month == 5);
    CHECK(months[0].figures.total == 1);
    CHECK(months[1].figures.total == 1);
    CHECK(months[1].figures.onTimeRate() == Approx(0.0));
    CHECK(months[2].figures.total == 2);
    CHECK(months[2].figures.overdue == 1);
    CHECK(months[2].figures.fulfilmentRate() == Approx(0.0));
    CHECK(months[3].figures.fulfilmentRate() == Approx(1.0));
    CHECK(months[3].figures.onTimeRate() == Approx(1.0));

    SECTION("months cross the year boundary") {
        const auto year = monthlyFigures(all, {}, kToday, 6);
        REQUIRE(year.size() == 6);
        CHECK(year[0].year == 2025);
        CHECK(year[0].month == 12);
        CHECK(year[0].figures.total == 1);
    }
    SECTION("the filter's category applies, its dates do not") {
        FiguresFilter filter;
        filter.category = Category::housing;
        filter.from = day(2030, 1, 1);
        CHECK(monthlyFigures(all, filter, kToday, 4)[3].figures.total == 0);
        filter.category = Category::elderlyCare;
        CHECK(monthlyFigures(all, filter, kToday, 4)[3].figures.total == 1);
    }
    SECTION("no months asked, none given") { CHECK(monthlyFigures(all, {}, kToday, 0).empty()); }
}
