// Screen changes without a window: back, home, the clerk screens a
// resident is refused, login and logout, a saved record, the idle reset.
#include <catch2/catch.hpp>

#include <optional>

#include "kiosk/ui/navigation.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;

namespace {

const std::optional<ClerkSession> kResident;
const std::optional<ClerkSession> kClerk = ClerkSession{"zhang", "张明", Role::clerk};
const std::optional<ClerkSession> kSupervisor = ClerkSession{"li", "李䶮", Role::supervisor};

/// Moves `nav` on; true when the screen's data must be read again.
bool step(Navigation& nav, const NavInput& input, const std::optional<ClerkSession>& session = kResident) {
    const NavStep s = navigate(nav, input, session);
    nav = s.nav;
    return s.reload;
}

}  // namespace

TEST_CASE("navigation keeps a back stack, resets filters on a new area, and reports changes",
          "[ui][navigation]") {
    Navigation nav;
    CHECK(step(nav, OpenArea{Category::housing}));
    CHECK(nav.view == View::area);
    AreaFilter late;
    late.status = StatusFilter::overdue;
    CHECK(step(nav, SetFilter{late}));
    CHECK_FALSE(step(nav, SetFilter{late}));  // nothing changed, nothing to reload
    CHECK(step(nav, OpenCommitment{"x"}));
    CHECK(nav.view == View::detail);
    CHECK(nav.commitment == "x");
    CHECK(step(nav, GoBack{}));
    CHECK(nav.view == View::area);
    CHECK(nav.filter == late);  // the filter survives going back
    CHECK(step(nav, OpenArea{Category::parking}));
    CHECK(nav.filter == AreaFilter{});
    CHECK(step(nav, GoHome{}));
    CHECK(nav.view == View::home);
    CHECK(nav.back.empty());
    CHECK_FALSE(step(nav, GoBack{}));
    for (int i = 0; i < 100; ++i)
        step(nav, i % 2 ? Command{OpenFigures{}} : Command{OpenSearch{}});
    CHECK(nav.back.size() <= 16);
    CHECK(step(nav, SetQuery{"养老"}));
    CHECK(nav.query == "养老");
}

TEST_CASE("back retraces the screens and ends at Home", "[ui][navigation]") {
    Navigation nav;
    step(nav, OpenArea{Category::housing});
    step(nav, OpenCommitment{"a"});
    step(nav, OpenFigures{});
    step(nav, OpenCommitment{"b"});
    CHECK(nav.back == std::vector<View>{View::home, View::area, View::detail, View::figures});
    CHECK(step(nav, GoBack{}));
    CHECK(nav.view == View::figures);
    CHECK(step(nav, GoBack{}));
    CHECK(nav.view == View::detail);
    CHECK(nav.commitment == "b");  // the commitment last opened: back does not restore it
    step(nav, GoBack{});
    step(nav, GoBack{});
    CHECK(nav.view == View::home);
    CHECK_FALSE(step(nav, GoBack{}));  // Home with nothing behind: nothing to do
    CHECK(nav.view == View::home);
    // Opening the screen already shown does not stack it twice.
    step(nav, OpenFigures{});
    step(nav, OpenFigures{});
    CHECK(nav.back == std::vector<View>{View::home});
}

TEST_CASE("home leaves nothing to go back to, from any screen and any session", "[ui][navigation]") {
    for (const auto& session : {kResident, kClerk, kSupervisor}) {
        Navigation nav;
        step(nav, OpenSearch{}, session);
        step(nav, SetQuery{"低保"}, session);
        step(nav, OpenCommitment{"x"}, session);
        if (session) step(nav, OpenReport{"x"}, session);
        CHECK(step(nav, GoHome{}, session));
        CHECK(nav.view == View::home);
        CHECK(nav.back.empty());
        CHECK(nav.query == "低保");  // typed text stays until the idle reset
    }
}

TEST_CASE("a resident is refused every clerk screen, and a clerk the supervisor's", "[ui][navigation]") {
    Navigation detail;
    step(detail, OpenCommitment{"x"});
    const std::vector<Command> clerkOnly = {OpenDashboard{}, OpenReport{"x"}, OpenReport{"x", true},
                                            OpenPublish{}, OpenRevise{"x"}};
    for (const Command& c : clerkOnly) {
        const NavStep s = navigate(detail, c, kResident);
        CHECK_FALSE(s.reload);
        CHECK(s.nav.view == View::detail);
        CHECK(s.nav.back == detail.back);
        CHECK_FALSE(allowed(c, kResident));
    }
    // A clerk reports and publishes, but neither amends nor revises.
    CHECK(navigate(detail, OpenReport{"x"}, kClerk).nav.view == View::report);
    CHECK(navigate(detail, OpenPublish{}, kClerk).nav.view == View::publish);
    CHECK(navigate(detail, OpenDashboard{}, kClerk).nav.view == View::dashboard);
    for (const Command& c : {Command{OpenReport{"x", true}}, Command{OpenRevise{"x"}}}) {
        CHECK(navigate(detail, c, kClerk).nav.view == View::detail);
        CHECK_FALSE(navigate(detail, c, kClerk).reload);
    }
    CHECK(navigate(detail, OpenReport{"x", true}, kSupervisor).nav.amend);
    CHECK(navigate(detail, OpenRevise{"x"}, kSupervisor).nav.view == View::revise);
    // The PIN pad is for nobody logged in.
    CHECK(navigate(detail, OpenLogin{}, kResident).nav.view == View::login);
    CHECK(navigate(detail, OpenLogin{}, kClerk).nav.view == View::detail);
    // Writes and tools are gated alike, though they do not navigate.
    CHECK_FALSE(allowed(SubmitReport{}, kResident));
    CHECK(allowed(SubmitReport{}, kClerk));
    CHECK_FALSE(allowed(SubmitRevision{}, kClerk));
    CHECK_FALSE(allowed(DisableClerk{}, kClerk));
    CHECK(allowed(DisableClerk{}, kSupervisor));
    CHECK_FALSE(allowed(CloseKiosk{}, kResident));
    CHECK_FALSE(allowed(SyncNow{}, kResident));
    CHECK(navigate(detail, SubmitReport{}, kClerk).nav.view == View::detail);
}

TEST_CASE("login opens the dashboard with nothing behind, logout leaves no clerk screen",
          "[ui][navigation]") {
    Navigation nav;
    step(nav, OpenArea{Category::housing});
    step(nav, OpenLogin{});
    CHECK_FALSE(step(nav, LoggedIn{}));  // no session: no dashboard
    CHECK(nav.view == View::login);
    CHECK(step(nav, LoggedIn{}, kClerk));
    CHECK(nav.view == View::dashboard);
    CHECK(nav.back.empty());

    // Logged out on a clerk screen: Home.
    step(nav, OpenCommitment{"x"}, kClerk);
    step(nav, OpenReport{"x"}, kClerk);
    CHECK(step(nav, LoggedOut{}));
    CHECK(nav.view == View::home);
    CHECK(nav.back.empty());

    // Logged out on a resident screen: it stays, and "back" skips the clerk's.
    step(nav, LoggedIn{}, kClerk);
    step(nav, OpenCommitment{"x"}, kClerk);
    step(nav, OpenFigures{}, kClerk);
    CHECK(nav.back == std::vector<View>{View::dashboard, View::detail});
    CHECK_FALSE(step(nav, LoggedOut{}));
    CHECK(nav.view == View::figures);
    CHECK(nav.back == std::vector<View>{View::detail});
    step(nav, GoBack{});
    step(nav, GoBack{});
    CHECK(nav.view == View::home);
}

TEST_CASE("a saved record shows its commitment with the form gone from back", "[ui][navigation]") {
    Navigation nav;
    step(nav, LoggedIn{}, kClerk);
    step(nav, OpenCommitment{"x"}, kClerk);
    step(nav, OpenReport{"x"}, kClerk);
    CHECK(nav.back == std::vector<View>{View::dashboard, View::detail});
    CHECK(step(nav, Saved{"x"}, kClerk));
    CHECK(nav.view == View::detail);
    CHECK(nav.commitment == "x");
    // Back leads to the dashboard once, never to the form or the detail view again.
    CHECK(nav.back == std::vector<View>{View::dashboard});
    step(nav, GoBack{}, kClerk);
    CHECK(nav.view == View::dashboard);
    CHECK(nav.back.empty());

    // Published from the dashboard: the new commitment, back to the dashboard.
    step(nav, GoHome{}, kClerk);
    step(nav, LoggedIn{}, kClerk);
    step(nav, OpenPublish{}, kClerk);
    step(nav, Saved{"new"}, kClerk);
    CHECK(nav.view == View::detail);
    CHECK(nav.commitment == "new");
    CHECK(nav.back == std::vector<View>{View::dashboard});

    // Reported on from a service area's list: back to that list.
    step(nav, GoHome{}, kClerk);
    step(nav, OpenArea{Category::parking}, kClerk);
    step(nav, OpenCommitment{"y"}, kClerk);
    step(nav, OpenReport{"y"}, kClerk);
    step(nav, Saved{"y"}, kClerk);
    CHECK(nav.view == View::detail);
    CHECK(nav.back == std::vector<View>{View::home, View::area});

    // Nothing to show (a clerk disabled): the screen stays, its data is read again.
    const Navigation before = nav;
    CHECK(step(nav, Saved{""}, kSupervisor));
    CHECK(nav.view == before.view);
    CHECK(nav.back == before.back);
}

TEST_CASE("the idle reset returns Home with every filter and typed text wiped", "[ui][navigation]") {
    Navigation nav;
    step(nav, OpenArea{Category::parking});
    AreaFilter late;
    late.status = StatusFilter::overdue;
    step(nav, SetFilter{late});
    step(nav, OpenSearch{});
    step(nav, SetQuery{"补贴"});
    step(nav, OpenReport{"x", true}, kSupervisor);
    CHECK(step(nav, IdleReset{}, kSupervisor));
    CHECK(nav.view == View::home);
    CHECK(nav.back.empty());
    CHECK(nav.query.empty());
    CHECK(nav.filter == AreaFilter{});
    CHECK(nav.area == Navigation{}.area);
    CHECK(nav.commitment.empty());
    CHECK_FALSE(nav.amend);
}

TEST_CASE("residents reach the complaint, lookup and breach screens, and the idle reset wipes the ticket",
          "[ui][navigation]") {
    Navigation nav;
    CHECK(step(nav, OpenCommitment{"x"}));
    CHECK(step(nav, OpenComplaint{"x"}));
    CHECK(nav.view == View::complaint);
    CHECK(nav.complaintAbout == "x");
    CHECK(step(nav, GoBack{}));
    CHECK(nav.view == View::detail);
    CHECK(step(nav, OpenBreaches{"x"}));
    CHECK(nav.view == View::breaches);
    CHECK(nav.breachesOf == "x");
    CHECK(step(nav, OpenLookup{}));
    CHECK(step(nav, SetTicket{"Q7K3-9MPD"}));
    CHECK_FALSE(step(nav, SetTicket{"Q7K3-9MPD"}));
    CHECK(nav.ticket == "Q7K3-9MPD");
    CHECK(step(nav, IdleReset{}));
    CHECK(nav.view == View::home);
    CHECK(nav.ticket.empty());
}

TEST_CASE("complaint answers need a clerk, breach steps a supervisor, and district steps never pass",
          "[ui][navigation]") {
    CHECK_FALSE(allowed(OpenComplaints{}, kResident));
    CHECK(allowed(OpenComplaints{}, kClerk));
    CHECK_FALSE(allowed(SubmitAnswer{}, kResident));
    CHECK(allowed(SubmitAnswer{}, kClerk));
    CHECK_FALSE(allowed(SubmitBreach{}, kClerk));
    CHECK(allowed(SubmitBreach{}, kSupervisor));
    const auto breachStep = [](BreachStepKind k) {
        return SubmitBreachStep{BreachStep{"b", k, "", Date{}}, "x"};
    };
    CHECK(allowed(breachStep(BreachStepKind::objected), kSupervisor));
    CHECK(allowed(breachStep(BreachStepKind::rectified), kSupervisor));
    CHECK_FALSE(allowed(breachStep(BreachStepKind::rectified), kClerk));
    for (const BreachStepKind k :
         {BreachStepKind::upheld, BreachStepKind::dismissed, BreachStepKind::repaired})
        CHECK_FALSE(allowed(breachStep(k), kSupervisor));
    // Residents file and rate without a session; a clerk never as one.
    CHECK(allowed(FileComplaint{}, kResident));
    CHECK(allowed(Rate{}, kResident));
    CHECK_FALSE(allowed(FileComplaint{}, kClerk));
    CHECK_FALSE(allowed(Rate{}, kSupervisor));
    CHECK_FALSE(allowed(OpenComplaint{}, kClerk));
    Navigation nav;
    CHECK_FALSE(step(nav, OpenComplaints{}));
    CHECK(nav.view == View::home);
}
