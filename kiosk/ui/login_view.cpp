// The PIN pad: pick your name, then six digits. The digits are never shown
// (dots only) and the PIN is checked on the worker, never on the UI thread.
#include <algorithm>
#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"
#include "shared/pin.hpp"

namespace shouxin::kiosk {

namespace {

constexpr std::size_t kPinLength = 6;

bool locked(const AppState& state) { return state.login.lockedUntil > state.nowMillis; }

}  // namespace

void LoginView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    if (state.login.loading) {
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    if (state.login.clerks.empty()) {
        heading(tr("kiosk.login.no_clerks", s.lang), p);
        textWrapped(fonts().body, p.mutedText, tr("kiosk.login.no_clerks_hint", s.lang));
        return;
    }
    // A name that is gone (disabled meanwhile) is forgotten.
    const auto& clerks = state.login.clerks;
    if (!m_clerk.empty() &&
        std::none_of(clerks.begin(), clerks.end(), [&](const Store::Clerk& c) { return c.id == m_clerk; }))
        m_clerk.clear();
    if (clerks.size() == 1) m_clerk = clerks.front().id;

    const float width = ImGui::GetContentRegionAvail().x;
    const float left = std::min(460.0f * m.scale, width * 0.45f);
    ImGui::BeginChild("##login_names", ImVec2(left, 0), false);
    drawNames(state);
    ImGui::EndChild();
    ImGui::SameLine(0.0f, m.gap * 2);
    ImGui::BeginChild("##login_pad", ImVec2(0, 0), false);
    drawPad(state, commands);
    ImGui::EndChild();
}

void LoginView::drawNames(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    heading(tr("kiosk.login.choose_name", s.lang), p);
    ImGui::Dummy(ImVec2(0, 4.0f));
    const float w = ImGui::GetContentRegionAvail().x;
    for (const Store::Clerk& c : state.login.clerks) {
        const std::string label = c.name + "  ·  " +
                                  std::string(tr("role." + std::string(idOf(c.role)), s.lang)) + "##clerk_" +
                                  c.id;
        if (touchButton(label.c_str(), ImVec2(w, m.touch * 1.15f), m_clerk == c.id, p, fonts().heading)) {
            m_clerk = c.id;
            m_digits.clear();
        }
        probe("clerk_" + c.id);
    }
    touchScroll();
}

void LoginView::drawPad(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const bool busy = state.login.checking || locked(state) || m_clerk.empty();
    heading(tr(m_clerk.empty() ? "kiosk.login.pick_first" : "kiosk.login.enter_pin", s.lang), p);
    ImGui::Dummy(ImVec2(0, 6.0f));

    // Six dots, filled as digits are entered: how many, never which.
    const float dot = 22.0f * m.scale;
    const float dotGap = 26.0f * m.scale;
    const ImVec2 at = ImGui::GetCursorScreenPos();
    ImDrawList* list = ImGui::GetWindowDrawList();
    for (std::size_t i = 0; i < kPinLength; ++i) {
        const ImVec2 c(at.x + dot + static_cast<float>(i) * (dot * 2 + dotGap), at.y + dot);
        if (i < m_digits.size())
            list->AddCircleFilled(c, dot, p.toggleOn);
        else
            list->AddCircle(c, dot, p.mutedText, 0, 3.0f);
    }
    ImGui::Dummy(ImVec2(static_cast<float>(kPinLength) * (dot * 2 + dotGap), dot * 2 + 8.0f));
    drawMessage(state);

    // Digits typed on an attached keyboard count as taps.
    if (!busy) {
        const ImGuiIO& io = ImGui::GetIO();
        for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
            const ImWchar ch = io.InputQueueCharacters[i];
            if (ch >= '0' && ch <= '9' && m_digits.size() < kPinLength) m_digits += static_cast<char>(ch);
        }
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Backspace)) && !m_digits.empty())
            m_digits.pop_back();
    }

    const float key = std::min(150.0f * m.scale, (ImGui::GetContentRegionAvail().x - m.gap * 2) / 3.0f);
    // Four rows of keys in the height left, never below a touch target:
    // the whole pad on screen without scrolling, in large text too.
    const float rowGap = ImGui::GetStyle().ItemSpacing.y;
    const float fitH = (ImGui::GetContentRegionAvail().y - 3.0f * rowGap) / 4.0f;
    const float keyH = std::max(m.touch, std::min(96.0f * m.scale, fitH));
    const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"};
    ImGui::BeginDisabled(busy);
    for (int i = 0; i < 12; ++i) {
        if (i % 3 != 0) ImGui::SameLine(0.0f, m.gap);
        const std::string k = keys[i];
        std::string label;
        if (k == "clear")
            label = std::string(tr("kiosk.login.clear", s.lang)) + "##pin_clear";
        else if (k == "back")
            label = std::string(tr("kiosk.login.backspace", s.lang)) + "##pin_back";
        else
            label = k + "##pin_" + k;
        if (touchButton(label.c_str(), ImVec2(key, keyH), false, p, k.size() == 1 ? f.title : f.heading)) {
            if (k == "clear")
                m_digits.clear();
            else if (k == "back") {
                if (!m_digits.empty()) m_digits.pop_back();
            } else if (m_digits.size() < kPinLength) {
                m_digits += k;
            }
        }
        probe("pin_" + k);
    }
    ImGui::EndDisabled();

    if (m_digits.size() == kPinLength && !busy) {
        // Six digits: checked at once; the pad keeps nothing.
        commands.push(Login{m_clerk, m_digits});
        m_digits.assign(m_digits.size(), '\0');
        m_digits.clear();
    }
}

void LoginView::drawMessage(const AppState& state) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Fonts& f = fonts();
    const ImU32 warn = badgeColour(p, Badge::broken);
    if (state.login.checking) {
        textWrapped(f.body, p.mutedText, tr("kiosk.login.checking", s.lang));
    } else if (locked(state)) {
        const std::int64_t left = (state.login.lockedUntil - state.nowMillis + 999) / 1000;
        const std::string wait =
            std::to_string(left / 60) + ":" + (left % 60 < 10 ? "0" : "") + std::to_string(left % 60);
        textWrapped(f.body, warn, format("kiosk.login.locked", s.lang, {wait}));
    } else if (!state.login.messageId.empty()) {
        const int left = std::max(0, 5 - state.login.failures % 5);
        textWrapped(f.body, warn, format(state.login.messageId, s.lang, {std::to_string(left)}));
    } else {
        textWrapped(f.body, p.mutedText, tr("kiosk.login.hint", s.lang));
    }
    ImGui::Dummy(ImVec2(0, 6.0f));
}

}  // namespace shouxin::kiosk
