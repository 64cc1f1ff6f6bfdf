#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "shared/hlc.hpp"
#include "shared/store.hpp"
#include "tests/support/scenario.hpp"

using namespace shouxin;
using namespace shouxin::test;
using Outcome = ApplyResult::Outcome;

namespace {

// A node of kOffice that has applied `events` in the given order.
Store nodeWith(const TempDir& dir, const std::string& name, const std::vector<Event>& events) {
    Store store = Store::create(dir.path() / name, kOffice, kOfficeName);
    for (const Event& e : events) {
        const auto r = store.apply(e);
        INFO(e.type << " " << e.id << " " << (r.problems.empty() ? "" : r.problems.front().message));
        REQUIRE((r.outcome == Outcome::accepted || r.outcome == Outcome::duplicate));
    }
    return store;
}

}  // namespace

TEST_CASE("the same events in many shuffled orders fold to the same digest", "[fold]") {
    TempDir dir;
    const Scenario s = makeScenario(dir, 4, 10, 20261129);
    REQUIRE(s.streams.size() == 4);
    REQUIRE(s.events.size() > 60);
    // Every kind of record is in it, the breach records' conflicting steps too.
    std::set<std::string> types;
    for (const Event& e : s.events)
        types.insert(e.type);
    for (const auto type :
         {event_type::kComplaintFiled, event_type::kComplaintProgressed, event_type::kComplaintAnswered,
          event_type::kRatingGiven, event_type::kBreachConfirmed, event_type::kBreachProgressed}) {
        INFO(type);
        CHECK(types.count(std::string(type)) == 1);
    }

    std::mt19937 rng(7);
    for (int run = 0; run < 12; ++run) {
        const auto order = interleave(s.streams, rng);
        Store node = nodeWith(dir, "shuffled" + std::to_string(run) + ".db", order);
        INFO("run " << run);
        CHECK(node.digest(kOffice) == s.digest);
        CHECK(node.verify().ok());
    }
}

TEST_CASE("a refold from the events alone gives the same state", "[fold]") {
    TempDir dir;
    const Scenario s = makeScenario(dir, 3, 6, 42);
    std::mt19937 rng(1);
    Store node = nodeWith(dir, "node.db", interleave(s.streams, rng));
    const std::string before = node.digest(kOffice);
    node.rebuild();
    CHECK(node.digest(kOffice) == before);
    CHECK(before == s.digest);
}

TEST_CASE("applying an event twice changes nothing", "[fold]") {
    TempDir dir;
    const Scenario s = makeScenario(dir, 3, 5, 99);
    Store node = nodeWith(dir, "node.db", s.events);
    const std::string digest = node.digest(kOffice);
    const auto count = node.eventCount();
    for (const Event& e : s.events)
        CHECK(node.apply(e).outcome == Outcome::duplicate);
    CHECK(node.digest(kOffice) == digest);
    CHECK(node.eventCount() == count);
}

TEST_CASE("a late event with an older clock is folded into its place", "[fold]") {
    TempDir dir;
    Store a = Store::create(dir / "a.db", kOffice, kOfficeName);
    Store b = Store::create(dir / "b.db", kOffice, kOfficeName);
    const std::int64_t now = hlc::nowMillis() + 3'600'000;  // past both nodes' first stamps
    a.setClock([now] { return now + 100'000; });
    b.setClock([now] { return now + 50'000; });  // b's clock is behind

    const Commitment c = sampleCommitment("高龄津贴十个工作日内发放");
    REQUIRE(a.record(c, "clerk:a"));
    exchange(a, b);
    // b reports first in wall time but its stamp is older than a's report.
    auto early = sampleReport(c.id, Status::inProgress, 40, Date::fromCivil(2026, 4, 1));
    const auto fromB = b.record(early, "clerk:b");
    REQUIRE(fromB);
    auto later = sampleReport(c.id, Status::fulfilled, 100, Date::fromCivil(2026, 4, 5));
    later.basedOn = "";
    a.setClock([now] { return now + 200'000; });
    const auto fromA = a.record(later, "clerk:a");
    REQUIRE(fromA);
    REQUIRE(fromB->hlc < fromA->hlc);

    // a learns of b's report after its own: b's report sorts first, a's
    // report stays current, and a sees that the two were concurrent.
    exchange(b, a);
    const auto state = a.commitment(c.id);
    REQUIRE(state);
    CHECK(state->status == Status::fulfilled);
    CHECK(state->progress == 100);
    CHECK(state->reportCount == 2);
    CHECK(state->lastReport == fromA->id);
    CHECK(state->concurrentReport);
    const auto history = a.history(c.id);
    REQUIRE(history.size() == 2);
    CHECK(history[0].eventId == fromB->id);
    CHECK(history[1].eventId == fromA->id);
    CHECK(history[1].concurrent);

    // b, receiving a's report normally, reaches the identical state.
    exchange(a, b);
    CHECK(b.digest(kOffice) == a.digest(kOffice));
    CHECK(a.verify().ok());
}

TEST_CASE("a report that arrives before its commitment is folded once the commitment arrives", "[fold]") {
    TempDir dir;
    Store a = Store::create(dir / "a.db", kOffice, kOfficeName);
    const Commitment c = sampleCommitment("路灯故障48小时内修复");
    const auto published = a.record(c, "clerk:a");
    REQUIRE(published);
    const auto report = a.record(sampleReport(c.id, Status::inProgress, 30), "clerk:a");
    REQUIRE(report);

    // Another device gets a's events out of order across subjects is not
    // possible within one chain, so use two publishers: the report's device
    // differs from the commitment's.
    Store b = Store::create(dir / "b.db", kOffice, kOfficeName);
    exchange(a, b);
    const auto fromB =
        b.record(sampleReport(c.id, Status::fulfilled, 100, Date::fromCivil(2026, 4, 9)), "clerk:b");
    REQUIRE(fromB);

    Store c3 = Store::create(dir / "c.db", kOffice, kOfficeName);
    // b's chain first (its office.named, then its report), then a's chain.
    for (const Event& e : b.events()) {
        if (e.device == b.node().device) REQUIRE(c3.apply(e).outcome == Outcome::accepted);
    }
    CHECK_FALSE(c3.commitment(c.id));
    exchange(a, c3);
    const auto state = c3.commitment(c.id);
    REQUIRE(state);
    CHECK(state->status == Status::fulfilled);
    CHECK(c3.digest(kOffice) == b.digest(kOffice));
}
