#include "kiosk/ui/app_state.hpp"

#include <array>
#include <utility>

namespace shouxin::kiosk {

namespace {

constexpr std::array<std::pair<View, std::string_view>, 10> kViewIds = {{
    {View::home, "home"},
    {View::area, "area"},
    {View::detail, "detail"},
    {View::figures, "figures"},
    {View::search, "search"},
    {View::login, "login"},
    {View::dashboard, "dashboard"},
    {View::report, "report"},
    {View::publish, "publish"},
    {View::revise, "revise"},
}};

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

}  // namespace

bool isClerkView(View v) {
    return v == View::dashboard || v == View::report || v == View::publish || v == View::revise;
}

std::string_view idOf(View v) {
    for (const auto& [view, id] : kViewIds) {
        if (view == v) return id;
    }
    return "home";
}

std::optional<View> parseView(std::string_view id) {
    for (const auto& [view, name] : kViewIds) {
        if (name == id) return view;
    }
    return std::nullopt;
}

bool navigate(Navigation& nav, const Command& command) {
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
                          [&](const SetLang&) { return false; }, [&](const SetLargeText&) { return false; },
                          [&](const SetHighContrast&) { return false; },
                          [&](const auto&) { return false; },  // clerk writes, sync, typed text: the app's
                      },
                      command);
}

}  // namespace shouxin::kiosk
