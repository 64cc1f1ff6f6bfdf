#include "kiosk/ui/screens.hpp"

#include <imgui.h>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"

namespace shouxin::kiosk {

void Screens::draw(const AppState& state, Commands& commands) {
    if (state.restoring.active) {
        restoring.draw(state);
        return;
    }
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    ImGui::PushID(m_generation);
    chrome.drawTop(state, commands);
    chrome.drawClerkBar(state, commands);
    const Metrics m = metrics(state.settings.largeText);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(m.gap * 1.5f, m.gap));
    // The bottom bar follows the child after one item spacing: leave room
    // for both, or the bar's lowest pixels fall off the screen.
    const float contentH = ImGui::GetContentRegionAvail().y - m.bottomBar - ImGui::GetStyle().ItemSpacing.y;
    ImGui::BeginChild("##content", ImVec2(0, contentH), false,
                      ImGuiWindowFlags_AlwaysUseWindowPadding);
    ImGui::PopStyleVar();
    ImGui::PushFont(fonts().body);
    switch (state.nav.view) {
        case View::home:
            home.draw(state, commands);
            break;
        case View::area:
            area.draw(state, commands);
            break;
        case View::detail:
            detail.draw(state, commands);
            break;
        case View::figures:
            figures.draw(state, commands);
            break;
        case View::search:
            search.draw(state, commands);
            break;
        case View::complaint:
            complaint.draw(state, commands);
            break;
        case View::lookup:
            lookup.draw(state, commands);
            break;
        case View::breaches:
            breaches.draw(state, commands);
            break;
        case View::complaints:
            complaints.draw(state, commands);
            break;
        case View::login:
            login.draw(state, commands);
            break;
        case View::dashboard:
            dashboard.draw(state, commands);
            break;
        case View::report:
            report.draw(state, commands);
            break;
        case View::publish:
        case View::revise:
            publish.draw(state, commands);
            break;
    }
    ImGui::PopFont();
    ImGui::EndChild();
    chrome.drawBottom(state, commands);
    ImGui::PopID();
    ImGui::End();
    chrome.drawIdleNotice(state);
}

void Screens::reset(const std::bitset<kViewCount>& views) {
    const auto has = [&](View v) { return views.test(static_cast<std::size_t>(v)); };
    if (has(View::area)) area = AreaView{};
    if (has(View::detail)) detail = DetailView{};
    if (has(View::figures)) figures = FiguresView{};
    if (has(View::search)) search = SearchView{};
    if (has(View::complaint)) complaint.wipe();  // zeroed, not just dropped
    if (has(View::lookup)) lookup = LookupView{};
    if (has(View::breaches)) breaches = BreachesView{};
    if (has(View::complaints)) complaints = ComplaintsView{};
    if (has(View::login)) login = LoginView{};
    if (has(View::dashboard)) dashboard = DashboardView{};
    if (has(View::report)) report = ReportView{};
    if (has(View::publish) || has(View::revise)) publish = PublishView{};
}

void Screens::startAfresh() {
    chrome = Chrome{};
    home = HomeView{};
    reset(std::bitset<kViewCount>().set());
    ++m_generation;
}

}  // namespace shouxin::kiosk
