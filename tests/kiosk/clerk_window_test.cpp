// Clerk mode in the real kiosk under Xvfb: the PIN pad and a fulfilment
// report seen at once in resident mode, and a UI that keeps drawing while
// the district hangs. Taps go to positions the kiosk writes to its probe
// file. What needs no window (the lockout across a restart, revisions, sync
// between kiosks, role gating) is tested on the controller.
#include <catch2/catch.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <sstream>
#include <string>

#include "shared/store.hpp"
#include "tests/kiosk/kiosk_support.hpp"
#include "tests/support/hanging_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

bool hasLine(const fs::path& file, const std::string& line) { return countLines(file, line) > 0; }

struct Probes {
    std::map<std::string, std::pair<int, int>> pos;  // every widget shown in this run, last position
    std::int64_t frames = -1;
    std::map<std::string, int> detailReports;  // commitment -> reports shown
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
            int reports = 0;
            line >> id >> reports;
            p.detailReports[id] = reports;
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

    /// The kiosk on `db` writing this driver's trace and probe files, with
    /// no idle reset within a test and no sync.
    std::vector<std::string> kiosk(const std::string& db) const {
        return {SHOUXIN_KIOSK,
                "--db",
                db,
                "--trace-file",
                trace.string(),
                "--probe-file",
                probe.string(),
                "--idle-seconds",
                "120",
                "--sync-interval",
                "0"};
    }

    void tap(const std::string& widget) {
        INFO("widget " << widget);
        REQUIRE(waitFor([&] { return readProbes(probe).pos.count(widget) == 1; }, 15));
        const auto [x, y] = readProbes(probe).pos.at(widget);
        // No --sync: it waits forever when the pointer is already there
        // (the same digit twice).
        const int taken = taps();
        REQUIRE(runProgram({"/usr/bin/xdotool", "mousemove", std::to_string(x), std::to_string(y), "sleep",
                            "0.1", "click", "1"})
                    .exitCode == 0);
        // Taken once a frame has seen the finger lift: the next tap, even
        // on the same digit, is a tap of its own.
        REQUIRE(waitFor([&] { return taps() > taken; }, 15));
    }
    /// Taps the kiosk has taken so far.
    int taps() const {
        std::istringstream in(readText(probe));
        std::string line;
        int n = 0;
        while (std::getline(in, line))
            n += line.starts_with("released ") ? 1 : 0;
        return n;
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
};

std::string lastNote(const fs::path& db, const std::string& commitment, std::string* actor) {
    const Store store = Store::open(db);
    const auto history = store.history(commitment);
    if (history.empty()) return {};
    if (actor) *actor = history.back().actor;
    return history.back().report.note;
}

}  // namespace

TEST_CASE("a clerk logs in on the PIN pad and files a report residents see at once", "[ui][window][clerk]") {
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
    // Residents see no clerk tool, only the discreet way in.
    CHECK(readProbes(k.probe).pos.count("clerk_logout") == 0);
    CHECK(readProbes(k.probe).pos.count("action_report") == 0);

    // A wrong PIN first: refused, and nobody is logged in.
    k.tap("clerk_entry");
    k.waitTrace("login");
    k.tap("clerk_zhang");
    k.pin("111111");
    k.waitTrace("login-failed");
    CHECK_FALSE(hasLine(k.trace, "login clerk:zhang"));
    k.pin("246810");
    k.waitTrace("login clerk:zhang");
    k.waitTrace("dashboard");
    CHECK(readProbes(k.probe).pos.count("clerk_logout") == 1);

    // The first overdue commitment, then the report form.
    k.tap("dash_row_overdue_0");
    k.waitTrace("detail");
    k.tap("action_report");
    k.waitTrace("report");
    // A clerk is offered no amendment; a supervisor's tools are not there
    // (the probe file keeps every widget this kiosk has shown).
    REQUIRE(waitFor([&] { return readProbes(k.probe).pos.count("status_fulfilled") == 1; }, 15));
    const Probes clerk = readProbes(k.probe);
    CHECK(clerk.pos.count("status_amended") == 0);
    CHECK(clerk.pos.count("action_revise") == 0);
    CHECK(clerk.pos.count("action_amend") == 0);
    // A clerk's dashboard has no clerks card, so no way to disable one.
    CHECK(clerk.pos.count("dash_clerks") == 0);
    CHECK(clerk.pos.count("dash_set_aside") == 0);
    CHECK_FALSE(clerk.any("disable_"));
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

    CHECK(kiosk.running());
    CHECK(kiosk.terminate(15) == 0);
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

TEST_CASE("a resident files a complaint by touch, is given its ticket, and looks it up", "[ui][window][voice]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    Driver k{dir / "trace.txt", dir / "probe.txt"};
    Background kiosk(k.kiosk(db.string()));
    k.waitTrace("home");
    k.tap("home_complain");
    k.waitTrace("complaint");
    k.tap("reason_late");
    k.tap("complaint_next");
    k.tap("complaint_phrase_1");  // 跑了多次还没办成
    k.tap("complaint_next");
    // Not enrolled: no phone number can be left; on, anonymously.
    k.tap("complaint_next");
    k.tap("complaint_send");
    std::string ticket;
    REQUIRE(waitFor(
        [&] {
            const std::string text = readText(k.trace);
            const auto at = text.find("complaint-filed ");
            if (at == std::string::npos) return false;
            ticket = text.substr(at + 16, text.find('\n', at) - at - 16);
            return true;
        },
        20));
    const auto filed = Store::open(db).complaintByTicket(ticket);
    REQUIRE(filed);
    CHECK(filed->text == "跑了多次还没办成");
    CHECK(filed->reason == ComplaintReason::late);
    CHECK_FALSE(filed->contactSealed);
    // The ticket is on the screen, with the way to look it up.
    REQUIRE(waitFor([&] { return readProbes(k.probe).pos.count("sent_lookup") == 1; }, 10));

    // Looked up on the ticket pad, character by character.
    k.tap("sent_lookup");
    k.waitTrace("lookup");
    for (const char c : ticket)
        if (c != '-') k.tap(std::string("ticket_") + c);
    k.tap("lookup_find");
    INFO(readText(k.trace));
    CHECK(waitFor([&] { return readProbes(k.probe).pos.count("lookup_status_received") == 1; }, 15));
}
