#include <catch2/catch.hpp>

#include "shared/crypto.hpp"
#include "shared/wire.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/forge.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;
using client::HttpRequest;
using client::HttpResponse;

namespace {

client::CurlOptions optionsFor(const std::string& url) {
    client::CurlOptions options;
    options.baseUrl = url;
    return options;
}

// A kiosk with its events, its token and its key, and a raw line to the
// district, to send requests the real client never would.
struct Refusals {
    SyncWorld world;
    Kiosk kiosk = world.addKiosk(kOfficeA, "青山镇人民政府");
    std::unique_ptr<client::Transport> http = client::makeCurlTransport(optionsFor(world.server().url()));
    std::string token = kiosk.open().setting(Setting::token);
    KeyPair keys = *readKeyFile(keyFileFor(kiosk.db));

    Refusals() { REQUIRE(kiosk.cli({"demo"}).exitCode == 0); }

    wire::PushRequest signedPush(std::vector<Event> events) const {
        wire::PushRequest p;
        p.head = {
            events.back().seq, events.back().hash,
            signHex(keys, chainHeadMessage(events.back().device, events.back().seq, events.back().hash))};
        p.events = std::move(events);
        return p;
    }
    std::vector<Event> pending(std::size_t n = 20) const { return kiosk.open().pendingEvents(n); }

    HttpResponse push(const std::string& body, const std::string& bearer,
                      int protocol = wire::kProtocol) const {
        return http->send(HttpRequest{"POST", "/v1/push", body, true, bearer, protocol});
    }
    std::int64_t stored() const { return world.districtCount("event"); }
};

std::string reasonOf(const HttpResponse& r) {
    const auto body = wire::decodeErrorBody(r.body);
    return body ? body->reason : "(unreadable: " + r.body + ")";
}

}  // namespace

TEST_CASE("every refusal has its own status and reason and stores nothing", "[sync][refusal]") {
    Refusals f;
    const std::int64_t before = f.stored();
    const std::string good = wire::encode(f.signedPush(f.pending()));

    SECTION("no token") {
        const auto r = f.push(good, "");
        CHECK(r.status == 401);
        CHECK(reasonOf(r) == "token");
    }
    SECTION("a bad token") {
        const auto r = f.push(good, std::string(64, 'a'));
        CHECK(r.status == 401);
        CHECK(reasonOf(r) == "token");
    }
    SECTION("an unsupported protocol version") {
        const auto r = f.push(good, f.token, 99);
        CHECK(r.status == 426);
        CHECK(reasonOf(r) == "protocol");
        const auto none = f.push(good, f.token, 0);
        CHECK(none.status == 426);
    }
    SECTION("a malformed body") {
        const auto r = f.push("{\"protocol\": 1, \"events\": [", f.token);
        CHECK(r.status == 400);
        CHECK(reasonOf(r) == "malformed");
        const auto wrongShape = f.push("{\"protocol\": 1, \"head\": 7, \"events\": {}}", f.token);
        CHECK(wrongShape.status == 400);
    }
    SECTION("too many events in one batch") {
        auto events = f.pending(2000);
        REQUIRE(events.size() > 150);
        while (events.size() <= wire::kMaxBatchEvents)
            events.push_back(events.back());
        const auto r = f.push(wire::encode(f.signedPush(events)), f.token);
        CHECK(r.status == 413);
        CHECK(reasonOf(r) == "too_large");
    }
    SECTION("an oversize body") {
        const std::string huge =
            "{\"protocol\":1,\"pad\":\"" + std::string(wire::kMaxBodyBytes + 1024, 'x') + "\"}";
        const auto r = f.http->send(HttpRequest{"POST", "/v1/push", huge, false, f.token, wire::kProtocol});
        CHECK(r.status == 413);
    }
    SECTION("a chain head signature that does not verify") {
        auto push = f.signedPush(f.pending());
        push.head.signature =
            signHex(newKeyPair(), chainHeadMessage(push.events.back().device, push.head.seq, push.head.hash));
        const auto r = f.push(wire::encode(push), f.token);
        CHECK(r.status == 422);
        CHECK(reasonOf(r) == "signature");
    }
    SECTION("events that skip ahead of the district's chain") {
        auto events = f.pending();
        events.erase(events.begin(), events.begin() + 5);
        const auto r = f.push(wire::encode(f.signedPush(events)), f.token);
        CHECK(r.status == 409);
        CHECK(reasonOf(r) == "chain_gap");
        const auto body = wire::decodeErrorBody(r.body);
        REQUIRE(body);
        CHECK(body->headSeq == 0);
    }
    SECTION("another office's events") {
        const Kiosk other = f.world.addKiosk(kOfficeB, "溪口镇人民政府");
        const auto events = other.open().pendingEvents(5);
        wire::PushRequest push;
        push.events = events;
        push.head = {events.back().seq, events.back().hash,
                     signHex(*readKeyFile(keyFileFor(other.db)),
                             chainHeadMessage(events.back().device, events.back().seq, events.back().hash))};
        const auto r = f.push(wire::encode(push), f.token);
        CHECK(r.status == 403);
        CHECK(reasonOf(r) == "scope");
    }
    SECTION("a revoked device") {
        const std::string device = f.kiosk.open().node().device;
        districtCli(f.world.districtDb(), {"revoke", "--device", device});
        const auto r = f.push(good, f.token);
        CHECK(r.status == 403);
        CHECK(reasonOf(r) == "device_revoked");
        const auto sync = f.kiosk.cli({"sync", "--once", "--retries", "0"});
        CHECK(sync.exitCode == 1);
        CHECK(sync.err.find("revoked") != std::string::npos);
        CHECK(f.kiosk.cli({"status"}).out.find("已被区县停用") != std::string::npos);
    }
    SECTION("an enrolment code used twice, or made up") {
        const Kiosk other = f.world.addKiosk(kOfficeA, "青山镇人民政府");
        const auto again = f.http->send(HttpRequest{
            "POST", "/v1/enroll",
            wire::encode(wire::EnrollRequest{1, "ABCDE-FGHJK", newUuidV7(), kOfficeA, std::string(64, 'a')}),
            false, "", wire::kProtocol});
        CHECK(again.status == 403);
        CHECK(reasonOf(again) == "enrolment_code");
        CHECK(other.cli({"status"}).exitCode == 0);
    }
    CHECK(f.stored() == before);
}

TEST_CASE("the same id with different bytes is a conflict, never accepted", "[sync][refusal][postgresql]") {
    Refusals f;
    f.world.sync(f.kiosk);
    const std::int64_t before = f.stored();
    auto events = f.kiosk.open().events();
    Event forged = events.back();
    forged.actor = "clerk:forger";
    forged.hash = computeHash(forged);
    const auto r = f.push(wire::encode(f.signedPush({forged})), f.token);
    CHECK(r.status == 409);
    CHECK(reasonOf(r) == "id_conflict");
    CHECK(f.stored() == before);
}

TEST_CASE("a sync pointed at a server that is not there fails cleanly and keeps every record",
          "[sync][refusal]") {
    Refusals f;
    const auto pending = f.kiosk.open().pendingCount();
    f.world.server().kill();
    const auto r = f.kiosk.cli({"sync", "--once", "--retries", "0"});
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("Cannot reach the district server") != std::string::npos);
    CHECK(f.kiosk.open().pendingCount() == pending);
    CHECK(f.kiosk.cli({"status"}).out.find("无法连接区县服务器") != std::string::npos);
}

TEST_CASE("an event refused for its content is set aside and never blocks the ones behind it",
          "[sync][refusal][postgresql]") {
    Refusals f;
    f.world.sync(f.kiosk);
    const Store store = f.kiosk.open();
    const NodeInfo node = store.node();
    // A newer client's event type this district does not know, then an
    // ordinary event chained after it.
    const Event unknown = chainAfter(headOf(store), "commitment.split", "{\"commitment\":\"x\"}", "clerk:li");
    const Event named = chainAfter(unknown, "office.named",
                                   encodePayload(OfficeNamed{node.office, "青山镇人民政府（新址）"}), "system");

    const auto r = f.push(wire::encode(f.signedPush({unknown, named})), f.token);
    REQUIRE(r.status == 201);
    const auto answer = wire::decodePushResponse(r.body);
    REQUIRE(answer);
    REQUIRE(answer->results.size() == 2);
    CHECK(answer->results[0].outcome == wire::EventOutcome::rejected);
    CHECK(answer->results[0].reason == "error.event_type");
    CHECK(answer->results[1].outcome == wire::EventOutcome::accepted);
    CHECK(answer->headSeq == named.seq);
    CHECK(f.world.districtCount("set_aside") == 1);
    // The district's chain still verifies through the set-aside event.
    const Store district = Store::open(f.world.districtDb());
    CHECK(district.verify().ok());
    CHECK(district.setAside().size() == 1);
    CHECK(district.node().office == kDistrict);
}

TEST_CASE("a node sets aside its own event the district refused and refolds without it", "[sync][refusal][postgresql]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOfficeA, "青山镇人民政府");
    Commitment c;
    c.id = newUuidV7();
    c.office = kOfficeA;
    c.category = Category::housing;
    c.kind = Kind::timeLimit;
    c.title = "危房改造补助申请30日内审核";
    c.detail = "对符合条件的农村危房户，在申请后30日内完成审核。";
    c.department = "城建办";
    c.published = Date::fromCivil(2026, 3, 1);
    REQUIRE(store.record(c, "clerk:li"));
    FulfilmentReport r;
    r.commitment = c.id;
    r.status = Status::inProgress;
    r.progress = 40;
    r.note = "已入户核查5户。";
    r.date = Date::fromCivil(2026, 3, 5);
    const auto report = store.record(r, "clerk:li");
    REQUIRE(report);
    REQUIRE(store.commitment(c.id)->progress == 40);

    store.acknowledge({{report->id, 0, true, "error.json.unknown_field", "based_on: newer schema"}});
    CHECK(store.commitment(c.id)->progress == 0);
    CHECK(store.commitment(c.id)->reportCount == 0);
    CHECK(store.pendingCount() == 2);  // office.named and the commitment: not yet acknowledged
    REQUIRE(store.setAside().size() == 1);
    CHECK(store.setAside().front().event.id == report->id);
    CHECK(store.verify().ok());
}

TEST_CASE("the district keeps the signature of each device's chain head with its events", "[sync][refusal][postgresql]") {
    Refusals f;
    f.world.sync(f.kiosk);
    const Store store = f.kiosk.open();
    const NodeInfo node = store.node();
    const std::string signature =
        f.world.districtQuery("SELECT head_signature FROM device WHERE id = '" + node.device + "'");
    const std::string head =
        f.world.districtQuery(
                 "SELECT head_hash || ' ' || head_seq FROM device WHERE id = '" + node.device + "'");
    const auto space = head.find(' ');
    REQUIRE(space != std::string::npos);
    CHECK(verifySignature(
        node.publicKeyHex,
        chainHeadMessage(node.device, std::stoll(head.substr(space + 1)), head.substr(0, space)), signature));
}

TEST_CASE("a push the district cannot store is answered 503 and goes up once the disk is back",
          "[sync][refusal]") {
    Refusals f;
    const auto before = f.stored();
    // Every write of an event fails, as on a full or failing disk; the
    // writer's transaction is rolled back, whatever shared its commit.
    f.world.districtExec(
            "CREATE TRIGGER disk_full BEFORE INSERT ON event BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    const HttpResponse r = f.push(wire::encode(f.signedPush(f.pending())), f.token);
    CHECK(r.status == 503);
    CHECK(reasonOf(r) == "unavailable");
    CHECK(r.retryAfterSeconds == std::optional<std::int64_t>(5));
    CHECK(f.stored() == before);
    const auto failed = f.kiosk.cli({"sync", "--once", "--retries", "0"});
    CHECK(failed.exitCode == 1);
    const auto pending = f.kiosk.open().pendingCount();
    CHECK(pending > 0);
    CHECK(f.stored() == before);

    // The disk is back: everything goes up once, numbered without a hole.
    f.world.districtExec("DROP TRIGGER disk_full");
    f.world.sync(f.kiosk);
    CHECK(f.kiosk.open().pendingCount() == 0);
    CHECK(f.stored() == before + pending);
    CHECK(f.stored() == Store::open(f.world.districtDb()).lastDistrictSeq());
    CHECK(f.kiosk.digest() == f.world.districtDigest(kOfficeA));
    CHECK(Store::open(f.world.districtDb()).verify().ok());
}
