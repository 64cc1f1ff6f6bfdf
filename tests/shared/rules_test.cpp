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

TEST_CASE("role by action: clerks report, publish and answer; supervisors also revise, amend and manage",
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
