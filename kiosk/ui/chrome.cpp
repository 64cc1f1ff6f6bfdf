#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

std::string screenTitle(const AppState& state) {
    const Lang lang = state.settings.lang;
    switch (state.nav.view) {
        case View::home:
            return std::string(tr("kiosk.screen.home", lang));
        case View::area:
            return std::string(tr(messageIdOf(state.nav.area), lang));
        case View::detail:
            return std::string(tr("kiosk.screen.detail", lang));
        case View::figures:
            return std::string(tr("kiosk.screen.figures", lang));
        case View::search:
            return std::string(tr("kiosk.screen.search", lang));
        case View::complaint:
            return std::string(tr("kiosk.screen.complaint", lang));
        case View::lookup:
            return std::string(tr("kiosk.screen.lookup", lang));
        case View::breaches:
            return std::string(tr("kiosk.screen.breaches", lang));
        case View::complaints:
            return std::string(tr("kiosk.screen.complaints", lang));
        case View::login:
            return std::string(tr("kiosk.screen.login", lang));
        case View::dashboard:
            return std::string(tr("kiosk.screen.dashboard", lang));
        case View::report:
            return std::string(tr(state.nav.amend ? "kiosk.screen.amend" : "kiosk.screen.report", lang));
        case View::publish:
            return std::string(tr("kiosk.screen.publish", lang));
        case View::revise:
            return std::string(tr("kiosk.screen.revise", lang));
    }
    return {};
}

void Chrome::drawTop(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetWindowWidth();
    const ImVec2 max(origin.x + width, origin.y + m.topBar);
    list->AddRectFilled(origin, max, p.accent);
    list->AddLine(ImVec2(origin.x, max.y - 1), ImVec2(max.x, max.y - 1), p.onAccent,
                  s.highContrast ? 3.0f : 0.0f);

    // Right: language, large text, high contrast; the rest is the title.
    const Lang other = s.lang == Lang::zh ? Lang::en : Lang::zh;
    const std::string langLabel = std::string(tr("kiosk.lang.name", other)) + "##lang";
    const std::string largeLabel = std::string(tr("kiosk.toggle.large_text", s.lang)) + "##large";
    const std::string contrastLabel = std::string(tr("kiosk.toggle.high_contrast", s.lang)) + "##contrast";
    const float gap = m.gap;
    const float wLang = touchButtonWidth(langLabel.c_str(), f.body) + 12.0f;
    const float wLarge = touchButtonWidth(largeLabel.c_str(), f.body) + 12.0f;
    const float wContrast = touchButtonWidth(contrastLabel.c_str(), f.body) + 12.0f;
    const float buttonsWidth = wLang + wLarge + wContrast + gap * 3;
    const float y = origin.y + (m.topBar - m.touch) * 0.5f;
    float x = max.x - buttonsWidth;

    const float left = origin.x + 28.0f;
    const float titleRight = x - gap;
    list->PushClipRect(ImVec2(left, origin.y), ImVec2(titleRight, max.y), true);
    const std::string office = state.home.officeName;
    const float titleY = origin.y + (m.topBar - f.title->FontSize - f.body->FontSize - 4.0f) * 0.5f;
    drawText(list, f.title, ImVec2(left, titleY), p.onAccent, office);
    const std::string sub =
        format("kiosk.home.today", s.lang, {state.home.today.toString()}) + "   ·   " + screenTitle(state);
    // A narrow (portrait) screen: the line in the small font rather than cut.
    ImFont* subFont = textWidth(f.body, sub) <= titleRight - left ? f.body : f.small;
    drawText(list, subFont, ImVec2(left, titleY + f.title->FontSize + 4.0f), p.onAccent, sub);
    list->PopClipRect();

    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (touchButton(langLabel.c_str(), ImVec2(wLang, m.touch), false, p)) commands.push(SetLang{other});
    x += wLang + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (touchButton(largeLabel.c_str(), ImVec2(wLarge, m.touch), s.largeText, p))
        commands.push(SetLargeText{!s.largeText});
    x += wLarge + gap;
    ImGui::SetCursorScreenPos(ImVec2(x, y));
    if (touchButton(contrastLabel.c_str(), ImVec2(wContrast, m.touch), s.highContrast, p))
        commands.push(SetHighContrast{!s.highContrast});

    ImGui::SetCursorScreenPos(ImVec2(origin.x, max.y));
    ImGui::Dummy(ImVec2(0, 0));
}

void Chrome::drawBottom(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetWindowWidth();
    const ImVec2 max(origin.x + width, origin.y + m.bottomBar);
    list->AddRectFilled(origin, max, p.surface);
    list->AddLine(origin, ImVec2(max.x, origin.y), p.border, 2.0f);

    const float y = origin.y + (m.bottomBar - m.touch) * 0.5f;
    float x = origin.x + 24.0f;
    const View view = state.nav.view;
    struct NavButton {
        const char* id;
        const char* widget;
        bool selected;
        Command command;
    };
    const NavButton buttons[] = {
        {"kiosk.nav.back", "##nav_back", false, GoBack{}},
        {"kiosk.nav.home", "##nav_home", view == View::home, GoHome{}},
        {"kiosk.nav.figures", "##nav_figures", view == View::figures, OpenFigures{}},
        {"kiosk.nav.search", "##nav_search", view == View::search, OpenSearch{}},
    };
    // Data status on the right: sync in plain words (or when the data was
    // last updated), and what waits to go up.
    const std::string syncText = syncStateText(state.sync, s.lang);
    const std::string updated =
        !syncText.empty() ? syncText
        : state.home.lastUpdatedMillis
            ? format("kiosk.status.last_updated", s.lang, {localDateTime(*state.home.lastUpdatedMillis)})
            : std::string(tr(state.home.loading ? "kiosk.loading" : "kiosk.status.never_updated", s.lang));
    const std::int64_t waiting = state.sync.running ? state.sync.waiting : state.home.pending;
    const std::string pending = waiting > 0
                                    ? format("kiosk.status.pending", s.lang, {std::to_string(waiting)})
                                    : std::string(tr("kiosk.status.all_uploaded", s.lang));
    const bool staffEntry = !state.session && view != View::login;
    const std::string staff = std::string(tr("kiosk.clerk.entry", s.lang)) + "##clerk_entry";
    // Buttons are at least minWidth wide, unless that would cut the status.
    const float statusW = std::max(textWidth(f.small, updated), textWidth(f.small, pending));
    auto rowWidth = [&](float minW) {
        float total = staffEntry ? touchButtonWidth(staff.c_str(), f.small) + m.gap : 0.0f;
        for (const NavButton& b : buttons)
            total += std::max(minW, touchButtonWidth((std::string(tr(b.id, s.lang)) + b.widget).c_str(),
                                                     f.heading)) +
                     m.gap;
        return total;
    };
    const float room = width - 48.0f - statusW;
    const float minWidth = rowWidth(150.0f * m.scale) <= room ? 150.0f * m.scale : 0.0f;
    for (const NavButton& b : buttons) {
        const std::string label = std::string(tr(b.id, s.lang)) + b.widget;
        const float w = std::max(minWidth, touchButtonWidth(label.c_str(), f.heading));
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        if (touchButton(label.c_str(), ImVec2(w, m.touch), b.selected, p, f.heading))
            commands.push(b.command);
        x += w + m.gap;
    }

    // A discreet way in for the office's staff (never a clerk tool itself).
    if (staffEntry) {
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(p.mutedText));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
        const float w = touchButtonWidth(staff.c_str(), f.small);
        if (touchButton(staff.c_str(), ImVec2(w, m.touch), false, p, f.small)) commands.push(OpenLogin{});
        ImGui::PopStyleColor(2);
        probe("clerk_entry");
        x += w + m.gap;
    }

    // The status, right-aligned, each line wrapped to the room the buttons
    // leave (a narrow, portrait screen) and the lines centred in the bar.
    const float right = max.x - 24.0f;
    const float lineH = f.small->FontSize + 4.0f;
    std::vector<std::string_view> lines = wrapLines(f.small, updated, right - x);
    for (const std::string_view line : wrapLines(f.small, pending, right - x))
        lines.push_back(line);
    float textY = origin.y + (m.bottomBar - lineH * static_cast<float>(lines.size())) * 0.5f;
    list->PushClipRect(ImVec2(x, origin.y), max, true);
    for (const std::string_view line : lines) {
        drawText(list, f.small, ImVec2(right - textWidth(f.small, line), textY), p.mutedText, line);
        textY += lineH;
    }
    list->PopClipRect();
}

float clerkBarHeight(bool largeText) { return metrics(largeText).touch + 20.0f; }

void Chrome::drawClerkBar(const AppState& state, Commands& commands) {
    if (!state.session) return;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    ImDrawList* list = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetWindowWidth();
    const float h = clerkBarHeight(s.largeText);
    const ImVec2 max(origin.x + width, origin.y + h);
    list->AddRectFilled(origin, max, p.toggleOn);
    const float y = origin.y + (h - m.touch) * 0.5f;
    const std::string who = format("kiosk.clerk.logged_in", s.lang, {sessionLabel(*state.session, s.lang)});
    drawText(list, f.heading, ImVec2(origin.x + 28.0f, origin.y + (h - f.heading->FontSize) * 0.5f),
             p.onToggle, who);

    struct Tool {
        const char* id;
        const char* widget;
        Command command;
        bool shown;
    };
    const Tool tools[] = {
        {"kiosk.clerk.dashboard", "##clerk_dashboard", OpenDashboard{}, true},
        {"kiosk.clerk.publish", "##clerk_publish", OpenPublish{}, may(state.session, ClerkAction::publish)},
        {"kiosk.clerk.sync_now", "##clerk_sync", SyncNow{},
         may(state.session, ClerkAction::syncNow) && state.sync.running},
        {"kiosk.clerk.close", "##clerk_close", CloseKiosk{},
         state.fullscreen && may(state.session, ClerkAction::closeKiosk)},
        {"kiosk.clerk.logout", "##clerk_logout", Logout{}, true},
    };
    float total = 0.0f;
    for (const Tool& t : tools)
        if (t.shown)
            total +=
                touchButtonWidth((std::string(tr(t.id, s.lang)) + t.widget).c_str(), f.body) + 12.0f + m.gap;
    float x = max.x - total - 12.0f;
    for (const Tool& t : tools) {
        if (!t.shown) continue;
        const std::string label = std::string(tr(t.id, s.lang)) + t.widget;
        const float w = touchButtonWidth(label.c_str(), f.body) + 12.0f;
        ImGui::SetCursorScreenPos(ImVec2(x, y));
        const bool selected =
            (t.command.index() == Command(OpenDashboard{}).index() && state.nav.view == View::dashboard) ||
            (t.command.index() == Command(OpenPublish{}).index() && state.nav.view == View::publish);
        if (touchButton(label.c_str(), ImVec2(w, m.touch), selected, p)) commands.push(t.command);
        probe(std::string(t.widget + 2));
        x += w + m.gap;
    }
    ImGui::SetCursorScreenPos(ImVec2(origin.x, max.y));
    ImGui::Dummy(ImVec2(0, 0));
}

void Chrome::drawIdleNotice(const AppState& state) {
    if (state.idleSecondsLeft < 0) return;
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    // A window over everything: the touch that dismisses the notice must not
    // also press the button beneath it.
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::SetNextWindowFocus();
    ImGui::Begin("##idle", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoMove |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::InvisibleButton("##idle_touch", vp->Size);
    ImDrawList* list = ImGui::GetWindowDrawList();
    list->AddRectFilled(vp->Pos, ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y),
                        IM_COL32(0, 0, 0, 140));
    const float w = std::min(vp->Size.x - 80.0f, 760.0f);
    const float h = f.title->FontSize + f.number->FontSize + f.body->FontSize + 120.0f;
    const ImVec2 min(vp->Pos.x + (vp->Size.x - w) * 0.5f, vp->Pos.y + (vp->Size.y - h) * 0.5f);
    list->AddRectFilled(min, ImVec2(min.x + w, min.y + h), p.surface, 18.0f);
    list->AddRect(min, ImVec2(min.x + w, min.y + h), p.toggleOn, 18.0f, 0, 4.0f);
    auto centred = [&](ImFont* font, const std::string& text, float y, ImU32 colour) {
        drawText(list, font, ImVec2(min.x + (w - textWidth(font, text)) * 0.5f, y), colour, text);
    };
    float y = min.y + 30.0f;
    centred(f.title, std::string(tr("kiosk.idle.title", s.lang)), y, p.text);
    y += f.title->FontSize + 20.0f;
    centred(f.number, std::to_string(state.idleSecondsLeft), y, p.badge[static_cast<int>(Badge::overdue)]);
    y += f.number->FontSize + 10.0f;
    centred(f.body, format("kiosk.idle.countdown", s.lang, {std::to_string(state.idleSecondsLeft)}), y,
            p.text);
    y += f.body->FontSize + 10.0f;
    centred(f.small, std::string(tr("kiosk.idle.touch", s.lang)), y, p.mutedText);
    ImGui::End();
}

}  // namespace shouxin::kiosk
