#pragma once
// What the views read (AppState) and what they ask for (Commands). Views
// never change state or touch the store: they push command values that the
// controller applies after the frame (screen changes: navigation.hpp).
#include <optional>
#include <set>
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
    complaint,  // file a complaint
    lookup,     // look a complaint up by its ticket
    breaches,   // breach records (政务失信记录)
    login,
    dashboard,
    report,
    publish,
    revise,
    complaints  // open complaints and the answer form
};
inline constexpr std::size_t kViewCount = 14;
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
    std::string complaintAbout;  // the commitment a complaint is filed about ("" none)
    std::string ticket;          // the ticket typed to look a complaint up
    std::string breachesOf;      // the commitment whose breach records show ("" the office's)
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

/// A complaint being sent, and its ticket once it was stored.
struct ComplaintSent {
    bool sending = false;
    std::string ticket;  // "" until stored
    std::string error;   // translated, when it was refused
};

/// The outcome of the last clerk write, shown on the clerk screens.
struct Notice {
    std::string text;
    bool error = false;
};

/// The node file was found damaged and is being healed from the district
/// (sync/client/heal.hpp) off the UI thread; residents see a screen that
/// says so until Home comes back.
struct RestoringInfo {
    bool active = false;
    int attempts = 0;          // heal attempts so far (the district may be out of reach)
    std::string problemId;     // catalogue id of the last attempt's outcome, "" while the first runs
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
    LookupData lookup;
    BreachesData breaches;
    ComplaintsData complaints;  // clerk mode
    // Residents' voice.
    std::string districtKey;      // pinned at enrolment ("" not enrolled): contacts are sealed to it
    ComplaintSent complaintSent;  // the complaint screen's last send
    std::set<std::string> rated;  // commitments rated in this resident's session
    Notice residentNotice;        // the outcome of a rating
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
    RestoringInfo restoring;     // the node file was damaged: healing from the district
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
/// Residents' voice: file a complaint (about a commitment, or none),
/// look one up by its ticket, see breach records (of a commitment, or all).
struct OpenComplaint {
    std::string commitment;
};
struct OpenLookup {};
struct SetTicket {
    std::string ticket;
};
struct OpenBreaches {
    std::string commitment;
};
/// The complaint as the resident confirmed it, its contact already sealed:
/// the controller gives it an id and a ticket.
struct FileComplaint {
    Complaint complaint;
};
/// A resident's 1-5 rating of a commitment (once a session) or of the
/// answer to a complaint.
struct Rate {
    Rating rating;
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
struct OpenComplaints {};
struct SubmitAnswer {
    ComplaintAnswer answer;
};
struct SubmitComplaintStep {
    ComplaintStep step;
};
struct SubmitBreach {
    Breach breach;
};
struct SubmitBreachStep {
    BreachStep step;
    std::string commitment;  // the breach record's commitment, shown after
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

using Command =
    std::variant<GoHome, GoBack, OpenArea, OpenCommitment, OpenFigures, OpenSearch, SetFilter, SetQuery,
                 SetLang, SetLargeText, SetHighContrast, OpenLogin, Login, Logout, OpenDashboard, OpenReport,
                 OpenPublish, OpenRevise, SubmitReport, SubmitCommitment, SubmitRevision, DisableClerk,
                 SyncNow, TypedText, CloseKiosk, ReadAloud, StopReading, OpenComplaint, OpenLookup, SetTicket,
                 OpenBreaches, FileComplaint, Rate, OpenComplaints, SubmitAnswer, SubmitComplaintStep,
                 SubmitBreach, SubmitBreachStep>;

struct Commands {
    std::vector<Command> items;
    void push(Command c) { items.push_back(std::move(c)); }
};

}  // namespace shouxin::kiosk
