// The office's complaints waiting for an answer: the list on the left, the
// picked one on the right with its answer form. Never who complained: the
// contact is sealed to the district and the kiosk only knows one was left.
#include <imgui.h>

#include <algorithm>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

void ComplaintsView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const ComplaintsData& d = state.complaints;
    if (!may(state.session, ClerkAction::answerComplaint)) return;
    if (d.loading) {
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    if (d.open.empty()) {
        ImGui::Dummy(ImVec2(0, 12.0f));
        textWrapped(fonts().heading, p.mutedText, tr("kiosk.dash.no_complaints", s.lang));
        return;
    }
    const auto picked = std::find_if(d.open.begin(), d.open.end(),
                                     [&](const Store::ComplaintView& c) { return c.id == m_selected; });
    if (picked == d.open.end()) {
        m_selected = d.open.front().id;
        m_answer.clear();
        m_answerField = WrappedField{};
    }
    const float left = std::min(440.0f * m.scale, ImGui::GetContentRegionAvail().x * 0.4f);
    ImGui::BeginChild("##complaints_list", ImVec2(left, 0), false);
    drawList(state);
    touchScroll();
    ImGui::EndChild();
    ImGui::SameLine(0.0f, m.gap);
    ImGui::BeginChild("##complaints_form", ImVec2(0, 0), false);
    for (const Store::ComplaintView& c : d.open)
        if (c.id == m_selected) drawForm(state, commands, c);
    touchScroll();
    ImGui::EndChild();
}

void ComplaintsView::drawList(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const float w = ImGui::GetContentRegionAvail().x;
    for (std::size_t i = 0; i < state.complaints.open.size(); ++i) {
        const Store::ComplaintView& c = state.complaints.open[i];
        const std::string name = "complaint_row_" + std::to_string(i);
        const std::string label = c.ticket + "  " + c.filed.toString() + "  " +
                                  std::string(tr(messageIdOf(c.status), s.lang)) + "##" + name;
        if (touchButton(label.c_str(), ImVec2(w, m.touch), c.id == m_selected, p) && c.id != m_selected) {
            m_selected = c.id;
            m_answer.clear();
            m_answerField = WrappedField{};
        }
        probe(name);
    }
    // The oldest are shown first; answering them brings the next ones in.
    if (state.complaints.more)
        textWrapped(fonts().small, p.mutedText,
                    format("kiosk.complaints.more", s.lang, {std::to_string(kComplaintsShown)}));
}

void ComplaintsView::drawForm(const AppState& state, Commands& commands, const Store::ComplaintView& c) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const Date today = state.home.today;
    heading(c.ticket + "   " + std::string(tr(messageIdOf(c.reason), s.lang)), p);
    textWrapped(f.small, p.mutedText,
                format("kiosk.answer.filed", s.lang, {c.filed.toString()}) + "   " +
                    std::string(tr(c.contactSealed ? "kiosk.answer.contact_sealed" : "kiosk.answer.anonymous",
                                   s.lang)));
    textWrapped(f.body, p.text, c.text.empty() ? std::string(tr("kiosk.complaint.no_text", s.lang)) : c.text);
    ImGui::Dummy(ImVec2(0, 6.0f));
    heading(tr("kiosk.answer.heading", s.lang), p);
    ImGui::PushFont(f.body);
    if (wrappedInput("##answer_text", &m_answer, m_answerField, 3.4f)) commands.push(TypedText{m_answer});
    ImGui::PopFont();
    probe("answer_text");
    phraseButtons(answerPhraseIds(), s.lang, m_answer, "answer_phrase_", p, m.touch, m.gap * 0.5f);
    ImGui::Dummy(ImVec2(0, 6.0f));
    if (state.notice.error && !state.notice.text.empty())
        textWrapped(f.body, badgeColour(p, Badge::broken), state.notice.text);
    const std::string send = std::string(tr("kiosk.answer.send", s.lang)) + "##answer_send";
    if (touchButton(send.c_str(), ImVec2(0, m.touch), true, p, f.heading))
        commands.push(SubmitAnswer{ComplaintAnswer{c.id, m_answer, today}});
    probe("answer_send");
    for (const ComplaintStepKind k : complaintSteps(c.status)) {
        ImGui::SameLine(0.0f, m.gap);
        const std::string name = "complaint_step_" + std::string(idOf(k));
        const std::string label =
            std::string(tr("kiosk.answer.step." + std::string(idOf(k)), s.lang)) + "##" + name;
        if (touchButton(label.c_str(), ImVec2(0, m.touch), false, p, f.heading))
            commands.push(SubmitComplaintStep{ComplaintStep{c.id, k, "", today}});
        probe(name);
    }
}

}  // namespace shouxin::kiosk
