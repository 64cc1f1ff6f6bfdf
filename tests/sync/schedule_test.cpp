// The sync schedule on a fake clock: interval after success, backoff after
// a retryable failure, Retry-After honoured, "now" and "soon" (a save).
#include <catch2/catch.hpp>

#include "sync/client/schedule.hpp"

using namespace shouxin::client;

namespace {

constexpr std::int64_t kMinute = 60 * 1000;

Schedule::Options every(std::int64_t intervalMillis, std::int64_t maxRetryMillis = 0) {
    Schedule::Options o;
    o.intervalMillis = intervalMillis;
    o.maxRetryMillis = maxRetryMillis;
    return o;
}

Classified retry(std::int64_t retryAfterMillis = 0) {
    Classified c;
    c.verdict = Verdict::retry;
    c.retryAfterMillis = retryAfterMillis;
    c.reason = "network";
    return c;
}

Classified refused() {
    Classified c;
    c.verdict = Verdict::refused;
    c.reason = "scope";
    return c;
}

}  // namespace

TEST_CASE("the first round is due at once, then one interval after each success", "[sync][schedule]") {
    std::int64_t clock = 1'000'000;
    Schedule s(every(5 * kMinute), clock, Backoff(1));
    CHECK(s.isDue(clock));
    CHECK(s.waitMillis(clock) == 0);
    clock += 2000;  // the round took two seconds
    s.succeeded(clock);
    CHECK_FALSE(s.isDue(clock));
    CHECK(s.dueAt() == clock + 5 * kMinute);
    CHECK(s.waitMillis(clock + kMinute) == 4 * kMinute);
    CHECK(s.isDue(clock + 5 * kMinute));
}

TEST_CASE("a retryable failure waits the doubling backoff, a refusal waits the interval",
          "[sync][schedule]") {
    std::int64_t clock = 0;
    Schedule s(every(30 * kMinute), clock, Backoff(7));
    Backoff same(7);  // the same seed gives the same jittered delays
    s.failed(clock, retry());
    CHECK(s.dueAt() == clock + same.next());
    CHECK(s.failures() == 1);
    clock = s.dueAt();
    s.failed(clock, retry());
    CHECK(s.dueAt() == clock + same.next());
    CHECK(s.failures() == 2);
    clock = s.dueAt();
    s.failed(clock, refused());
    CHECK(s.dueAt() == clock + 30 * kMinute);
    s.succeeded(clock);
    CHECK(s.failures() == 0);
}

TEST_CASE("a retry never comes before Retry-After, unless capped", "[sync][schedule]") {
    Schedule s(every(kMinute), 0, Backoff(3));
    s.failed(0, retry(5 * kMinute));
    CHECK(s.dueAt() >= 5 * kMinute);
    // A save does not hurry it past what the server asked for.
    s.soon(1000);
    CHECK(s.dueAt() >= 5 * kMinute);
    s.now(1000);
    CHECK(s.dueAt() >= 5 * kMinute);

    // The kiosk caps its wait, so a long-offline kiosk still tries often.
    Schedule capped(every(kMinute, kMinute), 0, Backoff(3));
    for (int i = 0; i < 12; ++i)
        capped.failed(0, retry());
    CHECK(capped.dueAt() == kMinute);
}

TEST_CASE("a save brings the next round to a few seconds later, and saves in a row share it",
          "[sync][schedule]") {
    std::int64_t clock = 0;
    Schedule s(every(60 * kMinute), clock, Backoff(5));
    s.succeeded(clock);
    clock += 10'000;
    s.soon(clock);
    CHECK(s.dueAt() == clock + Schedule::kSoonMillis);
    CHECK_FALSE(s.isDue(clock + 1000));
    // Another save a second later does not push the round back.
    s.soon(clock + 1000);
    CHECK(s.dueAt() == clock + Schedule::kSoonMillis);
    CHECK(s.isDue(clock + Schedule::kSoonMillis));
    // "Sync now" is at once; a save after it does not postpone it.
    s.now(clock + 1500);
    CHECK(s.dueAt() == clock + 1500);
    s.soon(clock + 1600);
    CHECK(s.dueAt() == clock + 1500);
    // Not enrolled: nothing ran; the next try one interval on.
    s.skipped(clock + 2000);
    CHECK(s.dueAt() == clock + 2000 + 60 * kMinute);
}

TEST_CASE("after a failure a save tries again soon when no Retry-After forbids it", "[sync][schedule]") {
    Schedule s(every(kMinute), 0, Backoff(9));
    for (int i = 0; i < 8; ++i)
        s.failed(0, retry());  // backing off for minutes
    REQUIRE(s.dueAt() > Schedule::kSoonMillis + 1000);
    s.soon(1000);
    CHECK(s.dueAt() == 1000 + Schedule::kSoonMillis);
}
