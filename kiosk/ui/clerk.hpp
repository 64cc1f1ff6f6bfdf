#pragma once
// Clerk mode without a window: who is logged in and what they may do, the
// dashboard's data, and the forms (fulfilment report, publish, revise)
// turned into payloads or translated problems. No ImGui here, so role
// gating and validation are tested as plain logic.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/ui/model.hpp"
#include "shared/i18n.hpp"
#include "shared/result.hpp"
#include "shared/store.hpp"
#include "sync/client/sync_status.hpp"

namespace shouxin::kiosk {

/// The clerk logged in at this kiosk.
struct ClerkSession {
    std::string id;
    std::string name;
    Role role = Role::clerk;
    std::string actor() const { return "clerk:" + id; }
};

/// What a clerk screen or the detail view may offer.
enum class ClerkAction : std::uint8_t {
    report,   // fulfilment report
    publish,  // a new commitment
    syncNow,
    revise,           // supervisor: a commitment's text
    amend,            // supervisor: lawfully amend or withdraw
    disableClerk,     // supervisor
    setAside,         // supervisor: events the district refused
    closeKiosk,       // end the program: the only way out of a fullscreen kiosk
    answerComplaint,  // take up, answer and close residents' complaints
    confirmBreach,    // supervisor: confirm a broken commitment as a breach record
    objectBreach,     // supervisor: object to a breach record
    rectifyBreach,    // supervisor: report a breach record rectified
};
/// The actions open to `session`; none at all without one (resident mode).
std::vector<ClerkAction> actionsFor(const std::optional<ClerkSession>& session);
bool may(const std::optional<ClerkSession>& session, ClerkAction action);
/// Whether the window may close: always in a window, and in fullscreen
/// kiosk use only with a clerk logged in (no way out without a PIN).
bool closeAllowed(bool fullscreen, const std::optional<ClerkSession>& session);
/// Statuses the report form offers: amended only to a supervisor
/// (rules::may). With the commitment's `current` status, only those the
/// rulebook lets follow it (rules::nextStatuses).
std::vector<Status> reportStatuses(const std::optional<ClerkSession>& session);
std::vector<Status> reportStatuses(const std::optional<ClerkSession>& session, Status current);
/// The status a fresh report form starts at: amended when amending;
/// otherwise the current status when it may be given again, in progress
/// when the commitment has not started or its status may not repeat (a
/// rectified one), else the first one offered.
Status initialReportStatus(const std::optional<ClerkSession>& session, Status current, bool amend);
/// "张明（办事员）" / "Zhang Ming (Clerk)".
std::string sessionLabel(const ClerkSession& session, Lang lang);

/// Sync as the UI shows it (copied from the sync worker once per frame).
/// The worker's last report, and whether a worker runs at all.
struct SyncInfo : client::SyncStatus {
    bool running = false;  // a sync worker exists
};

/// The sync state in plain words: "正在同步…", "已与区县同步（14:02）",
/// "离线（自 14:02 起）：<reason>", "尚未登记到区县"; "" when no sync runs.
std::string syncStateText(const SyncInfo& sync, Lang lang);
/// "HH:MM" of Unix milliseconds, local time.
std::string clockTime(std::int64_t unixMillis);

// ---- Dashboard ----------------------------------------------------------------

struct DashboardData {
    bool loading = true;
    std::vector<Row> overdue;
    std::vector<Row> dueSoon;  // open, deadline within 7 days, not overdue
    std::vector<Row> broken;
    std::int64_t complaintCount = 0;  // waiting for an answer (listed on their own screen)
    std::vector<Store::Clerk> clerks;
    struct Refused {
        std::string eventId;
        std::string type;
        std::string actor;
        std::string reason;  // sync.reason.<id> in the catalogue
        std::string detail;
    };
    std::vector<Refused> setAside;
};
/// Which dashboard list a commitment belongs to (at most one).
enum class Urgency : std::uint8_t { none, overdue, dueSoon, broken };
Urgency urgencyOf(const CommitmentState& c, Date today);
DashboardData loadDashboard(const Store& store, Date today);

// ---- Complaints -------------------------------------------------------------------

/// The office's complaints waiting for an answer (received or handling),
/// oldest first, at most kComplaintsShown; never a complainant's contact.
inline constexpr std::size_t kComplaintsShown = 200;
struct ComplaintsData {
    bool loading = true;
    std::vector<Store::ComplaintView> open;
    bool more = false;  // more are waiting than the list shows
};
ComplaintsData loadComplaints(const Store& store);
/// The steps the answer form offers for a complaint at `status`
/// (rules::checkComplaintStep): taken up and closed, never the district's.
std::vector<ComplaintStepKind> complaintSteps(ComplaintStatus status);

// ---- Breach records -----------------------------------------------------------------

/// The open breach record of a commitment (not annulled, not repaired), if any.
const Store::BreachRecord* openBreach(const std::vector<Store::BreachRecord>& records);
/// What a supervisor may do about a commitment's breach records on `today`:
/// confirm one (a broken commitment without an open record), or the office's
/// next steps on the open one (rules::nextBreachSteps; never the district's).
struct BreachActions {
    bool confirm = false;
    std::vector<BreachStepKind> steps;
};
BreachActions breachActions(const std::optional<ClerkSession>& session, const CommitmentState& commitment,
                            const std::vector<Store::BreachRecord>& records, Date today);
/// A breach record confirmed today, open to objection for rules::kObjectionDays.
Breach draftBreach(const CommitmentState& commitment, std::string note, Date rectifyBy, Date today);

// ---- Forms ----------------------------------------------------------------------

/// A translated, one-line account of what is wrong: "备注：不能为空".
std::string describeProblems(const Problems& problems, Lang lang);

struct ReportForm {
    Status status = Status::inProgress;
    int progress = 0;
    std::string note;
    std::string reason;      // amended only
    std::string legalBasis;  // amended only
};
/// The report a clerk files about `seen` (the state the form was opened
/// on: basedOn is its lastReport), or what is wrong with the form.
Result<FulfilmentReport> buildReport(const ReportForm& form, const CommitmentState& seen, Date today,
                                     const std::optional<ClerkSession>& session);

struct CommitmentForm {
    Category category = Category::convenience;
    Kind kind = Kind::serviceQuality;
    std::string title;
    std::string detail;
    std::string department;
    std::string responsible;
    std::string deadline;  // YYYY-MM-DD or empty
    std::string timeLimit;
    std::string reason;  // revision only
};
CommitmentForm formOf(const Commitment& c);
/// A new commitment of `office`, published today, with a fresh id.
Result<Commitment> buildCommitment(const CommitmentForm& form, std::string_view office, Date today,
                                   const std::optional<ClerkSession>& session);
/// A supervisor's revision of `current`.
Result<CommitmentRevised> buildRevision(const CommitmentForm& form, const Commitment& current, Date today,
                                        const std::optional<ClerkSession>& session);
/// The commitment as residents would see it after publishing (preview).
CommitmentState previewOf(const CommitmentForm& form, std::string_view office, Date today);

/// Phrases a clerk can tap into the note (catalogue ids).
const std::vector<std::string>& commonPhraseIds();

}  // namespace shouxin::kiosk
