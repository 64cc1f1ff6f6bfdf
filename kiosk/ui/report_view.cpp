// A fulfilment report in one tap: status, progress, a dated note (typed
// through the input method, or built from common phrases). A supervisor
// also amends or withdraws here, with the reason and legal basis.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

// A label in a fixed left column, vertically centred on a touch row.
void rowLabel(std::string_view text, const Palette& p, const Metrics& m) {
    const Fonts& f = fonts();
    const ImVec2 at = ImGui::GetCursorScreenPos();
    drawText(ImGui::GetWindowDrawList(), f.heading,
             ImVec2(at.x, at.y + (m.touch - f.heading->FontSize) * 0.5f), p.text, text);
    ImGui::Dummy(ImVec2(150.0f * m.scale, m.touch));
    ImGui::SameLine(0.0f, 0.0f);
}

}  // namespace

void ReportView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const DetailData& d = state.detail;
    if (!state.session) return;
    if (d.loading) {
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    if (!d.found) {
        heading(tr("kiosk.detail.not_found", s.lang), p);
        return;
    }
    const std::string key = d.state.commitment.id + (state.nav.amend ? "#amend" : "");
    if (m_for != key) {
        // A fresh form, starting from what the commitment says now.
        m_for = key;
        m_form = ReportForm{};
        m_form.status = initialReportStatus(state.session, d.state.status, state.nav.amend);
        m_form.progress = d.state.progress;
        m_error.clear();
    }
    // What is being reported on, and what the clerk saw as current.

    textWrapped(f.title, p.text, d.state.commitment.title);
    textWrapped(
        f.small, p.mutedText,
        format("kiosk.report.current", s.lang,
               {std::string(tr(badgeMessageId(d.badge), s.lang)), std::to_string(d.state.progress) + "%",
                d.state.statusDate ? d.state.statusDate->toString() : std::string("—")}) +
            "   " + format("kiosk.report.dated", s.lang, {state.home.today.toString()}));
    if (d.state.concurrentReport)
        textWrapped(f.body, badgeColour(p, Badge::amended), tr("kiosk.detail.concurrent", s.lang));
    ImGui::Dummy(ImVec2(0, 4.0f));

    const float saveH = m.touch * 1.2f;
    ImGui::BeginChild("##report_form", ImVec2(0, ImGui::GetContentRegionAvail().y - saveH - m.gap * 2),
                      false);
    drawStatus(state);
    drawProgress(state);
    drawNote(state, commands);
    touchScroll();
    ImGui::EndChild();

    if (!m_error.empty()) {
        textWrapped(f.body, badgeColour(p, Badge::broken), m_error);
    } else if (!state.notice.text.empty() && state.notice.error) {
        textWrapped(f.body, badgeColour(p, Badge::broken), state.notice.text);
    }
    const std::string save = std::string(tr("kiosk.report.save", s.lang)) + "##report_save";
    if (touchButton(save.c_str(), ImVec2(360.0f * m.scale, saveH), true, p, f.heading)) {
        const auto report = buildReport(m_form, d.state, state.home.today, state.session);
        if (report) {
            m_error.clear();
            commands.push(SubmitReport{*report});
        } else {
            m_error = describeProblems(report.problems(), s.lang);
        }
    }
    probe("report_save");
}

void ReportView::drawStatus(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    rowLabel(tr("kiosk.report.status", s.lang), p, m);
    bool first = true;
    for (const Status st : reportStatuses(state.session, state.detail.state.status)) {
        if (!first) ImGui::SameLine(0.0f, m.gap * 0.5f);
        first = false;
        const std::string label =
            std::string(tr(messageIdOf(st), s.lang)) + "##status_" + std::string(idOf(st));
        if (touchButton(label.c_str(), ImVec2(0, m.touch), m_form.status == st, p)) {
            m_form.status = st;
            if (st == Status::fulfilled) m_form.progress = 100;
        }
        probe("status_" + std::string(idOf(st)));
    }
}

void ReportView::drawProgress(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    rowLabel(tr("kiosk.report.progress", s.lang), p, m);
    const std::string minus = "-10##progress_minus";
    if (touchButton(minus.c_str(), ImVec2(100.0f * m.scale, m.touch), false, p, f.heading))
        m_form.progress = std::max(0, m_form.progress - 10);
    probe("progress_minus");
    ImGui::SameLine(0.0f, m.gap);
    ImGui::PushFont(f.heading);
    ImGui::PushItemWidth(std::min(520.0f * m.scale, ImGui::GetContentRegionAvail().x - 240.0f * m.scale));
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12.0f, (m.touch - f.heading->FontSize) * 0.5f));
    ImGui::SliderInt("##progress", &m_form.progress, 0, 100, "%d%%", ImGuiSliderFlags_AlwaysClamp);
    ImGui::PopStyleVar();
    ImGui::PopItemWidth();
    ImGui::PopFont();
    ImGui::SameLine(0.0f, m.gap);
    const std::string plus = "+10##progress_plus";
    if (touchButton(plus.c_str(), ImVec2(100.0f * m.scale, m.touch), false, p, f.heading))
        m_form.progress = std::min(100, m_form.progress + 10);
    probe("progress_plus");
}

void ReportView::drawNote(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    heading(tr("kiosk.report.note", s.lang), p);
    ImGui::SameLine(0.0f, m.gap);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + (f.heading->FontSize - f.small->FontSize) * 0.6f);
    text(tr("kiosk.report.note_hint", s.lang), p.mutedText, f.small);
    ImGui::PushFont(f.body);
    if (wrappedInput("##report_note", &m_form.note, m_noteField, 3.4f)) commands.push(TypedText{m_form.note});
    ImGui::PopFont();
    probe("report_note");
    // Common phrases, tapped in where no keyboard is attached.
    // Lower than other buttons, but never lower than their text and padding.
    const float chipH =
        std::max(m.touch * 0.8f, fonts().body->FontSize + ImGui::GetStyle().FramePadding.y * 2.0f);
    phraseButtons(commonPhraseIds(), s.lang, m_form.note, "phrase_", p, chipH, m.gap * 0.5f);
    if (m_form.status != Status::amended) return;
    ImGui::Dummy(ImVec2(0, 6.0f));
    heading(tr("kiosk.label.amend_reason", s.lang), p);
    ImGui::PushFont(f.body);
    if (wrappedInput("##amend_reason", &m_form.reason, m_reasonField, 3.0f))
        commands.push(TypedText{m_form.reason});
    ImGui::PopFont();
    probe("amend_reason");
    heading(tr("kiosk.label.legal_basis", s.lang), p);
    ImGui::PushFont(f.body);
    ImGui::SetNextItemWidth(-1.0f);
    if (ImGui::InputText("##legal_basis", &m_form.legalBasis)) commands.push(TypedText{m_form.legalBasis});
    ImGui::PopFont();
    probe("legal_basis");
    textWrapped(f.small, p.mutedText, tr("kiosk.report.amend_public", s.lang));
}

}  // namespace shouxin::kiosk
