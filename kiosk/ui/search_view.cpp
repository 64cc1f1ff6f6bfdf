#include <cstring>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

void SearchView::draw(const AppState& state, Commands& commands) {
    drawInput(state, commands);
    drawResults(state, commands);
}

void SearchView::drawInput(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();

    // The query lives in the navigation state (so idle reset wipes it); the
    // buffer follows it whenever the resident is not typing.
    if (!ImGui::IsAnyItemActive() && state.nav.query != m_buffer) {
        std::strncpy(m_buffer, state.nav.query.c_str(), sizeof m_buffer - 1);
        m_buffer[sizeof m_buffer - 1] = '\0';
    }
    ImGui::PushFont(f.title);
    const float clearW =
        touchButtonWidth(std::string(tr("kiosk.search.clear", s.lang)).c_str(), f.body) + 20.0f;
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - clearW - m.gap);
    if (m_focusNext) {
        ImGui::SetKeyboardFocusHere();
        m_focusNext = false;
    }
    if (ImGui::InputTextWithHint("##search_query", std::string(tr("kiosk.search.hint", s.lang)).c_str(),
                                 m_buffer, sizeof m_buffer))
        commands.push(SetQuery{m_buffer});
    const float inputH = ImGui::GetItemRectSize().y;
    ImGui::PopFont();
    ImGui::SameLine(0.0f, m.gap);
    const std::string clear = std::string(tr("kiosk.search.clear", s.lang)) + "##search_clear";
    if (touchButton(clear.c_str(), ImVec2(clearW, std::max(inputH, m.touch)), false, p)) {
        m_buffer[0] = '\0';
        commands.push(SetQuery{""});
        m_focusNext = true;
    }

    // Without a keyboard: tap a common word.
    {
        const std::string text(tr("kiosk.search.suggestions", s.lang));
        const ImVec2 pos = ImGui::GetCursorScreenPos();
        drawText(ImGui::GetWindowDrawList(), f.body,
                 ImVec2(pos.x, pos.y + (m.touch - f.body->FontSize) * 0.5f),
                 ImGui::GetColorU32(ImGuiCol_Text), text);
        ImGui::Dummy(ImVec2(textWidth(f.body, text), m.touch));
    }
    const float right = ImGui::GetCursorScreenPos().x + ImGui::GetContentRegionAvail().x;
    ImGui::SameLine();
    for (const Category c : kCategories) {
        // The data is Chinese, so the word searched is the Chinese name.
        const std::string word(tr(messageIdOf(c), Lang::zh));
        std::string label = word;
        if (s.lang != Lang::zh) label += " " + std::string(tr(messageIdOf(c), s.lang));
        label += "##word_" + std::string(idOf(c));
        const float w = touchButtonWidth(label.c_str(), f.body);
        if (c != kCategories.front()) {
            if (ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + w < right) ImGui::SameLine();
        }
        if (touchButton(label.c_str(), ImVec2(w, m.touch), state.nav.query == word, p)) {
            std::strncpy(m_buffer, word.c_str(), sizeof m_buffer - 1);
            commands.push(SetQuery{word});
        }
    }
    ImGui::Dummy(ImVec2(0, 4.0f));
}

void SearchView::drawResults(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const SearchData& r = state.search;
    if (state.nav.query.empty()) return;
    if (r.rows.empty() && r.loading) {
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    if (r.rows.empty()) {
        heading(tr("kiosk.search.none", s.lang), p);
        return;
    }
    heading(format("kiosk.search.results", s.lang, {std::to_string(r.rows.size())}), p);
    ImGui::BeginChild("##search_results", ImVec2(0, 0), false);
    const float rowH = commitmentRowHeight(s.largeText);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(r.rows.size()), rowH);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const Row& row = r.rows[static_cast<std::size_t>(i)];
            if (commitmentRow(row, s.lang, p, rowH, true)) commands.push(OpenCommitment{row.id});
        }
    }
    clipper.End();
    touchScroll();
    ImGui::EndChild();
}

}  // namespace shouxin::kiosk
