// The rulebook: who may do what, which status may follow which, and what
// a report must say, as tables (rules.hpp).
#include <catch2/catch.hpp>

#include <array>
#include <iterator>

#include "shared/rules.hpp"

using namespace shouxin;
using rules::Action;

namespace {

bool hasMessage(const Problems& problems, const std::string& message) {
    for (const Problem& p : problems)
        if (p.message == message) return true;
    return false;
}

CommitmentState standing(Status status) {
    CommitmentState s;
    s.commitment.id = "c1";
    s.commitment.published = Date::fromCivil(2026, 3, 1);
    s.status = status;
    return s;
}

FulfilmentReport reportOf(Status status, int progress, Date date = Date::fromCivil(2026, 4, 1)) {
    FulfilmentReport r;
    r.commitment = "c1";
    r.status = status;
    r.progress = progress;
    r.note = "已办理";
    r.date = date;
    return r;
}

}  // namespace

TEST_CASE("role by action: clerks report, publish and answer, supervisors also revise, amend and manage",
          "[rules]") {
    struct Row {
        Action action;
        bool clerk;
        bool supervisor;
    };
    const Row table[] = {
        {Action::report, true, true},          {Action::publish, true, true},
        {Action::answerComplaint, true, true}, {Action::revise, false, true},
        {Action::amend, false, true},          {Action::addClerk, false, true},
        {Action::disableClerk, false, true},   {Action::reviewSetAside, false, true},
        {Action::confirmBreach, false, true},  {Action::objectBreach, false, true},
        {Action::rectifyBreach, false, true},
    };
    STATIC_REQUIRE(std::size(table) == std::size(rules::kAllActions));
    for (const Row& row : table) {
        INFO("action " << static_cast<int>(row.action));
        CHECK(rules::may(Role::clerk, row.action) == row.clerk);
        CHECK(rules::may(Role::supervisor, row.action) == row.supervisor);
    }
    CHECK(rules::actionsOf(Role::supervisor).size() == std::size(rules::kAllActions));
    CHECK(rules::actionsOf(Role::clerk) ==
          std::vector<Action>{Action::report, Action::publish, Action::answerComplaint});
}

TEST_CASE("the action a record takes decides the role it needs", "[rules]") {
    CHECK(rules::actionOf(reportOf(Status::inProgress, 10)) == Action::report);
    CHECK(rules::actionOf(reportOf(Status::amended, 0)) == Action::amend);
    CHECK(rules::actionOf(Commitment{}) == Action::publish);
    CHECK(rules::actionOf(ComplaintAnswer{}) == Action::answerComplaint);
    CHECK(rules::actionOf(CommitmentRevised{}) == Action::revise);
    CHECK(rules::actionOf(ClerkAdded{}) == Action::addClerk);
    CHECK(rules::actionOf(ClerkDisabled{}) == Action::disableClerk);
    CHECK_FALSE(rules::actionOf(Complaint{}));
    CHECK_FALSE(rules::actionOf(Rating{}));
    CHECK_FALSE(rules::actionOf(OfficeNamed{}));

    const Problems refused = rules::checkRole(Role::clerk, CommitmentRevised{}, "clerk:zhang");
    REQUIRE(refused.size() == 1);
    CHECK(refused.front().field == "actor");
    CHECK(refused.front().message == "error.role.supervisor_only");
    CHECK(refused.front().detail == "clerk:zhang");
    CHECK(rules::checkRole(Role::supervisor, CommitmentRevised{}, "clerk:li").empty());
    CHECK(rules::checkRole(Role::clerk, reportOf(Status::fulfilled, 100)).empty());
}

TEST_CASE("status by status: nothing after amended, rectified only after broken", "[rules]") {
    using S = Status;
    // Rows: from; columns: to, in kAllStatuses order
    // (not started, in progress, fulfilled, broken, rectified, amended).
    const std::pair<S, std::array<bool, 6>> table[] = {
        {S::notStarted, {true, true, true, true, false, true}},
        {S::inProgress, {true, true, true, true, false, true}},
        {S::fulfilled, {true, true, true, true, false, true}},
        {S::broken, {true, true, true, true, true, true}},
        {S::rectified, {true, true, true, true, false, true}},
        {S::amended, {false, false, false, false, false, false}},
    };
    for (const auto& [from, row] : table) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            const S to = rules::kAllStatuses[i];
            INFO(idOf(from) << " -> " << idOf(to));
            CHECK(rules::mayMove(from, to) == row[i]);
            const Problems p = rules::checkReport(reportOf(to, 100), standing(from));
            CHECK(p.empty() == row[i]);
        }
    }
}

TEST_CASE("the statuses offered follow the transitions and the role", "[rules]") {
    CHECK(rules::nextStatuses(Status::inProgress, Role::clerk) ==
          std::vector<Status>{Status::notStarted, Status::inProgress, Status::fulfilled, Status::broken});
    CHECK(rules::nextStatuses(Status::broken, Role::supervisor) ==
          std::vector<Status>{Status::notStarted, Status::inProgress, Status::fulfilled, Status::broken,
                              Status::rectified, Status::amended});
    CHECK(rules::nextStatuses(Status::amended, Role::supervisor).empty());
}

TEST_CASE("a report: fulfilled needs progress 100, no date before publication, a note", "[rules]") {
    const CommitmentState open = standing(Status::inProgress);
    CHECK(hasMessage(rules::checkReport(reportOf(Status::fulfilled, 80), open),
                     "error.status.fulfilled_needs_100"));
    CHECK(rules::checkReport(reportOf(Status::fulfilled, 100), open).empty());
    // Out of range is the domain's message, not this one.
    CHECK(rules::checkReport(reportOf(Status::fulfilled, 140), open).empty());
    CHECK(hasMessage(rules::checkReport(reportOf(Status::inProgress, 10, Date::fromCivil(2026, 2, 28)), open),
                     "error.date.before_published"));
    CHECK(rules::checkReport(reportOf(Status::inProgress, 10, Date::fromCivil(2026, 3, 1)), open).empty());
    CHECK(hasMessage(rules::checkReport(reportOf(Status::inProgress, 10), standing(Status::amended)),
                     "error.status.after_amended"));
    CHECK(hasMessage(rules::checkReport(reportOf(Status::rectified, 100), open),
                     "error.status.rectify_needs_breach"));

    FulfilmentReport silent = reportOf(Status::inProgress, 10);
    CHECK(rules::checkReportText(silent).empty());
    silent.note.clear();
    const Problems p = rules::checkReportText(silent);
    REQUIRE(p.size() == 1);
    CHECK(p.front().field == "note");
    CHECK(p.front().message == "error.text.empty");
}

TEST_CASE("a breach record's steps follow in the rulebook's order, each by its side", "[rules][breach]") {
    const Date confirmed = Date::fromCivil(2026, 5, 1);
    rules::BreachProgress now;
    now.objectBy = confirmed.plusDays(rules::kObjectionDays);
    const auto step = [&](BreachStepKind k, Date d = Date::fromCivil(2026, 5, 10)) {
        return rules::checkBreachStep(now, BreachStep{"b", k, "说明", d});
    };
    const auto firstMessage = [](const Problems& p) { return p.empty() ? std::string() : p.front().message; };

    // Confirmed: the office may object or rectify; nothing to rule on or repair.
    CHECK(step(BreachStepKind::objected).empty());
    CHECK(step(BreachStepKind::rectified).empty());
    CHECK(firstMessage(step(BreachStepKind::dismissed)) == "error.breach.no_objection");
    CHECK(firstMessage(step(BreachStepKind::repaired)) == "error.breach.not_rectified");
    // The objection window ends on its last day, inclusive.
    CHECK(step(BreachStepKind::objected, now.objectBy).empty());
    CHECK(firstMessage(step(BreachStepKind::objected, now.objectBy.plusDays(1))) ==
          "error.breach.objection_window");
    CHECK(rules::nextBreachSteps(now, false, confirmed) ==
          std::vector<BreachStepKind>{BreachStepKind::objected, BreachStepKind::rectified});
    CHECK(rules::nextBreachSteps(now, true, confirmed).empty());

    // Objected: only the district's ruling; no second objection, no rectification meanwhile.
    now = rules::afterStep(now, BreachStepKind::objected);
    CHECK(now.stage == BreachStage::objected);
    CHECK(firstMessage(step(BreachStepKind::objected)) == "error.breach.objected_once");
    CHECK(firstMessage(step(BreachStepKind::rectified)) == "error.breach.objection_pending");
    CHECK(rules::nextBreachSteps(now, true, confirmed) ==
          std::vector<BreachStepKind>{BreachStepKind::upheld, BreachStepKind::dismissed});

    // Dismissed: it stands; one objection only, so rectification is what is left.
    rules::BreachProgress stands = rules::afterStep(now, BreachStepKind::dismissed);
    CHECK(stands.stage == BreachStage::confirmed);
    CHECK(rules::nextBreachSteps(stands, false, confirmed) ==
          std::vector<BreachStepKind>{BreachStepKind::rectified});
    // Upheld: annulled, and nothing follows.
    rules::BreachProgress annulled = rules::afterStep(now, BreachStepKind::upheld);
    CHECK(annulled.stage == BreachStage::annulled);
    CHECK_FALSE(rules::isOpenBreach(annulled.stage));
    for (const BreachStepKind k : kBreachSteps)
        CHECK(firstMessage(rules::checkBreachStep(annulled, BreachStep{"b", k, "x", confirmed})) ==
              "error.breach.closed");

    // Rectified, then repaired: in the history, no longer open.
    rules::BreachProgress rectified = rules::afterStep(stands, BreachStepKind::rectified);
    CHECK(rules::nextBreachSteps(rectified, true, confirmed) ==
          std::vector<BreachStepKind>{BreachStepKind::repaired});
    CHECK(rules::isOpenBreach(rectified.stage));
    const rules::BreachProgress repaired = rules::afterStep(rectified, BreachStepKind::repaired);
    CHECK(repaired.stage == BreachStage::repaired);
    CHECK_FALSE(rules::isOpenBreach(repaired.stage));

    // Which side takes which step, and who may take the office's.
    CHECK(rules::isDistrictStep(BreachStepKind::upheld));
    CHECK(rules::isDistrictStep(BreachStepKind::repaired));
    CHECK_FALSE(rules::isDistrictStep(BreachStepKind::objected));
    CHECK(rules::actionOf(BreachStep{"b", BreachStepKind::objected, "x", confirmed}) == Action::objectBreach);
    CHECK_FALSE(rules::actionOf(BreachStep{"b", BreachStepKind::repaired, "x", confirmed}).has_value());
    CHECK_FALSE(rules::may(Role::clerk, Action::confirmBreach));
}

TEST_CASE("a complaint is taken up once, answered until closed, and its answer rated once answered",
          "[rules][complaint]") {
    CHECK(rules::checkComplaintStep(ComplaintStatus::received, ComplaintStepKind::handling).empty());
    CHECK_FALSE(rules::checkComplaintStep(ComplaintStatus::answered, ComplaintStepKind::handling).empty());
    CHECK(rules::checkAnswer(ComplaintStatus::handling).empty());
    CHECK(rules::checkAnswer(ComplaintStatus::answered).empty());  // a further answer
    CHECK_FALSE(rules::checkAnswer(ComplaintStatus::closed).empty());
    CHECK_FALSE(rules::checkComplaintStep(ComplaintStatus::closed, ComplaintStepKind::closed).empty());
    CHECK(rules::checkComplaintStep(ComplaintStatus::closed, ComplaintStepKind::contactRead).empty());
    CHECK_FALSE(rules::checkAnswerRating(ComplaintStatus::received).empty());
    CHECK(rules::checkAnswerRating(ComplaintStatus::answered).empty());
    CHECK_FALSE(rules::checkAnswerRating(ComplaintStatus::closed).empty());
}
