// A complaint looked up by its ticket: typed on a pad of the ticket's own
// alphabet or on a keyboard; where it stands, the answer, and a rating of
// the answer once there is one.
#include <imgui.h>

#include <cstring>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"
#include "shared/ticket.hpp"

namespace shouxin::kiosk {

namespace {

// "Label  value" on one line, the label muted, the value wrapped beside it.
void labelled(std::string_view labelId, const std::string& value, const AppState& state) {
    const Palette& p = palette(state.settings.highContrast);
    const Fonts& f = fonts();
    text(tr(labelId, state.settings.lang), p.mutedText, f.body);
    ImGui::SameLine(f.body->FontSize * 6.0f);
    textWrapped(f.body, p.text, value);
}

}  // namespace

void LookupView::draw(const AppState& state, Commands& commands) {
    drawEntry(state, commands);
    ImGui::Dummy(ImVec2(0, 6.0f));
    ImGui::BeginChild("##lookup_result", ImVec2(0, 0), false);
    drawResult(state, commands);
    touchScroll();
    ImGui::EndChild();
}

void LookupView::drawEntry(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    // The ticket looked up lives in the navigation state (idle reset wipes
    // it); the field shows it whenever it changes there.
    if (state.nav.ticket != m_looked) {
        m_looked = state.nav.ticket;
        std::memset(m_buffer, 0, sizeof m_buffer);
        std::strncpy(m_buffer, m_looked.c_str(), sizeof m_buffer - 1);
    }
    textWrapped(f.body, p.mutedText, tr("kiosk.lookup.hint", s.lang));
    const std::string find = std::string(tr("kiosk.lookup.find", s.lang)) + "##lookup_find";
    const std::string back = std::string(tr("kiosk.login.backspace", s.lang)) + "##ticket_back";
    const std::string clear = std::string(tr("kiosk.login.clear", s.lang)) + "##ticket_clear";
    const float pad = 40.0f;
    const float findW = touchButtonWidth(find.c_str(), f.heading) + pad;
    const float backW = touchButtonWidth(back.c_str(), f.heading) + pad;
    const float clearW = touchButtonWidth(clear.c_str(), f.heading) + pad;
    ImGui::PushFont(f.title);
    ImGui::SetNextItemWidth(
        std::min(520.0f * m.scale, ImGui::GetContentRegionAvail().x - findW - backW - clearW - m.gap * 3));
    const bool entered = ImGui::InputTextWithHint(
        "##lookup_ticket", std::string(tr("kiosk.complaint.ticket", s.lang)).c_str(), m_buffer,
        sizeof m_buffer, ImGuiInputTextFlags_CharsUppercase | ImGuiInputTextFlags_EnterReturnsTrue);
    const float inputH = std::max(ImGui::GetItemRectSize().y, m.touch);
    ImGui::PopFont();
    probe("lookup_ticket");
    ImGui::SameLine(0.0f, m.gap);
    const bool found = touchButton(find.c_str(), ImVec2(findW, inputH), true, p, f.heading);
    probe("lookup_find");
    if (entered || found) commands.push(SetTicket{m_buffer});
    const std::size_t len = std::strlen(m_buffer);
    ImGui::SameLine(0.0f, m.gap);
    if (touchButton(back.c_str(), ImVec2(backW, inputH), false, p, f.heading) && len > 0)
        m_buffer[len - 1] = '\0';
    probe("ticket_back");
    ImGui::SameLine(0.0f, m.gap);
    if (touchButton(clear.c_str(), ImVec2(clearW, inputH), false, p, f.heading))
        std::memset(m_buffer, 0, sizeof m_buffer);
    probe("ticket_clear");

    // The ticket's alphabet on large keys.
    std::vector<std::string> keys;
    for (const char c : kTicketAlphabet)
        keys.emplace_back(1, c);
    constexpr int kColumns = 11;
    const float gap = m.gap * 0.4f;
    const float keyW = (ImGui::GetContentRegionAvail().x - gap * (kColumns - 1)) / kColumns;
    const int tapped = keypad(keys, keys, kColumns, ImVec2(keyW, m.touch), gap, "ticket_", p, f.heading);
    if (tapped < 0 || len + 2 >= sizeof m_buffer) return;
    // A dash after the fourth character, as the ticket is printed.
    std::size_t at = len;
    if (at == 4) m_buffer[at++] = '-';
    m_buffer[at] = keys[static_cast<std::size_t>(tapped)].front();
}

void LookupView::drawResult(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const LookupData& d = state.lookup;
    if (d.typed.empty()) return;
    if (d.loading) {
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    if (!d.complaint) {
        textWrapped(f.heading, badgeColour(p, Badge::broken), format(d.messageId, s.lang, {d.officeSuffix}));
        return;
    }
    const Store::ComplaintView& c = *d.complaint;
    heading(c.ticket + "   " + std::string(tr(messageIdOf(c.status), s.lang)), p);
    probe("lookup_status_" + std::string(idOf(c.status)));
    labelled("kiosk.complaint.label_filed", c.filed.toString(), state);
    labelled("kiosk.complaint.label_reason", std::string(tr(messageIdOf(c.reason), s.lang)), state);
    if (!c.text.empty()) labelled("kiosk.complaint.label_text", c.text, state);
    if (c.answer.empty()) {
        textWrapped(f.body, p.mutedText, tr("kiosk.lookup.no_answer", s.lang));
        return;
    }
    labelled("kiosk.lookup.answer", c.answer, state);
    if (c.answeredOn) labelled("kiosk.lookup.answered_on", c.answeredOn->toString(), state);
    ImGui::Dummy(ImVec2(0, 6.0f));
    if (c.answerRating) {
        text(format("kiosk.lookup.rated", s.lang, {std::to_string(*c.answerRating)}), p.text, f.heading);
    } else if (c.status == ComplaintStatus::answered) {
        text(tr("kiosk.lookup.rate_answer", s.lang), p.text, f.heading);
        for (int score = 1; score <= 5; ++score) {
            if (score > 1) ImGui::SameLine(0.0f, m.gap * 0.5f);
            const std::string name = "answer_rate_" + std::to_string(score);
            const std::string label =
                format("kiosk.rate.score", s.lang, {std::to_string(score)}) + "##" + name;
            if (touchButton(label.c_str(), ImVec2(0, m.touch), false, p, f.heading))
                commands.push(Rate{Rating{"", c.id, score, state.home.today}});
            probe(name);
        }
    }
    if (!state.residentNotice.text.empty())
        textWrapped(f.body, state.residentNotice.error ? badgeColour(p, Badge::broken) : p.text,
                    state.residentNotice.text);
}

}  // namespace shouxin::kiosk
