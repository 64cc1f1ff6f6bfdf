#include <catch2/catch.hpp>

#include "shared/wire.hpp"
#include "sync/client/retry.hpp"
#include "sync/client/sync_engine.hpp"

using namespace shouxin;
using namespace shouxin::client;

namespace {

HttpResponse answer(long status, std::string body = "", std::optional<std::int64_t> retryAfter = {}) {
    HttpResponse r;
    r.status = status;
    r.body = std::move(body);
    r.retryAfterSeconds = retryAfter;
    return r;
}

}  // namespace

TEST_CASE("timeouts, connection failures, 408, 429 and gateway errors are retried", "[sync][retry]") {
    HttpResponse down;
    down.transportError = 7;
    down.transportMessage = "Couldn't connect to server";
    CHECK(classify(down, 201).verdict == Verdict::retry);
    CHECK(classify(down, 201).reason == "network");
    HttpResponse slow = down;
    slow.timedOut = true;
    CHECK(classify(slow, 201).reason == "timeout");
    for (const long s : {408L, 429L, 500L, 502L, 503L, 504L}) {
        INFO(s);
        CHECK(classify(answer(s), 201).verdict == Verdict::retry);
    }
}

TEST_CASE("other refusals are reported with the district's reason, not retried", "[sync][retry]") {
    const auto c = classify(answer(403, wire::encode(wire::ErrorBody{"device_revoked", "x", -1})), 201);
    CHECK(c.verdict == Verdict::refused);
    CHECK(c.reason == "device_revoked");
    for (const long s : {400L, 401L, 404L, 409L, 413L, 422L, 426L}) {
        INFO(s);
        CHECK(classify(answer(s), 201).verdict == Verdict::refused);
    }
}

TEST_CASE("a captive portal's 200 is not success", "[sync][retry]") {
    const auto c = classify(answer(200, "<html>请先登录</html>"), 201);
    CHECK(c.verdict == Verdict::retry);
    CHECK(c.reason == "unexpected_answer");
    CHECK(classify(answer(201), 201).verdict == Verdict::success);
}

TEST_CASE("backoff doubles with jitter up to 10 minutes and honours Retry-After", "[sync][retry]") {
    Backoff b(42);
    std::int64_t ceiling = Backoff::kBaseMillis;
    for (int i = 0; i < 15; ++i) {
        const std::int64_t d = b.next();
        INFO("try " << i << " delay " << d);
        CHECK(d >= ceiling / 2);
        CHECK(d <= ceiling);
        ceiling = std::min(ceiling * 2, Backoff::kCapMillis);
    }
    CHECK(b.next() <= Backoff::kCapMillis);
    Backoff fresh(1);
    CHECK(fresh.next(30'000) >= 30'000);
    CHECK(classify(answer(503, "", 120), 201).retryAfterMillis == 120'000);
    fresh.reset();
    CHECK(fresh.failures() == 0);
}

TEST_CASE("plain http is allowed only to this machine", "[sync][retry]") {
    CHECK(isAllowedServerUrl("http://127.0.0.1:8080", false));
    CHECK(isAllowedServerUrl("http://localhost/", false));
    CHECK(isAllowedServerUrl("https://district.example", false));
    CHECK_FALSE(isAllowedServerUrl("http://10.0.0.5:8080", false));
    CHECK_FALSE(isAllowedServerUrl("http://127.0.0.1.evil.example", false));
    CHECK(isAllowedServerUrl("http://10.0.0.5:8080", true));
    CHECK_FALSE(isAllowedServerUrl("ftp://127.0.0.1", true));
}
