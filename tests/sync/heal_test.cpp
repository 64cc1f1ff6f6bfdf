// A damaged node file healed from the district, with no one at the
// keyboard (sync/client/heal.hpp), and a district's damaged file, which is
// never moved: the real `shouxin` and `shouxin-district` on real files.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "shared/crypto.hpp"
#include "sync/client/heal.hpp"
#include "tests/support/damage.hpp"
#include "tests/support/longrun.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string firstId(const Kiosk& k, const std::string& status) {
    const auto r = k.cli({"list", "--status", status});
    REQUIRE(r.exitCode == 0);
    return r.out.substr(0, 36);
}

void report(const Kiosk& k, const std::string& commitment, int progress) {
    const auto r = k.cli({"report", "--commitment", commitment, "--status", "in_progress", "--progress",
                          std::to_string(progress % 100), "--note", "补记进度 " + std::to_string(progress),
                          "--clerk", "zhang"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

// Kiosk A of a demo office, synced with the district once.
Kiosk syncedDemo(SyncWorld& world) {
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    world.sync(a);
    return a;
}

// The number after `label` on its line of a heal report.
std::int64_t countAfter(const std::string& out, const std::string& label) {
    const auto at = out.find(label);
    if (at == std::string::npos) return -1;
    const auto colon = out.find(": ", at);
    return std::stoll(out.substr(colon + 2));
}

// Garbage over the event table's page that holds `device`'s event `seq`
// (and its neighbours on the page), with everything in the main file.
void garbleEventPage(const Kiosk& k, const std::string& device, std::int64_t seq) {
    checkpoint(k.db);
    const std::string id =
        rawQuery(k.db, "SELECT id FROM event WHERE device = '" + device + "' AND seq = " + std::to_string(seq));
    const std::string hash = rawQuery(k.db, "SELECT hash FROM event WHERE id = '" + id + "'");
    std::int64_t rowPage = 0;
    for (const auto page : pagesHolding(k.db, id)) {
        const auto withHash = pagesHolding(k.db, hash);
        if (std::find(withHash.begin(), withHash.end(), page) != withHash.end()) rowPage = page;
    }
    REQUIRE(rowPage > 0);
    garblePage(k.db, rowPage);
}

}  // namespace

TEST_CASE("a node whose state tables are damaged heals from the district and sends its unacknowledged events once",
          "[heal]") {
    SyncWorld world;
    const Kiosk a = syncedDemo(world);
    const std::string commitment = firstId(a, "in_progress");
    for (int i = 1; i <= 3; ++i) report(a, commitment, i);
    const NodeInfo node = a.open().node();
    const std::int64_t head = a.open().ownHeadSeq();
    REQUIRE(a.open().pendingCount() == 3);
    const std::string token = a.open().setting(Setting::token);

    // Garbage over the folded state (commitments and their reports), not
    // the event log: the own events can all be read back.
    for (const char* table : {"commitment", "fulfilment"}) garbleRootPage(a.db, table);

    // verify finds it, heals, and verifies the node set up again.
    const auto healed = a.cli({"verify"});
    INFO(healed.out << healed.err);
    CHECK(healed.exitCode == 0);
    CHECK(contains(healed.err, "数据库文件已损坏"));
    CHECK(contains(healed.out, "数据已从区县恢复"));
    CHECK(countAfter(healed.out, "read back from the damaged file and sent up") == 3);
    CHECK(countAfter(healed.out, "could not be read back (lost)") == 0);

    // The damaged copy is kept aside; the node keeps its identity and keys.
    const std::string aside = asideOf(a.db);
    REQUIRE_FALSE(aside.empty());
    CHECK(contains(healed.out, aside));
    const Store store = a.open();
    CHECK(store.node().device == node.device);
    CHECK(store.node().office == node.office);
    CHECK(store.setting(Setting::token) == token);
    CHECK(store.ownHeadSeq() == head);
    CHECK(store.pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    // Each recovered event reached the district once: its chain is whole
    // and ends at the node's head.
    CHECK(world.districtCount("event WHERE device = '" + node.device + "'") == head);
    CHECK(world.districtQuery("SELECT max(seq) FROM event WHERE device = '" + node.device + "'") ==
          std::to_string(head));

    // It goes on as before: a new report, a round, verify.
    report(a, commitment, 4);
    world.sync(a);
    CHECK(a.open().pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    CHECK(a.cli({"verify"}).exitCode == 0);
    CHECK(world.districtCount("event WHERE device = '" + node.device + "'") == head + 1);
}

TEST_CASE("a node whose event log is damaged recovers its own events up to the first unreadable one", "[heal]") {
    SyncWorld world;
    const Kiosk a = syncedDemo(world);
    const std::string commitment = firstId(a, "in_progress");
    const std::int64_t acked = a.open().ownHeadSeq();
    constexpr int kPending = 40;
    for (int i = 1; i <= kPending; ++i) report(a, commitment, i);
    const std::string device = a.open().node().device;
    REQUIRE(a.open().pendingCount() == kPending);

    // Garbage over the page that holds the 30th pending event.
    garbleEventPage(a, device, acked + 30);

    // sync meets the damage: the integrity check is not run by sync, so
    // the push reads the damaged page, and the node heals.
    const auto healed = a.cli({"sync", "--once", "--retries", "0"});
    INFO(healed.out << healed.err);
    CHECK(healed.exitCode == 0);
    CHECK(contains(healed.out, "数据已从区县恢复"));
    const std::int64_t recovered = countAfter(healed.out, "read back from the damaged file and sent up");
    const std::int64_t lost = countAfter(healed.out, "could not be read back (lost)");
    CHECK(recovered >= 0);
    CHECK(recovered < 30);
    CHECK(lost > 0);
    CHECK(recovered + lost == kPending);
    CHECK_FALSE(asideOf(a.db).empty());

    const Store store = a.open();
    CHECK(store.ownHeadSeq() == acked + recovered);
    CHECK(store.pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    CHECK(world.districtCount("event WHERE device = '" + device + "'") == acked + recovered);
    CHECK(a.cli({"verify"}).exitCode == 0);
}

TEST_CASE("a district's damaged file is reported with the way back and never moved or renamed", "[heal]") {
    SyncWorld world;
    const Kiosk a = syncedDemo(world);

    // A read-only command while the server has the file open renames nothing.
    const auto names = [&] {
        std::vector<std::string> out;
        for (const auto& entry : fs::directory_iterator(world.districtDb().parent_path()))
            out.push_back(entry.path().filename().string());
        std::sort(out.begin(), out.end());
        return out;
    };
    const auto district = [&](std::vector<std::string> args) {
        auto argv = districtCommand(world.districtDb());
        argv.insert(argv.end(), args.begin(), args.end());
        return runProgram(argv);
    };
    const auto before = names();
    CHECK(district({"status"}).exitCode == 0);
    CHECK(names() == before);

    world.server().stop();
    garbleRootPage(world.districtDb(), "node");
    const std::string bytes = readBytes(world.districtDb());
    const auto files = names();
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"status"}, {"verify"}, {"digest", "--office", kOfficeA}, {"serve", "--listen", "127.0.0.1:0"}}) {
        INFO(args.front());
        const auto r = district(args);
        INFO(r.out << r.err);
        CHECK(r.exitCode != 0);
        CHECK(contains(r.err, "区县数据库文件已损坏"));
        CHECK(contains(r.err, "left untouched"));
        CHECK(contains(r.err, "shouxin-district restore"));
        CHECK(names() == files);
        CHECK(readBytes(world.districtDb()) == bytes);
    }
}

TEST_CASE("a heal out of reach of the district refuses new records and resumes at the next sync", "[heal]") {
    SyncWorld world;
    const Kiosk a = syncedDemo(world);
    const std::string commitment = firstId(a, "in_progress");
    report(a, commitment, 1);
    report(a, commitment, 2);
    const std::int64_t head = a.open().ownHeadSeq();
    garbleRootPage(a.db, "commitment");

    world.server().stop();
    const auto cut = a.cli({"verify"});
    INFO(cut.out << cut.err);
    CHECK(cut.exitCode != 0);
    CHECK(contains(cut.out, "暂时无法连接区县"));
    CHECK_FALSE(asideOf(a.db).empty());
    // Set up again, not healed: nothing may be recorded (its chain head is
    // not known until the district answers).
    const auto refused = a.cli({"report", "--commitment", commitment, "--status", "in_progress", "--progress", "3",
                                "--note", "恢复前", "--clerk", "zhang"});
    CHECK(refused.exitCode != 0);
    CHECK(contains(refused.err, "数据正在从区县恢复"));

    world.restartServer();
    const auto resumed = a.cli({"sync", "--once", "--retries", "0"});
    INFO(resumed.out << resumed.err);
    CHECK(resumed.exitCode == 0);
    CHECK(countAfter(resumed.out, "read back from the damaged file and sent up") == 2);
    CHECK(a.open().ownHeadSeq() == head);
    CHECK(a.open().pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
    CHECK(a.cli({"verify"}).exitCode == 0);
    report(a, commitment, 3);
    world.sync(a);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("a second healer of the same file stands back and touches nothing", "[heal]") {
    TempDir dir;
    const fs::path db = dir / "node.db";
    { Store::create(db, kOfficeA, "青山镇人民政府"); }
    garbleRootPage(db, "commitment");
    const std::string bytes = readBytes(db);
    // Another process (the kiosk, the sync timer) holds the heal lock.
    const std::string lockPath = db.string() + ".heal-lock";
    const int fd = ::open(lockPath.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    REQUIRE(fd >= 0);
    REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
    // flock locks belong to the open file description: a second open in
    // this process is refused as another process would be.
    const auto report = client::heal(db);
    CHECK(report.outcome == client::HealReport::Outcome::busy);
    CHECK(readBytes(db) == bytes);
    CHECK(asideOf(db).empty());
    ::close(fd);
    // The lock released, a node never enrolled cannot be healed: it is
    // told to enrol again, its damaged file kept aside.
    const auto second = client::heal(db);
    CHECK(second.outcome == client::HealReport::Outcome::reenrol);
    CHECK(contains(client::describe(second), "shouxin enroll"));
    CHECK_FALSE(asideOf(db).empty());
}

TEST_CASE("a sync daemon that meets a damaged file heals it and goes on syncing", "[heal]") {
    SyncWorld world;
    const Kiosk a = syncedDemo(world);
    const std::string commitment = firstId(a, "in_progress");
    const std::int64_t acked = a.open().ownHeadSeq();
    for (int i = 1; i <= 40; ++i) report(a, commitment, i);
    const std::string device = a.open().node().device;
    garbleEventPage(a, device, acked + 30);

    // Its first round's push reads the damaged page: it heals, and stays up.
    const fs::path out = world.dir() / "daemon.txt";
    Spawned daemon({SHOUXIN_CLI, "--db", a.db, "sync", "--daemon", "--interval", "0.2"}, out);
    REQUIRE(waitFor([&] { return contains(readBytes(out), "数据已从区县恢复"); }, 60));
    CHECK_FALSE(asideOf(a.db).empty());
    REQUIRE(daemon.running());

    // A report made now reaches the district by its next rounds.
    const std::int64_t held = a.open().ownHeadSeq();
    report(a, commitment, 41);
    const auto atDistrict = [&] { return world.districtCount("event WHERE device = '" + device + "'"); };
    CHECK(waitFor([&] { return atDistrict() == held + 1; }, 30));
    CHECK(daemon.running());
    CHECK(daemon.terminate(15) == 0);
    CHECK(a.open().pendingCount() == 0);
    CHECK(a.digest() == world.districtDigest(kOfficeA));
}
