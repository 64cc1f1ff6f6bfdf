// A resident's complaint in four steps and its ticket. The phone number is
// typed on a digit pad into a fixed buffer, sealed to the district's key as
// the step is left and zeroed at once: only the sealed box goes further.
#include <imgui.h>

#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

namespace {

constexpr int kSteps = 4;

const char* stepTitle(int step) {
    static const char* const titles[kSteps] = {"kiosk.complaint.step_reason", "kiosk.complaint.step_details",
                                               "kiosk.complaint.step_contact", "kiosk.complaint.step_review"};
    return titles[step];
}

// "关于：高龄津贴按月发放" when the complaint is about the commitment on show.
std::string aboutText(const AppState& state) {
    const std::string& id = state.nav.complaintAbout;
    if (id.empty() || state.detail.state.commitment.id != id) return {};
    return format("kiosk.complaint.about", state.settings.lang, {state.detail.state.commitment.title});
}

// "label：value" on one line, the label muted.
void reviewLine(std::string_view labelId, const std::string& value, const AppState& state) {
    const Palette& p = palette(state.settings.highContrast);
    const Fonts& f = fonts();
    text(tr(labelId, state.settings.lang), p.mutedText, f.body);
    ImGui::Indent(24.0f);
    textWrapped(f.heading, p.text, value);
    ImGui::Unindent(24.0f);
    ImGui::Dummy(ImVec2(0, 6.0f));
}

}  // namespace

void ComplaintFormView::wipe() {
    m_phone.clear();
    m_step = Step::reason;
    m_form = ComplaintForm{};
    m_sealed.clear();
    m_error.clear();
    m_textField = WrappedField{};
    m_qrFor.clear();
    m_qr.reset();
}

void ComplaintFormView::draw(const AppState& state, Commands& commands) {
    if (!state.complaintSent.ticket.empty()) {
        drawSent(state, commands);
        return;
    }
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const int step = static_cast<int>(m_step);
    heading(format("kiosk.complaint.step_of", s.lang, {std::to_string(step + 1), std::to_string(kSteps)}) +
                "  " + std::string(tr(stepTitle(step), s.lang)),
            p);
    if (const std::string about = aboutText(state); !about.empty()) textWrapped(f.body, p.mutedText, about);
    const float buttonsH = m.touch + f.body->FontSize * 2.6f + m.gap * 2;
    ImGui::BeginChild("##complaint_step", ImVec2(0, ImGui::GetContentRegionAvail().y - buttonsH), false);
    switch (m_step) {
        case Step::reason:
            drawReason(state);
            break;
        case Step::details:
            drawDetails(state, commands);
            break;
        case Step::contact:
            drawContact(state);
            break;
        case Step::review:
            drawReview(state);
            break;
    }
    touchScroll();
    ImGui::EndChild();
    drawStepButtons(state, commands);
}

void ComplaintFormView::drawReason(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const float w = std::min(ImGui::GetContentRegionAvail().x, 720.0f * m.scale);
    for (const ComplaintReason r : kComplaintReasons) {
        const std::string name = "reason_" + std::string(idOf(r));
        const std::string label = std::string(tr(messageIdOf(r), s.lang)) + "##" + name;
        if (touchButton(label.c_str(), ImVec2(w, m.touch * 1.1f), m_form.reason == r, p, fonts().heading))
            m_form.reason = r;
        probe(name);
    }
}

void ComplaintFormView::drawDetails(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    textWrapped(f.small, p.mutedText, tr("kiosk.complaint.details_hint", s.lang));
    ImGui::PushFont(f.body);
    if (wrappedInput("##complaint_text", &m_form.text, m_textField, 4.0f))
        commands.push(TypedText{m_form.text});
    ImGui::PopFont();
    probe("complaint_text");
    ImGui::Dummy(ImVec2(0, 4.0f));
    phraseButtons(complaintPhraseIds(), s.lang, m_form.text, "complaint_phrase_", p, m.touch, m.gap * 0.5f);
}

void ComplaintFormView::drawContact(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    if (state.districtKey.empty()) {
        // Nothing to seal to: the complaint goes without a contact.
        textWrapped(f.heading, p.text, tr("kiosk.complaint.not_enrolled", s.lang));
        return;
    }
    if (!m_sealed.empty()) {
        textWrapped(f.heading, p.text, tr("kiosk.complaint.phone_sealed", s.lang));
        const std::string again = std::string(tr("kiosk.complaint.phone_again", s.lang)) + "##phone_again";
        if (touchButton(again.c_str(), ImVec2(0, m.touch), false, p)) m_sealed.clear();
        probe("phone_again");
        return;
    }
    textWrapped(f.body, p.mutedText, tr("kiosk.complaint.phone_hint", s.lang));
    // The digits as typed (the resident checks them), in a fixed buffer.
    const std::string shown = m_phone.empty() ? std::string(tr("kiosk.complaint.phone_none", s.lang))
                                              : std::string(m_phone.digits());
    text(shown, m_phone.empty() ? p.mutedText : p.text, f.title);
    // Digits typed on an attached keyboard count as taps.
    const ImGuiIO& io = ImGui::GetIO();
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i)
        m_phone.push(static_cast<char>(io.InputQueueCharacters[i] < 128 ? io.InputQueueCharacters[i] : 0));
    if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace))) m_phone.pop();

    static const std::vector<std::string> names = {"1", "2", "3", "4",     "5", "6",
                                                   "7", "8", "9", "clear", "0", "back"};
    const std::vector<std::string> labels = {"1", "2",
                                             "3", "4",
                                             "5", "6",
                                             "7", "8",
                                             "9", std::string(tr("kiosk.login.clear", s.lang)),
                                             "0", std::string(tr("kiosk.login.backspace", s.lang))};
    const float key = 140.0f * m.scale;
    const int tapped = keypad(labels, names, 3, ImVec2(key, m.touch), m.gap * 0.5f, "phone_", p, f.heading);
    if (tapped < 0) return;
    if (names[static_cast<std::size_t>(tapped)] == "clear")
        m_phone.clear();
    else if (names[static_cast<std::size_t>(tapped)] == "back")
        m_phone.pop();
    else
        m_phone.push(names[static_cast<std::size_t>(tapped)].front());
}

void ComplaintFormView::drawReview(const AppState& state) {
    const Lang lang = state.settings.lang;
    reviewLine("kiosk.complaint.label_reason", std::string(tr(messageIdOf(m_form.reason), lang)), state);
    reviewLine("kiosk.complaint.label_text",
               m_form.text.empty() ? std::string(tr("kiosk.complaint.no_text", lang)) : m_form.text, state);
    reviewLine("kiosk.complaint.label_contact",
               std::string(tr(
                   m_sealed.empty() ? "kiosk.complaint.anonymous" : "kiosk.complaint.contact_sealed", lang)),
               state);
}

void ComplaintFormView::leaveContact(const AppState& state) {
    // Sealed here, on the UI thread, before anything leaves the view; the
    // digits are zeroed whatever the outcome.
    const auto sealed = sealPhone(m_phone, state.districtKey);
    if (!sealed) {
        m_error = describeProblems(sealed.problems(), state.settings.lang);
        return;
    }
    if (!sealed.value().empty()) m_sealed = sealed.value();
    m_error.clear();
    m_step = Step::review;
}

void ComplaintFormView::drawStepButtons(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const std::string& error = m_error.empty() ? state.complaintSent.error : m_error;
    if (state.complaintSent.sending)
        textWrapped(f.body, p.mutedText, tr("kiosk.complaint.sending", s.lang));
    else if (!error.empty())
        textWrapped(f.body, badgeColour(p, Badge::broken), error);
    else
        ImGui::Dummy(ImVec2(0, f.body->FontSize * 1.25f));
    const float w = 260.0f * m.scale;
    auto button = [&](const char* id, const char* name, bool primary) {
        const std::string label = std::string(tr(id, s.lang)) + "##" + name;
        const bool tapped = touchButton(label.c_str(), ImVec2(w, m.touch), primary, p, f.heading);
        probe(name);
        return tapped;
    };
    if (button("kiosk.complaint.cancel", "complaint_cancel", false)) {
        wipe();
        commands.push(GoBack{});
        return;
    }
    if (m_step != Step::reason) {
        ImGui::SameLine(0.0f, m.gap);
        if (button("kiosk.complaint.previous", "complaint_previous", false)) {
            m_error.clear();
            m_step = static_cast<Step>(static_cast<int>(m_step) - 1);
        }
    }
    ImGui::SameLine(0.0f, m.gap);
    if (m_step == Step::review) {
        ImGui::BeginDisabled(state.complaintSent.sending);
        if (button("kiosk.complaint.send", "complaint_send", true))
            commands.push(FileComplaint{
                draftComplaint(m_form, state.office, state.nav.complaintAbout, m_sealed, state.home.today)});
        ImGui::EndDisabled();
    } else if (button("kiosk.complaint.next", "complaint_next", true)) {
        if (m_step == Step::contact)
            leaveContact(state);
        else
            m_step = static_cast<Step>(static_cast<int>(m_step) + 1);
    }
}

void ComplaintFormView::drawSent(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const std::string& ticket = state.complaintSent.ticket;
    if (m_qrFor != ticket) {
        m_qrFor = ticket;
        m_qr = encodeQr(ticket);
    }
    heading(tr("kiosk.complaint.sent", s.lang), p);
    text(tr("kiosk.complaint.ticket", s.lang), p.mutedText, f.heading);
    text(ticket, p.text, f.number);
    textWrapped(f.title, badgeColour(p, Badge::amended), tr("kiosk.complaint.keep_ticket", s.lang));
    ImGui::Dummy(ImVec2(0, 6.0f));
    const float side = 240.0f * m.scale;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    list->AddRectFilled(at, ImVec2(at.x + side, at.y + side), p.surface, 8.0f);
    if (m_qr) drawQr(list, at, side, *m_qr);
    ImGui::Dummy(ImVec2(side, side));
    ImGui::SameLine(0.0f, m.gap * 2);
    ImGui::BeginGroup();
    textWrapped(f.body, p.mutedText, tr("kiosk.complaint.qr_caption", s.lang));
    ImGui::Dummy(ImVec2(0, 8.0f));
    const std::string lookup = std::string(tr("kiosk.lookup.open", s.lang)) + "##sent_lookup";
    if (touchButton(lookup.c_str(), ImVec2(0, m.touch), true, p, f.heading)) commands.push(OpenLookup{});
    probe("sent_lookup");
    ImGui::SameLine(0.0f, m.gap);
    const std::string home = std::string(tr("kiosk.nav.home", s.lang)) + "##sent_home";
    if (touchButton(home.c_str(), ImVec2(0, m.touch), false, p, f.heading)) commands.push(GoHome{});
    probe("sent_home");
    ImGui::EndGroup();
}

}  // namespace shouxin::kiosk
