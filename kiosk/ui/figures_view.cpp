#include <algorithm>
#include <cstdio>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/speak_button.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

void formula(std::string_view text, const Palette& p) { textWrapped(fonts().small, p.mutedText, text); }

// A coloured square and its label, for chart legends.
void legend(std::string_view label, ImU32 colour, const Palette& p) {
    const Fonts& f = fonts();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const float box = f.body->FontSize * 0.8f;
    ImGui::GetWindowDrawList()->AddRectFilled(
        ImVec2(at.x, at.y + (f.body->FontSize - box) * 0.5f + 2.0f),
        ImVec2(at.x + box, at.y + (f.body->FontSize + box) * 0.5f + 2.0f), colour, 3.0f);
    ImGui::Dummy(ImVec2(box, f.body->FontSize));
    ImGui::SameLine();
    text(label, p.text, f.body);
}

}  // namespace

void FiguresView::draw(const AppState& state, Commands& commands) {
    if (state.figures.loading) {
        heading(tr("kiosk.loading", state.settings.lang), palette(state.settings.highContrast));
        return;
    }
    drawSpeakButton(state, commands, "figures_speak");
    drawSummary(state);
    drawAreaBars(state);
    drawTrend(state);
    drawVoice(state);
    drawProblemList(state, commands);
    touchScroll();
}

void FiguresView::drawSummary(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const Figures& all = state.figures.overall;
    struct Item {
        std::string value;
        const char* name;
        ImU32 colour;
    };
    const Item items[] = {
        {percentText(all.fulfilmentRate()), "figures.fulfilment_rate",
         p.badge[static_cast<int>(Badge::fulfilled)]},
        {percentText(all.onTimeRate()), "figures.on_time_rate", p.badge[static_cast<int>(Badge::inProgress)]},
        {std::to_string(all.overdue), "figures.overdue", p.badge[static_cast<int>(Badge::overdue)]},
        {std::to_string(all.count(Status::broken)), "status.broken",
         p.badge[static_cast<int>(Badge::broken)]},
    };
    for (std::size_t i = 0; i < std::size(items); ++i) {
        if (i > 0) ImGui::SameLine(0.0f, 48.0f);
        ImGui::BeginGroup();
        text(items[i].value, items[i].colour, f.number);
        text(tr(items[i].name, s.lang), 0, f.body);
        ImGui::EndGroup();
    }
    formula(tr(kFulfilmentRateFormula, s.lang), p);
    formula(tr(kOnTimeRateFormula, s.lang), p);
    formula(tr(kOverdueFormula, s.lang), p);
    ImGui::Dummy(ImVec2(0, 10.0f));
}

void FiguresView::drawVoice(const AppState& state) {
    // Residents' voice and breach records, each with its formula.
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const VoiceFigures& v = state.figures.voice;
    heading(tr("kiosk.figures.voice", s.lang), p);
    const auto days = [&](std::optional<double> d) {
        if (!d) return std::string("—");
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", *d);
        return format("kiosk.figures.days", s.lang, {buf});
    };
    const auto mean = [&](std::optional<double> r) {
        if (!r) return std::string("—");
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.1f", *r);
        return std::string(buf);
    };
    struct Item {
        std::string value;
        std::string name;
        const char* formula;
    };
    const Item items[] = {
        {std::to_string(v.complaints),
         std::string(tr("figures.complaints", s.lang)) + "  " +
             format("kiosk.figures.answered", s.lang, {std::to_string(v.answered)}),
         kComplaintsFormula},
        {days(v.medianAnswerDays), std::string(tr("figures.median_answer", s.lang)), kMedianAnswerFormula},
        {mean(v.meanRating),
         std::string(tr("figures.mean_rating", s.lang)) + "  " +
             format("kiosk.figures.ratings", s.lang, {std::to_string(v.ratings)}),
         kMeanRatingFormula},
        {std::to_string(v.openBreaches),
         std::string(tr("kiosk.figures.open_breaches", s.lang)) + "  " +
             format("kiosk.figures.repaired", s.lang, {std::to_string(v.repairedBreaches)}),
         kBreachesFormula},
    };
    for (const Item& item : items) {
        text(item.value, p.text, f.heading);
        ImGui::SameLine(0.0f, 16.0f);
        text(item.name, p.text, f.body);
        formula(tr(item.formula, s.lang), p);
        ImGui::Dummy(ImVec2(0, 4.0f));
    }
    ImGui::Dummy(ImVec2(0, 10.0f));
}

void FiguresView::drawAreaBars(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    heading(tr("kiosk.figures.by_area", s.lang), p);
    const ImU32 fulfilColour = p.badge[static_cast<int>(Badge::fulfilled)];
    const ImU32 onTimeColour = p.badge[static_cast<int>(Badge::inProgress)];
    legend(tr("figures.fulfilment_rate", s.lang), fulfilColour, p);
    ImGui::SameLine(0.0f, 40.0f);
    legend(tr("figures.on_time_rate", s.lang), onTimeColour, p);

    // One row per area: its name, then two bars with their percentages.
    float labelW = 0.0f;
    for (const AreaTile& t : state.figures.areas)
        labelW = std::max(labelW, textWidth(f.body, tr(messageIdOf(t.category), s.lang)));
    labelW += 24.0f;
    const float valueW = textWidth(f.body, "100%") + 16.0f;
    const float barH = f.body->FontSize * 0.55f;
    const float rowH = barH * 2 + 18.0f;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float barW = width - labelW - valueW;
    ImDrawList* list = ImGui::GetWindowDrawList();
    float y = origin.y;
    for (const AreaTile& t : state.figures.areas) {
        const std::string_view name = tr(messageIdOf(t.category), s.lang);
        drawText(list, f.body, ImVec2(origin.x, y + (rowH - f.body->FontSize) * 0.5f - 4.0f), p.text, name);
        const std::optional<double> rates[] = {t.figures.fulfilmentRate(), t.figures.onTimeRate()};
        const ImU32 colours[] = {fulfilColour, onTimeColour};
        for (int k = 0; k < 2; ++k) {
            const float top = y + static_cast<float>(k) * (barH + 4.0f);
            const ImVec2 a(origin.x + labelW, top);
            list->AddRectFilled(a, ImVec2(a.x + barW, top + barH), p.barTrack, 3.0f);
            if (rates[k] && *rates[k] > 0.0)
                list->AddRectFilled(a, ImVec2(a.x + barW * static_cast<float>(*rates[k]), top + barH),
                                    colours[k], 3.0f);
            const std::string v = percentText(rates[k]);
            drawText(list, f.small, ImVec2(a.x + barW + 10.0f, top + (barH - f.small->FontSize) * 0.5f),
                     p.text, v);
        }
        y += rowH;
    }
    ImGui::Dummy(ImVec2(width, y - origin.y));
    formula(tr("kiosk.figures.no_data_note", s.lang), p);
    ImGui::Dummy(ImVec2(0, 10.0f));
}

void FiguresView::drawTrend(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    heading(tr("kiosk.figures.trend", s.lang), p);
    const auto& trend = state.figures.trend;
    if (trend.empty()) return;
    const ImU32 fulfilColour = p.badge[static_cast<int>(Badge::fulfilled)];
    const ImU32 onTimeColour = p.badge[static_cast<int>(Badge::inProgress)];
    legend(tr("figures.fulfilment_rate", s.lang), fulfilColour, p);
    ImGui::SameLine(0.0f, 40.0f);
    legend(tr("figures.on_time_rate", s.lang), onTimeColour, p);

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float width = ImGui::GetContentRegionAvail().x;
    const float chartH = 220.0f * metrics(s.largeText).scale;
    const float axisW = textWidth(f.small, "100%") + 10.0f;
    const float labelH = f.small->FontSize * 2 + 12.0f;
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float plotX = origin.x + axisW;
    const float plotW = width - axisW;
    for (int tick = 0; tick <= 4; ++tick) {
        const float ty = origin.y + chartH - chartH * static_cast<float>(tick) / 4.0f;
        list->AddLine(ImVec2(plotX, ty), ImVec2(plotX + plotW, ty), p.border, 1.0f);
        const std::string label = std::to_string(tick * 25) + "%";
        drawText(list, f.small, ImVec2(origin.x, ty - f.small->FontSize * 0.5f), p.mutedText, label);
    }
    const float slot = plotW / static_cast<float>(trend.size());
    const float barW = std::min(28.0f * metrics(s.largeText).scale, slot * 0.35f);
    for (std::size_t i = 0; i < trend.size(); ++i) {
        const MonthFigures& m = trend[i];
        const float cx = plotX + slot * (static_cast<float>(i) + 0.5f);
        const std::optional<double> rates[] = {m.figures.fulfilmentRate(), m.figures.onTimeRate()};
        const ImU32 colours[] = {fulfilColour, onTimeColour};
        for (int k = 0; k < 2; ++k) {
            const float x0 = cx + (k == 0 ? -barW - 2.0f : 2.0f);
            if (!rates[k]) continue;
            const float h = std::max(2.0f, chartH * static_cast<float>(*rates[k]));
            list->AddRectFilled(ImVec2(x0, origin.y + chartH - h), ImVec2(x0 + barW, origin.y + chartH),
                                colours[k], 3.0f, ImDrawFlags_RoundCornersTop);
        }
        const std::string month(tr("kiosk.month." + std::to_string(m.month), s.lang));
        const std::string count =
            format("kiosk.figures.month_count", s.lang, {std::to_string(m.figures.assessed())});
        drawText(list, f.small, ImVec2(cx - textWidth(f.small, month) * 0.5f, origin.y + chartH + 6.0f),
                 p.text, month);
        drawText(list, f.small,
                 ImVec2(cx - textWidth(f.small, count) * 0.5f, origin.y + chartH + 8.0f + f.small->FontSize),
                 p.mutedText, count);
    }
    ImGui::Dummy(ImVec2(width, chartH + labelH));
    formula(tr("kiosk.figures.trend_note", s.lang), p);
    ImGui::Dummy(ImVec2(0, 10.0f));
}

void FiguresView::drawProblemList(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    heading(tr("kiosk.figures.problems", s.lang), p);
    const auto& rows = state.figures.overdueAndBroken;
    if (rows.empty()) {
        formula(tr("kiosk.figures.no_problems", s.lang), p);
        return;
    }
    const float rowH = commitmentRowHeight(s.largeText);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(rows.size()), rowH);
    while (clipper.Step()) {
        for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
            const Row& row = rows[static_cast<std::size_t>(i)];
            if (commitmentRow(row, s.lang, p, rowH, true)) commands.push(OpenCommitment{row.id});
        }
    }
    clipper.End();
}

}  // namespace shouxin::kiosk
