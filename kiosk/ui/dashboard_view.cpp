// The clerk's dashboard: what needs attention today, counted and listed.
#include <algorithm>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

struct Card {
    const char* label;
    const char* probeName;
    std::int64_t count;
    Badge colour;
};

}  // namespace

void DashboardView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const DashboardData& d = state.dashboard;
    if (!state.session) return;  // never without a clerk
    if (d.loading) {
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    drawCounts(state, commands);
    ImGui::Dummy(ImVec2(0, 4.0f));
    ImGui::BeginChild("##dash_list", ImVec2(0, 0), false);
    switch (m_tab) {
        case 0:
            drawList(state, commands, "overdue", d.overdue);
            break;
        case 1:
            drawList(state, commands, "due", d.dueSoon);
            break;
        case 2:
            drawList(state, commands, "broken", d.broken);
            break;
        case 4:
            drawClerks(state, commands);
            break;
        case 5:
            drawSetAside(state);
            break;
        default:
            m_tab = 0;
            break;
    }
    touchScroll();
    ImGui::EndChild();
}

void DashboardView::drawCounts(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const DashboardData& d = state.dashboard;
    const bool supervisor = may(state.session, ClerkAction::setAside);
    std::vector<Card> cards = {
        {"kiosk.dash.overdue", "dash_overdue", static_cast<std::int64_t>(d.overdue.size()), Badge::overdue},
        {"kiosk.dash.due_soon", "dash_due", static_cast<std::int64_t>(d.dueSoon.size()), Badge::inProgress},
        {"kiosk.dash.broken", "dash_broken", static_cast<std::int64_t>(d.broken.size()), Badge::broken},
        {"kiosk.dash.complaints", "dash_complaints", d.complaintCount, Badge::amended},
    };
    if (supervisor) {
        cards.push_back({"kiosk.dash.clerks", "dash_clerks", static_cast<std::int64_t>(d.clerks.size()),
                         Badge::notStarted});
        cards.push_back({"kiosk.dash.set_aside", "dash_set_aside",
                         static_cast<std::int64_t>(d.setAside.size()), Badge::broken});
    }
    const float width = ImGui::GetContentRegionAvail().x;
    const auto n = static_cast<float>(cards.size());
    const float cardW = (width - m.gap * (n - 1)) / n;
    // As tall as the longest label, wrapped in the card, needs.
    std::size_t labelLines = 2;
    for (const Card& c : cards)
        labelLines = std::max(labelLines, wrapLines(f.body, tr(c.label, s.lang), cardW - 36.0f).size());
    const float cardH =
        f.number->FontSize + static_cast<float>(labelLines) * f.body->FontSize * 1.25f + 24.0f;
    ImDrawList* list = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < cards.size(); ++i) {
        const Card& c = cards[i];
        if (i > 0) ImGui::SameLine(0.0f, m.gap);
        const ImVec2 min = ImGui::GetCursorScreenPos();
        ImGui::PushID(c.probeName);
        if (ImGui::InvisibleButton("##card", ImVec2(cardW, cardH))) {
            // Complaints waiting open their own screen, with the answer form.
            if (std::string_view(c.probeName) == "dash_complaints")
                commands.push(OpenComplaints{});
            else
                m_tab = static_cast<int>(i);
        }
        ImGui::PopID();
        probe(c.probeName);
        const bool selected = m_tab == static_cast<int>(i);
        const bool hovered = ImGui::IsItemHovered();
        const ImVec2 max(min.x + cardW, min.y + cardH);
        list->AddRectFilled(min, max, hovered ? p.surfaceHover : p.surface, 14.0f);
        list->AddRect(min, max, selected ? p.toggleOn : p.border, 14.0f, 0, selected ? 4.0f : 1.5f);
        list->AddRectFilled(min, ImVec2(min.x + 10.0f, max.y), badgeColour(p, c.colour), 14.0f,
                            ImDrawFlags_RoundCornersLeft);
        list->PushClipRect(min, max, true);
        const ImU32 numberColour = c.count > 0 ? badgeColour(p, c.colour) : p.mutedText;
        drawText(list, f.number, ImVec2(min.x + 26.0f, min.y + 10.0f), numberColour, std::to_string(c.count));
        drawWrapped(list, f.body, ImVec2(min.x + 26.0f, min.y + 14.0f + f.number->FontSize), p.text,
                    tr(c.label, s.lang), cardW - 36.0f);
        list->PopClipRect();
    }
}

void DashboardView::drawList(const AppState& state, Commands& commands, const char* id,
                             const std::vector<Row>& rows) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    if (rows.empty()) {
        ImGui::Dummy(ImVec2(0, 12.0f));
        textWrapped(fonts().body, p.mutedText, tr("kiosk.dash.nothing", s.lang));
        return;
    }
    // Each row as tall as its wrapped lines (a narrow, portrait screen).
    const float width = ImGui::GetContentRegionAvail().x;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const float h = commitmentRowHeight(rows[i], s.lang, width, s.largeText, true);
        if (commitmentRow(rows[i], s.lang, p, h, true)) commands.push(OpenCommitment{rows[i].id});
        if (i < 8) probe(std::string("dash_row_") + id + "_" + std::to_string(i));
    }
}

void DashboardView::drawClerks(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    if (!may(state.session, ClerkAction::disableClerk)) return;
    for (const Store::Clerk& c : state.dashboard.clerks) {
        ImGui::PushID(c.id.c_str());
        ImGui::PushFont(f.heading);
        ImGui::AlignTextToFramePadding();
        text(c.name);
        ImGui::PopFont();
        ImGui::SameLine(280.0f * m.scale);
        ImGui::PushFont(f.body);
        ImGui::AlignTextToFramePadding();
        text(std::string(tr("role." + std::string(idOf(c.role)), s.lang)) + " · " + c.id, p.mutedText);
        ImGui::PopFont();
        ImGui::SameLine(620.0f * m.scale);
        if (c.disabled) {
            text(tr("kiosk.dash.disabled", s.lang), 0, f.body);
        } else if (c.id != state.session->id) {
            const bool confirming = m_confirmDisable == c.id;
            const std::string label =
                std::string(tr(confirming ? "kiosk.dash.confirm_disable" : "kiosk.dash.disable", s.lang)) +
                "##disable";
            if (touchButton(label.c_str(), ImVec2(0, m.touch), confirming, p)) {
                if (confirming) {
                    commands.push(DisableClerk{ClerkDisabled{
                        c.id, state.office, std::string(tr("kiosk.dash.disable_reason", Lang::zh))}});
                    m_confirmDisable.clear();
                } else {
                    m_confirmDisable = c.id;
                }
            }
            probe("disable_" + c.id);
        }
        ImGui::PopID();
        ImGui::Separator();
    }
}

void DashboardView::drawSetAside(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    if (!may(state.session, ClerkAction::setAside)) return;
    const auto& rows = state.dashboard.setAside;
    textWrapped(f.small, p.mutedText, tr("kiosk.dash.set_aside_hint", s.lang));
    if (rows.empty()) {
        textWrapped(f.body, p.mutedText, tr("kiosk.dash.no_set_aside", s.lang));
        return;
    }
    for (const auto& r : rows) {
        text(tr("sync.reason." + r.reason, s.lang), 0, f.heading);
        textWrapped(f.body, p.text, r.type + "  " + r.actor + "  " + r.eventId);
        if (!r.detail.empty()) textWrapped(f.small, p.mutedText, r.detail);
        ImGui::Separator();
    }
}

}  // namespace shouxin::kiosk
