#include <catch2/catch.hpp>

#include "shared/crypto.hpp"
#include "shared/hlc.hpp"
#include "shared/wire.hpp"
#include "sync/client/retry.hpp"
#include "sync/client/sync_engine.hpp"
#include "tests/support/temp_dir.hpp"

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

TEST_CASE("an answer over the client's cap is reported for this round, not retried at once",
          "[sync][retry]") {
    HttpResponse huge;
    huge.transportError = 23;  // CURLE_WRITE_ERROR: the write callback refused more
    huge.transportMessage = "answer larger than 67108864 bytes";
    huge.tooLarge = true;
    const auto c = classify(huge, 200);
    CHECK(c.verdict == Verdict::refused);
    CHECK(c.reason == "answer_too_large");
    CHECK(c.detail == huge.transportMessage);
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

namespace {

// The one fake transport: answers every request with a canned response.
class CannedTransport final : public Transport {
public:
    explicit CannedTransport(HttpResponse r) : m_response(std::move(r)) {}
    HttpResponse send(const HttpRequest&) override { return m_response; }

private:
    HttpResponse m_response;
};

}  // namespace

TEST_CASE("a device clock far from the district's is reported and clamped", "[sync][retry]") {
    shouxin::test::TempDir dir;
    Store store = Store::create(dir / "node.db", "330110104", "青山镇人民政府");
    const std::int64_t day = 24LL * 3600 * 1000;
    HttpResponse answer;
    answer.status = 201;
    answer.body = wire::encode(
        wire::EnrollResponse{std::string(64, 'a'), store.node().device, "330110104", "330110", "余杭区", "", "", ""});
    answer.serverTime = hlc::nowMillis() + day;  // our clock is a day slow
    CannedTransport transport(answer);
    SyncEngine engine(store, transport, newKeyPair());
    REQUIRE(engine.enroll("ABCDE-FGHJK"));
    CHECK(std::llabs(std::stoll(store.setting(Setting::clockSkew)) - day) < 60'000);
    CHECK(std::stoll(store.setting(Setting::clockOffset)) == std::stoll(store.setting(Setting::clockSkew)));

    Commitment c;
    c.id = newUuidV7();
    c.office = "330110104";
    c.title = "路灯故障48小时内修复";
    c.detail = "居民报修后48小时内修复。";
    c.department = "城建办";
    c.published = Date::fromCivil(2026, 3, 1);
    const auto e = store.record(c, "clerk:li");
    REQUIRE(e);
    CHECK(std::llabs(hlc::millisOf(e->hlc) - (hlc::nowMillis() + day)) < 60'000);

    // Within two minutes nothing is corrected.
    answer.serverTime = hlc::nowMillis() + 30'000;
    CannedTransport near(answer);
    SyncEngine again(store, near, newKeyPair());
    REQUIRE(again.enroll("ABCDE-FGHJK"));
    CHECK(store.setting(Setting::clockOffset) == "0");
}
