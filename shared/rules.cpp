#include "shared/rules.hpp"

#include <algorithm>
#include <string>

#include "shared/crypto.hpp"

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
        case Action::confirmBreach:
        case Action::objectBreach:
        case Action::rectifyBreach:
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
    if (std::holds_alternative<Breach>(payload)) return Action::confirmBreach;
    if (const auto* b = std::get_if<BreachStep>(&payload)) {
        if (b->step == BreachStepKind::objected) return Action::objectBreach;
        if (b->step == BreachStepKind::rectified) return Action::rectifyBreach;
    }
    if (const auto* c = std::get_if<ComplaintStep>(&payload); c && c->step != ComplaintStepKind::contactRead)
        return Action::answerComplaint;
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

// ---- Residents' complaints ---------------------------------------------------

Problems checkAnswer(ComplaintStatus current) {
    if (current == ComplaintStatus::closed) return {{"complaint", "error.complaint.closed", ""}};
    return {};
}

Problems checkComplaintStep(ComplaintStatus current, ComplaintStepKind step) {
    switch (step) {
        case ComplaintStepKind::handling:
            if (current != ComplaintStatus::received)
                return {{"step", "error.complaint.order", std::string(idOf(current))}};
            return {};
        case ComplaintStepKind::closed:
            return checkAnswer(current);
        case ComplaintStepKind::contactRead:
            return {};
    }
    return {};
}

Problems checkAnswerRating(ComplaintStatus current) {
    if (current != ComplaintStatus::answered)
        return {{"complaint", "error.complaint.not_answered", std::string(idOf(current))}};
    return {};
}

// ---- Breach records -----------------------------------------------------------

bool isDistrictStep(BreachStepKind step) {
    return step == BreachStepKind::upheld || step == BreachStepKind::dismissed ||
           step == BreachStepKind::repaired;
}

Problems checkBreachStep(const BreachProgress& current, const BreachStep& step) {
    const std::string stage(idOf(current.stage));
    if (current.stage == BreachStage::annulled || current.stage == BreachStage::repaired)
        return {{"step", "error.breach.closed", stage}};
    switch (step.step) {
        case BreachStepKind::objected:
            if (current.objected) return {{"step", "error.breach.objected_once", stage}};
            if (current.stage != BreachStage::confirmed) return {{"step", "error.breach.order", stage}};
            if (step.date > current.objectBy)
                return {{"date", "error.breach.objection_window", current.objectBy.toString()}};
            return {};
        case BreachStepKind::upheld:
        case BreachStepKind::dismissed:
            if (current.stage != BreachStage::objected) return {{"step", "error.breach.no_objection", stage}};
            return {};
        case BreachStepKind::rectified:
            if (current.stage == BreachStage::objected)
                return {{"step", "error.breach.objection_pending", stage}};
            if (current.stage != BreachStage::confirmed) return {{"step", "error.breach.order", stage}};
            return {};
        case BreachStepKind::repaired:
            if (current.stage != BreachStage::rectified)
                return {{"step", "error.breach.not_rectified", stage}};
            return {};
    }
    return {};
}

BreachProgress afterStep(BreachProgress current, BreachStepKind step) {
    switch (step) {
        case BreachStepKind::objected:
            current.stage = BreachStage::objected;
            current.objected = true;
            break;
        case BreachStepKind::upheld:
            current.stage = BreachStage::annulled;
            break;
        case BreachStepKind::dismissed:
            current.stage = BreachStage::confirmed;
            break;
        case BreachStepKind::rectified:
            current.stage = BreachStage::rectified;
            break;
        case BreachStepKind::repaired:
            current.stage = BreachStage::repaired;
            break;
    }
    return current;
}

std::vector<BreachStepKind> nextBreachSteps(const BreachProgress& current, bool district, Date today) {
    std::vector<BreachStepKind> out;
    for (const BreachStepKind k : kBreachSteps) {
        if (isDistrictStep(k) != district) continue;
        if (checkBreachStep(current, BreachStep{"", k, "-", today}).empty()) out.push_back(k);
    }
    return out;
}

Breach confirmBreach(const CommitmentState& commitment, std::string note, Date today, Date rectifyBy,
                     int objectionDays) {
    return Breach{newUuidV7(),
                  commitment.commitment.office,
                  commitment.commitment.id,
                  std::move(note),
                  today,
                  today.plusDays(objectionDays),
                  rectifyBy};
}

Problems checkBreachConfirm(const CommitmentState& commitment) {
    if (commitment.status != Status::broken)
        return {{"commitment", "error.breach.not_broken", std::string(idOf(commitment.status))}};
    return {};
}

bool isOpenBreach(BreachStage stage) {
    return stage != BreachStage::annulled && stage != BreachStage::repaired;
}

}  // namespace shouxin::rules
