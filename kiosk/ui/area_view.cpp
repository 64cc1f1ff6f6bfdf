#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

// A row label centred on the touch-height chips that follow it.
void filterLabel(const std::string& text, float rowHeight) {
    ImFont* font = fonts().body;
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    drawText(ImGui::GetWindowDrawList(), font, ImVec2(pos.x, pos.y + (rowHeight - font->FontSize) * 0.5f),
             ImGui::GetColorU32(ImGuiCol_Text), text);
    ImGui::Dummy(ImVec2(textWidth(font, text), rowHeight));
}

}  // namespace

void AreaView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const AreaData& a = state.area;
    const std::string title = std::string(tr(messageIdOf(a.category), s.lang));
    text(title, 0, fonts().title);
    ImGui::SameLine();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + fonts().title->FontSize - fonts().body->FontSize - 4.0f);
    text(a.loading ? std::string(tr("kiosk.loading", s.lang))
                   : format("kiosk.area.count", s.lang,
                            {std::to_string(a.totalInArea), std::to_string(a.rows.size())}),
         p.mutedText);
    drawFilters(state, commands);
    drawList(state, commands);
}

void AreaView::drawFilters(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const AreaFilter& current = state.area.filter;
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;

    // Chips flow onto the next line when the row is full.
    auto chip = [&](const std::string& label, bool selected) {
        const float w = touchButtonWidth(label.c_str(), f.body);
        const float x = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x;
        if (x + w < right) ImGui::SameLine();
        return touchButton(label.c_str(), ImVec2(w, m.touch), selected, p);
    };

    filterLabel(std::string(tr("kiosk.filter.status", s.lang)), m.touch);
    for (const StatusFilter sf : kStatusFilters) {
        const std::string label =
            std::string(tr(filterMessageId(sf), s.lang)) + "##status_" + std::to_string(static_cast<int>(sf));
        if (chip(label, current.status == sf)) {
            AreaFilter next = current;
            next.status = sf;
            commands.push(SetFilter{next});
        }
    }
    filterLabel(std::string(tr("kiosk.filter.kind", s.lang)), m.touch);
    {
        const std::string label = std::string(tr("kiosk.filter.all", s.lang)) + "##kind_all";
        if (chip(label, !current.kind)) {
            AreaFilter next = current;
            next.kind.reset();
            commands.push(SetFilter{next});
        }
    }
    for (const Kind k : kKinds) {
        const std::string label = std::string(tr(messageIdOf(k), s.lang)) + "##kind_" + std::string(idOf(k));
        if (chip(label, current.kind == k)) {
            AreaFilter next = current;
            next.kind = k;
            commands.push(SetFilter{next});
        }
    }
    ImGui::Dummy(ImVec2(0, 4.0f));
}

void AreaView::drawList(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const AreaData& a = state.area;
    if (a.loading) {
        ImGui::Dummy(ImVec2(0, 30.0f));
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    if (a.rows.empty()) {
        ImGui::Dummy(ImVec2(0, 30.0f));
        heading(tr("kiosk.area.empty", s.lang), p);
        textWrapped(fonts().body, p.mutedText, tr("kiosk.area.empty_hint", s.lang));
        return;
    }
    ImGui::BeginChild("##area_list", ImVec2(0, 0), false);
    const float rowH = commitmentRowHeight(s.largeText);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(a.rows.size()), rowH);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const Row& row = a.rows[static_cast<std::size_t>(i)];
            if (commitmentRow(row, s.lang, p, rowH, false)) commands.push(OpenCommitment{row.id});
        }
    }
    clipper.End();
    touchScroll();
    ImGui::EndChild();
}

}  // namespace shouxin::kiosk
