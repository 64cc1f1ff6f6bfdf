#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "shared/crypto.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

void writeBytes(const fs::path& file, const std::string& bytes) {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out << bytes;
}

// Every file in a directory, by name, with its bytes.
std::map<std::string, std::string> filesIn(const fs::path& dir) {
    std::map<std::string, std::string> out;
    for (const auto& entry : fs::directory_iterator(dir))
        if (entry.is_regular_file()) out[entry.path().filename().string()] = readBytes(entry.path());
    return out;
}

unsigned modeOf(const fs::path& file) {
    struct stat st {};
    ::stat(file.c_str(), &st);
    return st.st_mode & 0777;
}

RunResult district(const fs::path& db, std::vector<std::string> args) {
    auto argv = districtCommand(db);
    argv.insert(argv.end(), args.begin(), args.end());
    return runProgram(argv);
}

// A node in its own directory, driven through the real `shouxin`.
struct Node {
    TempDir dir;
    fs::path db = dir / "node.db";

    RunResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {SHOUXIN_CLI, "--db", db.string()});
        return runProgram(args);
    }
    void init(const char* office = kOfficeA) const {
        REQUIRE((*this)({"init", "--office", office, "--name", "青山镇人民政府"}).exitCode == 0);
        REQUIRE((*this)({"demo"}).exitCode == 0);
    }
    void backup(const fs::path& file) const {
        const auto r = (*this)({"backup", file.string()});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
};

std::string firstId(const Kiosk& k, const std::string& status) {
    const auto r = k.cli({"list", "--status", status});
    REQUIRE(r.exitCode == 0);
    return r.out.substr(0, 36);
}

void report(const Kiosk& k, const std::string& commitment, int progress) {
    const auto r =
        k.cli({"report", "--commitment", commitment, "--status", "in_progress", "--progress",
               std::to_string(progress), "--note", "进度 " + std::to_string(progress), "--clerk", "zhang"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

std::int64_t eventCount(const std::string& db) { return Store::open(db).eventCount(); }

}  // namespace

TEST_CASE("a district backup taken while kiosks push verifies and holds one consistent state", "[backup]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b = world.addKiosk(kOfficeB, "溪口镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    REQUIRE(b.cli({"demo"}).exitCode == 0);
    world.sync(a);
    const std::string commitment = firstId(a, "in_progress");

    // Office B's first sync and a stream of office A's reports, while the
    // district is backed up over and over.
    std::atomic<bool> pushing{true};
    std::thread kiosks([&] {
        world.sync(b);
        for (int i = 1; i <= 12; ++i) {
            report(a, commitment, i);
            world.sync(a);
        }
        pushing = false;
    });
    std::vector<fs::path> backups;
    while (pushing || backups.empty()) {
        const fs::path file = world.dir() / ("district-" + std::to_string(backups.size()) + ".db");
        const auto r = district(world.districtDb(), {"backup", file.string()});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        CHECK(contains(r.out, "备份已写好并校验通过"));
        backups.push_back(file);
    }
    kiosks.join();

    std::int64_t previous = 0;
    for (const auto& file : backups) {
        INFO(file);
        CHECK_FALSE(fs::exists(file.string() + ".part"));
        CHECK(modeOf(file) == 0600);
        CHECK(modeOf(keyFileFor(file)) == 0600);
        CHECK(readBytes(keyFileFor(file)) == readBytes(world.districtKeyFile()));
        const auto verify = district(file, {"verify"});
        INFO(verify.out << verify.err);
        CHECK(verify.exitCode == 0);
        const std::int64_t events = eventCount(file.string());
        CHECK(events >= previous);  // each a later committed state
        previous = events;
    }
    CHECK(previous <= world.districtCount("event"));

    // The last backup restores in place of the stopped server's database.
    world.server().stop();
    const auto restore = district(world.districtDb(), {"restore", backups.back().string()});
    INFO(restore.err);
    REQUIRE(restore.exitCode == 0);
    CHECK(contains(restore.out, "已恢复"));
    CHECK(district(world.districtDb(), {"verify"}).exitCode == 0);
    CHECK(eventCount(world.districtDb().string()) == eventCount(backups.back().string()));
}

TEST_CASE("a node restored from an older backup gets its later events back and syncs on", "[backup][sync]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    world.sync(a);
    const std::string commitment = firstId(a, "in_progress");
    // The backup holds one report the district has not yet seen.
    report(a, commitment, 10);
    const fs::path backup = world.dir() / "kiosk-backup.db";
    const auto made = a.cli({"backup", backup.string()});
    INFO(made.err);
    REQUIRE(made.exitCode == 0);
    world.sync(a);
    report(a, commitment, 20);
    report(a, commitment, 30);
    world.sync(a);
    const std::int64_t held = eventCount(a.db);
    const std::int64_t head = a.open().ownHeadSeq();

    const auto restored = a.cli({"restore", backup.string()});
    INFO(restored.err);
    REQUIRE(restored.exitCode == 0);
    CHECK(contains(restored.out, "已恢复"));
    CHECK(contains(restored.out, "sync --once"));
    CHECK(eventCount(a.db) == held - 2);

    // Its first sync resends what the backup held pending (a duplicate at
    // the district) and pulls back its own two later reports.
    world.sync(a);
    CHECK(eventCount(a.db) == held);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    CHECK(a.cli({"verify"}).exitCode == 0);
    CHECK(a.open().ownHeadSeq() == head);
    // The resent duplicate's signed head (below the chain's head) did not
    // replace the district's signature of the device's real head.
    CHECK(district(world.districtDb(), {"verify"}).exitCode == 0);

    // A new report continues the chain: no fork, no conflict.
    report(a, commitment, 40);
    world.sync(a);
    CHECK(a.open().pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    CHECK(a.cli({"verify"}).exitCode == 0);
    const auto districtVerify = district(world.districtDb(), {"verify"});
    INFO(districtVerify.out);
    CHECK(districtVerify.exitCode == 0);
}

TEST_CASE("restore refuses a bad or foreign backup and leaves the current files byte for byte", "[backup]") {
    Node node;
    node.init();
    TempDir elsewhere;
    const fs::path good = elsewhere / "good.db";
    node.backup(good);
    const auto before = filesIn(node.dir.path());

    // A backup file and its key, as given.
    const auto withKey = [&](const char* name, const std::string& bytes, const std::string& key) {
        const fs::path file = elsewhere / name;
        writeBytes(file, bytes);
        if (!key.empty()) writeBytes(keyFileFor(file), key);
        return file;
    };
    const std::string goodBytes = readBytes(good);
    const std::string goodKey = readBytes(keyFileFor(good));
    Node other;
    other.init(kOfficeB);
    Node sameOffice;
    sameOffice.init(kOfficeA);

    const fs::path tampered = withKey("tampered.db", goodBytes, goodKey);
    // A clerk's name rewritten behind the store's back: the hash no longer holds.
    rawExec(tampered, "UPDATE event SET actor = 'clerk:forged' WHERE seq = 5");
    REQUIRE(rawQuery(tampered, "SELECT actor FROM event WHERE seq = 5") == "clerk:forged");
    const fs::path otherOffice = elsewhere / "other.db";
    other.backup(otherOffice);
    const fs::path otherDevice = elsewhere / "same-office.db";
    sameOffice.backup(otherDevice);

    struct Case {
        const char* what;
        fs::path file;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"truncated", withKey("truncated.db", goodBytes.substr(0, goodBytes.size() / 3), goodKey),
         "The backup file"},
        {"garbage", withKey("garbage.db", std::string(8192, 'x'), goodKey), "not a SQLite database"},
        {"missing", elsewhere / "no-such.db", "cannot be read"},
        {"tampered event", tampered, "do not verify"},
        {"another office", otherOffice, "another office or district"},
        {"another device", otherDevice, "another device of the same office"},
        {"no key", withKey("keyless.db", goodBytes, ""), "key file beside the backup"},
        {"another key", withKey("wrong-key.db", goodBytes, readBytes(keyFileFor(otherDevice))),
         "does not match"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        const auto r = node({"restore", c.file.string()});
        INFO(r.err);
        CHECK(r.exitCode == 1);
        CHECK(contains(r.err, c.message));
        CHECK(filesIn(node.dir.path()) == before);
    }
    // The good one does restore.
    const auto r = node({"restore", good.string()});
    INFO(r.err);
    CHECK(r.exitCode == 0);
}

TEST_CASE("restore over a damaged or missing node file brings the backup back", "[backup]") {
    Node node;
    node.init();
    TempDir elsewhere;
    const fs::path backup = elsewhere / "node-backup.db";
    node.backup(backup);
    const std::string digest = node({"digest"}).out;

    SECTION("damaged") {
        const std::string garbage(4096, '\x5a');
        writeBytes(node.db, garbage);
        const auto r = node({"restore", backup.string()});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        // The damaged file is kept aside, never deleted.
        bool kept = false;
        for (const auto& [name, bytes] : filesIn(node.dir.path()))
            kept = kept || (name.rfind("node.db.before-restore-", 0) == 0 && bytes == garbage);
        CHECK(kept);
    }
    SECTION("missing, key and all") {
        fs::remove(node.db);
        fs::remove(keyFileFor(node.db));
        const auto r = node({"restore", backup.string()});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
    CHECK(node({"verify"}).exitCode == 0);
    CHECK(node({"digest"}).out == digest);
    CHECK(readBytes(keyFileFor(node.db)) == readBytes(keyFileFor(backup)));
    CHECK(modeOf(keyFileFor(node.db)) == 0600);
}

TEST_CASE("backup into a directory keeps the newest N backups", "[backup]") {
    TempDir dir;
    const fs::path db = dir / "district.db";
    REQUIRE(district(db, {"init", "--district", kDistrict, "--name", "余杭区"}).exitCode == 0);
    const fs::path into = dir / "backups";
    std::vector<std::string> made;
    for (int i = 0; i < 3; ++i) {
        if (i > 0) std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // names are by the second
        const auto r = district(db, {"backup", "--into", into.string(), "--keep", "2"});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        made.push_back(r.out);
    }
    std::vector<std::string> databases;
    for (const auto& [name, bytes] : filesIn(into))
        if (name.ends_with(".db")) databases.push_back(name);
    REQUIRE(databases.size() == 2);
    for (const auto& name : databases) {
        INFO(name);
        CHECK(name.rfind(std::string(kDistrict) + "-", 0) == 0);
        CHECK(fs::exists(keyFileFor(into / name)));
        CHECK(contains(made[1] + made[2], name));  // the two newest
    }
    CHECK(filesIn(into).size() == 4);  // each with its key, nothing else
    CHECK(contains(made[2], "已删除较旧的备份"));
}

TEST_CASE("backup and restore refuse a PostgreSQL database and point at pg_dump", "[backup]") {
    TempDir dir;
    const std::string url = "postgresql://shouxin@127.0.0.1:1/none";
    for (const char* command : {"backup", "restore"}) {
        INFO(command);
        const auto r = runProgram({SHOUXIN_DISTRICT, "--db", url, command, (dir / "x.db").string()});
        CHECK(r.exitCode == 1);
        CHECK(contains(r.err, "pg_dump"));
        CHECK(contains(r.err, "docs/DEPLOY.md"));
    }
    CHECK(filesIn(dir.path()).empty());
}

namespace {

// Publishes a district-wide commitment; returns its event's id.
std::string publish(const SyncWorld& world, const std::string& title) {
    const std::string out =
        districtCli(world.districtDb(), {"publish", "--category", "employment", "--kind", "guarantee", "--title", title,
                                         "--detail", "区人力社保局每季度在各镇街轮流举办招聘会。", "--department",
                                         "区人力社保局", "--operator", "chen"});
    const auto at = out.rfind(": ");
    REQUIRE(at != std::string::npos);
    return world.districtQuery("SELECT id FROM event WHERE subject = 'commitment:" + out.substr(at + 2, 36) + "'");
}

std::int64_t count(const fs::path& db, const std::string& sql) { return std::stoll(rawQuery(db, sql)); }

}  // namespace

TEST_CASE("a district restored from an older backup heals: every kiosk's events come back and nothing is skipped or doubled",
          "[backup][sync]") {
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b = world.addKiosk(kOfficeB, "溪口镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    REQUIRE(b.cli({"demo"}).exitCode == 0);
    world.sync(a);
    world.sync(b);
    const std::string epoch = world.districtQuery("SELECT value FROM node WHERE key = 'epoch'");
    CHECK(epoch.size() == 32);
    CHECK(rawQuery(a.db, "SELECT value FROM node WHERE key = 'setting.epoch'") == epoch);
    const fs::path backup = world.dir() / "district-backup.db";
    const auto made = district(world.districtDb(), {"backup", backup.string()});
    INFO(made.err);
    REQUIRE(made.exitCode == 0);

    // After the backup: both offices report, the district publishes, and
    // everything is pushed, acknowledged and pulled.
    const std::string ca = firstId(a, "in_progress");
    const std::string cb = firstId(b, "in_progress");
    for (const int progress : {50, 55, 60, 65, 70})
        report(a, ca, progress);
    report(b, cb, 70);
    world.sync(a);
    world.sync(b);
    const std::string lost = publish(world, "全区每季度举办一场春风行动招聘会");
    world.sync(a);
    world.sync(b);
    REQUIRE(a.open().pendingCount() == 0);
    REQUIRE(b.open().pendingCount() == 0);
    REQUIRE(count(a.db, "SELECT count(*) FROM event WHERE id = '" + lost + "'") == 1);
    const std::string cursorBefore = rawQuery(a.db, "SELECT value FROM node WHERE key = 'setting.cursor'");

    world.server().stop();
    const auto restored = district(world.districtDb(), {"restore", backup.string()});
    INFO(restored.err);
    REQUIRE(restored.exitCode == 0);
    const std::string renewed = world.districtQuery("SELECT value FROM node WHERE key = 'epoch'");
    CHECK(renewed.size() == 32);
    CHECK(renewed != epoch);
    world.restartServer();
    // Office B's kiosk syncs before the district acts again: it finds the
    // district's lost commitment missing from its pull and drops it too.
    world.sync(b);
    CHECK(count(b.db, "SELECT count(*) FROM event WHERE id = '" + lost + "'") == 0);
    CHECK(b.digest() == world.districtDigest(kOfficeB));
    // Numbered anew after the restore: numbers the kiosks have pulled past,
    // and the seq of the district's lost commitment, which kiosk A holds.
    const std::string after = publish(world, "全区每月开展一次消防安全检查");
    const std::string afterDseq = world.districtQuery("SELECT dseq FROM event WHERE id = '" + after + "'");
    CHECK(std::stoll(afterDseq) <= std::stoll(cursorBefore));
    CHECK(world.districtCount("event WHERE office = '" + std::string(kOfficeA) + "'") <
          count(a.db, "SELECT count(*) FROM event WHERE office = '" + std::string(kOfficeA) + "'"));

    world.sync(a);
    world.sync(b);
    world.sync(a);

    for (const Kiosk* k : {&a, &b}) {
        INFO(k->office);
        const std::string office = k->office;
        CHECK(world.districtCount("event WHERE office = '" + office + "'") ==
              count(k->db, "SELECT count(*) FROM event WHERE office = '" + office + "'"));
        CHECK(k->digest() == world.districtDigest(office));
        CHECK(k->open().pendingCount() == 0);
        // The district's commitment made after the restore is here; the one
        // the restored district lost is gone here too, as it is there.
        CHECK(count(k->db, "SELECT count(*) FROM event WHERE id = '" + after + "'") == 1);
        CHECK(count(k->db, "SELECT count(*) FROM event WHERE id = '" + lost + "'") == 0);
        CHECK(count(k->db, "SELECT count(*) FROM event WHERE office = '" + std::string(kDistrict) + "'") ==
              world.districtCount("event WHERE office = '" + std::string(kDistrict) + "'"));
        // Nothing twice.
        CHECK(count(k->db, "SELECT count(DISTINCT id) FROM event") == count(k->db, "SELECT count(*) FROM event"));
        CHECK(count(k->db, "SELECT count(*) FROM (SELECT device, seq FROM event GROUP BY device, seq HAVING count(*) > 1)") == 0);
        CHECK(rawQuery(k->db, "SELECT value FROM node WHERE key = 'setting.epoch'") == renewed);
        CHECK(rawQuery(k->db, "SELECT value FROM node WHERE key = 'setting.epoch_repull'").empty());
        const auto verify = k->cli({"verify"});
        INFO(verify.out << verify.err);
        CHECK(verify.exitCode == 0);
    }
    CHECK(world.districtCount("(SELECT DISTINCT id FROM event) AS d") == world.districtCount("event"));
    const auto verify = district(world.districtDb(), {"verify"});
    INFO(verify.out << verify.err);
    CHECK(verify.exitCode == 0);

    // And it syncs on: a new report goes up once and is pulled nowhere twice.
    report(a, ca, 80);
    world.sync(a);
    world.sync(b);
    CHECK(a.open().pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    CHECK(b.digest() == world.districtDigest(kOfficeB));
}
