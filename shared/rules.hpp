#pragma once
// The rulebook of what a person may do: which role may take which action,
// which fulfilment status may follow which, and what a fulfilment report
// must say. The store (on every local write), the kiosk's clerk mode (what
// it offers and what it refuses) and the command line all ask these
// functions, so a rule is written once (STYLE.md, "Views").
//
// Its companion is shared/authority.hpp: the rulebook of which office and
// which identity may write which record, decided on the record an event is
// about. This file is about people and roles inside one office; that one is
// about offices and the district, and it is checked on every event taken,
// local, pushed or pulled.
//
// Problems carry catalogue message ids, as everywhere else.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "shared/domain.hpp"
#include "shared/event.hpp"
#include "shared/result.hpp"
#include "shared/state.hpp"

namespace shouxin::rules {

/// What a logged-in person may try to do to the office's records.
enum class Action : std::uint8_t {
    report,           // file a fulfilment report (not amended)
    publish,          // publish a new commitment
    answerComplaint,  // answer a resident's complaint
    revise,           // change a commitment's text
    amend,            // lawfully amend or withdraw (a report with status amended)
    addClerk,         // add a clerk account, or give one a new PIN
    disableClerk,
    reviewSetAside,  // read the events the district refused
    confirmBreach,   // confirm a broken commitment as a breach record
    objectBreach,    // object to a breach record, for the office
    rectifyBreach,   // report a breach rectified
};
inline constexpr Action kAllActions[] = {
    Action::report,        Action::publish,      Action::answerComplaint, Action::revise,
    Action::amend,         Action::addClerk,     Action::disableClerk,    Action::reviewSetAside,
    Action::confirmBreach, Action::objectBreach, Action::rectifyBreach};
inline constexpr Status kAllStatuses[] = {Status::notStarted, Status::inProgress, Status::fulfilled,
                                          Status::broken,     Status::rectified,  Status::amended};

/// Whether `role` may take `action`: clerks report, publish and answer;
/// supervisors may also revise, amend or withdraw, manage clerks, read
/// what the district refused, and confirm, object to and rectify breaches.
bool may(Role role, Action action);
/// The actions open to `role`, in kAllActions order.
std::vector<Action> actionsOf(Role role);
/// The action that recording `payload` takes, nullopt for what anyone may
/// record (a resident's complaint or rating, the office's name).
std::optional<Action> actionOf(const Payload& payload);
/// `error.role.supervisor_only` (detail: `actor`) when `role` may not
/// record `payload`.
Problems checkRole(Role role, const Payload& payload, std::string_view actor = {});

/// Whether a report may move a commitment from `from` to `to`, progress
/// aside: nothing after amended; rectified only after broken.
bool mayMove(Status from, Status to);
/// The statuses a report may give a commitment that stands at `from`, for
/// `role` (amended only to whoever may amend).
std::vector<Status> nextStatuses(Status from, Role role);

/// A report checked against the commitment as it stands: the transition
/// (error.status.after_amended, error.status.rectify_needs_breach), a
/// fulfilled status with progress 100 (error.status.fulfilled_needs_100),
/// and a date not before publication (error.date.before_published).
Problems checkReport(const FulfilmentReport& report, const CommitmentState& current);

// ---- Residents' complaints ---------------------------------------------------

/// Whether a complaint at `current` may be answered (not once closed).
Problems checkAnswer(ComplaintStatus current);
/// Whether `step` may follow `current`: taken up only when received,
/// closed only while open; the district reads the contact at any time.
Problems checkComplaintStep(ComplaintStatus current, ComplaintStepKind step);
/// Whether a resident may rate the answer to a complaint at `current`:
/// only an answered one (rating it closes it).
Problems checkAnswerRating(ComplaintStatus current);

// ---- Breach records (政务失信记录) ----------------------------------------------

/// The days an office has to object, counted from the confirmation.
inline constexpr int kObjectionDays = 15;

/// A breach record as its steps left it: what the next step is held to.
struct BreachProgress {
    BreachStage stage = BreachStage::confirmed;
    bool objected = false;  // an objection was made (once only)
    Date objectBy;
};
/// Whether `step` is the district's to take (rulings and credit repair);
/// the others (objection, rectification) are the office's supervisor's.
bool isDistrictStep(BreachStepKind step);
/// Whether `step` may follow, in this order: an objection once, by its
/// last day, while confirmed; a ruling on a pending objection; rectified
/// while confirmed (not while an objection waits, not once annulled);
/// repaired only after rectification. Messages `error.breach.*`.
Problems checkBreachStep(const BreachProgress& current, const BreachStep& step);
/// The stage after `step` (which checkBreachStep allowed).
BreachProgress afterStep(BreachProgress current, BreachStepKind step);
/// The steps that may follow now, for the district or for an office
/// (an objection is dated `today`).
std::vector<BreachStepKind> nextBreachSteps(const BreachProgress& current, bool district, Date today);
/// A new breach record on `commitment`, confirmed `today`: objections until
/// `objectionDays` later, rectification by `rectifyBy`.
Breach confirmBreach(const CommitmentState& commitment, std::string note, Date today, Date rectifyBy,
                     int objectionDays = kObjectionDays);
/// Only a broken commitment is confirmed as a breach (error.breach.not_broken).
Problems checkBreachConfirm(const CommitmentState& commitment);
/// Still open: not annulled and not repaired (counted in the figures).
bool isOpenBreach(BreachStage stage);

/// What a person filing a report must write on top of the domain's
/// validation: a note saying what was done (error.text.empty on "note").
/// The kiosk's form and the command line ask it; the store does not, as
/// imported and demo records predate it.
Problems checkReportText(const FulfilmentReport& report);

}  // namespace shouxin::rules
