#include "kiosk/ui/navigation.hpp"

#include <vector>

#include "shared/rules.hpp"

namespace shouxin::kiosk {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

void enter(Navigation& nav, View view) {
    constexpr std::size_t kMaxBack = 16;
    if (nav.view != view) nav.back.push_back(nav.view);
    if (nav.back.size() > kMaxBack) nav.back.erase(nav.back.begin());
    nav.view = view;
}

// A view's command: the screen it asks for; true when its data must be
// read again.
bool follow(Navigation& nav, const Command& command) {
    return std::visit(Overloaded{
                          [&](const GoHome&) {
                              nav.view = View::home;
                              nav.back.clear();
                              return true;
                          },
                          [&](const GoBack&) {
                              if (nav.back.empty()) {
                                  const bool changed = nav.view != View::home;
                                  nav.view = View::home;
                                  return changed;
                              }
                              nav.view = nav.back.back();
                              nav.back.pop_back();
                              return true;
                          },
                          [&](const OpenArea& c) {
                              if (nav.area != c.area) nav.filter = {};
                              nav.area = c.area;
                              enter(nav, View::area);
                              return true;
                          },
                          [&](const OpenCommitment& c) {
                              nav.commitment = c.id;
                              enter(nav, View::detail);
                              return true;
                          },
                          [&](const OpenFigures&) {
                              enter(nav, View::figures);
                              return true;
                          },
                          [&](const OpenSearch&) {
                              enter(nav, View::search);
                              return true;
                          },
                          [&](const SetFilter& c) {
                              if (nav.filter == c.filter) return false;
                              nav.filter = c.filter;
                              return true;
                          },
                          [&](const SetQuery& c) {
                              if (nav.query == c.query) return false;
                              nav.query = c.query;
                              return true;
                          },
                          [&](const OpenComplaint& c) {
                              nav.complaintAbout = c.commitment;
                              enter(nav, View::complaint);
                              return true;
                          },
                          [&](const OpenLookup&) {
                              nav.ticket.clear();
                              enter(nav, View::lookup);
                              return true;
                          },
                          [&](const SetTicket& c) {
                              if (nav.ticket == c.ticket) return false;
                              nav.ticket = c.ticket;
                              return true;
                          },
                          [&](const OpenBreaches& c) {
                              nav.breachesOf = c.commitment;
                              enter(nav, View::breaches);
                              return true;
                          },
                          [&](const OpenComplaints&) {
                              enter(nav, View::complaints);
                              return true;
                          },
                          [&](const OpenLogin&) {
                              enter(nav, View::login);
                              return true;
                          },
                          [&](const OpenDashboard&) {
                              enter(nav, View::dashboard);
                              return true;
                          },
                          [&](const OpenReport& c) {
                              nav.commitment = c.commitment;
                              nav.amend = c.amend;
                              enter(nav, View::report);
                              return true;
                          },
                          [&](const OpenPublish&) {
                              enter(nav, View::publish);
                              return true;
                          },
                          [&](const OpenRevise& c) {
                              nav.commitment = c.commitment;
                              enter(nav, View::revise);
                              return true;
                          },
                          [&](const SetLang&) { return false; },
                          [&](const SetLargeText&) { return false; },
                          [&](const SetHighContrast&) { return false; },
                          [&](const auto&) { return false; },  // clerk writes, sync, typed text: the app's
                      },
                      command);
}

}  // namespace

bool allowed(const Command& c, const std::optional<ClerkSession>& session) {
    // Clerk screens only with a clerk logged in, supervisor tools only for a
    // supervisor: whatever a view pushed, the controller checks again.
    if (std::holds_alternative<OpenDashboard>(c) || std::holds_alternative<SyncNow>(c))
        return session.has_value();
    if (const auto* r = std::get_if<OpenReport>(&c))
        return may(session, r->amend ? ClerkAction::amend : ClerkAction::report);
    if (std::holds_alternative<OpenPublish>(c) || std::holds_alternative<SubmitCommitment>(c))
        return may(session, ClerkAction::publish);
    if (std::holds_alternative<SubmitReport>(c)) return may(session, ClerkAction::report);
    if (std::holds_alternative<OpenRevise>(c) || std::holds_alternative<SubmitRevision>(c))
        return may(session, ClerkAction::revise);
    if (std::holds_alternative<DisableClerk>(c)) return may(session, ClerkAction::disableClerk);
    if (std::holds_alternative<OpenComplaints>(c) || std::holds_alternative<SubmitAnswer>(c) ||
        std::holds_alternative<SubmitComplaintStep>(c))
        return may(session, ClerkAction::answerComplaint);
    if (std::holds_alternative<SubmitBreach>(c)) return may(session, ClerkAction::confirmBreach);
    if (const auto* b = std::get_if<SubmitBreachStep>(&c)) {
        // The office's own steps only: rulings and credit repair are the district's.
        const auto action = rules::actionOf(Payload{b->step});
        return session && action && rules::may(session->role, *action);
    }
    if (std::holds_alternative<CloseKiosk>(c)) return may(session, ClerkAction::closeKiosk);
    if (std::holds_alternative<OpenLogin>(c)) return !session.has_value();
    // A resident's say: never recorded as "resident" by a logged-in clerk.
    if (std::holds_alternative<OpenComplaint>(c) || std::holds_alternative<FileComplaint>(c) ||
        std::holds_alternative<Rate>(c))
        return !session.has_value();
    return true;
}

NavStep navigate(const Navigation& current, const NavInput& input,
                 const std::optional<ClerkSession>& session) {
    NavStep step{current, false};
    Navigation& nav = step.nav;
    std::visit(Overloaded{
                   [&](const Command& c) {
                       if (allowed(c, session)) step.reload = follow(nav, c);
                   },
                   [&](const LoggedIn&) {
                       if (!session) return;
                       nav.back.clear();
                       nav.view = View::dashboard;
                       step.reload = true;
                   },
                   [&](const LoggedOut&) {
                       // Back to the resident screens: a clerk screen is never left showing.
                       if (isClerkView(nav.view) || nav.view == View::login)
                           step.reload = follow(nav, GoHome{});
                       std::erase_if(nav.back, [](View v) { return isClerkView(v) || v == View::login; });
                   },
                   [&](const Saved& s) {
                       // Shown at once: the commitment as residents see it now.
                       step.reload = true;
                       if (s.subject.empty()) return;
                       std::erase_if(nav.back, [](View v) {
                           return v == View::report || v == View::revise || v == View::publish;
                       });
                       // The form's own detail view is where the kiosk goes, so it
                       // leaves "back" too; what is left leads where the clerk came
                       // from, the dashboard once when nothing is.
                       if (!nav.back.empty() && nav.back.back() == View::detail) nav.back.pop_back();
                       if (nav.back.empty()) nav.back.push_back(View::dashboard);
                       nav.commitment = s.subject;
                       nav.view = View::detail;
                   },
                   [&](const IdleReset&) {
                       nav = Navigation{};
                       step.reload = true;
                   },
               },
               input);
    return step;
}

}  // namespace shouxin::kiosk
