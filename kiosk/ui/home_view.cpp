#include <algorithm>
#include <cmath>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

constexpr float kCardPad = 20.0f;

// Whether a card's name fits on the line of its number (else below it).
bool nameBesideNumber(const std::string& value, std::string_view name, float cardW) {
    const Fonts& f = fonts();
    return kCardPad * 3 + textWidth(f.number, value) + textWidth(f.heading, name) <= cardW;
}

// The room a name under its number takes (nothing when beside it).
float nameLineHeight(bool beside) { return beside ? 0.0f : fonts().heading->FontSize + 4.0f; }

// A card with a big number, its name (beside the number, or under it on a
// narrow screen) and its formula in plain words.
void figureCard(ImDrawList* list, ImVec2 min, ImVec2 max, const std::string& value, std::string_view name,
                std::string_view formula, ImU32 valueColour, bool beside, const Palette& p) {
    const Fonts& f = fonts();
    list->AddRectFilled(min, max, p.surface, 14.0f);
    list->AddRect(min, max, p.border, 14.0f, 0, 1.5f);
    const float pad = kCardPad;
    list->PushClipRect(min, max, true);
    drawText(list, f.number, ImVec2(min.x + pad, min.y + pad * 0.5f), valueColour, value);
    const ImVec2 nameAt = beside ? ImVec2(min.x + pad * 2 + textWidth(f.number, value),
                                          min.y + pad * 0.5f + f.number->FontSize - f.heading->FontSize - 6.0f)
                                 : ImVec2(min.x + pad, min.y + pad * 0.5f + f.number->FontSize);
    drawText(list, f.heading, nameAt, p.text, name);
    const float formulaY = min.y + pad * 0.5f + f.number->FontSize + nameLineHeight(beside) + 6.0f;
    drawWrapped(list, f.small, ImVec2(min.x + pad, formulaY), p.mutedText, formula, max.x - min.x - pad * 2);
    list->PopClipRect();
}

}  // namespace

void HomeView::draw(const AppState& state, Commands& commands) {
    drawSummary(state, commands);
    drawVoice(state, commands);
    drawTiles(state, commands);
    touchScroll();
}

void HomeView::drawSummary(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const Figures& all = state.home.overall;

    const float width = ImGui::GetContentRegionAvail().x;
    const float cardW = (width - m.gap * 2) / 3.0f;
    // As tall as the longest formula, wrapped in the card, needs.
    std::size_t formulaLines = 1;
    for (const std::string_view formula : {kFulfilmentRateFormula, kOnTimeRateFormula, kOverdueFormula})
        formulaLines =
            std::max(formulaLines, wrapLines(f.small, tr(formula, s.lang), cardW - kCardPad * 2).size());
    const std::string fulfilment = percentText(all.fulfilmentRate());
    const std::string onTime = percentText(all.onTimeRate());
    const std::string overdue = std::to_string(all.overdue);
    // Names beside their numbers in every card, or under them in every one.
    const bool beside = nameBesideNumber(fulfilment, tr("figures.fulfilment_rate", s.lang), cardW) &&
                        nameBesideNumber(onTime, tr("figures.on_time_rate", s.lang), cardW) &&
                        nameBesideNumber(overdue, tr("figures.overdue", s.lang), cardW);
    const float height = kCardPad * 0.5f + f.number->FontSize + nameLineHeight(beside) + 6.0f +
                         static_cast<float>(formulaLines) * f.small->FontSize * 1.25f + kCardPad * 0.5f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    figureCard(list, origin, ImVec2(origin.x + cardW, origin.y + height), fulfilment,
               tr("figures.fulfilment_rate", s.lang), tr(kFulfilmentRateFormula, s.lang),
               p.badge[static_cast<int>(Badge::fulfilled)], beside, p);
    const float x2 = origin.x + cardW + m.gap;
    figureCard(list, ImVec2(x2, origin.y), ImVec2(x2 + cardW, origin.y + height), onTime,
               tr("figures.on_time_rate", s.lang), tr(kOnTimeRateFormula, s.lang),
               p.badge[static_cast<int>(Badge::inProgress)], beside, p);
    const float x3 = x2 + cardW + m.gap;
    figureCard(list, ImVec2(x3, origin.y), ImVec2(x3 + cardW, origin.y + height), overdue,
               tr("figures.overdue", s.lang), tr(kOverdueFormula, s.lang),
               all.overdue > 0 ? p.badge[static_cast<int>(Badge::overdue)] : p.text, beside, p);
    // The overdue card leads to the list of late and broken commitments.
    ImGui::SetCursorScreenPos(ImVec2(x3, origin.y));
    if (ImGui::InvisibleButton("##home_overdue", ImVec2(cardW, height))) commands.push(OpenFigures{});
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + height + m.gap));
}

void HomeView::drawVoice(const AppState& state, Commands& commands) {
    // A resident's say: file a complaint, look one up, see breach records.
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const float w = (ImGui::GetContentRegionAvail().x - m.gap * 2) / 3.0f;
    struct Entry {
        const char* label;
        const char* name;
        Command command;
    };
    const Entry entries[] = {
        {"kiosk.complaint.open_home", "home_complain", OpenComplaint{""}},
        {"kiosk.lookup.open", "home_lookup", OpenLookup{}},
        {"kiosk.breach.open_all", "home_breaches", OpenBreaches{""}},
    };
    // The heading font when every label fits its button, else the body one
    // (a narrow, portrait screen), the same for all three.
    ImFont* font = f.heading;
    for (const Entry& e : entries)
        if (touchButtonWidth(std::string(tr(e.label, s.lang)).c_str(), f.heading) > w) font = f.body;
    for (std::size_t i = 0; i < std::size(entries); ++i) {
        if (i > 0) ImGui::SameLine(0.0f, m.gap);
        const std::string label = std::string(tr(entries[i].label, s.lang)) + "##" + entries[i].name;
        if (touchButton(label.c_str(), ImVec2(w, m.touch), i == 0, p, font))
            commands.push(entries[i].command);
        probe(entries[i].name);
    }
    ImGui::Dummy(ImVec2(0, m.gap * 0.25f));
}

void HomeView::drawTiles(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();

    heading(tr("kiosk.home.areas", s.lang), p);
    const float width = ImGui::GetContentRegionAvail().x;
    const int columns = s.largeText ? 3 : 5;
    const float tileW = (width - m.gap * static_cast<float>(columns - 1)) / static_cast<float>(columns);
    const float pad = 16.0f;
    // Every tile as tall as the one with the longest (wrapped) name.
    std::size_t nameLines = 1;
    for (const AreaTile& tile : state.home.tiles)
        nameLines = std::max(
            nameLines, wrapLines(f.heading, tr(messageIdOf(tile.category), s.lang), tileW - pad * 2).size());
    const float nameH = static_cast<float>(nameLines) * f.heading->FontSize * 1.25f;
    const float barH = 14.0f * m.scale;
    const float tileH = pad + nameH + f.body->FontSize + 12.0f + barH + 8.0f + f.small->FontSize + pad;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    auto tileRect = [&](std::size_t i) {
        const int col = static_cast<int>(i) % columns;
        const int row = static_cast<int>(i) / columns;
        return ImVec2(origin.x + static_cast<float>(col) * (tileW + m.gap),
                      origin.y + static_cast<float>(row) * (tileH + m.gap));
    };
    for (std::size_t i = 0; i < state.home.tiles.size(); ++i) {
        const AreaTile& tile = state.home.tiles[i];
        const ImVec2 min = tileRect(i);
        const ImVec2 max(min.x + tileW, min.y + tileH);
        ImGui::SetCursorScreenPos(min);
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::InvisibleButton("##tile", ImVec2(tileW, tileH))) commands.push(OpenArea{tile.category});
        const bool hovered = ImGui::IsItemHovered();
        ImGui::PopID();

        list->AddRectFilled(min, max, hovered ? p.surfaceHover : p.surface, 14.0f);
        list->AddRect(min, max, hovered ? p.toggleOn : p.border, 14.0f, 0, hovered ? 3.0f : 1.5f);
        list->PushClipRect(min, max, true);
        drawWrapped(list, f.heading, ImVec2(min.x + pad, min.y + pad), p.text,
                    tr(messageIdOf(tile.category), s.lang), tileW - pad * 2);
        const Figures& fig = tile.figures;
        const float line2 = min.y + pad + nameH;
        const std::string count = state.home.loading
                                      ? std::string(tr("kiosk.loading", s.lang))
                                      : format("kiosk.home.commitments", s.lang, {std::to_string(fig.total)});
        drawText(list, f.body, ImVec2(min.x + pad, line2), p.mutedText, count);
        const float barY = line2 + f.body->FontSize + 12.0f;
        drawStatusBar(list, ImVec2(min.x + pad, barY), ImVec2(max.x - pad, barY + barH), fig, p);
        const float line4 = barY + barH + 8.0f;
        const std::string kept = format("kiosk.home.tile_rate", s.lang, {percentText(fig.fulfilmentRate())});
        drawText(list, f.small, ImVec2(min.x + pad, line4), p.text, kept);
        if (fig.overdue > 0) {
            // Overdue, in its colour and in words, right of the rate.
            const std::string late = format("kiosk.home.tile_overdue", s.lang, {std::to_string(fig.overdue)});
            const float w = textWidth(f.small, late) + 16.0f;
            const ImVec2 bmin(max.x - pad - w, line4 - 3.0f);
            list->AddRectFilled(bmin, ImVec2(max.x - pad, line4 + f.small->FontSize + 3.0f),
                                badgeColour(p, Badge::overdue), 8.0f);
            drawText(list, f.small, ImVec2(bmin.x + 8.0f, line4), badgeTextColour(p, Badge::overdue), late);
        }
        list->PopClipRect();
    }
    // The last slot leads to the figures of every area.
    {
        const std::size_t i = state.home.tiles.size();
        const ImVec2 min = tileRect(i);
        const ImVec2 max(min.x + tileW, min.y + tileH);
        ImGui::SetCursorScreenPos(min);
        if (ImGui::InvisibleButton("##tile_figures", ImVec2(tileW, tileH))) commands.push(OpenFigures{});
        const bool hovered = ImGui::IsItemHovered();
        list->AddRectFilled(min, max, hovered ? p.surfaceHover : p.toggleOn, 14.0f);
        list->PushClipRect(min, max, true);
        drawWrapped(list, f.heading, ImVec2(min.x + pad, min.y + pad), hovered ? p.text : p.onToggle,
                    tr("kiosk.home.all_figures", s.lang), tileW - pad * 2);
        drawWrapped(list, f.small, ImVec2(min.x + pad, min.y + pad + nameH + 4.0f),
                    hovered ? p.text : p.onToggle, tr("kiosk.home.all_figures_hint", s.lang),
                    tileW - pad * 2);
        list->PopClipRect();
    }
    const int rows = (static_cast<int>(state.home.tiles.size()) + 1 + columns - 1) / columns;
    ImGui::SetCursorScreenPos(ImVec2(origin.x, origin.y + static_cast<float>(rows) * (tileH + m.gap)));
    ImGui::Dummy(ImVec2(width, 1.0f));
}

}  // namespace shouxin::kiosk
