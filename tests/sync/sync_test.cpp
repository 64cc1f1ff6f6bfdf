#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <set>
#include <thread>

#include "shared/crypto.hpp"
#include "shared/wire.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

std::string firstId(const Kiosk& k, const std::string& status) {
    const auto r = k.cli({"list", "--status", status});
    REQUIRE(r.exitCode == 0);
    return r.out.substr(0, 36);
}

void report(const Kiosk& k, const std::string& id, const std::string& status, int progress,
            const char* note) {
    const auto r = k.cli({"report", "--commitment", id, "--status", status, "--progress",
                          std::to_string(progress), "--note", note, "--clerk", "zhang"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

// Every event a kiosk holds is its own office's or district-wide.
void requireScope(const Kiosk& k) {
    for (const Event& e : k.open().events()) {
        INFO(e.id << " " << e.office);
        REQUIRE((e.office == k.office || e.office == kDistrict));
    }
}

}  // namespace

TEST_CASE("three kiosks of two offices and district-wide events converge on the district", "[sync][postgresql]") {
    SyncWorld world;
    const Kiosk a1 = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk a2 = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b1 = world.addKiosk(kOfficeB, "溪口镇人民政府");
    REQUIRE(a1.cli({"demo"}).exitCode == 0);
    REQUIRE(b1.cli({"demo"}).exitCode == 0);
    districtCli(world.districtDb(), {"publish", "--category", "employment", "--kind", "guarantee", "--title",
                                     "全区每季度举办一场春风行动招聘会", "--detail",
                                     "区人力社保局每季度在各镇街轮流举办招聘会，提供岗位不少于500个。",
                                     "--department", "区人力社保局", "--operator", "chen"});

    world.sync(a1);
    world.sync(b1);
    world.sync(a2);
    // Both kiosks of office A report on the same commitment before seeing
    // each other's report: a concurrent edit, resolved by the fold.
    const std::string id = firstId(a2, "in_progress");
    REQUIRE(id.size() == 36);
    report(a2, id, "in_progress", 90, "二号机：已完成入户核查。");
    report(a1, id, "fulfilled", 100, "一号机：已全部办结。");
    world.sync(a2);
    world.sync(a1);
    world.sync(a2);

    const std::string districtA = world.districtDigest(kOfficeA);
    const std::string districtB = world.districtDigest(kOfficeB);
    CHECK(a1.digest() == districtA);
    CHECK(a2.digest() == districtA);
    CHECK(b1.digest() == districtB);
    CHECK(districtA != districtB);
    requireScope(a1);
    requireScope(a2);
    requireScope(b1);

    // The district-wide commitment reached every kiosk.
    for (const Kiosk* k : {&a1, &a2, &b1}) {
        int districtWide = 0;
        for (const auto& c : k->open().commitments())
            districtWide += c.commitment.office == kDistrict;
        CHECK(districtWide == 1);
    }
    // The concurrent report is visible, and the later one in total order won.
    const auto state = a2.open().commitment(id);
    REQUIRE(state);
    CHECK(state->concurrentReport);
    CHECK(a1.open().commitment(id)->status == state->status);
    // Nothing doubled: the district holds each kiosk event exactly once.
    for (const Kiosk* k : {&a1, &a2, &b1}) {
        const auto store = k->open();
        const std::string device = store.node().device;
        std::int64_t own = 0;
        for (const Event& e : store.events())
            own += e.device == device;
        CHECK(world.districtCount("event WHERE device = '" + device + "'") == own);
        CHECK(store.pendingCount() == 0);
        CHECK(store.verify().ok());
    }
    CHECK(Store::open(world.districtDb()).verify().ok());
}

TEST_CASE("a kiosk offline for a long stretch sends every record exactly once", "[sync][postgresql]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    {
        // Weeks of work with the network down.
        Store store = k.open();
        const auto commitments = store.commitments();
        int written = 0;
        for (int i = 0; written < 1500; ++i) {
            const auto& c = commitments[static_cast<std::size_t>(i) % commitments.size()];
            if (isClosed(store.commitment(c.commitment.id)->status)) continue;
            FulfilmentReport r;
            r.commitment = c.commitment.id;
            r.status = Status::inProgress;
            r.progress = i % 100;
            r.note = "第" + std::to_string(i) + "次进度报告：继续办理。";
            r.date = Date::today();
            r.basedOn = store.commitment(c.commitment.id)->lastReport;
            REQUIRE(store.record(r, "clerk:li"));
            ++written;
        }
        REQUIRE(store.pendingCount() > 1500);
    }
    world.sync(k);
    const Store store = k.open();
    CHECK(store.pendingCount() == 0);
    std::int64_t own = 0;
    for (const Event& e : store.events())
        own += e.device == store.node().device;
    CHECK(own > 1500);
    CHECK(world.districtCount("event WHERE device = '" + store.node().device + "'") == own);
    CHECK(k.digest() == world.districtDigest(kOfficeA));
    // A second round is idle: nothing new either way.
    const auto idle = k.cli({"sync", "--once"});
    CHECK(idle.exitCode == 0);
    CHECK(idle.out.find(" 0 ↑, 0 =, 0 ✗, 0 ↓; 1 requests") != std::string::npos);
}

TEST_CASE("a pull cursor moves past the kiosk's own events, so idle rounds do not rescan them", "[sync][postgresql]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b = world.addKiosk(kOfficeB, "良渚街道办事处");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    REQUIRE(b.cli({"demo"}).exitCode == 0);
    world.sync(b);
    world.sync(a);
    // All of A's events are its own, skipped by its pulls; the last page
    // moves the cursor on to its receipt's number, the district's newest
    // when it stored A's push (B's events are out of A's scope but
    // numbered too).
    const auto cursor = [&] {
        return std::stoll(rawQuery(a.db, "SELECT value FROM node WHERE key = 'setting.cursor'"));
    };
    const std::int64_t newest = std::stoll(world.districtQuery("SELECT max(dseq) FROM event"));
    CHECK(cursor() == newest);
    // A district-wide act still reaches A: the cursor never passes what A
    // has not seen.
    districtCli(world.districtDb(), {"publish", "--category", "employment", "--kind", "guarantee", "--title",
                                     "全区每季度举办一场春风行动招聘会", "--detail",
                                     "区人力社保局每季度在各镇街轮流举办招聘会，提供岗位不少于500个。",
                                     "--department", "区人力社保局", "--operator", "chen"});
    const auto round = a.cli({"sync", "--once"});
    CHECK(round.out.find(" 1 ↓") != std::string::npos);
    CHECK(cursor() == std::stoll(world.districtQuery("SELECT max(dseq) FROM event")));
    CHECK(a.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("sync --daemon keeps syncing until SIGTERM", "[sync][postgresql]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    const int pid = spawnProgram({SHOUXIN_CLI, "--db", k.db, "sync", "--daemon", "--interval", "0.2"});
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    // The daemon carries the demo's events up within a few rounds.
    const std::string device = k.open().node().device;
    for (int i = 0; i < 100 && world.districtCount("event WHERE device = '" + device + "'") < 152; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    CHECK(world.districtCount("event WHERE device = '" + device + "'") == 152);
    kill(pid, SIGTERM);
    CHECK(waitProgram(pid) == 0);
    CHECK(k.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("an expired enrolment code is refused", "[sync][postgresql]") {
    SyncWorld world;
    const std::string code =
        districtCli(world.districtDb(), {"enroll-code", "--office", kOfficeA, "--ttl-hours", "-1"})
            .substr(0, 11);
    Kiosk k{(world.dir() / "late.db").string(), kOfficeA};
    REQUIRE(k.cli({"init", "--office", kOfficeA, "--name", "青山镇人民政府"}).exitCode == 0);
    const auto r = k.cli({"enroll", world.server().url(), code});
    CHECK(r.exitCode == 1);
    CHECK(r.err.find("expired") != std::string::npos);
    CHECK(k.cli({"sync", "--once"}).exitCode == 1);
}

TEST_CASE("pull pages travel gzip'd to a client that takes gzip", "[sync][postgresql]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    world.sync(a);
    const Kiosk b = world.addKiosk(kOfficeA, "青山镇人民政府");
    client::CurlOptions options;
    options.baseUrl = world.server().url();
    const auto http = client::makeCurlTransport(options);
    const auto r = http->send(client::HttpRequest{"GET", "/v1/events?after=0&limit=1000", "", false,
                                                  b.open().setting(Setting::token), wire::kProtocol});
    REQUIRE(r.status == 200);
    const auto page = wire::decodePullResponse(r.body);
    REQUIRE(page);
    CHECK(page->events.size() > 50);
    INFO("body " << r.body.size() << " B, on the wire " << r.wireBytesReceived << " B");
    CHECK(r.wireBytesReceived * 3 < static_cast<std::int64_t>(r.body.size()));
}

TEST_CASE("kiosks pushing at once are each stored exactly once under gapless district numbers", "[sync][postgresql]") {
    SyncWorld world;
    std::vector<Kiosk> kiosks;
    for (const char* office : {"330110101", "330110102", "330110103", "330110104", "330110105", "330110106"}) {
        kiosks.push_back(world.addKiosk(office, "某镇人民政府"));
        kiosks.push_back(world.addKiosk(office, "某镇人民政府"));
        REQUIRE(kiosks[kiosks.size() - 2].cli({"demo"}).exitCode == 0);
    }
    // Every kiosk's first push at the same moment: the district's writer
    // takes what arrives together into shared commits.
    std::vector<RunResult> rounds(kiosks.size());
    {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < kiosks.size(); ++i)
            threads.emplace_back([&, i] { rounds[i] = kiosks[i].cli({"sync", "--once"}); });
        for (auto& t : threads) t.join();
    }
    for (const auto& r : rounds) {
        INFO(r.out << r.err);
        CHECK(r.exitCode == 0);
    }
    for (const Kiosk& k : kiosks) world.sync(k);  // each now pulls its partner's events

    // Numbered 1..N with no hole, each kiosk event once, every office agreed.
    CHECK(world.districtCount("event") == world.districtCount("event WHERE dseq IS NOT NULL"));
    CHECK(world.districtCount("event") == Store::open(world.districtDb()).lastDistrictSeq());
    for (const Kiosk& k : kiosks) {
        const auto store = k.open();
        const std::string device = store.node().device;
        std::int64_t own = 0;
        for (const Event& e : store.events()) own += e.device == device;
        CHECK(world.districtCount("event WHERE device = '" + device + "'") == own);
        CHECK(store.pendingCount() == 0);
        CHECK(k.digest() == world.districtDigest(k.office));
    }
    CHECK(Store::open(world.districtDb()).verify().ok());
}
