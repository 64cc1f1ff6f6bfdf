// Clerk flows through the kiosk's controller, without a window: a real node
// file, the real workers (the PIN is checked on one), and a clock the test
// moves; sync with a real district server. Results are awaited by draining
// the workers, never by sleeping a fixed time.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "kiosk/app/controller.hpp"
#include "kiosk/ui/clerk.hpp"
#include "kiosk/ui/voice.hpp"
#include "shared/crypto.hpp"
#include "shared/pin.hpp"
#include "shared/rules.hpp"
#include "shared/store.hpp"
#include "shared/ticket.hpp"
#include "tests/support/damage.hpp"
#include "tests/kiosk/controller_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;
using shouxin::test::TempDir;

namespace {

const Date kToday = Date::fromCivil(2026, 6, 10);
constexpr std::int64_t kStart = 1'780'000'000'000;  // Unix ms, 2026
constexpr int kIdleSeconds = 90;
constexpr int kCountdownSeconds = 10;

/// A node with one clerk (张明, PIN 246810) and one overdue commitment,
/// and a controller on it whose clocks read `now`.
struct Kiosk {
    TempDir dir;
    Options options;
    std::string overdue;  // the commitment's id
    std::int64_t now = kStart;
    std::vector<std::string> traced;
    std::atomic<int> wakes{0};
    std::optional<Date> fixedDay;            // --today, kept for restart()
    std::unique_ptr<Controller> controller;  // last: gone before what its hooks use

    /// `fixedToday` as --today would give it; without it the day is the
    /// wall clock's, which starts at `start`.
    explicit Kiosk(bool withSupervisor = false, std::optional<Date> fixedToday = kToday,
                   std::int64_t start = kStart)
        : now(start), fixedDay(fixedToday) {
        options.db = dir / "office.db";
        options.idleSeconds = kIdleSeconds;
        options.countdownSeconds = kCountdownSeconds;
        options.syncIntervalSeconds = 0;
        overdue = test::makeClerkOffice(options.db, kToday, withSupervisor);
        restart();
    }

    /// A new controller on the same file, as the kiosk started again; the
    /// old one stopped first.
    void restart() {
        controller.reset();
        ControllerHooks hooks = test::testHooks(now, traced);
        hooks.wake = [this] { ++wakes; };
        controller = test::startController(options, fixedDay, hooks);
    }

    const AppState& state() const { return controller->state(); }

    /// Applies `command` as a frame would, then waits for every job it
    /// started and applies their results.
    void send(Command command) { test::send(*controller, std::move(command)); }

    int count(const std::string& line) const {
        return static_cast<int>(std::count(traced.begin(), traced.end(), line));
    }

    void login(const std::string& clerk, const std::string& code) {
        send(OpenLogin{});
        send(Login{clerk, code});
        REQUIRE(state().session);
    }

    std::int64_t events() const { return Store::open(options.db).eventCount(); }
};

/// Frames as the frame loop makes them (the sync status read, results
/// drained) until `done`, or for at most `seconds`; `done`'s last answer.
bool framesUntil(Controller& controller, const std::function<bool()>& done, double seconds) {
    return test::waitFor(
        [&] {
            controller.beginFrame();
            controller.drain();
            return done();
        },
        seconds);
}

/// Unix ms of `day` at hh:mm:ss in the machine's local time zone.
std::int64_t localMillis(Date day, int hour, int minute, int second) {
    const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day.days}}};
    std::tm t{};
    t.tm_year = static_cast<int>(ymd.year()) - 1900;
    t.tm_mon = static_cast<int>(static_cast<unsigned>(ymd.month())) - 1;
    t.tm_mday = static_cast<int>(static_cast<unsigned>(ymd.day()));
    t.tm_hour = hour;
    t.tm_min = minute;
    t.tm_sec = second;
    t.tm_isdst = -1;
    return static_cast<std::int64_t>(std::mktime(&t)) * 1000;
}

}  // namespace

TEST_CASE("a clerk logs in through the controller, files a report and sees the lists refresh",
          "[kiosk][controller]") {
    Kiosk k;
    CHECK(k.state().home.overall.total == 1);
    CHECK(k.state().home.overall.overdue == 1);
    k.send(OpenLogin{});
    CHECK(k.state().nav.view == View::login);
    REQUIRE(k.state().login.clerks.size() == 1);

    // The PIN is checked on the writer; its result arrives by draining.
    k.send(Login{"zhang", "246810"});
    REQUIRE(k.state().session);
    CHECK(k.state().session->actor() == "clerk:zhang");
    CHECK(k.count("login clerk:zhang") == 1);
    CHECK(k.wakes > 0);  // the workers woke the UI to drain their results
    CHECK(k.state().nav.view == View::dashboard);
    CHECK(k.state().nav.back.empty());
    REQUIRE(k.state().dashboard.overdue.size() == 1);
    CHECK(k.state().dashboard.overdue[0].id == k.overdue);

    k.send(OpenCommitment{k.overdue});
    CHECK(k.state().detail.history.empty());
    k.send(OpenReport{k.overdue});
    CHECK(k.state().nav.view == View::report);
    (void)k.controller->takeRequests();

    ReportForm form;
    form.status = Status::fulfilled;
    form.progress = 100;
    form.note = "已按承诺办结";
    const auto report = buildReport(form, k.state().detail.state, kToday, k.state().session);
    REQUIRE(report.ok());
    k.send(SubmitReport{*report});
    CHECK(k.count("saved report") == 1);
    CHECK_FALSE(k.state().notice.error);
    CHECK_FALSE(k.state().notice.text.empty());
    // The commitment as residents see it now, read again with its report.
    CHECK(k.state().nav.view == View::detail);
    CHECK(k.state().nav.commitment == k.overdue);
    REQUIRE(k.state().detail.history.size() == 1);
    CHECK(k.state().detail.history[0].report.note == "已按承诺办结");
    CHECK(k.state().detail.history[0].actor == "clerk:zhang");
    CHECK(k.state().home.overall.count(Status::fulfilled) == 1);  // Home's figures too
    CHECK(k.state().home.overall.overdue == 0);
    // The form is gone: the shell drops the report view's typed text.
    const ShellRequests requests = k.controller->takeRequests();
    CHECK(requests.resetViews.test(static_cast<std::size_t>(View::report)));

    // Back on the dashboard the commitment is no longer overdue.
    k.send(GoBack{});
    CHECK(k.state().nav.view == View::dashboard);
    CHECK(k.state().dashboard.overdue.empty());

    // Logged out: a resident's Home, no clerk screen behind "back".
    k.send(Logout{});
    CHECK_FALSE(k.state().session);
    CHECK(k.count("logout") == 1);
    CHECK(k.state().nav.view == View::home);
    CHECK(k.state().nav.back.empty());
}

TEST_CASE("a clerk is refused what only a supervisor may do, by the controller and by the store",
          "[kiosk][controller]") {
    Kiosk k;
    k.login("zhang", "246810");
    k.send(OpenCommitment{k.overdue});
    const std::int64_t before = k.events();

    // The controller refuses: no screen, no job.
    k.send(OpenRevise{k.overdue});
    CHECK(k.state().nav.view == View::detail);
    k.send(OpenReport{k.overdue, /*amend=*/true});
    CHECK(k.state().nav.view == View::detail);
    CommitmentForm text = formOf(k.state().detail.state.commitment);
    text.title = "高龄津贴按月足额发放";
    text.reason = "上级要求";
    CommitmentRevised revision{k.overdue,    text.title, text.detail, text.department, text.responsible,
                               std::nullopt, "",         text.reason, kToday};
    k.send(SubmitRevision{revision});
    k.send(DisableClerk{ClerkDisabled{"zhang", test::kOffice, "离职"}});
    k.send(CloseKiosk{});  // allowed to a clerk: the shell is asked to close
    CHECK(k.controller->takeRequests().close);
    CHECK(k.events() == before);
    CHECK(k.count("saved revision") == 0);
    CHECK(k.count("saved clerk-disabled") == 0);

    // A forged amendment gets past the screens' gate but not the store's.
    FulfilmentReport amend;
    amend.commitment = k.overdue;
    amend.status = Status::amended;
    amend.note = "撤回";
    amend.reason = "政策调整";
    amend.legalBasis = "某某条例第三条";
    amend.date = kToday;
    k.send(SubmitReport{amend});
    CHECK(k.count("refused report") == 1);
    CHECK(k.state().notice.error);
    CHECK_FALSE(k.state().notice.text.empty());
    CHECK(k.events() == before);
    CHECK(k.state().session);  // still logged in, on the same screen
    CHECK(k.state().nav.view == View::detail);
}

TEST_CASE("a clerk who walks away is logged out by the idle reset on the controller's clock",
          "[kiosk][controller]") {
    Kiosk k;
    // At rest on Home nothing counts down, however long nobody comes.
    k.now += 3600 * 1000;
    k.controller->checkIdle();
    CHECK(k.state().idleSecondsLeft == -1);
    CHECK(k.count("idle-reset") == 0);

    k.controller->noteActivity();
    k.login("zhang", "246810");
    k.send(OpenCommitment{k.overdue});
    k.send(SetLang{Lang::en});
    k.controller->noteActivity();

    k.now += kIdleSeconds * 1000 - 1;
    k.controller->checkIdle();
    CHECK(k.state().idleSecondsLeft == -1);
    k.now += 501;  // 90.5 s: the countdown shows
    k.controller->checkIdle();
    CHECK(k.state().idleSecondsLeft == kCountdownSeconds);
    CHECK(k.state().session);
    // A touch starts it all again.
    k.controller->noteActivity();
    k.controller->checkIdle();
    CHECK(k.state().idleSecondsLeft == -1);

    k.now += (kIdleSeconds + kCountdownSeconds) * 1000 - 1;
    k.controller->checkIdle();
    CHECK(k.state().idleSecondsLeft == 1);
    CHECK(k.state().session);
    (void)k.controller->takeRequests();
    k.now += 1;
    k.controller->checkIdle();
    CHECK_FALSE(k.state().session);
    CHECK(k.count("logout-idle") == 1);
    CHECK(k.count("idle-reset") == 1);
    CHECK(k.state().nav.view == View::home);
    CHECK(k.state().nav.back.empty());
    CHECK(k.state().settings.lang == Lang::zh);
    CHECK(k.state().idleSecondsLeft == -1);
    const ShellRequests requests = k.controller->takeRequests();
    CHECK(requests.clearFocus);
    CHECK(requests.resetViews.test(static_cast<std::size_t>(View::detail)));
    CHECK(requests.resetViews.test(static_cast<std::size_t>(View::login)));
    // Home's data is held: the reset shows it at once.
    CHECK(k.traced.back() == "home");
}

TEST_CASE("five wrong PINs lock the pad until the controller's clock passes the lock",
          "[kiosk][controller]") {
    Kiosk k;
    k.send(OpenLogin{});
    for (int i = 1; i <= 4; ++i) {
        k.send(Login{"zhang", "111111"});
        CHECK(k.state().login.messageId == "kiosk.login.wrong");
        CHECK(k.state().login.failures == i);
        CHECK(k.count("login-failed") == i);
    }
    k.send(Login{"zhang", "111111"});
    CHECK(k.state().login.messageId == "kiosk.login.locked");
    CHECK(k.count("login-locked") == 1);
    const std::int64_t until = k.state().login.lockedUntil;
    CHECK(until == k.now + pin::kFirstLockMillis);

    // Locked, even the right PIN is refused.
    k.now = until - 1;
    k.send(Login{"zhang", "246810"});
    CHECK_FALSE(k.state().session);
    CHECK(k.count("login-locked") == 2);
    CHECK(k.state().nav.view == View::login);

    // The lock is kept in the node: a pad opened again says so at once.
    k.send(GoHome{});
    k.send(OpenLogin{});
    CHECK(k.state().login.lockedUntil == until);
    CHECK(k.count("login-locked") == 3);

    // Once the clock passes the lock, the right PIN opens the dashboard.
    k.now = until;
    k.send(Login{"zhang", "246810"});
    REQUIRE(k.state().session);
    CHECK(k.state().nav.view == View::dashboard);
    CHECK(k.count("login clerk:zhang") == 1);
}

TEST_CASE("a PIN pad locked by five wrong PINs is still locked after a restart", "[kiosk][controller]") {
    Kiosk k;
    k.send(OpenLogin{});
    for (int i = 0; i < 5; ++i)
        k.send(Login{"zhang", "111111"});
    REQUIRE(k.count("login-locked") == 1);
    const std::int64_t until = k.state().login.lockedUntil;

    // The kiosk started again on the same file, within the lock.
    k.now += 1000;
    k.restart();
    CHECK_FALSE(k.state().session);
    // The pad reads the stored lock as it opens: locked before anyone tries.
    k.send(OpenLogin{});
    CHECK(k.count("login-locked") == 2);
    CHECK(k.state().login.lockedUntil == until);
    // The right PIN is refused, and not counted as a failure.
    k.send(Login{"zhang", "246810"});
    CHECK_FALSE(k.state().session);
    CHECK(k.state().nav.view == View::login);
    CHECK(k.count("login clerk:zhang") == 0);
    CHECK(k.count("login-failed") == 4);
}

TEST_CASE("a supervisor revises a commitment's text and the detail view shows it with its history",
          "[kiosk][controller]") {
    Kiosk k(/*withSupervisor=*/true);
    k.login("li", "135790");
    k.send(OpenCommitment{k.overdue});
    REQUIRE(k.state().detail.found);
    CHECK(k.state().detail.revisions.empty());
    const std::string oldTitle = k.state().detail.state.commitment.title;

    // The revise form holds the current text; a new title and a reason.
    k.send(OpenRevise{k.overdue});
    REQUIRE(k.state().nav.view == View::revise);
    CommitmentForm form = formOf(k.state().detail.state.commitment);
    form.title = oldTitle + " (2026 rev. 2)";
    form.reason = "Town meeting 2026-03 set a new time limit";
    const auto revision = buildRevision(form, k.state().detail.state.commitment, kToday, k.state().session);
    REQUIRE(revision.ok());
    k.send(SubmitRevision{*revision});
    CHECK(k.count("saved revision") == 1);

    // The detail view reads the commitment again: the new text, and the
    // revision in its history, with the text as first published.
    CHECK(k.state().nav.view == View::detail);
    CHECK(k.state().detail.state.commitment.title == form.title);
    REQUIRE(k.state().detail.revisions.size() == 1);
    CHECK(k.state().detail.revisions[0].actor == "clerk:li");
    CHECK(k.state().detail.revisions[0].revision.title == form.title);
    CHECK(k.state().detail.revisions[0].revision.reason == form.reason);
    REQUIRE(k.state().detail.published);
    CHECK(k.state().detail.published->title == oldTitle);

    // Logging out leaves the detail view up (not a clerk screen), now a
    // resident's, with the revision.
    k.send(Logout{});
    CHECK(k.state().nav.view == View::detail);
    CHECK(k.state().detail.state.commitment.title == form.title);
    CHECK(k.state().detail.revisions.size() == 1);
}

TEST_CASE("a kiosk without the office's key says so at the PIN pad and counts no failure",
          "[kiosk][controller]") {
    Kiosk k;
    // Set up with some other key than the one zhang's PIN was sealed with.
    REQUIRE(Store::open(k.options.db).setOfficeKey(pin::newOfficeKey()));
    k.send(OpenLogin{});
    k.send(Login{"zhang", "246810"});
    CHECK_FALSE(k.state().session);
    CHECK(k.state().login.messageId == "kiosk.login.no_office_key");
    CHECK(k.state().login.failures == 0);
    CHECK(k.count("login-no-office-key") == 1);
}

TEST_CASE("a kiosk left running past midnight counts overdue and dates reports by the new day",
          "[kiosk][controller]") {
    Kiosk k(false, std::nullopt, localMillis(kToday, 23, 59, 30));
    CHECK(k.controller->today() == kToday);
    CHECK(k.state().home.today == kToday);
    // A commitment due today, stored by another connection (as sync would).
    std::string dueToday;
    {
        Store store = Store::open(k.options.db);
        Commitment c = test::sampleCommitment("低保复核当日办结", Date::fromCivil(2026, 3, 1), kToday);
        c.office = store.node().office;
        REQUIRE(store.record(c, "system"));
        dueToday = c.id;
    }
    k.now += 3000;  // 23:59:33: the poll sees it
    k.controller->pollStore();
    k.controller->waitForData();
    CHECK(k.state().home.overall.total == 2);
    CHECK(k.state().home.overall.overdue == 1);  // due today is not overdue yet
    k.login("zhang", "246810");
    CHECK(k.state().dashboard.overdue.size() == 1);
    REQUIRE(k.state().dashboard.dueSoon.size() == 1);
    CHECK(k.state().dashboard.dueSoon[0].id == dueToday);
    k.send(OpenCommitment{dueToday});
    CHECK(k.state().detail.badge != Badge::overdue);
    CHECK(k.state().detail.daysLeft == 0);

    // A frame just before midnight changes nothing.
    k.now = localMillis(kToday, 23, 59, 59) + 999;
    k.controller->beginFrame();
    k.controller->waitForData();
    CHECK(k.count("day " + kToday.plusDays(1).toString()) == 0);

    // Past midnight the next frame reads Home and the shown screen again.
    const Date tomorrow = kToday.plusDays(1);
    k.now = localMillis(tomorrow, 0, 0, 1);
    k.controller->beginFrame();
    CHECK(k.controller->today() == tomorrow);
    CHECK(k.state().home.today == tomorrow);  // at once, before the figures arrive
    k.controller->waitForData();
    CHECK(k.count("day " + tomorrow.toString()) == 1);
    CHECK(k.state().home.today == tomorrow);
    CHECK(k.state().home.overall.overdue == 2);
    CHECK(k.state().detail.badge == Badge::overdue);
    CHECK(k.state().detail.daysLeft == -1);
    k.controller->beginFrame();  // the same day again: nothing read twice
    CHECK(k.controller->queriesIdle());
    CHECK(k.count("day " + tomorrow.toString()) == 1);

    // A report filed now is dated the new day, as the report view dates it.
    k.send(OpenReport{dueToday});
    CHECK(k.state().nav.view == View::report);
    ReportForm form;
    form.status = Status::inProgress;
    form.progress = 50;
    form.note = "已受理，正在复核";
    const auto report = buildReport(form, k.state().detail.state, k.state().home.today, k.state().session);
    REQUIRE(report.ok());
    k.send(SubmitReport{*report});
    CHECK(k.count("saved report") == 1);
    REQUIRE(k.state().detail.history.size() == 1);
    CHECK(k.state().detail.history[0].report.date == tomorrow);

    // Back on the dashboard both are overdue, none due soon.
    k.send(GoBack{});
    REQUIRE(k.state().nav.view == View::dashboard);
    CHECK(k.state().dashboard.overdue.size() == 2);
    CHECK(k.state().dashboard.dueSoon.empty());
}

TEST_CASE("a kiosk given a date keeps it whatever the wall clock says", "[kiosk][controller]") {
    Kiosk k;  // --today 2026-06-10, the clock in May
    k.now = localMillis(kToday.plusDays(30), 12, 0, 0);
    k.controller->beginFrame();
    k.controller->waitForData();
    CHECK(k.controller->today() == kToday);
    CHECK(k.state().home.today == kToday);
    CHECK(k.state().home.overall.overdue == 1);
}

TEST_CASE("with a clock rate the day follows the fast clock and the idle timer keeps real time",
          "[kiosk][controller][clock]") {
    TempDir dir;
    Options options;
    options.db = dir / "office.db";
    options.idleSeconds = 60;
    options.countdownSeconds = 10;
    options.syncIntervalSeconds = 0;
    options.clockRate = 200'000;  // a simulated day in less than half a second
    test::makeClerkOffice(options.db, Date::today());
    std::vector<std::string> traced;
    ControllerHooks hooks;  // the system's clocks, as the kiosk runs
    hooks.trace = [&](std::string_view line) { traced.emplace_back(line); };
    auto controller = test::startController(options, std::nullopt, hooks);
    const Date first = controller->today();
    test::send(*controller, OpenFigures{});
    // A real second: more than two simulated days, far less than the idle timeout.
    std::this_thread::sleep_for(std::chrono::seconds(1));
    controller->beginFrame();
    controller->checkIdle();
    controller->waitForData();
    CHECK(controller->today().days >= first.days + 2);
    CHECK(controller->state().home.today == controller->today());
    CHECK(std::count(traced.begin(), traced.end(), "day " + controller->today().toString()) == 1);
    CHECK(controller->state().nav.view == View::figures);
    CHECK(controller->state().idleSecondsLeft < 0);
}

namespace {

/// How many of this process's open files are `path` (or were, before it moved).
int openDescriptorsOn(const std::filesystem::path& path) {
    int n = 0;
    for (const auto& fd : std::filesystem::directory_iterator("/proc/self/fd")) {
        std::error_code ec;
        const auto target = std::filesystem::read_symlink(fd.path(), ec);
        if (!ec && target.string().starts_with(path.string())) ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("a damaged file found by the check is set aside with no connection left on it",
          "[kiosk][controller]") {
    TempDir dir;
    Options options;
    options.db = dir / "office.db";
    options.syncIntervalSeconds = 0;
    test::makeClerkOffice(options.db, kToday);
    // It opens, and only the integrity check sees it.
    test::garblePageNearEnd(options.db);
    auto controller = test::startController(options, kToday, {});
    controller->startIntegrityCheck();
    controller->waitForData();
    REQUIRE(controller->damaged());
    CHECK(openDescriptorsOn(dir.path()) > 0);
    CHECK(controller->stopForDamagedFile() == 1);
    // Every connection closed before the move: none writes into the file set aside.
    CHECK(openDescriptorsOn(dir.path()) == 0);
    CHECK_FALSE(std::filesystem::exists(options.db));
}

TEST_CASE("a report made on kiosk A reaches kiosk B of the same office through the district",
          "[kiosk][controller][sync]") {
    test::SyncWorld world;
    const test::Kiosk a = world.addKiosk(test::kOfficeA, "青山镇人民政府");
    const test::Kiosk b = world.addKiosk(test::kOfficeA, "青山镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    REQUIRE(test::runProgram({SHOUXIN_CLI, "--db", a.db, "clerk", "add", "--name", "张明", "--role", "clerk",
                              "--id", "zhang", "--pin-stdin"},
                             "246810\n")
                .exitCode == 0);
    {
        // Kiosk A syncs by itself, through its controller's sync worker.
        Options options;
        options.db = a.db;
        options.syncIntervalSeconds = 3600;  // only the first round and "sync now"
        std::vector<std::string> traced;
        ControllerHooks hooks;
        hooks.trace = [&](std::string_view line) { traced.emplace_back(line); };
        auto controller = test::startController(options, std::nullopt, hooks);
        controller->startSync();
        const AppState& state = controller->state();
        // The demo office and the clerk go up in the first round.
        REQUIRE(framesUntil(
            *controller, [&] { return state.sync.lastSuccess > 0; }, 60));
        auto send = [&](Command command) {
            Commands commands;
            commands.push(std::move(command));
            controller->apply(commands);
            controller->waitForData();
        };
        send(OpenLogin{});
        send(Login{"zhang", "246810"});
        REQUIRE(state.session);
        REQUIRE_FALSE(state.dashboard.overdue.empty());
        send(OpenCommitment{state.dashboard.overdue[0].id});
        send(OpenReport{state.nav.commitment});
        ReportForm form;
        form.status = Status::fulfilled;
        form.progress = 100;
        form.note = "已按承诺办结";
        const auto report = buildReport(form, state.detail.state, state.home.today, state.session);
        REQUIRE(report.ok());
        send(SubmitReport{*report});
        REQUIRE(std::count(traced.begin(), traced.end(), "saved report") == 1);
        // "Sync now" sends it without waiting for the interval.
        const std::int64_t before = state.sync.lastSuccess;
        send(SyncNow{});
        CHECK(std::count(traced.begin(), traced.end(), "sync-now") == 1);
        CHECK(framesUntil(
            *controller, [&] { return state.sync.lastSuccess > before && a.open().pendingCount() == 0; },
            60));
        CHECK(state.sync.lastError.empty());
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
    CHECK(a.digest() == world.districtDigest(test::kOfficeA));
}

// ---- Residents' voice ----------------------------------------------------------

namespace {

constexpr const char* kPhone = "13800138000";

/// Pins a new district key on the kiosk's node, as enrolment would.
KeyPair pinNewDistrict(const Kiosk& k) {
    const KeyPair district = newKeyPair();
    Store::open(k.options.db).pinDistrict("district-device", district.publicKeyHex);
    return district;
}

/// The phone number typed on the pad and sealed as the contact step seals it.
std::string sealTyped(std::string_view digits, const std::string& districtKey) {
    PhoneDigits phone;
    for (const char c : digits)
        phone.push(c);
    const auto sealed = sealPhone(phone, districtKey);
    CHECK(phone.empty());
    CHECK(std::string_view(phone.digits()).empty());
    REQUIRE(sealed.ok());
    return sealed.value();
}

/// Files a complaint about `commitment` through the controller; returns its ticket.
std::string fileComplaint(Kiosk& k, const std::string& commitment, const std::string& sealed) {
    k.send(OpenComplaint{commitment});
    CHECK(k.state().nav.view == View::complaint);
    const ComplaintForm form{ComplaintReason::late, "跑了多次还没办成"};
    k.send(FileComplaint{draftComplaint(form, k.state().office, commitment, sealed, kToday)});
    CHECK_FALSE(k.state().complaintSent.sending);
    CHECK(k.state().complaintSent.error.empty());
    return k.state().complaintSent.ticket;
}

std::string readRaw(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("a complaint's phone number is sealed to the district and never stored readable",
          "[kiosk][controller][voice]") {
    Kiosk k;
    const KeyPair district = pinNewDistrict(k);
    k.send(OpenComplaint{k.overdue});
    REQUIRE(k.state().districtKey == district.publicKeyHex);

    const std::string ticket = fileComplaint(k, k.overdue, sealTyped(kPhone, k.state().districtKey));
    REQUIRE(parseTicket(ticket) == ticket);
    CHECK(ticketOfOffice(ticket, k.state().office));
    CHECK(k.count("complaint-filed " + ticket) == 1);

    Store store = Store::open(k.options.db);
    const auto filed = store.complaintByTicket(ticket);
    REQUIRE(filed);
    CHECK(filed->contactSealed);
    CHECK(filed->commitment == k.overdue);
    CHECK(filed->reason == ComplaintReason::late);
    // Only the district's key opens it.
    CHECK(openSealed(store.sealedContact(filed->id), district) == std::string(kPhone));
    CHECK_FALSE(openSealed(store.sealedContact(filed->id), newKeyPair()).has_value());

    // Not a byte of it readable in the database, its log, or the trace.
    for (const auto& file : {k.options.db, std::filesystem::path(k.options.db.string() + "-wal")}) {
        INFO(file);
        REQUIRE(std::filesystem::exists(file));
        CHECK(readRaw(file).find(kPhone) == std::string::npos);
    }
    for (const std::string& line : k.traced)
        CHECK(line.find(kPhone) == std::string::npos);
}

TEST_CASE("without a district key a phone number is refused, and the complaint goes anonymously",
          "[kiosk][controller][voice]") {
    Kiosk k;
    k.send(OpenComplaint{""});
    CHECK(k.state().districtKey.empty());
    PhoneDigits phone;
    for (const char c : std::string_view(kPhone))
        phone.push(c);
    const auto refused = sealPhone(phone, k.state().districtKey);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.problems().front().message == "kiosk.complaint.not_enrolled");
    CHECK(phone.empty());

    const std::int64_t before = k.events();
    const std::string ticket = fileComplaint(k, "", "");
    CHECK_FALSE(ticket.empty());
    CHECK(k.events() == before + 1);
    const auto filed = Store::open(k.options.db).complaintByTicket(ticket);
    REQUIRE(filed);
    CHECK_FALSE(filed->contactSealed);
    CHECK(filed->commitment.empty());
}

TEST_CASE("a phone number must be an 11-digit mobile number, and is zeroed when refused", "[kiosk][voice]") {
    CHECK(isMobileNumber(kPhone));
    CHECK_FALSE(isMobileNumber("2380013800"));
    CHECK_FALSE(isMobileNumber("23800138000"));
    CHECK_FALSE(isMobileNumber("1380013800"));
    PhoneDigits phone;
    for (const char c : std::string_view("138001"))
        phone.push(c);
    CHECK_FALSE(phone.push('x'));
    const auto refused = sealPhone(phone, newKeyPair().publicKeyHex);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.problems().front().message == "kiosk.complaint.phone_invalid");
    CHECK(phone.empty());
    // Nothing typed: no contact, no problem.
    const auto none = sealPhone(phone, "");
    REQUIRE(none.ok());
    CHECK(none.value().empty());
}

TEST_CASE("a resident looks a complaint up by its ticket and is told why another is not found",
          "[kiosk][controller][voice]") {
    Kiosk k;
    const std::string ticket = fileComplaint(k, k.overdue, "");
    k.send(OpenLookup{});
    CHECK(k.state().nav.view == View::lookup);
    // Case and dashes do not matter.
    std::string typed = ticket;
    std::erase(typed, '-');
    for (char& c : typed)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    k.send(SetTicket{typed});
    REQUIRE(k.state().lookup.complaint);
    CHECK(k.state().lookup.complaint->ticket == ticket);
    CHECK(k.state().lookup.complaint->status == ComplaintStatus::received);
    CHECK(k.state().lookup.messageId.empty());

    k.send(SetTicket{"0000-0000"});
    CHECK_FALSE(k.state().lookup.complaint);
    CHECK(k.state().lookup.messageId == "kiosk.lookup.mistyped");

    k.send(SetTicket{newTicket("330110201")});
    CHECK_FALSE(k.state().lookup.complaint);
    CHECK(k.state().lookup.messageId == "kiosk.lookup.other_office");
    CHECK(k.state().lookup.officeSuffix == "201");

    std::string unknown = newTicket(k.state().office);
    while (unknown == ticket)
        unknown = newTicket(k.state().office);
    k.send(SetTicket{unknown});
    CHECK_FALSE(k.state().lookup.complaint);
    CHECK(k.state().lookup.messageId == "kiosk.lookup.unknown");
}

TEST_CASE("a clerk takes a complaint up and answers it, and the resident rates the answer once",
          "[kiosk][controller][voice]") {
    Kiosk k;
    const std::string ticket = fileComplaint(k, k.overdue, "");
    k.login("zhang", "246810");
    k.send(OpenComplaints{});
    CHECK(k.state().nav.view == View::complaints);
    REQUIRE(k.state().complaints.open.size() == 1);
    const Store::ComplaintView c = k.state().complaints.open.front();
    CHECK(c.ticket == ticket);
    REQUIRE(complaintSteps(c.status) ==
            std::vector<ComplaintStepKind>{ComplaintStepKind::handling, ComplaintStepKind::closed});

    k.send(SubmitComplaintStep{ComplaintStep{c.id, ComplaintStepKind::handling, "", kToday}});
    CHECK(k.count("saved complaint-handling") == 1);
    REQUIRE(k.state().complaints.open.size() == 1);
    CHECK(k.state().complaints.open.front().status == ComplaintStatus::handling);
    // Taken up once only: the rulebook refuses it again, with its reason.
    const std::int64_t before = k.events();
    k.send(SubmitComplaintStep{ComplaintStep{c.id, ComplaintStepKind::handling, "", kToday}});
    CHECK(k.count("refused complaint-handling") == 1);
    CHECK(k.state().notice.error);
    CHECK(k.state().notice.text == tr("error.complaint.order", Lang::zh));
    CHECK(k.events() == before);

    k.send(SubmitAnswer{ComplaintAnswer{c.id, "经核实，情况属实；已督促责任部门整改", kToday}});
    CHECK(k.count("saved answer") == 1);
    CHECK(k.state().complaints.open.empty());
    k.send(Logout{});

    k.send(OpenLookup{});
    k.send(SetTicket{ticket});
    REQUIRE(k.state().lookup.complaint);
    CHECK(k.state().lookup.complaint->status == ComplaintStatus::answered);
    CHECK(k.state().lookup.complaint->answer == "经核实，情况属实；已督促责任部门整改");
    CHECK(k.state().lookup.complaint->answeredOn == kToday);

    k.send(Rate{Rating{"", c.id, 4, kToday}});
    CHECK(k.count("rated") == 1);
    CHECK_FALSE(k.state().residentNotice.error);
    REQUIRE(k.state().lookup.complaint);
    CHECK(k.state().lookup.complaint->status == ComplaintStatus::closed);
    CHECK(k.state().lookup.complaint->answerRating == 4);
    // Rating it closed it: a second rating is refused, nothing stored.
    const std::int64_t rated = k.events();
    k.send(Rate{Rating{"", c.id, 1, kToday}});
    CHECK(k.count("refused rating") == 1);
    CHECK(k.state().residentNotice.error);
    CHECK(k.state().residentNotice.text == tr("error.complaint.not_answered", Lang::zh));
    CHECK(k.events() == rated);
}

TEST_CASE("a resident rates a commitment once a session and the figures count it",
          "[kiosk][controller][voice]") {
    Kiosk k;
    k.send(OpenCommitment{k.overdue});
    const std::int64_t before = k.events();
    k.send(Rate{Rating{k.overdue, "", 5, kToday}});
    CHECK(k.events() == before + 1);
    CHECK_FALSE(k.state().residentNotice.error);
    CHECK(k.state().residentNotice.text == tr("kiosk.rate.thanks", Lang::zh));

    k.send(Rate{Rating{k.overdue, "", 1, kToday}});
    CHECK(k.events() == before + 1);
    CHECK(k.state().residentNotice.error);
    CHECK(k.state().residentNotice.text == tr("kiosk.rate.already", Lang::zh));

    // The next resident, after the idle reset, may rate it again.
    k.now += (kIdleSeconds + kCountdownSeconds) * 1000;
    k.controller->checkIdle();
    CHECK(k.state().rated.empty());
    k.send(OpenCommitment{k.overdue});
    k.send(Rate{Rating{k.overdue, "", 2, kToday}});
    CHECK(k.events() == before + 2);

    fileComplaint(k, "", "");
    k.send(OpenFigures{});
    const VoiceFigures& v = k.state().figures.voice;
    CHECK(v.complaints == 1);
    CHECK(v.answered == 0);
    CHECK(v.ratings == 2);
    REQUIRE(v.meanRating);
    CHECK(*v.meanRating == Approx(3.5));
    CHECK(v.openBreaches == 0);
}

namespace {

/// Logs the supervisor in and reports the overdue commitment broken.
void breakOverdue(Kiosk& k) {
    k.login("li", "135790");
    k.send(OpenCommitment{k.overdue});
    const FulfilmentReport broken{k.overdue,
                                  Status::broken,
                                  40,
                                  "资金未到位，未能按期发放",
                                  kToday,
                                  {},
                                  "",
                                  "",
                                  k.state().detail.state.lastReport};
    k.send(SubmitReport{broken});
    REQUIRE(k.state().detail.state.status == Status::broken);
}

}  // namespace

TEST_CASE("a supervisor confirms a breach, objects in the window, and cannot rectify while it waits",
          "[kiosk][controller][voice]") {
    Kiosk k(/*withSupervisor=*/true);
    k.login("li", "135790");
    k.send(OpenCommitment{k.overdue});
    // Not broken yet: the rulebook offers nothing and refuses a confirmation.
    CHECK_FALSE(breachActions(k.state().session, k.state().detail.state, {}, kToday).confirm);
    const std::int64_t before = k.events();
    k.send(SubmitBreach{draftBreach(k.state().detail.state, "未兑现", kToday.plusDays(30), kToday)});
    CHECK(k.count("refused breach") == 1);
    CHECK(k.state().notice.text == tr("error.breach.not_broken", Lang::zh));
    CHECK(k.events() == before);

    breakOverdue(k);
    CHECK(
        breachActions(k.state().session, k.state().detail.state, k.state().detail.breaches, kToday).confirm);
    k.send(SubmitBreach{
        draftBreach(k.state().detail.state, "资金未到位，未按期发放", kToday.plusDays(30), kToday)});
    CHECK(k.count("saved breach") == 1);
    REQUIRE(k.state().detail.breaches.size() == 1);
    const Store::BreachRecord record = k.state().detail.breaches.front();
    CHECK(record.stage == BreachStage::confirmed);
    CHECK(record.breach.objectBy == kToday.plusDays(rules::kObjectionDays));
    const BreachActions actions =
        breachActions(k.state().session, k.state().detail.state, k.state().detail.breaches, kToday);
    CHECK_FALSE(actions.confirm);
    CHECK(actions.steps == std::vector<BreachStepKind>{BreachStepKind::objected, BreachStepKind::rectified});

    k.send(SubmitBreachStep{
        BreachStep{record.breach.id, BreachStepKind::objected, "资金已申请，系上级拨付延迟", kToday},
        k.overdue});
    CHECK(k.count("saved breach-objected") == 1);
    REQUIRE(k.state().detail.breaches.size() == 1);
    CHECK(k.state().detail.breaches.front().stage == BreachStage::objected);
    CHECK(k.state().detail.breaches.front().steps.size() == 1);

    const std::int64_t objected = k.events();
    k.send(SubmitBreachStep{BreachStep{record.breach.id, BreachStepKind::rectified, "已发放", kToday},
                            k.overdue});
    CHECK(k.count("refused breach-rectified") == 1);
    CHECK(k.state().notice.text == tr("error.breach.objection_pending", Lang::zh));
    CHECK(k.events() == objected);
    // The district's ruling is never the kiosk's to send.
    k.send(SubmitBreachStep{BreachStep{record.breach.id, BreachStepKind::upheld, "异议成立", kToday},
                            k.overdue});
    CHECK(k.events() == objected);

    // Residents see the record and each step.
    k.send(Logout{});
    k.send(OpenBreaches{""});
    CHECK(k.state().nav.view == View::breaches);
    REQUIRE(k.state().breaches.records.size() == 1);
    CHECK(k.state().breaches.records.front().steps.size() == 1);
    CHECK(k.state().breaches.records.front().actor == "clerk:li");
}

TEST_CASE("a supervisor reports a breach rectified, and a clerk may not confirm one",
          "[kiosk][controller][voice]") {
    Kiosk k(/*withSupervisor=*/true);
    breakOverdue(k);
    k.send(SubmitBreach{draftBreach(k.state().detail.state, "未按期发放", kToday.plusDays(15), kToday)});
    REQUIRE(k.state().detail.breaches.size() == 1);
    const std::string id = k.state().detail.breaches.front().breach.id;
    k.send(SubmitBreachStep{BreachStep{id, BreachStepKind::rectified, "已补发全部津贴", kToday}, k.overdue});
    CHECK(k.count("saved breach-rectified") == 1);
    REQUIRE(k.state().detail.breaches.size() == 1);
    CHECK(k.state().detail.breaches.front().stage == BreachStage::rectified);
    CHECK(breachActions(k.state().session, k.state().detail.state, k.state().detail.breaches, kToday)
              .steps.empty());
    k.send(OpenFigures{});
    CHECK(k.state().figures.voice.openBreaches == 1);
    k.send(Logout{});

    // A clerk is offered nothing, and what a view might push is dropped.
    k.login("zhang", "246810");
    k.send(OpenCommitment{k.overdue});
    CHECK_FALSE(breachActions(k.state().session, k.state().detail.state, {}, kToday).confirm);
    const std::int64_t before = k.events();
    k.send(SubmitBreach{draftBreach(k.state().detail.state, "未兑现", kToday.plusDays(30), kToday)});
    CHECK(k.events() == before);
}

TEST_CASE("leaving the complaint form, or the idle reset, has the shell wipe it",
          "[kiosk][controller][voice]") {
    Kiosk k;
    k.send(OpenComplaint{""});
    (void)k.controller->takeRequests();
    k.send(GoHome{});
    CHECK(k.controller->takeRequests().resetViews.test(static_cast<std::size_t>(View::complaint)));
    k.send(OpenComplaint{""});
    (void)k.controller->takeRequests();
    k.now += (kIdleSeconds + kCountdownSeconds) * 1000;
    k.controller->checkIdle();
    CHECK(k.controller->takeRequests().resetViews.test(static_cast<std::size_t>(View::complaint)));
    CHECK(k.state().complaintSent.ticket.empty());
}
