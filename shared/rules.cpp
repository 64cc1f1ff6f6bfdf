#include "shared/rules.hpp"

#include <algorithm>
#include <string>

namespace shouxin::rules {

bool may(Role role, Action action) {
    switch (action) {
        case Action::report:
        case Action::publish:
        case Action::answerComplaint:
            return true;
        case Action::revise:
        case Action::amend:
        case Action::addClerk:
        case Action::disableClerk:
        case Action::reviewSetAside:
            return role == Role::supervisor;
    }
    return false;
}

std::vector<Action> actionsOf(Role role) {
    std::vector<Action> out;
    for (const Action a : kAllActions)
        if (may(role, a)) out.push_back(a);
    return out;
}

std::optional<Action> actionOf(const Payload& payload) {
    if (const auto* r = std::get_if<FulfilmentReport>(&payload))
        return r->status == Status::amended ? Action::amend : Action::report;
    if (std::holds_alternative<Commitment>(payload)) return Action::publish;
    if (std::holds_alternative<ComplaintAnswer>(payload)) return Action::answerComplaint;
    if (std::holds_alternative<CommitmentRevised>(payload)) return Action::revise;
    if (std::holds_alternative<ClerkAdded>(payload)) return Action::addClerk;
    if (std::holds_alternative<ClerkDisabled>(payload)) return Action::disableClerk;
    return std::nullopt;
}

Problems checkRole(Role role, const Payload& payload, std::string_view actor) {
    const auto action = actionOf(payload);
    if (!action || may(role, *action)) return {};
    return {{"actor", "error.role.supervisor_only", std::string(actor)}};
}

bool mayMove(Status from, Status to) {
    if (from == Status::amended) return false;
    if (to == Status::rectified) return from == Status::broken;
    return true;
}

std::vector<Status> nextStatuses(Status from, Role role) {
    std::vector<Status> out;
    for (const Status to : kAllStatuses) {
        if (to == Status::amended && !may(role, Action::amend)) continue;
        if (mayMove(from, to)) out.push_back(to);
    }
    return out;
}

Problems checkReport(const FulfilmentReport& r, const CommitmentState& current) {
    Problems out;
    if (r.status == Status::rectified && !mayMove(current.status, r.status)) {
        out.push_back({"status", "error.status.rectify_needs_breach", std::string(idOf(current.status))});
    }
    // Progress out of range is the domain's to report (validate()).
    if (r.status == Status::fulfilled && r.progress != 100 && r.progress >= 0 && r.progress <= 100) {
        out.push_back({"progress", "error.status.fulfilled_needs_100", std::to_string(r.progress)});
    }
    if (current.status == Status::amended) {
        out.push_back({"status", "error.status.after_amended", r.commitment});
    }
    if (r.date < current.commitment.published) {
        out.push_back({"date", "error.date.before_published", r.date.toString()});
    }
    return out;
}

Problems checkReportText(const FulfilmentReport& report) {
    if (report.note.empty()) return {{"note", "error.text.empty", ""}};
    return {};
}

}  // namespace shouxin::rules
