// Power cuts: a machine loses power at a write (tests/support/power_cut_vfs.hpp)
// of a clerk's report, of a node's push and pull (its sync round in this
// process, against the real district server), of the district storing a
// push (its server in this process), of a migration from the kept v1, v3
// and v6 fixtures, and of a node's creation; then it starts again. Each time
// the database must open, pass PRAGMA integrity_check and Store::verify(),
// keep everything it held before and everything the district acknowledged,
// and a clean sync round must leave node and district with the same digest
// and every event once at the district.
//
// By default each operation runs at a sample of its cut points (the writes
// at and around every sync, which ends a commit, then an even spread of the
// rest), about 100 in all, to stay within CI's time; SHOUXIN_POWER_CUTS=all
// runs every one (about 1,900; tens of minutes on two busy cores):
//   SHOUXIN_POWER_CUTS=all build/bin/shouxin_sync_tests "[power]"
// Odd cut points drop every unsynced write, even ones keep a seeded half of
// the unsynced sectors (PowerCutVfs::Loss::some). Each case prints how many
// cut points it ran ("[power] push (node): 16 cut points of 71 writes").
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>
#include <sstream>

#include <sqlite3.h>

#include "shared/crypto.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/server/district_server.hpp"
#include "tests/support/power_cut_vfs.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

bool exhaustive() {
    const char* v = std::getenv("SHOUXIN_POWER_CUTS");
    return v && std::string(v) == "all";
}

// Which of the `trace`'s writes (1-based) to cut at: all of them, or every
// sync and its neighbours plus an even spread, about `budget` in all.
std::vector<std::int64_t> cutPoints(const std::string& trace, std::size_t budget) {
    const auto n = static_cast<std::int64_t>(trace.size());
    std::vector<std::int64_t> all;
    if (exhaustive() || trace.size() <= budget) {
        for (std::int64_t i = 1; i <= n; ++i)
            all.push_back(i);
        return all;
    }
    // Every `step`-th of `from`, about `count` of them.
    const auto spread = [](const std::vector<std::int64_t>& from, std::size_t count,
                           std::set<std::int64_t>& into) {
        if (from.empty() || count == 0) return;
        for (std::size_t k = 0; k < count; ++k)
            into.insert(from[k * from.size() / count]);
    };
    std::vector<std::int64_t> nearSync;
    for (std::int64_t i = 1; i <= n; ++i) {
        all.push_back(i);
        const auto at = [&](std::int64_t j) {
            return j >= 1 && j <= n && trace[static_cast<std::size_t>(j - 1)] == 's';
        };
        if (at(i - 1) || at(i) || at(i + 1)) nearSync.push_back(i);
    }
    std::set<std::int64_t> points{n};
    spread(nearSync, std::min(nearSync.size(), budget * 2 / 3), points);
    spread(all, budget - points.size(), points);
    return {points.begin(), points.end()};
}

PowerCutVfs::Loss lossAt(std::int64_t cut) {
    return cut % 2 ? PowerCutVfs::Loss::all : PowerCutVfs::Loss::some;
}

void report(const char* operation, std::size_t ran, std::size_t of, std::int64_t cutsHit) {
    std::cout << "[power] " << operation << ": " << ran << " cut points of " << of << " writes (" << cutsHit
              << " lost power)" << (exhaustive() ? ", exhaustive" : ", sampled") << std::endl;
}

// One sync round of `k` in this process.
client::SyncResult syncRound(Store& store, const Kiosk& k, const std::string& url, std::size_t batch) {
    const auto keys = readKeyFile(keyFileFor(k.db));
    REQUIRE(keys);
    const auto http = client::makeCurlTransport(client::curlOptionsFor(url));
    client::EngineOptions options;
    options.pushBatch = batch;
    options.pullPage = batch;
    client::SyncEngine engine(store, *http, *keys, options);
    return engine.syncOnce();
}

std::set<std::string> idsOf(const Store& store, bool ownOnly) {
    std::set<std::string> ids;
    const std::string device = store.node().device;
    for (const Event& e : store.events())
        if (!ownOnly || e.device == device) ids.insert(e.id);
    return ids;
}

std::set<std::string> districtIds(const SyncWorld& world, const std::string& device) {
    std::set<std::string> ids;
    std::stringstream list(
        world.districtQuery("SELECT group_concat(id, ',') FROM event WHERE device = '" + device + "'"));
    for (std::string id; std::getline(list, id, ',');)
        ids.insert(id);
    return ids;
}

// After the cut, opened normally: whole, verified, holding `before`, and
// every event it counts as acknowledged at the district.
void requireIntact(const SyncWorld& world, const Kiosk& k, const std::set<std::string>& before) {
    Store store = k.open();
    const std::string integrity = store.integrityReport();
    INFO("integrity: " << integrity);
    REQUIRE(integrity.empty());
    const VerifyReport verified = store.verify();
    INFO(describe(verified));
    REQUIRE(verified.ok());
    const std::set<std::string> held = idsOf(store, false);
    for (const std::string& id : before) {
        INFO("lost " << id);
        REQUIRE(held.count(id) == 1);
    }
    std::set<std::string> pending;
    for (const Event& e : store.pendingEvents(1'000'000))
        pending.insert(e.id);
    const std::set<std::string> up = districtIds(world, store.node().device);
    for (const std::string& id : idsOf(store, true)) {
        if (pending.count(id)) continue;
        INFO("acknowledged but not at the district: " << id);
        REQUIRE(up.count(id) == 1);
    }
}

// A clean round: node and district agree, each event once at the district.
void requireConverges(SyncWorld& world, const Kiosk& k, std::string url = {}) {
    Store store = k.open();
    const auto r = syncRound(store, k, url.empty() ? world.server().url() : url, 1000);
    INFO(r.failure.reason << " " << r.failure.detail);
    REQUIRE(r.ok);
    const std::string device = store.node().device;
    REQUIRE(store.pendingCount() == 0);
    const std::int64_t own = static_cast<std::int64_t>(idsOf(store, true).size());
    REQUIRE(world.districtCount("event WHERE device = '" + device + "'") == own);
    REQUIRE(world.districtCount("(SELECT DISTINCT id FROM event WHERE device = '" + device + "') AS ids") ==
            own);
    REQUIRE(store.digest(k.office) == Store::open(world.districtDb()).digest(k.office));
}

// `n` progress reports of a kiosk's open commitments.
void recordReports(Store& store, int n, int salt) {
    const auto commitments = store.commitments();
    int done = 0;
    for (std::size_t i = 0; done < n && i < commitments.size() * 2; ++i) {
        const auto current = store.commitment(
            commitments[(i + static_cast<std::size_t>(salt)) % commitments.size()].commitment.id);
        if (isClosed(current->status)) continue;
        FulfilmentReport r;
        r.commitment = current->commitment.id;
        r.status = Status::inProgress;
        r.progress = (salt + done) % 100;
        r.note = "进度报告" + std::to_string(salt) + "-" + std::to_string(done);
        r.date = Date::today();
        r.basedOn = current->lastReport;
        const auto recorded = store.record(r, "clerk:li");  // throws when the power goes
        REQUIRE(recorded);
        ++done;
    }
    REQUIRE(done == n);
}

// Runs `operation` on `k`'s node with the power lost at write `cut` (0:
// never); true when the power went.
template <typename Operation>
bool runCut(const Kiosk& k, std::int64_t cut, Operation&& operation, std::string* trace = nullptr) {
    PowerCut power(k.db, cut, lossAt(cut), static_cast<std::uint32_t>(cut));
    try {
        Store store = k.open();
        operation(store);
    } catch (const std::exception&) {
        if (!power.cut()) throw;  // a failure not caused by the cut
    }
    if (trace) *trace = PowerCutVfs::instance().trace();
    return power.cut();
}

}  // namespace

TEST_CASE("the power-cut VFS loses unsynced writes and fails everything after the cut", "[power]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    const std::int64_t events = k.open().eventCount();
    // Without a cut: everything reaches the file.
    std::string trace;
    CHECK_FALSE(runCut(
        k, 0, [](Store& s) { recordReports(s, 1, 0); }, &trace));
    CHECK(trace.find('s') != std::string::npos);
    CHECK(k.open().eventCount() == events + 1);
    // Cut at the commit's sync: the report is gone, nothing else.
    const auto sync = static_cast<std::int64_t>(trace.find('s')) + 1;
    CHECK(runCut(k, sync, [](Store& s) { recordReports(s, 1, 1); }));
    CHECK(k.open().eventCount() == events + 1);
    CHECK(rawQuery(k.db, "PRAGMA integrity_check") == "ok");
}

TEST_CASE("the power-cut VFS keeps a seeded part of unsynced writes and nothing after the cut", "[power]") {
    TempDir dir;
    const auto db = dir.path() / "raw.db";
    rawExec(db, "PRAGMA journal_mode = DELETE; CREATE TABLE t(x BLOB)");
    const auto bytes = [&] {
        std::ifstream in(db, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    const std::string before = bytes();
    // Rows written and committed without a sync (synchronous = OFF), then
    // the power goes.
    const auto writeUnsynced = [&](PowerCutVfs::Loss loss, const char* synchronous) {
        PowerCut power(db, 0, loss, 7);
        sqlite3* c = nullptr;
        REQUIRE(sqlite3_open(db.c_str(), &c) == SQLITE_OK);
        const std::string sql = std::string("PRAGMA synchronous = ") + synchronous +
                                "; BEGIN; WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                                "WHERE i < 200) INSERT INTO t SELECT randomblob(1000) FROM n; COMMIT";
        CHECK(sqlite3_exec(c, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
        PowerCutVfs::instance().cutNow();
        CHECK(sqlite3_exec(c, "SELECT count(*) FROM t", nullptr, nullptr, nullptr) != SQLITE_OK);
        sqlite3_close(c);
    };
    writeUnsynced(PowerCutVfs::Loss::all, "OFF");
    CHECK(bytes() == before);
    writeUnsynced(PowerCutVfs::Loss::some, "OFF");
    CHECK(bytes() != before);
    std::filesystem::remove(db);
    rawExec(db, "PRAGMA journal_mode = DELETE; CREATE TABLE t(x BLOB)");
    writeUnsynced(PowerCutVfs::Loss::all, "FULL");
    CHECK(rawQuery(db, "SELECT count(*) FROM t") == "200");
}

TEST_CASE("a clerk's report cut by a power loss at any write leaves a whole node", "[power]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    world.sync(k);

    std::string trace;
    runCut(
        k, 0, [](Store& s) { recordReports(s, 1, 0); }, &trace);
    const auto points = cutPoints(trace, 12);
    std::int64_t hit = 0;
    int salt = 1;
    for (const std::int64_t cut : points) {
        INFO("cut at write " << cut << " of " << trace.size());
        const std::set<std::string> before = idsOf(k.open(), false);
        bool recorded = false;
        std::string id;
        hit += runCut(k, cut, [&](Store& s) {
            recordReports(s, 1, ++salt);
            recorded = true;
            id = s.events().back().id;
        });
        requireIntact(world, k, before);
        // A report whose record() returned was committed: it is there.
        if (recorded) CHECK(idsOf(k.open(), false).count(id) == 1);
        requireConverges(world, k);
    }
    report("clerk's report", points.size(), trace.size(), hit);
}

TEST_CASE("a push cut by a power loss at any write of the node loses and doubles nothing", "[power]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    world.sync(k);
    const std::string url = world.server().url();

    // Twelve reports go up in batches of three: four acknowledgements, four receipts.
    const auto push = [&](Store& s) { syncRound(s, k, url, 3); };
    {
        Store s = k.open();
        recordReports(s, 12, 0);
    }
    std::string trace;
    runCut(k, 0, push, &trace);
    const auto points = cutPoints(trace, 16);
    std::int64_t hit = 0;
    int salt = 100;
    for (const std::int64_t cut : points) {
        INFO("cut at write " << cut << " of " << trace.size());
        {
            Store s = k.open();
            recordReports(s, 12, salt += 12);
        }
        const std::set<std::string> before = idsOf(k.open(), false);
        hit += runCut(k, cut, push);
        requireIntact(world, k, before);
        requireConverges(world, k);
    }
    report("push (node)", points.size(), trace.size(), hit);
}

TEST_CASE("a pull cut by a power loss at any write of the node loses and doubles nothing", "[power]") {
    SyncWorld world;
    const Kiosk source = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(source.cli({"demo"}).exitCode == 0);
    world.sync(source);
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    const std::string url = world.server().url();

    // The first pull of the demo's records in pages of 20, each cut from
    // the freshly enrolled node; then pulls of 12 new reports each in pages
    // of 3.
    const auto pull = [&](std::size_t page) { return [&, page](Store& s) { syncRound(s, k, url, page); }; };
    const std::string pristine = k.db + ".pristine";
    std::filesystem::copy_file(k.db, pristine);
    const auto restore = [&] {
        std::filesystem::remove(k.db + "-wal");
        std::filesystem::remove(k.db + "-shm");
        std::filesystem::remove(k.db + "-journal");
        std::filesystem::copy_file(pristine, k.db, std::filesystem::copy_options::overwrite_existing);
    };
    std::string first;
    runCut(k, 0, pull(20), &first);
    const auto firstPoints = cutPoints(first, 12);
    std::int64_t hit = 0;
    for (const std::int64_t cut : firstPoints) {
        INFO("first pull, cut at write " << cut << " of " << first.size());
        restore();
        hit += runCut(k, cut, pull(20));
        requireIntact(world, k, {});
        requireConverges(world, k);
    }

    std::string trace;
    {
        Store s = source.open();
        recordReports(s, 12, 0);
    }
    world.sync(source);
    runCut(k, 0, pull(3), &trace);
    const auto points = cutPoints(trace, 16);
    int salt = 200;
    for (const std::int64_t cut : points) {
        INFO("cut at write " << cut << " of " << trace.size());
        {
            Store s = source.open();
            recordReports(s, 12, salt += 12);
        }
        world.sync(source);
        const std::set<std::string> before = idsOf(k.open(), false);
        hit += runCut(k, cut, pull(3));
        requireIntact(world, k, before);
        requireConverges(world, k);
        CHECK(k.open().eventCount() == world.districtCount("event WHERE office IN ('330110104', '330110')"));
    }
    report("pull (node)", firstPoints.size() + points.size(), first.size() + trace.size(), hit);
}

TEST_CASE("a migration cut by a power loss at any write upgrades whole on the next start", "[power]") {
    TempDir dir;
    std::size_t ran = 0;
    std::size_t writes = 0;
    std::int64_t hit = 0;
    // Node files kept from versions 1, 3 and 6 (tests/shared/migration_test.cpp).
    for (const char* fixture : {"node_v1.sql", "node_v3.sql", "node_v6.sql"}) {
        std::ifstream in(std::filesystem::path(SHOUXIN_SOURCE_DIR) / "tests/fixtures" / fixture);
        REQUIRE(in);
        std::stringstream sql;
        sql << in.rdbuf();
        const auto pristine = dir.path() / (std::string(fixture) + ".db");
        rawExec(pristine, sql.str());
        const Kiosk k{(dir / "node.db").string(), kOfficeA};
        const auto fresh = [&] {
            for (const char* suffix : {"-wal", "-shm", "-journal"})
                std::filesystem::remove(k.db + suffix);
            std::filesystem::copy_file(pristine, k.db, std::filesystem::copy_options::overwrite_existing);
        };

        fresh();
        std::string trace;
        runCut(
            k, 0, [](Store&) {}, &trace);
        const std::string digest = k.open().digest(kOfficeA);
        const std::int64_t events = k.open().eventCount();
        const auto points = cutPoints(trace, 10);
        for (const std::int64_t cut : points) {
            INFO(fixture << ": cut at write " << cut << " of " << trace.size());
            fresh();
            hit += runCut(k, cut, [](Store&) {});
            Store store = k.open();
            CHECK(store.integrityReport().empty());
            CHECK(rawQuery(k.db, "PRAGMA user_version") == std::to_string(Store::schemaVersion()));
            CHECK(store.verify().ok());
            CHECK(store.eventCount() == events);
            CHECK(store.digest(kOfficeA) == digest);
        }
        ran += points.size();
        writes += trace.size();
    }
    report("migration (v1, v3, v6)", ran, writes, hit);
}

namespace {

// The district's server in this process, so that the power-cut VFS sees its
// writes: serving from the constructor, stopped by the destructor.
struct InProcessDistrict {
    server::DistrictServer server;
    std::string url;
    explicit InProcessDistrict(const std::filesystem::path& db) : server(db) {
        const int port = server.bind(server::ServerOptions{});
        REQUIRE(port > 0);
        url = "http://127.0.0.1:" + std::to_string(port);
    }
};

}  // namespace

TEST_CASE("a push cut by a power loss at any write of the district loses and doubles nothing", "[power]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    world.sync(k);
    world.server().kill();  // from here the district runs in this process
    const std::filesystem::path db = world.districtDb();

    // Twelve reports go up in batches of three, each batch its own commit.
    const auto push = [&](std::int64_t cut, std::string* trace) {
        PowerCut power(db, cut, lossAt(cut), static_cast<std::uint32_t>(cut));
        try {
            InProcessDistrict district(db);
            Store s = k.open();
            syncRound(s, k, district.url, 3);
        } catch (const std::exception&) {
            if (!power.cut()) throw;
        }
        if (trace) *trace = PowerCutVfs::instance().trace();
        return power.cut();
    };
    {
        Store s = k.open();
        recordReports(s, 12, 0);
    }
    std::string trace;
    push(0, &trace);
    const auto points = cutPoints(trace, 16);
    std::int64_t hit = 0;
    int salt = 300;
    for (const std::int64_t cut : points) {
        INFO("cut at write " << cut << " of " << trace.size());
        {
            Store s = k.open();
            recordReports(s, 12, salt += 12);
        }
        const std::set<std::string> before = idsOf(k.open(), false);
        hit += push(cut, nullptr);
        {
            // The district opened normally: whole, verified, and holding
            // every event the node counts as acknowledged.
            Store district = Store::open(db);
            const std::string integrity = district.integrityReport();
            INFO("district integrity: " << integrity);
            REQUIRE(integrity.empty());
            const VerifyReport verified = district.verify();
            INFO(describe(verified));
            REQUIRE(verified.ok());
        }
        requireIntact(world, k, before);
        InProcessDistrict district(db);
        requireConverges(world, k, district.url);
    }
    report("push (district)", points.size(), trace.size(), hit);
}

namespace {

// Creation of a store (`make`, a file at the path it is given) cut at
// sampled writes: then made again, or opened as it is, it must be whole,
// verified and pass `check`.
void cutCreation(const char* operation, const std::function<void(const std::filesystem::path&)>& make,
                 const std::function<void(Store&, const std::filesystem::path&)>& check) {
    TempDir dir;
    std::string trace;
    {
        PowerCut power(dir.path() / "dry.db", 0);
        make(dir.path() / "dry.db");
        trace = PowerCutVfs::instance().trace();
    }
    const auto points = cutPoints(trace, 10);
    std::int64_t hit = 0;
    int n = 0;
    for (const std::int64_t cut : points) {
        INFO("cut at write " << cut << " of " << trace.size());
        const auto db = dir.path() / ("made" + std::to_string(++n) + ".db");
        {
            PowerCut power(db, cut, lossAt(cut), static_cast<std::uint32_t>(cut));
            try {
                make(db);
            } catch (const std::exception&) {
                if (!power.cut()) throw;
            }
            hit += power.cut();
        }
        // `init` again, or the program on the file as it is.
        std::string how;
        try {
            make(db);
            how = "made again";
        } catch (const StoreError& e) {
            how = e.messageId() + " " + e.what();
        }
        INFO(how);
        Store store = Store::open(db);
        CHECK(store.integrityReport().empty());
        CHECK(store.verify().ok());
        check(store, db);
    }
    report(operation, points.size(), trace.size(), hit);
}

}  // namespace

TEST_CASE("a node's creation cut by a power loss at any write can be opened or made again", "[power]") {
    cutCreation(
        "node creation", [](const std::filesystem::path& db) { Store::create(db, kOfficeA, "青山镇人民政府"); },
        [](Store& store, const std::filesystem::path&) {
            CHECK(store.node().office == kOfficeA);
            CHECK(store.node().officeName == "青山镇人民政府");
        });
}

TEST_CASE("a district's creation cut by a power loss at any write can be opened or made again", "[power]") {
    cutCreation(
        "district creation", [](const std::filesystem::path& db) { Store::createDistrict(db, kDistrict, "余杭区"); },
        [](Store& store, const std::filesystem::path& db) {
            CHECK(store.isDistrict());
            CHECK(store.node().office == kDistrict);
            CHECK(store.node().officeName == "余杭区");
            // The key beside it is the one the file names: receipts verify.
            const auto keys = readKeyFile(keyFileFor(db));
            REQUIRE(keys);
            CHECK(keys->publicKeyHex == store.node().publicKeyHex);
        });
}
