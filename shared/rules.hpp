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
};
inline constexpr Action kAllActions[] = {Action::report,       Action::publish,       Action::answerComplaint,
                                         Action::revise,       Action::amend,         Action::addClerk,
                                         Action::disableClerk, Action::reviewSetAside};
inline constexpr Status kAllStatuses[] = {Status::notStarted, Status::inProgress, Status::fulfilled,
                                          Status::broken,     Status::rectified,  Status::amended};

/// Whether `role` may take `action`: clerks report, publish and answer;
/// supervisors may also revise, amend or withdraw, manage clerks and read
/// what the district refused.
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

/// What a person filing a report must write on top of the domain's
/// validation: a note saying what was done (error.text.empty on "note").
/// The kiosk's form and the command line ask it; the store does not, as
/// imported and demo records predate it.
Problems checkReportText(const FulfilmentReport& report);

}  // namespace shouxin::rules
