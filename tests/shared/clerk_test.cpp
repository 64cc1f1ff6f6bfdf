#include <catch2/catch.hpp>

#include "shared/crypto.hpp"
#include "shared/pin.hpp"
#include "shared/store.hpp"
#include "tests/support/forge.hpp"
#include "tests/support/scenario.hpp"

using namespace shouxin;
using namespace shouxin::test;
using PinOutcome = Store::PinOutcome;

namespace {

bool hasProblem(const Problems& problems, std::string_view message) {
    for (const auto& p : problems) {
        if (p.message == message) return true;
    }
    return false;
}

// An office with a clerk (zhang, PIN 123456) and a supervisor (li, 654321).
struct Office {
    TempDir dir;
    std::filesystem::path db = dir / "office.db";
    Store store = Store::create(db, kOffice, kOfficeName);
    Commitment commitment = sampleCommitment("高龄津贴十个工作日内发放");

    Office() {
        REQUIRE(store.record(ClerkAdded{"zhang", kOffice, "张明", Role::clerk, pin::hash("123456")}, "system"));
        REQUIRE(store.record(ClerkAdded{"li", kOffice, "李华", Role::supervisor, pin::hash("654321")}, "system"));
        REQUIRE(store.record(commitment, "clerk:zhang"));
    }

    CommitmentRevised revision() const {
        CommitmentRevised r;
        r.commitment = commitment.id;
        r.title = "高龄津贴七个工作日内发放";
        r.detail = "对辖区内年满80周岁的老年人，高龄津贴在申请后7个工作日内核定发放。";
        r.department = "社会事务办公室";
        r.deadline = Date::fromCivil(2026, 6, 15);
        r.timeLimit = "7个工作日";
        r.reason = "县里简化审批流程，办理时限缩短";
        r.date = Date::fromCivil(2026, 4, 1);
        return r;
    }
};

}  // namespace

TEST_CASE("PINs are six digits kept only as Argon2id hashes", "[clerk]") {
    CHECK(pin::isValid("012345"));
    for (const char* bad : {"", "12345", "1234567", "12a456", "１２３４５６"}) CHECK_FALSE(pin::isValid(bad));
    const std::string h = pin::hash("123456");
    CHECK(h.rfind("$argon2id$", 0) == 0);
    CHECK(h.find("123456") == std::string::npos);
    CHECK(pin::matches("123456", h));
    CHECK_FALSE(pin::matches("123457", h));
    CHECK_FALSE(pin::matches("12345", h));
    CHECK(pin::hash("123456") != h);  // salted
    CHECK_THROWS(pin::hash("abc"));
}

TEST_CASE("five failed tries lock the pad with a doubling delay", "[clerk]") {
    pin::Lockout l;
    for (int i = 0; i < 4; ++i) {
        l = l.afterFailure(1000);
        CHECK_FALSE(l.lockedAt(1000));
    }
    l = l.afterFailure(1000);
    CHECK(l.lockedAt(1000));
    CHECK(l.lockedUntil == 1000 + 30'000);
    l = l.afterFailure(50'000);
    CHECK(l.lockedUntil == 50'000 + 60'000);
    l = l.afterFailure(200'000);
    CHECK(l.lockedUntil == 200'000 + 120'000);
    for (int i = 0; i < 30; ++i) l = l.afterFailure(0);
    CHECK(l.lockedUntil == pin::kMaxLockMillis);
}

TEST_CASE("the PIN pad's lockout survives a restart", "[clerk]") {
    Office o;
    const std::int64_t t = 1'800'000'000'000;
    CHECK(o.store.checkPin("zhang", "123456", t).outcome == PinOutcome::ok);
    for (int i = 1; i <= 4; ++i) {
        const auto c = o.store.checkPin("zhang", "000000", t + i);
        CHECK(c.outcome == PinOutcome::wrong);
        CHECK(c.failures == i);
    }
    // An unknown clerk is a failure too: the pad tells nothing about who exists.
    const auto fifth = o.store.checkPin("nobody", "123456", t + 5);
    CHECK(fifth.outcome == PinOutcome::locked);
    CHECK(fifth.lockedUntil == t + 5 + 30'000);

    Store reopened = Store::open(o.db);
    CHECK(reopened.checkPin("zhang", "123456", t + 10'000).outcome == PinOutcome::locked);
    const auto later = reopened.checkPin("zhang", "123456", t + 5 + 30'000);
    CHECK(later.outcome == PinOutcome::ok);
    REQUIRE(later.clerk);
    CHECK(later.clerk->name == "张明");
    CHECK(later.clerk->role == Role::clerk);
    CHECK(reopened.checkPin("li", "111111", t + 40'000).failures == 1);
}

TEST_CASE("a disabled clerk can neither log in nor record", "[clerk]") {
    Office o;
    REQUIRE(o.store.record(ClerkDisabled{"zhang", kOffice, "调岗"}, "clerk:li"));
    CHECK(o.store.clerk("zhang")->disabled);
    CHECK(o.store.checkPin("zhang", "123456", 1).outcome == PinOutcome::wrong);
    const auto r = o.store.record(sampleReport(o.commitment.id, Status::inProgress, 20), "clerk:zhang");
    REQUIRE_FALSE(r);
    CHECK(hasProblem(r.problems(), "error.clerk.disabled"));
    // Added again, the account works again.
    REQUIRE(o.store.record(ClerkAdded{"zhang", kOffice, "张明", Role::clerk, pin::hash("222222")}, "clerk:li"));
    CHECK(o.store.checkPin("zhang", "222222", 2).outcome == PinOutcome::ok);
}

TEST_CASE("roles: a clerk cannot revise, amend or manage clerks, and a supervisor can", "[clerk]") {
    Office o;
    const auto before = o.store.eventCount();
    const auto revise = o.store.record(o.revision(), "clerk:zhang");
    REQUIRE_FALSE(revise);
    CHECK(hasProblem(revise.problems(), "error.role.supervisor_only"));
    const auto amend = o.store.record(sampleReport(o.commitment.id, Status::amended, 0), "clerk:zhang");
    REQUIRE_FALSE(amend);
    CHECK(hasProblem(amend.problems(), "error.role.supervisor_only"));
    const auto disable = o.store.record(ClerkDisabled{"li", kOffice, ""}, "clerk:zhang");
    REQUIRE_FALSE(disable);
    CHECK(hasProblem(disable.problems(), "error.role.supervisor_only"));
    const auto stranger = o.store.record(sampleReport(o.commitment.id, Status::inProgress, 10), "clerk:wang");
    REQUIRE_FALSE(stranger);
    CHECK(hasProblem(stranger.problems(), "error.clerk.unknown"));
    CHECK(o.store.eventCount() == before);

    CHECK(o.store.record(sampleReport(o.commitment.id, Status::inProgress, 30), "clerk:zhang"));
    CHECK(o.store.record(o.revision(), "clerk:li"));
    CHECK(o.store.record(sampleReport(o.commitment.id, Status::amended, 30), "clerk:li"));
    CHECK(o.store.commitment(o.commitment.id)->status == Status::amended);
}

TEST_CASE("a revision changes the current text and keeps the old one in the public history", "[clerk]") {
    Office o;
    REQUIRE(o.store.record(o.revision(), "clerk:li"));
    const auto now = o.store.commitment(o.commitment.id);
    REQUIRE(now);
    CHECK(now->commitment.title == "高龄津贴七个工作日内发放");
    CHECK(now->commitment.deadline == Date::fromCivil(2026, 6, 15));
    CHECK(now->commitment.published == o.commitment.published);
    const auto revisions = o.store.revisions(o.commitment.id);
    REQUIRE(revisions.size() == 1);
    CHECK(revisions[0].actor == "clerk:li");
    CHECK(revisions[0].revision.reason == "县里简化审批流程，办理时限缩短");
    // The original text is still in the log, in its published event.
    bool original = false;
    for (const Event& e : o.store.events()) {
        original = original || (e.type == "commitment.published" && e.payload.find(o.commitment.title) != std::string::npos);
    }
    CHECK(original);
    CHECK(o.store.search("七个工作日").size() == 1);
    CHECK(o.store.search("十个工作日").empty());
    CHECK(o.store.verify().ok());
}

TEST_CASE("clerk accounts and revisions reach the office's other kiosks", "[clerk]") {
    Office o;
    REQUIRE(o.store.record(o.revision(), "clerk:li"));
    // The office's next kiosk is set up with its office key.
    Store other = Store::create(o.dir / "other.db", kOffice, kOfficeName, o.store.officeKey());
    exchange(o.store, other);
    CHECK(other.clerks().size() == 2);
    CHECK(other.checkPin("li", "654321", 1).outcome == PinOutcome::ok);
    CHECK(other.commitment(o.commitment.id)->commitment.title == "高龄津贴七个工作日内发放");
    CHECK(other.digest(kOffice) == o.store.digest(kOffice));
    other.rebuild();
    CHECK(other.digest(kOffice) == o.store.digest(kOffice));
}

TEST_CASE("a PIN verifier enters the log sealed with the office key and opens only with it", "[clerk]") {
    Office o;
    for (const Event& e : o.store.events()) {
        if (e.type != "clerk.added") continue;
        CHECK(e.payload.find("$argon2id$") == std::string::npos);
        CHECK(e.payload.find("sealed:") != std::string::npos);
    }
    CHECK(o.store.checkPin("zhang", "123456", 1).outcome == PinOutcome::ok);
    CHECK_FALSE(o.store.checkPin("zhang", "123456", 1).mustChangePin);
    CHECK(std::filesystem::exists(officeKeyFileFor(o.db)));

    // A kiosk of the same office without the key sees the accounts but
    // cannot check their PINs, and that is no failed try.
    Store stranger = Store::create(o.dir / "stranger.db", kOffice, kOfficeName);
    exchange(o.store, stranger);
    CHECK(stranger.clerks().size() == 2);
    const auto check = stranger.checkPin("zhang", "123456", 1);
    CHECK(check.outcome == PinOutcome::unavailable);
    CHECK(check.failures == 0);
    // Given the office's key, it can.
    REQUIRE(stranger.setOfficeKey(o.store.officeKey()));
    CHECK(stranger.checkPin("zhang", "123456", 2).outcome == PinOutcome::ok);
    CHECK_FALSE(stranger.setOfficeKey("not a key"));
}

// A clerk.added of the kind older versions wrote: the verifier readable.
Event legacyClerkAdded(const Store& store, std::string clerk, const std::string& pinText) {
    const std::string office = store.node().office;
    return nextOf(store, ClerkAdded{std::move(clerk), office, "王五", Role::clerk, pin::hash(pinText)}, "system");
}

TEST_CASE("a readable verifier from an older version works once and must be changed", "[clerk]") {
    Office o;
    // The same office's other (older) kiosk sent one.
    Store older = Store::create(o.dir / "older.db", kOffice, kOfficeName, o.store.officeKey());
    const Event legacy = legacyClerkAdded(older, "wang", "111111");
    exchange(older, o.store);
    REQUIRE(o.store.apply(legacy).outcome == ApplyResult::Outcome::accepted);
    const auto check = o.store.checkPin("wang", "111111", 1);
    CHECK(check.outcome == PinOutcome::ok);
    CHECK(check.mustChangePin);
    CHECK(o.store.clerk("wang")->pinExposed);
    // A new PIN: the account added again, sealed this time.
    REQUIRE(o.store.record(ClerkAdded{"wang", kOffice, "王五", Role::clerk, pin::hash("222333")}, "system"));
    CHECK_FALSE(o.store.clerk("wang")->pinExposed);
    CHECK(o.store.checkPin("wang", "222333", 2).outcome == PinOutcome::ok);
    CHECK(o.store.checkPin("wang", "111111", 3).outcome == PinOutcome::wrong);
}

TEST_CASE("the district refuses a readable PIN verifier pushed to it", "[clerk]") {
    TempDir dir;
    Store district = Store::createDistrict(dir / "district.db", "330110", "余杭区");
    Store kiosk = Store::create(dir / "kiosk.db", kOffice, kOfficeName);
    std::vector<Event> batch = kiosk.events();
    batch.push_back(legacyClerkAdded(kiosk, "wang", "111111"));
    const auto results = district.applyBatch(batch);
    REQUIRE(results.size() == 2);
    CHECK(results[0].outcome == ApplyResult::Outcome::accepted);
    CHECK(results[1].outcome == ApplyResult::Outcome::rejected);
    CHECK(results[1].setAside);
    CHECK(results[1].problems.front().message == "error.clerk.pin_unsealed");
    CHECK(district.clerks().empty());
    const auto aside = district.setAside();
    REQUIRE(aside.size() == 1);
}
