// Level by level (逐级归集): townships sync with their districts, the
// districts relay to their city, and the city's own records come down to
// every township. Real servers at every level, real kiosks' nodes.
#include <catch2/catch.hpp>

#include "shared/crypto.hpp"
#include "shared/wire.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/forge.hpp"
#include "tests/support/levels_world.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_sql.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

bool holdsTitle(const Kiosk& k, const std::string& title) {
    for (const auto& c : k.open().commitments())
        if (c.commitment.title == title) return true;
    return false;
}

}  // namespace

TEST_CASE("three townships of two districts converge at their city and the city's records reach every one",
          "[sync][levels]") {
    Province p;
    p.demoAndSync({&p.a1, &p.a2, &p.b1});
    REQUIRE(p.a.cli({"publish", "--category", "elderly_care", "--kind", "guarantee", "--title", "区级高龄津贴按月发放",
                     "--detail", "80周岁以上老人每月发放。", "--department", "区民政局", "--operator", "ops-a"})
                .exitCode == 0);
    p.publishCityWide();
    p.a.relay();
    p.b.relay();
    for (const Kiosk* k : {&p.a1, &p.a2, &p.b1})
        Province::sync(*k);

    // The city's own commitment reached every township through its district,
    // accepted from the city's device alone; nothing was set aside anywhere.
    for (const Kiosk* k : {&p.a1, &p.a2, &p.b1}) {
        INFO(k->office);
        CHECK(holdsTitle(*k, kCityWideTitle));
        CHECK(k->open().setAside().empty());
    }
    CHECK(holdsTitle(p.a1, "区级高龄津贴按月发放"));
    CHECK_FALSE(holdsTitle(p.b1, "区级高龄津贴按月发放"));
    CHECK(Store::open(p.city.db).setAside().empty());
    p.convergedEverywhere();

    // Every chain at the city is the devices' own: each device's head there
    // is the one its kiosk signed.
    const Store city = Store::open(p.city.db);
    for (const Kiosk* k : {&p.a1, &p.a2, &p.b1}) {
        const Store node = k->open();
        bool found = false;
        for (const auto& h : city.deviceHeads()) {
            if (h.device != node.node().device) continue;
            found = true;
            CHECK(h.office == k->office);
            CHECK(h.publicKeyHex == node.node().publicKeyHex);
            CHECK(verifySignature(h.publicKeyHex, chainHeadMessage(h.device, h.headSeq, h.headHash), h.headSignature));
        }
        CHECK(found);
    }
    // The city's published log audits with nothing but the city's key: every
    // township's chain, every district's, the city's own.
    const auto log = p.dir.path() / "city-log.jsonl";
    REQUIRE(p.city.cli({"export-log", "--out", log.string()}).exitCode == 0);
    const RunResult audited = runProgram({SHOUXIN_CLI, "--db", p.a1.db, "audit", log.string(), "--district-key",
                                          city.node().publicKeyHex});
    INFO(audited.out << audited.err);
    CHECK(audited.exitCode == 0);

    // Relayed once: a second round sends nothing and doubles nothing.
    const std::int64_t events = city.eventCount();
    const RunResult again = p.a.cli({"relay"});
    CHECK(again.out.find(" 0 ↑") != std::string::npos);
    CHECK(Store::open(p.city.db).eventCount() == events);
    // Answers lost (the district marks nothing): everything goes again, and
    // the city keeps each event once.
    rawQuery(p.a.db, "UPDATE device SET up_seq = 0");
    p.a.relay();
    CHECK(Store::open(p.city.db).eventCount() == events);
    p.convergedEverywhere();
}

TEST_CASE("a district cut off from its city keeps its townships syncing and catches up after", "[sync][levels]") {
    Province p;
    REQUIRE(p.a1.cli({"demo"}).exitCode == 0);
    Province::sync(p.a1);
    p.a.relay();
    const int cityPort = p.city.server->port();
    p.city.stop();

    // Days without the city: townships record and sync with the district.
    REQUIRE(p.a2.cli({"demo"}).exitCode == 0);
    Province::sync(p.a2);
    Province::sync(p.a1);
    const RunResult cut = p.a.cli({"relay"});
    CHECK(cut.exitCode != 0);
    const RunResult waiting = p.a.cli({"status"});
    INFO(waiting.out);
    const std::int64_t pending = Store::open(p.a.db).relayPending();
    CHECK(pending > 0);
    CHECK(waiting.out.find(std::to_string(pending)) != std::string::npos);

    p.city.start(cityPort);
    Province::sync(p.b1);
    p.a.relay();
    p.b.relay();
    CHECK(Store::open(p.a.db).relayPending() == 0);
    for (const Kiosk* k : {&p.a1, &p.a2, &p.b1})
        Province::sync(*k);  // the city's own records come down
    p.convergedEverywhere();
}

TEST_CASE("a district cannot speak for another district or for offices outside its prefix at the city",
          "[sync][levels][trust]") {
    Province p;
    REQUIRE(p.a1.cli({"demo"}).exitCode == 0);
    Province::sync(p.a1);
    const std::string before = p.city.digest(kCity);
    const std::int64_t cityEvents = Store::open(p.city.db).eventCount();

    // District B's token carries district A's runs, as they are.
    client::CurlOptions line;
    line.baseUrl = p.city.server->url();
    auto http = client::makeCurlTransport(line);
    const Store storeB = Store::open(p.b.db);
    const KeyPair keysB = *readKeyFile(keyFileFor(p.b.db));
    const std::string tokenB = storeB.setting(Setting::token);
    const auto runsOfA = Store::open(p.a.db).relayBatch(wire::kMaxRelayEvents);
    REQUIRE_FALSE(runsOfA.empty());
    const auto relayAs = [&](const KeyPair& keys, const std::string& token, const Store::RelayRun& run,
                             const std::string& office) {
        const Event& head = run.events.back();
        wire::RelayRequest request;
        wire::RelayRun up{run.device, office, run.publicKeyHex, {head.seq, head.hash, run.headSignature},
                          {run.device, head.seq, head.hash, run.headDseq, ""}, run.events};
        if (up.head.signature.empty()) up.head.signature = signHex(keys, chainHeadMessage(run.device, head.seq, head.hash));
        up.receipt.signature = signHex(keys, receiptMessage(run.device, head.seq, head.hash, run.headDseq));
        request.runs.push_back(up);
        const auto r = http->send({"POST", "/v1/relay", wire::encode(request), true, token, wire::kProtocol});
        REQUIRE(r.status == 201);
        const auto answer = wire::decodeRelayResponse(r.body);
        REQUIRE(answer);
        REQUIRE(answer->results.size() == 1);
        return answer->results.front();
    };
    for (const auto& run : runsOfA) {
        INFO(run.device << " " << run.office);
        // As they are: offices outside B's prefix.
        const auto asIs = relayAs(keysB, tokenB, run, run.office);
        CHECK_FALSE(asIs.accepted);
        CHECK(asIs.reason == "scope");
        // Re-labelled as one of B's offices: the events still name A's.
        const auto relabelled = relayAs(keysB, tokenB, run, kTownB1);
        CHECK_FALSE(relabelled.accepted);
        CHECK(relabelled.reason == "scope");
    }
    // A township's token is no region's: it cannot relay at all.
    const std::string townToken = p.a1.open().setting(Setting::token);
    client::CurlOptions toDistrict;
    toDistrict.baseUrl = p.a.server->url();
    const auto viaDistrict = client::makeCurlTransport(toDistrict)->send(
        {"POST", "/v1/relay", wire::encode(wire::RelayRequest{}), true, townToken, wire::kProtocol});
    CHECK(viaDistrict.status == 403);
    // District B cannot enrol with a code made for district A.
    {
        TempDir other;
        const auto impostor = other.path() / "impostor.db";
        districtCli(impostor, {"init", "--district", kDistrictB, "--name", "冒名"});
        const RunResult r = runProgram({SHOUXIN_DISTRICT, "--db", impostor.string(), "upstream", p.city.server->url(),
                                        p.city.enrolmentCode(kDistrictA)});
        CHECK(r.exitCode != 0);
    }
    CHECK(Store::open(p.city.db).eventCount() == cityEvents);
    CHECK(p.city.digest(kCity) == before);
    // And A's own relay still goes through.
    p.a.relay();
    Province::sync(p.a1);
    CHECK(p.city.digest(kTownA1) == p.a1.digest());
}

TEST_CASE("an event set aside at the district goes up with its chain and is set aside at the city too",
          "[sync][levels][trust]") {
    Province p;
    REQUIRE(p.a1.cli({"demo"}).exitCode == 0);
    Province::sync(p.a1);
    Province::sync(p.a2);
    // Township A2's device reports on one of A1's commitments: its chain is
    // sound, its content is not; the district sets it aside.
    std::string target;
    for (const auto& c : p.a1.open().commitments())
        if (c.commitment.office == kTownA1) target = c.commitment.id;
    REQUIRE_FALSE(target.empty());
    FulfilmentReport r;
    r.commitment = target;
    r.status = Status::broken;
    r.progress = 0;
    r.note = "未按期完成";
    r.date = Date::today();
    const Store a2 = p.a2.open();
    const Event forged = nextOf(a2, r, "clerk:mallory");
    const KeyPair keys = *readKeyFile(keyFileFor(p.a2.db));
    wire::PushRequest push;
    push.events = {forged};
    push.head = {forged.seq, forged.hash, signHex(keys, chainHeadMessage(forged.device, forged.seq, forged.hash))};
    client::CurlOptions line;
    line.baseUrl = p.a.server->url();
    const auto answer = client::makeCurlTransport(line)->send(
        {"POST", "/v1/push", wire::encode(push), true, a2.setting(Setting::token), wire::kProtocol});
    REQUIRE(answer.status == 201);
    REQUIRE(Store::open(p.a.db).setAside().size() == 1);

    p.a.relay();
    const Store city = Store::open(p.city.db);
    const auto aside = city.setAside();
    REQUIRE(aside.size() == 1);
    CHECK(aside.front().event.id == forged.id);
    CHECK(aside.front().reason == "error.auth.not_owner");
    Province::sync(p.a1);
    CHECK(p.city.digest(kTownA1) == p.a1.digest());
    CHECK(p.city.digest(kDistrictA) == p.a.digest(kDistrictA));
    CHECK(p.city.cli({"verify"}).exitCode == 0);
}

TEST_CASE("a district serving with --relay-every brings its townships' records to the city by itself",
          "[sync][levels]") {
    Province p;
    const int port = p.a.server->port();
    p.a.server->stop();
    p.a.server = std::make_unique<ServerProcess>(p.a.db, port, std::vector<std::string>{"--relay-every", "0.5"});
    REQUIRE(p.a1.cli({"demo"}).exitCode == 0);
    Province::sync(p.a1);
    const std::string own = p.a1.digest();
    CHECK(waitFor([&] { return p.city.digest(kTownA1) == own; }, 30));
    CHECK(waitFor([&] { return Store::open(p.a.db).relayPending() == 0; }, 30));
    // The server relayed and went on serving: its townships still sync, and
    // what they record next goes up too.
    REQUIRE(p.a2.cli({"demo"}).exitCode == 0);
    Province::sync(p.a2);
    const std::string second = p.a2.digest();
    CHECK(waitFor([&] { return p.city.digest(kTownA2) == second; }, 30));
}

TEST_CASE("a city relays to its province like a district to its city", "[sync][levels]") {
    Province p;
    Level province{p.dir, "33", "浙江省"};
    const RunResult enrolled =
        p.city.cli({"upstream", province.server->url(), province.enrolmentCode(kCity)});
    INFO(enrolled.out << enrolled.err);
    REQUIRE(enrolled.exitCode == 0);
    // A province enrols only the cities directly below it.
    CHECK(province.cli({"enroll-code", "--office", kDistrictA}).exitCode != 0);
    CHECK(province.cli({"enroll-code", "--office", "3201"}).exitCode != 0);

    REQUIRE(p.a1.cli({"demo"}).exitCode == 0);
    Province::sync(p.a1);
    REQUIRE(province.cli({"publish", "--category", "housing", "--kind", "guarantee", "--title", "全省住房公积金异地互认",
                          "--detail", "省内各地互认缴存证明。", "--department", "省住建厅", "--operator", "ops-zj"})
                .exitCode == 0);
    p.a.relay();     // township A1's chain to the city
    p.city.relay();  // on to the province; the province's commitment down to the city
    p.a.relay();     // and down to the district
    Province::sync(p.a1);
    bool reached = false;
    for (const auto& c : p.a1.open().commitments())
        reached = reached || c.commitment.title == "全省住房公积金异地互认";
    CHECK(reached);
    CHECK(p.a1.open().setAside().empty());
    const std::string own = p.a1.digest();
    CHECK(p.a.digest(kTownA1) == own);
    CHECK(p.city.digest(kTownA1) == own);
    CHECK(province.digest(kTownA1) == own);
    CHECK(province.digest(kDistrictA) == p.a.digest(kDistrictA));
    CHECK(province.cli({"verify"}).exitCode == 0);
}

TEST_CASE("a city on PostgreSQL, by one URL, holds what its districts relay as a file would", "[sync][levels]") {
    Province p(newPostgresDatabase());
    p.demoAndSync({&p.a1, &p.b1});
    p.publishCityWide();
    p.a.relay();
    p.b.relay();
    // The city cut off and back: the district catches up.
    REQUIRE(p.a2.cli({"demo"}).exitCode == 0);
    Province::sync(p.a2);
    const int port = p.city.server->port();
    p.city.stop();
    CHECK(p.a.cli({"relay"}).exitCode != 0);
    p.city.start(port);
    p.a.relay();
    for (const Kiosk* k : {&p.a1, &p.a2, &p.b1})
        Province::sync(*k);
    CHECK(holdsTitle(p.b1, kCityWideTitle));
    p.convergedEverywhere();
    // Each event once: the city's log numbers are gapless.
    const std::string url = p.city.db.string();
    CHECK(postgresQuery(url, "SELECT count(*) FROM event") == postgresQuery(url, "SELECT max(dseq) FROM event"));
    CHECK(postgresQuery(url, "SELECT count(*) FROM set_aside") == "0");
}

TEST_CASE("a city restored from an older backup gets its districts' chains relayed again", "[sync][levels][backup]") {
    Province p;
    p.demoAndSync({&p.a1, &p.b1});
    p.publishCityWide();
    p.a.relay();
    p.b.relay();
    const std::filesystem::path backup = p.dir / "city-backup.db";
    const RunResult made = p.city.cli({"backup", backup.string()});
    INFO(made.err);
    REQUIRE(made.exitCode == 0);

    // After the backup: more from both districts' townships, relayed up.
    REQUIRE(p.a2.cli({"demo"}).exitCode == 0);
    Province::sync(p.a2);
    Province::sync(p.b1);
    p.a.relay();
    p.b.relay();
    const std::int64_t held = Store::open(p.city.db).eventCount();
    CHECK(Store::open(p.a.db).relayPending() == 0);

    const int cityPort = p.city.server->port();
    p.city.server->stop();
    const RunResult restored = p.city.cli({"restore", backup.string()});
    INFO(restored.err);
    REQUIRE(restored.exitCode == 0);
    CHECK(Store::open(p.city.db).eventCount() < held);
    p.city.start(cityPort);

    // One relay round each: the new epoch sends every chain up again.
    p.a.relay();
    p.b.relay();
    CHECK(Store::open(p.city.db).eventCount() == held);
    CHECK(std::stoll(rawQuery(p.city.db, "SELECT count(DISTINCT id) FROM event")) == held);
    CHECK(rawQuery(p.a.db, "SELECT value FROM node WHERE key = 'setting.epoch'") ==
          rawQuery(p.city.db, "SELECT value FROM node WHERE key = 'epoch'"));
    for (const Kiosk* k : {&p.a1, &p.a2, &p.b1})
        Province::sync(*k);
    p.convergedEverywhere();
}
