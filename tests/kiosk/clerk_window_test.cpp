// Clerk mode in the real kiosk under Xvfb: the PIN pad, a fulfilment report
// seen at once in resident mode, logout when idle; sync inside the kiosk
// with a real district server, and a UI that keeps drawing while the
// district hangs. Taps go to positions the kiosk writes to its probe file.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <thread>

#include "shared/store.hpp"
#include "tests/kiosk/kiosk_support.hpp"
#include "tests/support/hanging_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

bool hasLine(const fs::path& file, const std::string& line) { return countLines(file, line) > 0; }

struct Probes {
    std::map<std::string, std::pair<int, int>> pos;  // every widget shown in this run, last position
    std::int64_t frames = -1;
    std::map<std::string, int> detailReports;    // commitment -> reports shown
    std::map<std::string, int> detailRevisions;  // commitment -> revisions shown
    bool any(const std::string& prefix) const {
        const auto it = pos.lower_bound(prefix);
        return it != pos.end() && it->first.starts_with(prefix);
    }
};

Probes readProbes(const fs::path& file) {
    Probes p;
    std::istringstream in(readText(file));
    std::string kind;
    while (in >> kind) {
        if (kind == "pos") {
            std::string name;
            int x = 0, y = 0;
            in >> name >> x >> y;
            p.pos[name] = {x, y};
        } else if (kind == "frames") {
            in >> p.frames;
        } else if (kind == "detail") {
            std::string rest;
            std::getline(in, rest);
            std::istringstream line(rest);
            std::string id;
            int reports = 0, revisions = 0;
            line >> id >> reports >> revisions;
            p.detailReports[id] = reports;
            p.detailRevisions[id] = revisions;
        } else {
            std::string rest;
            std::getline(in, rest);
        }
    }
    return p;
}

/// A clerk account made with the real command line.
void addClerk(const fs::path& db, const std::string& id, const std::string& name, const std::string& role,
              const std::string& pin) {
    const RunResult r = runProgram({SHOUXIN_CLI, "--db", db.string(), "clerk", "add", "--name", name,
                                    "--role", role, "--id", id, "--pin-stdin"},
                                   pin + "\n");
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

/// The running kiosk, driven by taps on the widgets it reports.
struct Driver {
    fs::path trace;
    fs::path probe;

    /// The kiosk on `db` writing this driver's trace and probe files; by
    /// default no idle reset within a test and no sync, else as `options` say.
    std::vector<std::string> kiosk(const std::string& db,
                                   std::vector<std::string> options = {"--idle-seconds", "120",
                                                                       "--sync-interval", "0"}) const {
        std::vector<std::string> argv = {SHOUXIN_KIOSK,  "--db",        db, "--trace-file", trace.string(),
                                         "--probe-file", probe.string()};
        argv.insert(argv.end(), options.begin(), options.end());
        return argv;
    }

    void tap(const std::string& widget) {
        INFO("widget " << widget);
        REQUIRE(waitFor([&] { return readProbes(probe).pos.count(widget) == 1; }, 15));
        const auto [x, y] = readProbes(probe).pos.at(widget);
        // No --sync: it waits forever when the pointer is already there
        // (the same digit twice).
        REQUIRE(runProgram({"/usr/bin/xdotool", "mousemove", std::to_string(x), std::to_string(y), "sleep",
                            "0.1", "click", "1"})
                    .exitCode == 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    /// Types ASCII at the end of the focused field. (xdotool types other
    /// characters through a keycode it remaps for each one, and under Xvfb
    /// the kiosk then reads some of them twice and loses others.)
    void typeAtEnd(const std::string& text) {
        REQUIRE(runProgram({"/usr/bin/xdotool", "key", "End"}).exitCode == 0);
        REQUIRE(runProgram({"/usr/bin/xdotool", "type", "--delay", "40", text}).exitCode == 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    void pin(const std::string& digits) {
        for (const char d : digits)
            tap(std::string("pin_") + d);
    }
    // The bound is generous: a PIN check (Argon2id, 64 MiB) behind a busy
    // machine's other work can take many seconds; a pass never waits for it.
    void waitTrace(const std::string& line, int count = 1, double seconds = 45) {
        INFO(readText(trace) << "---\n" << readText(probe));
        REQUIRE(waitFor([&] { return countLines(trace, line) >= count; }, seconds));
    }
    /// Scrolls the screen under `widget` down with the mouse wheel.
    void scrollDown(const std::string& widget) {
        INFO("widget " << widget);
        REQUIRE(waitFor([&] { return readProbes(probe).pos.count(widget) == 1; }, 15));
        const auto [x, y] = readProbes(probe).pos.at(widget);
        REQUIRE(runProgram({"/usr/bin/xdotool", "mousemove", std::to_string(x), std::to_string(y), "sleep",
                            "0.1", "click", "--repeat", "10", "--delay", "30", "5"})
                    .exitCode == 0);
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
    /// Waits until the kiosk has written `count` more frame counts (one a
    /// second): it has drawn frames since, so whatever the taps before
    /// would have caused has happened.
    void waitFrames(int count) {
        const auto written = [&] {
            std::istringstream in(readText(probe));
            std::string line;
            int n = 0;
            while (std::getline(in, line))
                n += line.starts_with("frames ") ? 1 : 0;
            return n;
        };
        const int before = written();
        INFO(readText(trace));
        REQUIRE(waitFor([&] { return written() >= before + count; }, 20));
    }
    void login(const std::string& clerk, const std::string& code) {
        const int pads = countLines(trace, "login");
        const int logins = countLines(trace, "login clerk:" + clerk);
        const int dashboards = countLines(trace, "dashboard");
        tap("clerk_entry");
        waitTrace("login", pads + 1);
        tap("clerk_" + clerk);
        pin(code);
        waitTrace("login clerk:" + clerk, logins + 1);
        waitTrace("dashboard", dashboards + 1);
    }
};

std::int64_t wallMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

/// The commitment the detail view loaded last, with its reports and revisions.
struct Shown {
    std::string commitment;
    int reports = -1;
    int revisions = -1;
};
Shown lastDetail(const fs::path& probe) {
    Shown shown;
    const std::string text = readText(probe);
    const auto at = text.rfind("\ndetail ");
    if (at == std::string::npos) return shown;
    std::istringstream line(text.substr(at + 8, text.find('\n', at + 1) - at - 8));
    line >> shown.commitment >> shown.reports >> shown.revisions;
    return shown;
}

std::string lastNote(const fs::path& db, const std::string& commitment, std::string* actor) {
    const Store store = Store::open(db);
    const auto history = store.history(commitment);
    if (history.empty()) return {};
    if (actor) *actor = history.back().actor;
    return history.back().report.note;
}

}  // namespace

TEST_CASE("a clerk logs in on the PIN pad, files a report residents see at once, and idles out",
          "[ui][window][clerk]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    addClerk(db, "zhang", "张明", "clerk", "246810");
    addClerk(db, "li", "李䶮", "supervisor", "135790");
    Driver k{dir / "trace.txt", dir / "probe.txt"};
    Background kiosk(
        k.kiosk(db.string(), {"--idle-seconds", "8", "--countdown-seconds", "2", "--sync-interval", "0"}));
    k.waitTrace("home");
    // Residents see no clerk tool, only the discreet way in.
    CHECK(readProbes(k.probe).pos.count("clerk_logout") == 0);
    CHECK(readProbes(k.probe).pos.count("action_report") == 0);

    // A wrong PIN first: refused, and nobody is logged in.
    k.tap("clerk_entry");
    k.waitTrace("login");
    k.tap("clerk_zhang");
    for (const char d : std::string("111111"))
        k.tap(std::string("pin_") + d);
    k.waitTrace("login-failed");
    CHECK_FALSE(hasLine(k.trace, "login clerk:zhang"));
    for (const char d : std::string("246810"))
        k.tap(std::string("pin_") + d);
    k.waitTrace("login clerk:zhang");
    k.waitTrace("dashboard");
    CHECK(readProbes(k.probe).pos.count("clerk_logout") == 1);

    // The first overdue commitment, then the report form.
    k.tap("dash_row_overdue_0");
    k.waitTrace("detail");
    k.tap("action_report");
    k.waitTrace("report");
    // A clerk is offered no amendment; a supervisor's tools are not there.
    CHECK(readProbes(k.probe).pos.count("status_amended") == 0);
    CHECK(readProbes(k.probe).pos.count("action_revise") == 0);
    CHECK(readProbes(k.probe).pos.count("action_amend") == 0);
    k.tap("status_in_progress");
    k.tap("phrase_0");  // 已入户走访核实
    k.tap("phrase_2");  // 已报上级部门审批
    k.tap("report_save");
    k.waitTrace("saved report");
    k.waitTrace("detail", 2);

    // Which commitment: the one the detail view showed last.
    std::string commitment;
    int reports = 0;
    REQUIRE(waitFor(
        [&] {
            const std::string text = readText(k.probe);
            const auto at = text.rfind("\ndetail ");
            if (at == std::string::npos) return false;
            std::istringstream line(text.substr(at + 8));
            line >> commitment >> reports;
            return reports > 0;
        },
        10));
    std::string actor;
    CHECK(lastNote(db, commitment, &actor) == "已入户走访核实；已报上级部门审批");
    CHECK(actor == "clerk:zhang");

    // Logged out, the resident detail view shows the new report (its
    // history was read again: one report more than before).
    k.tap("clerk_logout");
    k.waitTrace("logout");
    CHECK(readProbes(k.probe).detailReports.at(commitment) == reports);
    {
        const Store store = Store::open(db);
        CHECK(static_cast<int>(store.history(commitment).size()) == reports);
    }

    // Log in again and walk away: the idle reset logs the clerk out.
    k.login("zhang", "246810");
    k.waitTrace("logout-idle", 1, 30);
    k.waitTrace("idle-reset");
    CHECK(kiosk.running());
    CHECK(kiosk.terminate(15) == 0);
}

TEST_CASE("a report made on kiosk A reaches kiosk B of the same office through the district",
          "[ui][window][clerk][sync]") {
    Xvfb x;
    REQUIRE(x.ok());
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    const Kiosk b = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    addClerk(a.db, "zhang", "张明", "clerk", "246810");
    const fs::path dir = fs::path(a.db).parent_path();
    Driver k{dir / "trace-a.txt", dir / "probe-a.txt"};
    {
        // Kiosk A syncs by itself, through its own sync worker.
        Background kiosk(k.kiosk(a.db, {"--sync-interval", "2", "--idle-seconds", "120"}));
        k.waitTrace("home");
        k.waitTrace("sync-ok", 1, 60);  // the demo office and the clerk went up
        k.login("zhang", "246810");
        k.tap("dash_row_overdue_0");
        k.waitTrace("detail");
        k.tap("action_report");
        k.waitTrace("report");
        k.tap("phrase_6");  // 已按承诺办结
        k.tap("status_fulfilled");
        k.tap("report_save");
        k.waitTrace("saved report");
        // "Sync now" sends it without waiting for the interval.
        const int before = countLines(k.trace, "sync-ok");
        k.tap("clerk_sync");
        k.waitTrace("sync-now");
        k.waitTrace("sync-ok", before + 1, 60);
        REQUIRE(waitFor([&] { return a.open().pendingCount() == 0; }, 30));
        CHECK(kiosk.terminate(15) == 0);
    }
    world.sync(b);
    // B holds A's report, and both equal the district.
    const Store sa = a.open();
    const Store sb = b.open();
    int fulfilledA = 0;
    for (const auto& c : sa.commitments()) {
        const auto hb = sb.history(c.commitment.id);
        const auto ha = sa.history(c.commitment.id);
        CHECK(ha.size() == hb.size());
        if (!ha.empty() && ha.back().actor == "clerk:zhang") {
            ++fulfilledA;
            CHECK(hb.back().report.note == "已按承诺办结");
            CHECK(sb.commitment(c.commitment.id)->status == Status::fulfilled);
        }
    }
    CHECK(fulfilledA == 1);
    CHECK(a.digest() == b.digest());
    CHECK(a.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("the kiosk keeps drawing while the district hangs, and closes promptly",
          "[ui][window][clerk][sync]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    {
        // Enrolled, as far as the node knows, with a district that never answers.
        Store store = Store::open(db);
        store.setSetting(Setting::token, "t0k3n");
    }
    HangingServer hanging;
    REQUIRE(runProgram({SHOUXIN_CLI, "--db", db.string(), "set-server", hanging.url()}).exitCode == 0);
    const fs::path trace = dir / "trace.txt";
    const fs::path probe = dir / "probe.txt";
    Background kiosk({SHOUXIN_KIOSK, "--db", db.string(), "--trace-file", trace.string(), "--probe-file",
                      probe.string(), "--sync-interval", "1"});
    REQUIRE(waitFor([&] { return hasLine(trace, "home"); }, 20));
    // The sync worker is stuck in a request...
    REQUIRE(waitFor([&] { return hanging.connections() >= 1; }, 20));
    const std::int64_t stuckAt = readProbes(probe).frames;
    // ... and frames keep coming: the counter, written each second, grows.
    CHECK(waitFor([&] { return readProbes(probe).frames >= stuckAt + 3; }, 30));
    CHECK_FALSE(hasLine(trace, "sync-ok"));
    // Closing does not wait for the network.
    CHECK(kiosk.terminate(15) == 0);
}

TEST_CASE("a supervisor revises a commitment's text and the detail view shows it with its history",
          "[ui][window][clerk]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    addClerk(db, "li", "李䶮", "supervisor", "135790");
    Driver k{dir / "trace.txt", dir / "probe.txt"};
    Background kiosk(k.kiosk(db.string()));
    k.waitTrace("home");
    k.login("li", "135790");
    k.tap("dash_row_overdue_0");
    k.waitTrace("detail");
    REQUIRE(waitFor([&] { return lastDetail(k.probe).reports >= 0; }, 10));
    const Shown before = lastDetail(k.probe);
    CHECK(before.revisions == 0);
    std::string oldTitle;
    {
        const Store store = Store::open(db);
        oldTitle = store.commitment(before.commitment)->commitment.title;
        CHECK(store.revisions(before.commitment).empty());
    }

    // The revise form holds the current text; a new title and a reason.
    k.tap("action_revise");
    k.waitTrace("revise");
    const std::string title = oldTitle + " (2026 rev. 2)";
    const std::string reason = "Town meeting 2026-03 set a new time limit";
    k.tap("publish_title");
    k.typeAtEnd(" (2026 rev. 2)");
    // The reason and the save button are further down the form.
    k.scrollDown("publish_detail");
    k.tap("revise_reason");
    k.typeAtEnd(reason);
    k.tap("publish_save");
    k.waitTrace("saved revision");

    // The detail view reads the commitment again: one revision now.
    REQUIRE(waitFor(
        [&] {
            const Shown s = lastDetail(k.probe);
            return s.commitment == before.commitment && s.revisions == 1;
        },
        20));
    CHECK(lastDetail(k.probe).reports == before.reports);
    {
        const Store store = Store::open(db);
        CHECK(store.commitment(before.commitment)->commitment.title == title);
        const auto revisions = store.revisions(before.commitment);
        REQUIRE(revisions.size() == 1);
        CHECK(revisions[0].actor == "clerk:li");
        CHECK(revisions[0].revision.title == title);
        CHECK(revisions[0].revision.reason == reason);
    }

    // Logging out leaves the detail view up (not a clerk screen), now a
    // resident's: what it loaded holds the revision.
    k.tap("clerk_logout");
    k.waitTrace("logout");
    CHECK(countLines(k.trace, "home") == 1);
    const Shown resident = lastDetail(k.probe);
    CHECK(resident.commitment == before.commitment);
    CHECK(resident.revisions == 1);
    CHECK(kiosk.terminate(15) == 0);
}

TEST_CASE("a clerk at the kiosk is offered no revise, amend or disable control", "[ui][window][clerk]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    addClerk(db, "zhang", "张明", "clerk", "246810");
    addClerk(db, "li", "李䶮", "supervisor", "135790");
    Driver k{dir / "trace.txt", dir / "probe.txt"};
    Background kiosk(k.kiosk(db.string()));
    k.waitTrace("home");
    k.login("zhang", "246810");
    // The dashboard of a clerk: no clerks card, so no way to disable one.
    REQUIRE(waitFor([&] { return readProbes(k.probe).pos.count("dash_row_overdue_0") == 1; }, 15));
    k.tap("dash_row_overdue_0");
    k.waitTrace("detail");
    // The detail view drew its clerk actions: the report is offered...
    REQUIRE(waitFor([&] { return readProbes(k.probe).pos.count("action_report") == 1; }, 15));
    // ... and nothing a supervisor does (the probe file keeps every widget
    // this kiosk has shown).
    const Probes clerk = readProbes(k.probe);
    CHECK(clerk.pos.count("action_revise") == 0);
    CHECK(clerk.pos.count("action_amend") == 0);
    CHECK(clerk.pos.count("dash_clerks") == 0);
    CHECK(clerk.pos.count("dash_set_aside") == 0);
    CHECK_FALSE(clerk.any("disable_"));
    k.tap("action_report");
    k.waitTrace("report");
    // The report view's widgets reach the probe file with its next frames.
    CHECK(waitFor([&] { return readProbes(k.probe).pos.count("status_fulfilled") == 1; }, 15));
    CHECK(readProbes(k.probe).pos.count("status_amended") == 0);

    // The same screens for a supervisor do show them: the probe would see them.
    k.tap("clerk_logout");
    k.waitTrace("logout");
    k.login("li", "135790");
    k.tap("dash_row_overdue_0");
    k.waitTrace("detail", 2);
    CHECK(waitFor([&] { return readProbes(k.probe).pos.count("action_revise") == 1; }, 15));
    CHECK(readProbes(k.probe).pos.count("action_amend") == 1);
    k.tap("clerk_dashboard");
    k.waitTrace("dashboard", 3);
    k.tap("dash_clerks");
    CHECK(waitFor([&] { return readProbes(k.probe).pos.count("disable_zhang") == 1; }, 15));
    CHECK(kiosk.terminate(15) == 0);
}

TEST_CASE("five wrong PINs lock the pad, and after a restart the right PIN is refused while locked",
          "[ui][window][clerk]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    addClerk(db, "zhang", "张明", "clerk", "246810");
    Driver k{dir / "trace.txt", dir / "probe.txt"};
    const std::vector<std::string> argv = k.kiosk(db.string());
    {
        Background kiosk(argv);
        k.waitTrace("home");
        k.tap("clerk_entry");
        k.waitTrace("login");
        k.tap("clerk_zhang");
        for (int i = 1; i <= 4; ++i) {
            k.pin("111111");
            k.waitTrace("login-failed", i);
        }
        k.pin("111111");
        k.waitTrace("login-locked");
        // Locked, the pad takes no digits: the right PIN is not even checked.
        k.pin("246810");
        k.waitFrames(2);
        CHECK_FALSE(hasLine(k.trace, "login clerk:zhang"));
        CHECK(countLines(k.trace, "login-locked") == 1);
        CHECK(countLines(k.trace, "login-failed") == 4);
        CHECK(kiosk.terminate(15) == 0);
    }
    std::int64_t lockedUntil = 0;
    {
        const Store store = Store::open(db);
        lockedUntil = std::stoll(store.setting(Setting::pinLockedUntil));
    }
    // Started again on the same file, within the 30 s of the first lock.
    Background kiosk(argv);
    k.waitTrace("home", 2);
    k.tap("clerk_entry");
    k.waitTrace("login", 2);
    INFO("the restart took longer than the lock: this machine is too slow for the test");
    REQUIRE(wallMillis() < lockedUntil);
    // The pad reads the stored lock as it opens: locked before anyone tries.
    k.waitTrace("login-locked", 2);
    k.tap("clerk_zhang");
    k.pin("246810");
    k.waitFrames(2);
    CHECK_FALSE(hasLine(k.trace, "login clerk:zhang"));
    CHECK(countLines(k.trace, "login-failed") == 4);
    CHECK(kiosk.terminate(15) == 0);
}
