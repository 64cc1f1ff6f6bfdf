#pragma once
// The kiosk's controller: it owns the state the views draw (AppState) and
// the workers that read and write the store, turns the views' commands into
// jobs, applies the jobs' results, and handles login, logout, the idle reset
// and the sync status. No GLFW, GL or ImGui here: a test drives it without
// a window, with its own clock (STYLE.md "Views", "Threads"). Its writes
// (clerks' sessions and records, residents' complaints and ratings) are in
// controller_writes.cpp, the rest in controller.cpp.
#include <bitset>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "kiosk/app/healer.hpp"
#include "kiosk/app/options.hpp"
#include "kiosk/app/speaker.hpp"
#include "kiosk/app/worker.hpp"
#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/navigation.hpp"
#include "shared/rated_clock.hpp"
#include "shared/store.hpp"

namespace shouxin::client {
class SyncWorker;
}

namespace shouxin::kiosk {

/// What the controller needs from its surroundings. Every member may be
/// left empty: the clocks then read the system's, the rest do nothing.
struct ControllerHooks {
    /// Called on a worker thread when results wait (the shell posts an
    /// empty GLFW event, so that an idle UI wakes to drain them).
    std::function<void()> wake;
    /// A line for the trace file (screens shown, logins, saves; tests).
    std::function<void(std::string_view)> trace;
    /// A line for the probe file (what the detail view loaded; tests).
    std::function<void(std::string_view)> probe;
    /// Milliseconds on a clock that never jumps: idle time, store polling.
    std::function<std::int64_t()> steadyMillis;
    /// Unix milliseconds: the PIN pad's lockout, as the store keeps it, and
    /// today's date (in the local time zone) unless the options fix it.
    /// Left empty: the options' clock (--clock-rate), which the sync
    /// worker's schedule and "last updated" follow too.
    std::function<std::int64_t()> wallMillis;
};

/// What the shell must do before it draws again: things of the UI thread
/// (view-local state, ImGui focus, the style, the window) that the
/// controller decides but may not touch.
struct ShellRequests {
    std::bitset<kViewCount> resetViews;  // by View: drop that view's local state
    bool clearFocus = false;             // no field keeps the keyboard (idle reset)
    bool restyle = false;                // colours or sizes changed
    bool close = false;                  // a clerk closed the kiosk
    bool any() const { return resetViews.any() || clearFocus || restyle || close; }
};

class Controller {
public:
    /// Opens a connection to `options.db` for each of its workers: the
    /// screens' queries, clerks' writes and PIN checks (Argon2id, off the
    /// screens' queue), the integrity check and the glyph scan; throws
    /// StoreError. `fixedToday` pins the date (--today); without it today
    /// follows the wall clock, and a kiosk left running past midnight reads
    /// its screens again for the new day.
    Controller(const Options& options, std::optional<Date> fixedToday, ControllerHooks hooks = {});
    /// Calls stop().
    ~Controller();
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    const AppState& state() const { return m_state; }

    /// Asks for Home's data, the office and the store's change mark; the
    /// atlas starts from the catalogue's characters.
    void start();
    /// Opens `view` as a kiosk just started would (--area, --commitment and
    /// --query as the options say), waiting for what it needs, with the
    /// clerk `asClerk` logged in unless it is empty or the view is the PIN
    /// pad (pictures only). The shell opens --view so, and --screenshot-dir
    /// each of its views. False, with the reason printed, when `asClerk`
    /// names no enabled clerk.
    bool openScreen(View view, const std::string& asClerk);
    /// The integrity check, on its own connection and thread.
    void startIntegrityCheck();
    /// The sync worker (not for pictures or --bench-report, nor with
    /// a sync interval of 0).
    void startSync();
    /// The read-out's speaker, on its own thread (not for pictures or
    /// --bench-report, nor with --speech-voice off). Tests pass
    /// Speaker::Output::memory: speech without an audio device.
    void startSpeech(Speaker::Output output = Speaker::Output::device);
    /// The speaker, when started (tests).
    const Speaker* speaker() const { return m_speaker.get(); }
    /// Stops taking jobs, stops the sync worker (a hung request is aborted
    /// within about a second) and joins every worker. Idempotent.
    void stop();

    /// Applies the views' commands of one frame.
    void apply(const Commands& commands);
    /// Runs the workers' results that arrived (UI thread, once per frame).
    void drain();
    /// Runs the screens' query results only (screenshots).
    void drainQueries();
    /// Waits until every job has run and its result is applied (headless use).
    void waitForData();
    /// No query or glyph scan queued, running or waiting to be drained.
    bool queriesIdle() const;

    /// At the start of a frame: the frame's wall clock (a new day reads
    /// Home and the shown screen again), the sync status.
    void beginFrame();
    /// The day overdue, countdowns and new records are dated by: the fixed
    /// date, or the wall clock's in the local time zone.
    Date today() const;
    /// After a frame: traces the screen once its data was shown on it.
    void frameShown();
    /// A touch, a key, a wheel: the idle timer starts again.
    void noteActivity();
    /// Shows the countdown, and after it resets for the next resident.
    void checkIdle();
    /// Every few seconds: asks whether sync (another connection) stored events.
    void pollStore();

    /// The characters the atlas must hold, and whether it must be rebuilt.
    const GlyphSet& glyphs() const { return m_glyphs; }
    bool fontsDirty() const { return m_fontsDirty; }
    void fontsBuilt() { m_fontsDirty = false; }
    /// What the shell must do before it draws again; cleared by the call.
    ShellRequests takeRequests();
    /// Kiosk use: the window fills the screen, and closing it needs a clerk.
    void setFullscreen(bool on) { m_state.fullscreen = on; }

    /// The integrity check (or a sync round) found the node file damaged,
    /// or a heal of it is under way since before a restart.
    bool damaged() const { return !m_damage.empty(); }
    /// Closes every connection to the node file and heals it from the
    /// district on a thread of its own (healer.hpp), showing residents the
    /// restoring screen until Home comes back (drain() sees it done).
    void startHealing();
    bool restoring() const { return m_state.restoring.active; }
    /// Closes the screens' and the check's connections, moves the file
    /// aside and says so on stderr; returns the exit code.
    int stopForDamagedFile();
    bool integrityCheckDone() const { return m_checkDone; }
    /// When Home's figures were first shown (benchmarks).
    std::optional<std::chrono::steady_clock::time_point> homeReadyAt() const { return m_homeReadyAt; }

private:
    void trace(std::string_view line) const;
    void go(const NavInput& input);
    void refresh();
    void followTheDay();
    void requestHome();
    void scanGlyphs();
    void askForChanges();
    void applyClerk(const Command& c);
    void showStoredLockout();
    bool logInForPicture(const std::string& clerkId);
    void login(const std::string& clerkId, const std::string& pin);
    void logout(std::string_view why);
    template <class P>
    void write(P payload, std::string what, std::string subject);
    void saved(const std::string& what, const std::string& subject);
    void fileComplaint(Complaint complaint);
    void rate(const Rating& rating);
    void addBreachText(const std::vector<Store::BreachRecord>& records);
    void readSync();
    void readAloud();
    void stopReading();
    void readSpeech();
    void resetForNextResident();
    void resetView(View v) { m_requests.resetViews.set(static_cast<std::size_t>(v)); }
    void probe(std::string_view line) const;
    void closeConnections();
    void openConnections();
    void finishHealing();

    const Options& m_options;
    std::optional<Date> m_fixedToday;
    RatedClock m_clock;  // the calendar's and sync's clock; real unless --clock-rate
    ControllerHooks m_hooks;
    Date m_today;                      // the day the shown data was read for
    std::unique_ptr<Worker> m_worker;  // the screens' queries
    std::unique_ptr<Worker> m_writer;  // clerks' writes and PIN checks (Argon2id),
                                       // off the screens' queue
    std::unique_ptr<client::SyncWorker> m_sync;
    std::unique_ptr<Speaker> m_speaker;  // reading aloud; none until startSpeech()
    std::unique_ptr<Worker> m_checker;   // PRAGMA integrity_check, beside them; gone once done
    std::unique_ptr<Worker> m_scanner;   // the records' glyphs (seconds at 100k), off the screens' queue
    std::unique_ptr<Healer> m_healer;    // while the damaged node file is healed from the district
    bool m_syncStarted = false;
    bool m_checkDone = false;
    std::string m_damage;  // the integrity check's report, when it failed
    std::optional<std::chrono::steady_clock::time_point> m_homeReadyAt;

    AppState m_state;
    GlyphSet m_glyphs;
    bool m_fontsDirty = true;
    ShellRequests m_requests;
    View m_tracedView = View::home;
    bool m_traced = false;
    std::int64_t m_lastActivity = 0;
    std::int64_t m_lastPoll = 0;
    std::int64_t m_changeMark = -1;
};

}  // namespace shouxin::kiosk
