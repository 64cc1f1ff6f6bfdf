#include "kiosk/ui/clerk.hpp"

#include <algorithm>
#include <ctime>

#include "shared/crypto.hpp"
#include "shared/rules.hpp"
#include "shared/text.hpp"

namespace shouxin::kiosk {

namespace {

// The rulebook's action behind a clerk screen's; nullopt for the kiosk's
// own (sync, close), open to anyone logged in.
std::optional<rules::Action> ruleOf(ClerkAction action) {
    switch (action) {
        case ClerkAction::report:
            return rules::Action::report;
        case ClerkAction::publish:
            return rules::Action::publish;
        case ClerkAction::revise:
            return rules::Action::revise;
        case ClerkAction::amend:
            return rules::Action::amend;
        case ClerkAction::disableClerk:
            return rules::Action::disableClerk;
        case ClerkAction::setAside:
            return rules::Action::reviewSetAside;
        case ClerkAction::answerComplaint:
            return rules::Action::answerComplaint;
        case ClerkAction::confirmBreach:
            return rules::Action::confirmBreach;
        case ClerkAction::objectBreach:
            return rules::Action::objectBreach;
        case ClerkAction::rectifyBreach:
            return rules::Action::rectifyBreach;
        case ClerkAction::syncNow:
        case ClerkAction::closeKiosk:
            return std::nullopt;
    }
    return std::nullopt;
}

}  // namespace

std::vector<ClerkAction> actionsFor(const std::optional<ClerkSession>& session) {
    if (!session) return {};
    std::vector<ClerkAction> out;
    for (const ClerkAction a :
         {ClerkAction::report, ClerkAction::publish, ClerkAction::syncNow, ClerkAction::closeKiosk,
          ClerkAction::revise, ClerkAction::amend, ClerkAction::disableClerk, ClerkAction::setAside,
          ClerkAction::answerComplaint, ClerkAction::confirmBreach, ClerkAction::objectBreach,
          ClerkAction::rectifyBreach}) {
        const auto rule = ruleOf(a);
        if (!rule || rules::may(session->role, *rule)) out.push_back(a);
    }
    return out;
}

bool may(const std::optional<ClerkSession>& session, ClerkAction action) {
    const auto actions = actionsFor(session);
    return std::find(actions.begin(), actions.end(), action) != actions.end();
}

bool closeAllowed(bool fullscreen, const std::optional<ClerkSession>& session) {
    return !fullscreen || may(session, ClerkAction::closeKiosk);
}

std::vector<Status> reportStatuses(const std::optional<ClerkSession>& session) {
    if (!session) return {};
    // Before the commitment is known, every status the role may give: the
    // transition itself is checked on the commitment (buildReport).
    std::vector<Status> out;
    for (const Status s : rules::kAllStatuses)
        if (s != Status::amended || rules::may(session->role, rules::Action::amend)) out.push_back(s);
    return out;
}

std::vector<Status> reportStatuses(const std::optional<ClerkSession>& session, Status current) {
    if (!session) return {};
    return rules::nextStatuses(current, session->role);
}

Status initialReportStatus(const std::optional<ClerkSession>& session, Status current, bool amend) {
    if (amend) return Status::amended;
    const auto offered = reportStatuses(session, current);
    const auto offers = [&](Status s) { return std::find(offered.begin(), offered.end(), s) != offered.end(); };
    if (current != Status::notStarted && offers(current)) return current;
    if (offers(Status::inProgress) || offered.empty()) return Status::inProgress;
    return offered.front();
}

std::string sessionLabel(const ClerkSession& session, Lang lang) {
    const std::string role(tr("role." + std::string(idOf(session.role)), lang));
    return lang == Lang::zh ? session.name + "（" + role + "）" : session.name + " (" + role + ")";
}

std::string clockTime(std::int64_t unixMillis) { return formatTime(unixMillis, "%H:%M", Clock::local); }

namespace {

std::string fill(std::string_view id, Lang lang, const std::string& arg) {
    std::string out(tr(id, lang));
    if (const auto at = out.find("{0}"); at != std::string::npos) out.replace(at, 3, arg);
    return out;
}

}  // namespace

std::string syncStateText(const SyncInfo& sync, Lang lang) {
    if (!sync.running) return {};
    if (!sync.enrolled) return std::string(tr("kiosk.sync.not_enrolled", lang));
    if (sync.syncing) return std::string(tr("kiosk.sync.syncing", lang));
    if (!sync.lastError.empty()) {
        const std::string reason(tr("sync.reason." + sync.lastError, lang));
        const std::string since = sync.offlineSince > 0
                                      ? fill("kiosk.sync.offline_since", lang, clockTime(sync.offlineSince))
                                      : std::string(tr("kiosk.sync.failed", lang));
        return since + (lang == Lang::zh ? "：" : ": ") + reason;
    }
    if (sync.lastSuccess > 0) return fill("kiosk.sync.up_to_date", lang, clockTime(sync.lastSuccess));
    return std::string(tr("kiosk.sync.waiting_first", lang));
}

// ---- Dashboard ------------------------------------------------------------------

Urgency urgencyOf(const CommitmentState& c, Date today) {
    if (isOverdue(c, today)) return Urgency::overdue;
    if (c.status == Status::broken) return Urgency::broken;
    if (!isClosed(c.status) && c.commitment.deadline && *c.commitment.deadline >= today &&
        *c.commitment.deadline <= today.plusDays(kDueSoonDays))
        return Urgency::dueSoon;
    return Urgency::none;
}

DashboardData loadDashboard(const Store& store, Date today) {
    DashboardData d;
    d.loading = false;
    std::vector<CommitmentState> overdue, dueSoon, broken;
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        switch (urgencyOf(c, today)) {
            case Urgency::overdue:
                overdue.push_back(c);
                break;
            case Urgency::dueSoon:
                dueSoon.push_back(c);
                break;
            case Urgency::broken:
                broken.push_back(c);
                break;
            case Urgency::none:
                break;
        }
    });
    auto rows = [today](std::vector<CommitmentState>& v) {
        std::sort(v.begin(), v.end(), [today](const CommitmentState& a, const CommitmentState& b) {
            return comesBefore(a, b, today);
        });
        std::vector<Row> out;
        out.reserve(v.size());
        for (const auto& c : v)
            out.push_back(rowOf(c, today));
        return out;
    };
    d.overdue = rows(overdue);
    d.dueSoon = rows(dueSoon);
    d.broken = rows(broken);
    store.openComplaints(0, d.complaintCount);
    d.clerks = store.clerks();
    for (const Store::SetAside& s : store.setAside())
        d.setAside.push_back({s.event.id, s.event.type, s.event.actor, s.reason, s.detail});
    return d;
}

// ---- Forms ------------------------------------------------------------------------

std::string describeProblems(const Problems& problems, Lang lang) {
    std::string out;
    for (const Problem& p : problems) {
        if (!out.empty()) out += lang == Lang::zh ? "；" : "; ";
        const std::string fieldId = "kiosk.field." + p.field;
        const std::string_view field = tr(fieldId, lang);
        if (!p.field.empty() && field != fieldId)
            out += std::string(field) + (lang == Lang::zh ? "：" : ": ");
        out += std::string(tr(p.message, lang));
    }
    return out;
}

Result<FulfilmentReport> buildReport(const ReportForm& form, const CommitmentState& seen, Date today,
                                     const std::optional<ClerkSession>& session) {
    if (!may(session, ClerkAction::report)) return Problem{"actor", "error.role.clerk_only", ""};
    const auto allowed = reportStatuses(session);
    if (std::find(allowed.begin(), allowed.end(), form.status) == allowed.end())
        return Problem{"status", "error.role.supervisor_only", std::string(idOf(form.status))};
    FulfilmentReport r;
    r.commitment = seen.commitment.id;
    r.status = form.status;
    r.progress = form.progress;
    r.note = form.note;
    r.date = today;
    r.basedOn = seen.lastReport;
    if (form.status == Status::amended) {
        r.reason = form.reason;
        r.legalBasis = form.legalBasis;
    }
    // The same rules the store and the command line ask (rules.hpp).
    Problems problems = rules::checkReportText(r);
    for (Problem& p : validate(r))
        problems.push_back(std::move(p));
    for (Problem& p : rules::checkReport(r, seen))
        problems.push_back(std::move(p));
    if (!problems.empty()) return problems;
    return r;
}

CommitmentForm formOf(const Commitment& c) {
    CommitmentForm f;
    f.category = c.category;
    f.kind = c.kind;
    f.title = c.title;
    f.detail = c.detail;
    f.department = c.department;
    f.responsible = c.responsible;
    f.deadline = c.deadline ? c.deadline->toString() : std::string();
    f.timeLimit = c.timeLimit;
    return f;
}

namespace {

// The deadline field: empty, or a date that is not in the past.
std::optional<Date> parseDeadline(const std::string& text, Problems& problems) {
    if (text.empty()) return std::nullopt;
    auto d = Date::parse(text);
    if (!d) problems.push_back({"deadline", "error.date", text});
    return d;
}

// The form's fields as a commitment of `office` published `today`; the
// deadline read leniently (an unreadable one is left out), no id yet.
Commitment commitmentFrom(const CommitmentForm& form, std::string_view office, Date today) {
    Commitment c;
    c.office = std::string(office);
    c.category = form.category;
    c.kind = form.kind;
    c.title = form.title;
    c.detail = form.detail;
    c.department = form.department;
    c.responsible = form.responsible;
    c.deadline = Date::parse(form.deadline);
    c.timeLimit = form.timeLimit;
    c.published = today;
    return c;
}

}  // namespace

Result<Commitment> buildCommitment(const CommitmentForm& form, std::string_view office, Date today,
                                   const std::optional<ClerkSession>& session) {
    if (!may(session, ClerkAction::publish)) return Problem{"actor", "error.role.clerk_only", ""};
    Problems problems;
    Commitment c = commitmentFrom(form, office, today);
    c.id = newUuidV7();
    c.deadline = parseDeadline(form.deadline, problems);
    if (c.kind == Kind::timeLimit && !c.deadline && c.timeLimit.empty())
        problems.push_back({"deadline", "error.commitment.needs_time_limit", ""});
    for (Problem& p : validate(c))
        problems.push_back(std::move(p));
    if (!problems.empty()) return problems;
    return c;
}

Result<CommitmentRevised> buildRevision(const CommitmentForm& form, const Commitment& current, Date today,
                                        const std::optional<ClerkSession>& session) {
    if (!may(session, ClerkAction::revise)) return Problem{"actor", "error.role.supervisor_only", ""};
    Problems problems;
    CommitmentRevised r;
    r.commitment = current.id;
    r.title = form.title;
    r.detail = form.detail;
    r.department = form.department;
    r.responsible = form.responsible;
    r.timeLimit = form.timeLimit;
    r.reason = form.reason;
    r.date = today;
    r.deadline = parseDeadline(form.deadline, problems);
    if (r.deadline && *r.deadline < current.published)
        problems.push_back({"deadline", "error.deadline_before_published", r.deadline->toString()});
    for (Problem& p : validate(r))
        problems.push_back(std::move(p));
    if (problems.empty() && r.title == current.title && r.detail == current.detail &&
        r.department == current.department && r.responsible == current.responsible &&
        r.deadline == current.deadline && r.timeLimit == current.timeLimit)
        problems.push_back({"", "error.revision.unchanged", ""});
    if (!problems.empty()) return problems;
    return r;
}

CommitmentState previewOf(const CommitmentForm& form, std::string_view office, Date today) {
    CommitmentState s;
    s.commitment = commitmentFrom(form, office, today);
    s.commitment.id = "preview";
    return s;
}

const std::vector<std::string>& commonPhraseIds() {
    static const std::vector<std::string> ids = {
        "kiosk.phrase.visited", "kiosk.phrase.materials", "kiosk.phrase.submitted", "kiosk.phrase.approved",
        "kiosk.phrase.funds",   "kiosk.phrase.contacted", "kiosk.phrase.completed", "kiosk.phrase.delayed",
    };
    return ids;
}

ComplaintsData loadComplaints(const Store& store) {
    ComplaintsData d{false, store.complaints(store.node().office, true, kComplaintsShown + 1), false};
    d.more = d.open.size() > kComplaintsShown;
    if (d.more) d.open.resize(kComplaintsShown);
    return d;
}

std::vector<ComplaintStepKind> complaintSteps(ComplaintStatus status) {
    std::vector<ComplaintStepKind> out;
    for (const ComplaintStepKind k : {ComplaintStepKind::handling, ComplaintStepKind::closed})
        if (rules::checkComplaintStep(status, k).empty()) out.push_back(k);
    return out;
}

const Store::BreachRecord* openBreach(const std::vector<Store::BreachRecord>& records) {
    for (const Store::BreachRecord& r : records)
        if (rules::isOpenBreach(r.stage)) return &r;
    return nullptr;
}

BreachActions breachActions(const std::optional<ClerkSession>& session, const CommitmentState& commitment,
                            const std::vector<Store::BreachRecord>& records, Date today) {
    BreachActions out;
    const Store::BreachRecord* open = openBreach(records);
    if (!open) {
        out.confirm =
            may(session, ClerkAction::confirmBreach) && rules::checkBreachConfirm(commitment).empty();
        return out;
    }
    const rules::BreachProgress progress{open->stage, open->objected, open->breach.objectBy};
    if (!session) return out;
    for (const BreachStepKind k : rules::nextBreachSteps(progress, /*district=*/false, today)) {
        const auto action = rules::actionOf(Payload{BreachStep{open->breach.id, k, "", today}});
        if (action && rules::may(session->role, *action)) out.steps.push_back(k);
    }
    return out;
}

Breach draftBreach(const CommitmentState& commitment, std::string note, Date rectifyBy, Date today) {
    return Breach{newUuidV7(),
                  commitment.commitment.office,
                  commitment.commitment.id,
                  std::move(note),
                  today,
                  today.plusDays(rules::kObjectionDays),
                  rectifyBy};
}

}  // namespace shouxin::kiosk
