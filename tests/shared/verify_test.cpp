#include <catch2/catch.hpp>

#include "shared/store.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/scenario.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

// A node with a few devices' events, closed, ready to be tampered with.
struct TamperFixture {
    TempDir dir;
    std::filesystem::path db = dir / "node.db";
    std::vector<Event> events;

    TamperFixture() {
        const Scenario s = makeScenario(dir, 2, 4, 5);
        Store store = Store::create(db, kOffice, kOfficeName);
        for (const Event& e : s.events)
            REQUIRE(store.apply(e).outcome == ApplyResult::Outcome::accepted);
        REQUIRE(store.verify().ok());
        events = store.events();
    }

    // An event from the middle of a device's chain that has a successor.
    Event middle() const {
        for (const Event& e : events) {
            if (e.seq == 3) return e;
        }
        FAIL("no event with seq 3");
        return {};
    }

    VerifyReport verify() const { return Store::open(db).verify(); }
};

bool names(const VerifyReport& r, const std::string& messageId, const Event& e) {
    for (const auto& f : r.findings) {
        if (f.messageId == messageId && f.device == e.device && f.seq == e.seq) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("verify passes an untouched node", "[verify]") {
    TamperFixture f;
    const auto r = f.verify();
    CHECK(r.ok());
    CHECK(r.events == static_cast<std::int64_t>(f.events.size()));
    CHECK(r.devices == 3);
}

TEST_CASE("verify catches one changed byte in a stored event and names it", "[verify]") {
    TamperFixture f;
    const Event target = f.middle();
    // Flip one character of the payload (its first byte after '{"').
    rawExec(f.db, "UPDATE event SET payload = '{\"X' || substr(payload, 4) WHERE id = '" + target.id + "'");
    const auto r = f.verify();
    CHECK_FALSE(r.ok());
    CHECK(names(r, "error.verify.hash", target));
    for (const auto& finding : r.findings)
        CHECK(finding.eventId == target.id);
}

TEST_CASE("verify catches a changed hash column through the broken link after it", "[verify]") {
    TamperFixture f;
    const Event target = f.middle();
    rawExec(f.db, "UPDATE event SET hash = '" + std::string(64, 'b') + "' WHERE id = '" + target.id + "'");
    const auto r = f.verify();
    CHECK_FALSE(r.ok());
    CHECK(names(r, "error.verify.hash", target));
    Event next = target;
    ++next.seq;
    CHECK(names(r, "error.verify.prev", next));
}

TEST_CASE("verify catches an event deleted from the middle of a chain", "[verify]") {
    TamperFixture f;
    const Event target = f.middle();
    rawExec(f.db, "PRAGMA foreign_keys = OFF; DELETE FROM fulfilment WHERE event_id = '" + target.id +
                      "'; DELETE FROM rating WHERE event_id = '" + target.id +
                      "'; DELETE FROM event WHERE id = '" + target.id + "'");
    const auto r = f.verify();
    CHECK_FALSE(r.ok());
    Event next = target;
    ++next.seq;
    CHECK(names(r, "error.verify.gap", next));
    CHECK(names(r, "error.verify.prev", next));
}

TEST_CASE("verify catches the last event of a chain deleted", "[verify]") {
    TamperFixture f;
    Event last;
    for (const Event& e : f.events) {
        if (e.device == f.events.front().device && e.seq > last.seq) last = e;
    }
    rawExec(f.db, "DELETE FROM fulfilment WHERE event_id = '" + last.id +
                      "'; DELETE FROM rating WHERE event_id = '" + last.id +
                      "'; DELETE FROM event WHERE id = '" + last.id + "'");
    const auto r = f.verify();
    CHECK_FALSE(r.ok());
    bool head = false;
    for (const auto& finding : r.findings)
        head = head || finding.messageId == "error.verify.head";
    CHECK(head);
}

TEST_CASE("verify catches state edited behind the log's back", "[verify]") {
    TamperFixture f;
    rawExec(f.db, "UPDATE commitment SET status = 'fulfilled', progress = 100");
    const auto r = f.verify();
    CHECK(r.findings.empty());
    CHECK(r.digest != r.refoldedDigest);
    CHECK_FALSE(r.ok());
    // verify() reports and repairs nothing; rebuild() does.
    Store store = Store::open(f.db);
    CHECK_FALSE(store.verify().ok());
    store.rebuild();
    CHECK(store.verify().ok());
}
