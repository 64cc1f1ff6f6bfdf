#include "kiosk/ui/theme.hpp"

namespace shouxin::kiosk {

namespace {

constexpr ImU32 rgb(unsigned r, unsigned g, unsigned b) { return IM_COL32(r, g, b, 255); }

// Badge order: notStarted, inProgress, fulfilled, broken, rectified, amended, overdue, dueSoon.
const Palette kNormal = {
    rgb(0xF3, 0xF5, 0xF8),  // background
    rgb(0xFF, 0xFF, 0xFF),  // surface
    rgb(0xE6, 0xEE, 0xF8),  // surfaceHover
    rgb(0xD5, 0xDB, 0xE3),  // border
    rgb(0x1A, 0x20, 0x2C),  // text
    rgb(0x55, 0x5F, 0x6D),  // mutedText
    rgb(0xB7, 0x1C, 0x1C),  // accent: government red
    rgb(0xFF, 0xFF, 0xFF),  // onAccent
    rgb(0x1F, 0x5F, 0xAF),  // toggleOn
    rgb(0xFF, 0xFF, 0xFF),  // onToggle
    rgb(0xE3, 0xE7, 0xED),  // barTrack
    {rgb(0x5F, 0x66, 0x73), rgb(0x1F, 0x6F, 0xD1), rgb(0x1B, 0x7F, 0x3B), rgb(0xC6, 0x28, 0x28),
     rgb(0x00, 0x7C, 0x89), rgb(0x8A, 0x5A, 0x00), rgb(0xBF, 0x36, 0x0C), rgb(0x6A, 0x1B, 0x9A)},
    {rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0xFF),
     rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0xFF), rgb(0xFF, 0xFF, 0xFF)},
};

const Palette kHighContrast = {
    rgb(0x00, 0x00, 0x00),  // background
    rgb(0x12, 0x12, 0x12),  // surface
    rgb(0x33, 0x33, 0x00),  // surfaceHover
    rgb(0xFF, 0xFF, 0xFF),  // border
    rgb(0xFF, 0xFF, 0xFF),  // text
    rgb(0xFF, 0xFF, 0x66),  // mutedText
    rgb(0x00, 0x00, 0x00),  // accent
    rgb(0xFF, 0xFF, 0x00),  // onAccent
    rgb(0xFF, 0xFF, 0x00),  // toggleOn
    rgb(0x00, 0x00, 0x00),  // onToggle
    rgb(0x40, 0x40, 0x40),  // barTrack
    {rgb(0xD0, 0xD0, 0xD0), rgb(0x66, 0xB2, 0xFF), rgb(0x33, 0xFF, 0x66), rgb(0xFF, 0x80, 0x80),
     rgb(0x00, 0xFF, 0xFF), rgb(0xFF, 0xCC, 0x33), rgb(0xFF, 0x99, 0x00), rgb(0xFF, 0x99, 0xFF)},
    {rgb(0, 0, 0), rgb(0, 0, 0), rgb(0, 0, 0), rgb(0, 0, 0), rgb(0, 0, 0), rgb(0, 0, 0), rgb(0, 0, 0),
     rgb(0, 0, 0)},
};

ImVec4 vec(ImU32 c) { return ImGui::ColorConvertU32ToFloat4(c); }

}  // namespace

const Palette& palette(bool highContrast) { return highContrast ? kHighContrast : kNormal; }

std::vector<ColourPair> textColourPairs(bool highContrast) {
    const Palette& p = palette(highContrast);
    std::vector<ColourPair> pairs = {
        {"text/background", p.text, p.background},
        {"text/surface", p.text, p.surface},
        {"text/surfaceHover", p.text, p.surfaceHover},
        {"mutedText/background", p.mutedText, p.background},
        {"mutedText/surface", p.mutedText, p.surface},
        {"mutedText/surfaceHover", p.mutedText, p.surfaceHover},
        {"onAccent/accent", p.onAccent, p.accent},
        {"onToggle/toggleOn", p.onToggle, p.toggleOn},
    };
    for (int i = 0; i < kBadgeCount; ++i) {
        const std::string badge = "badge" + std::to_string(i);
        pairs.push_back({"onBadge/" + badge, p.onBadge[i], p.badge[i]});
        pairs.push_back({badge + "/background", p.badge[i], p.background});
        pairs.push_back({badge + "/surface", p.badge[i], p.surface});
    }
    return pairs;
}

ImU32 badgeColour(const Palette& p, Badge b) { return p.badge[static_cast<int>(b)]; }
ImU32 badgeTextColour(const Palette& p, Badge b) { return p.onBadge[static_cast<int>(b)]; }

Metrics metrics(bool largeText) {
    Metrics m;
    if (largeText) {
        m.scale = 1.3f;
        m.touch = 80.0f;
        m.gap = 18.0f;
        m.topBar = 124.0f;
        m.bottomBar = 112.0f;
    }
    return m;
}

void applyStyle(ImGuiStyle& style, bool highContrast, bool largeText) {
    const Palette& p = palette(highContrast);
    const Metrics m = metrics(largeText);
    style = ImGuiStyle();
    style.WindowPadding = ImVec2(m.gap, m.gap);
    style.FramePadding = ImVec2(18.0f * m.scale, 12.0f * m.scale);
    style.ItemSpacing = ImVec2(m.gap, m.gap * 0.75f);
    style.ItemInnerSpacing = ImVec2(12.0f, 8.0f);
    style.ScrollbarSize = 30.0f * m.scale;
    style.GrabMinSize = 60.0f;
    style.WindowRounding = 0.0f;
    style.ChildRounding = m.rounding;
    style.FrameRounding = m.rounding;
    style.GrabRounding = m.rounding;
    style.ScrollbarRounding = m.rounding;
    style.WindowBorderSize = 0.0f;
    style.ChildBorderSize = highContrast ? 2.0f : 0.0f;
    style.FrameBorderSize = highContrast ? 2.0f : 1.0f;
    style.TouchExtraPadding = ImVec2(4.0f, 4.0f);

    ImVec4* c = style.Colors;
    c[ImGuiCol_Text] = vec(p.text);
    c[ImGuiCol_TextDisabled] = vec(p.mutedText);
    c[ImGuiCol_WindowBg] = vec(p.background);
    c[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
    c[ImGuiCol_PopupBg] = vec(p.surface);
    c[ImGuiCol_Border] = vec(p.border);
    c[ImGuiCol_FrameBg] = vec(p.surface);
    c[ImGuiCol_FrameBgHovered] = vec(p.surfaceHover);
    c[ImGuiCol_FrameBgActive] = vec(p.surfaceHover);
    c[ImGuiCol_Button] = vec(p.surface);
    c[ImGuiCol_ButtonHovered] = vec(p.surfaceHover);
    c[ImGuiCol_ButtonActive] = vec(p.border);
    c[ImGuiCol_ScrollbarBg] = vec(p.barTrack);
    c[ImGuiCol_ScrollbarGrab] = vec(highContrast ? p.toggleOn : p.mutedText);
    c[ImGuiCol_ScrollbarGrabHovered] = vec(p.toggleOn);
    c[ImGuiCol_ScrollbarGrabActive] = vec(p.toggleOn);
    c[ImGuiCol_Header] = vec(p.surfaceHover);
    c[ImGuiCol_HeaderHovered] = vec(p.surfaceHover);
    c[ImGuiCol_HeaderActive] = vec(p.border);
    c[ImGuiCol_Separator] = vec(p.border);
    c[ImGuiCol_TextSelectedBg] = vec(p.surfaceHover);
    c[ImGuiCol_NavHighlight] = vec(p.toggleOn);
    // ImGui's own blue would stand out of both palettes.
    c[ImGuiCol_SliderGrab] = vec(p.toggleOn);
    c[ImGuiCol_SliderGrabActive] = vec(p.toggleOn);
    c[ImGuiCol_CheckMark] = vec(p.toggleOn);
}

}  // namespace shouxin::kiosk
