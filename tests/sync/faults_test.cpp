// Defects found by syncing through a fault-injecting proxy (the soak
// test), each pinned down by one exchange with the real district server
// whose answer a tampering transport alters as the proxy did at random.
#include <catch2/catch.hpp>

#include <functional>

#include "shared/crypto.hpp"
#include "shared/wire.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;
using client::HttpRequest;
using client::HttpResponse;

namespace {

// The real transport, with each answer passed through `tamper` on its way.
class Tampering final : public client::Transport {
public:
    using Tamper = std::function<void(const HttpRequest&, HttpResponse&)>;
    Tampering(const std::string& url, Tamper tamper)
        : m_inner(client::makeCurlTransport(client::curlOptionsFor(url))), m_tamper(std::move(tamper)) {}
    HttpResponse send(const HttpRequest& request) override {
        HttpResponse response = m_inner->send(request);
        m_tamper(request, response);
        return response;
    }

private:
    std::unique_ptr<client::Transport> m_inner;
    Tamper m_tamper;
};

void publish(Store& store, const std::string& title) {
    Commitment c = sampleCommitment(title);
    c.office = store.node().office;
    REQUIRE(store.record(c, "clerk:li"));
}

// One character of `text` changed: the last of the first `needle`.
bool flipIn(std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    if (at == std::string::npos) return false;
    char& c = text[at + needle.size() - 1];
    c = c == '0' ? '1' : '0';
    return true;
}

std::int64_t ownEvents(const Store& store) {
    std::int64_t own = 0;
    for (const Event& e : store.events()) own += e.device == store.node().device;
    return own;
}

}  // namespace

TEST_CASE("a push answer whose results name other events marks nothing sent", "[sync][faults]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    Store store = k.open();
    for (int i = 0; i < 3; ++i) publish(store, "承诺事项" + std::to_string(i));
    const auto pending = store.pendingEvents(100);
    REQUIRE(pending.size() >= 3);
    const std::string first = pending.front().id;

    // One byte of the first result's id flipped on the way back; then the
    // network goes (before a resend or a pull could bring that event's
    // acknowledgement).
    bool flipped = false;
    Tampering line(store.setting(Setting::serverUrl), [&](const HttpRequest& request, HttpResponse& response) {
        if (flipped) {
            response = HttpResponse{};
            return;
        }
        if (request.path == "/v1/push") flipped = flipIn(response.body, first);
    });
    client::SyncEngine engine(store, line, *readKeyFile(keyFileFor(k.db)));
    const auto round = engine.syncOnce();
    REQUIRE(flipped);
    CHECK_FALSE(round.ok);
    CHECK(round.failure.verdict == client::Verdict::retry);
    CHECK(round.failure.reason == "unexpected_answer");
    // Nothing marked: not the events the answer named, nor those around them.
    CHECK(store.pendingCount() == static_cast<std::int64_t>(pending.size()));

    // The next record and round go through: the district holds each once.
    publish(store, "承诺事项3");
    world.sync(k);
    CHECK(store.pendingCount() == 0);
    CHECK(world.districtCount("event WHERE device = '" + store.node().device + "'") == ownEvents(store));
    CHECK(k.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("a push answer whose district numbers are out of order marks nothing sent", "[sync][faults]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    Store store = k.open();
    for (int i = 0; i < 3; ++i) publish(store, "承诺事项" + std::to_string(i));
    const auto pending = store.pendingCount();
    // The first result given the second one's number: stored as it came,
    // two events would hold one number (a UNIQUE index refuses it).
    bool changed = false;
    Tampering line(store.setting(Setting::serverUrl), [&](const HttpRequest& request, HttpResponse& response) {
        if (request.path != "/v1/push" || changed) return;
        const auto decoded = wire::decodePushResponse(response.body);
        REQUIRE(decoded);
        wire::PushResponse answer = *decoded;
        REQUIRE(answer.results.size() >= 2);
        answer.results[0].dseq = answer.results[1].dseq;
        response.body = wire::encode(answer);
        changed = true;
    });
    client::SyncEngine engine(store, line, *readKeyFile(keyFileFor(k.db)));
    client::SyncResult round;
    REQUIRE_NOTHROW(round = engine.syncOnce());
    CHECK_FALSE(round.ok);
    CHECK(round.failure.reason == "unexpected_answer");
    CHECK(store.pendingCount() == pending);
    world.sync(k);
    CHECK(store.pendingCount() == 0);
    CHECK(k.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("a district number misreported in a push answer does not block the pull that brings its owner",
          "[sync][faults]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b = world.addKiosk(kOfficeA, "青山镇人民政府");
    Store store = a.open();
    publish(store, "承诺事项");
    // The last result's number raised by one: still in order, so nothing
    // in the answer gives it away, but the district gives that number to
    // the next event it takes (b's).
    std::int64_t claimed = 0;
    Tampering line(store.setting(Setting::serverUrl), [&](const HttpRequest& request, HttpResponse& response) {
        if (request.path != "/v1/push" || claimed) return;
        const auto decoded = wire::decodePushResponse(response.body);
        REQUIRE(decoded);
        wire::PushResponse answer = *decoded;
        claimed = ++answer.results.back().dseq;
        response.body = wire::encode(answer);
    });
    client::SyncEngine engine(store, line, *readKeyFile(keyFileFor(a.db)));
    REQUIRE(engine.syncOnce().ok);
    REQUIRE(claimed > 0);
    world.sync(b);
    REQUIRE(world.districtCount("event WHERE dseq = " + std::to_string(claimed)) == 1);
    // a's pull brings b's event under the number a holds for its own.
    world.sync(a);
    CHECK(store.pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    CHECK(b.digest() == world.districtDigest(kOfficeA));
    CHECK(store.verify().ok());
}

TEST_CASE("a pull page with a changed byte in an event is not stored, and nothing is skipped", "[sync][faults]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b = world.addKiosk(kOfficeA, "青山镇人民政府");
    world.sync(a);
    {
        Store other = b.open();
        publish(other, "Pledge-0");
    }
    world.sync(b);
    // One character of b's commitment changed on its way down to a.
    Store store = a.open();
    bool flipped = false;
    Tampering line(store.setting(Setting::serverUrl), [&](const HttpRequest& request, HttpResponse& response) {
        if (request.path.rfind("/v1/events", 0) == 0 && !flipped) flipped = flipIn(response.body, "Pledge-0");
    });
    client::SyncEngine engine(store, line, *readKeyFile(keyFileFor(a.db)));
    const auto round = engine.syncOnce();
    REQUIRE(flipped);
    CHECK_FALSE(round.ok);
    CHECK(round.failure.reason == "unexpected_answer");
    CHECK(store.setAside().empty());
    world.sync(a);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("a pull page whose next cursor passes its last event is not stored", "[sync][faults]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b = world.addKiosk(kOfficeA, "青山镇人民政府");
    world.sync(a);
    world.sync(b);
    // The cursor a would keep raised by one: the number the district gives
    // b's next event, which a would then never ask for.
    Store store = a.open();
    bool changed = false;
    Tampering line(store.setting(Setting::serverUrl), [&](const HttpRequest& request, HttpResponse& response) {
        if (request.path.rfind("/v1/events", 0) != 0 || changed) return;
        const auto decoded = wire::decodePullResponse(response.body);
        REQUIRE(decoded);
        wire::PullResponse page = *decoded;
        ++page.next;
        response.body = wire::encode(page);
        changed = true;
    });
    client::SyncEngine engine(store, line, *readKeyFile(keyFileFor(a.db)));
    const auto round = engine.syncOnce();
    REQUIRE(changed);
    CHECK_FALSE(round.ok);
    {
        Store other = b.open();
        publish(other, "承诺事项");
    }
    world.sync(b);
    world.sync(a);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
}

// A 409 chain_gap answer is not signed: its head may make a node send
// again, never mark sent what the district does not hold.
TEST_CASE("a chain_gap answer claiming more than the district holds marks nothing sent", "[sync][faults]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    Store store = k.open();
    for (int i = 0; i < 3; ++i) publish(store, "承诺事项" + std::to_string(i));
    const auto pending = store.pendingCount();
    bool forged = false;
    Tampering line(store.setting(Setting::serverUrl), [&](const HttpRequest& request, HttpResponse& response) {
        if (forged) {
            response = HttpResponse{};  // then the network goes
            return;
        }
        if (request.path != "/v1/push") return;
        response.status = 409;
        response.body = wire::encode(wire::ErrorBody{"chain_gap", "next expected seq 1001", 1000});
        forged = true;
    });
    client::SyncEngine engine(store, line, *readKeyFile(keyFileFor(k.db)));
    const auto round = engine.syncOnce();
    REQUIRE(forged);
    CHECK_FALSE(round.ok);
    CHECK(round.failure.verdict == client::Verdict::retry);
    CHECK(round.failure.reason == "unexpected_answer");
    CHECK(store.pendingCount() == pending);

    world.sync(k);
    CHECK(store.pendingCount() == 0);
    CHECK(world.districtCount("event WHERE device = '" + store.node().device + "'") == ownEvents(store));
    CHECK(k.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("a chain_gap answer claiming less than the district holds only sends again, each event once",
          "[sync][faults]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    Store store = k.open();
    for (int i = 0; i < 2; ++i) publish(store, "承诺事项" + std::to_string(i));
    world.sync(k);
    REQUIRE(store.pendingCount() == 0);
    for (int i = 2; i < 4; ++i) publish(store, "承诺事项" + std::to_string(i));
    bool forged = false;
    Tampering line(store.setting(Setting::serverUrl), [&](const HttpRequest& request, HttpResponse& response) {
        if (request.path != "/v1/push" || forged) return;
        response.status = 409;
        response.body = wire::encode(wire::ErrorBody{"chain_gap", "next expected seq 1", 0});
        forged = true;
    });
    client::SyncEngine engine(store, line, *readKeyFile(keyFileFor(k.db)));
    const auto round = engine.syncOnce();
    REQUIRE(forged);
    CHECK(round.ok);
    // Everything went again; the district kept what it had by id.
    CHECK(round.stats.duplicates > 0);
    CHECK(store.pendingCount() == 0);
    CHECK(world.districtCount("event WHERE device = '" + store.node().device + "'") == ownEvents(store));
    CHECK(k.digest() == world.districtDigest(kOfficeA));
    CHECK(store.verify().ok());
}
