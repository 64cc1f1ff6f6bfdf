#include "kiosk/ui/app_state.hpp"

#include <array>
#include <utility>

namespace shouxin::kiosk {

namespace {

constexpr std::array<std::pair<View, std::string_view>, kViewCount> kViewIds = {{
    {View::home, "home"},
    {View::area, "area"},
    {View::detail, "detail"},
    {View::figures, "figures"},
    {View::search, "search"},
    {View::complaint, "complaint"},
    {View::lookup, "lookup"},
    {View::breaches, "breaches"},
    {View::login, "login"},
    {View::dashboard, "dashboard"},
    {View::report, "report"},
    {View::publish, "publish"},
    {View::revise, "revise"},
    {View::complaints, "complaints"},
}};

}  // namespace

bool isClerkView(View v) {
    return v == View::dashboard || v == View::report || v == View::publish || v == View::revise ||
           v == View::complaints;
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

}  // namespace shouxin::kiosk
