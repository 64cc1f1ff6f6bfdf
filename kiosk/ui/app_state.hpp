#pragma once
// What the views read (AppState) and what they ask for (Commands). Views
// never change state or touch the store: they push command values that the
// controller applies after the frame (screen changes: navigation.hpp).
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/ui/clerk.hpp"
#include "kiosk/ui/model.hpp"
#include "shared/i18n.hpp"

namespace shouxin::kiosk {

/// Resident screens, then the clerk screens (behind the PIN pad).
enum class View : std::uint8_t {
    home,
    area,
    detail,
    figures,
    search,
    login,
    dashboard,
    report,
    publish,
    revise
};
inline constexpr std::size_t kViewCount = 10;
/// Clerk screens: shown only while a clerk is logged in (login excepted).
bool isClerkView(View v);
std::string_view idOf(View v);
std::optional<View> parseView(std::string_view id);

/// How the kiosk looks; a resident can change these from every screen.
struct Settings {
    Lang lang = Lang::zh;
    bool largeText = false;
    bool highContrast = false;
    bool operator==(const Settings&) const = default;
};

/// Which screen, and what the resident picked or typed on it.
struct Navigation {
    View view = View::home;
    Category area = Category::employment;
    AreaFilter filter;
    std::string commitment;
    std::string query;
    bool amend = false;      // the report form opened to amend or withdraw
    std::vector<View> back;  // where "back" goes
};

/// The PIN pad's state, as the worker last reported it.
struct LoginState {
    bool loading = true;
    std::vector<Store::Clerk> clerks;  // enabled accounts, to pick a name from
    bool checking = false;             // a PIN is being checked on the worker
    std::string messageId;             // last outcome ("" none)
    int failures = 0;
    std::int64_t lockedUntil = 0;  // Unix ms
};

/// Reading aloud, as the speaker last reported it.
struct SpeechInfo {
    bool available = false;  // a synthesiser and an audio device: the button shows
    bool speaking = false;   // the button stops instead
};

/// The outcome of the last clerk write, shown on the clerk screens.
struct Notice {
    std::string text;
    bool error = false;
};

struct AppState {
    Settings settings;
    Navigation nav;
    // The current screen's data, built once per change.
    HomeData home;
    AreaData area;
    DetailData detail;
    FiguresData figures;
    SearchData search;
    // Sync and idle status for the chrome.
    int idleSecondsLeft = -1;  // >= 0 while the idle countdown shows
    // Clerk mode.
    std::string office;  // this node's office code
    std::optional<ClerkSession> session;
    LoginState login;
    DashboardData dashboard;
    SyncInfo sync;
    Notice notice;
    SpeechInfo speech;
    std::int64_t nowMillis = 0;  // wall clock of this frame (lockout countdown)
    bool fullscreen = false;     // kiosk use: closing needs a clerk
};

// ---- Commands ---------------------------------------------------------------

struct GoHome {};
struct GoBack {};
struct OpenArea {
    Category area;
};
struct OpenCommitment {
    std::string id;
};
struct OpenFigures {};
struct OpenSearch {};
struct SetFilter {
    AreaFilter filter;
};
struct SetQuery {
    std::string query;
};
struct SetLang {
    Lang lang;
};
struct SetLargeText {
    bool on;
};
struct SetHighContrast {
    bool on;
};

// Clerk mode. Writes carry the payload built and validated by the view.
struct OpenLogin {};
struct Login {
    std::string clerkId;
    std::string pin;
};
struct Logout {};
struct OpenDashboard {};
struct OpenReport {
    std::string commitment;
    bool amend = false;
};
struct OpenPublish {};
struct OpenRevise {
    std::string commitment;
};
struct SubmitReport {
    FulfilmentReport report;
};
struct SubmitCommitment {
    Commitment commitment;
};
struct SubmitRevision {
    CommitmentRevised revision;
};
struct DisableClerk {
    ClerkDisabled disabled;
};
struct SyncNow {};
/// A clerk ends the program (fullscreen kiosk use has no other way out).
struct CloseKiosk {};
/// Reads the commitment or the figures on the screen aloud.
struct ReadAloud {};
/// Stops reading aloud.
struct StopReading {};
/// Text typed through an input method: its characters join the atlas.
struct TypedText {
    std::string text;
};

using Command = std::variant<GoHome, GoBack, OpenArea, OpenCommitment, OpenFigures, OpenSearch, SetFilter,
                             SetQuery, SetLang, SetLargeText, SetHighContrast, OpenLogin, Login, Logout,
                             OpenDashboard, OpenReport, OpenPublish, OpenRevise, SubmitReport,
                             SubmitCommitment, SubmitRevision, DisableClerk, SyncNow, TypedText, CloseKiosk,
                             ReadAloud, StopReading>;

struct Commands {
    std::vector<Command> items;
    void push(Command c) { items.push_back(std::move(c)); }
};

}  // namespace shouxin::kiosk
