#pragma once
// Colours and metrics. Two palettes: the normal one (light, calm, government
// blue) and high contrast (black, white, yellow). Status colours always come
// with text, never alone.
#include <imgui.h>

#include <string>
#include <vector>

#include "kiosk/ui/model.hpp"

namespace shouxin::kiosk {

struct Palette {
    ImU32 background;
    ImU32 surface;  // cards, tiles, rows
    ImU32 surfaceHover;
    ImU32 border;
    ImU32 text;
    ImU32 mutedText;
    ImU32 accent;    // header band, primary buttons
    ImU32 onAccent;  // text on accent
    ImU32 toggleOn;  // selected buttons
    ImU32 onToggle;  // text on toggleOn
    ImU32 barTrack;
    ImU32 badge[kBadgeCount];  // indexed by Badge
    ImU32 onBadge[kBadgeCount];
};

const Palette& palette(bool highContrast);

/// A text colour and the background it is drawn on.
struct ColourPair {
    std::string name;
    ImU32 text;
    ImU32 background;
};
/// Every text/background pair the views draw with the palette: plain and
/// muted text on the background, cards and hovered cards, text on the header
/// band and selected buttons, badge text on badges, and status colours used
/// as text (numbers, warnings) on the background and on cards.
std::vector<ColourPair> textColourPairs(bool highContrast);
ImU32 badgeColour(const Palette& p, Badge b);
ImU32 badgeTextColour(const Palette& p, Badge b);

/// Pixel sizes that grow in large-text mode.
struct Metrics {
    float scale = 1.0f;
    float touch = 64.0f;  // minimum touch target height (>= 48 px)
    float gap = 16.0f;
    float rounding = 12.0f;
    float topBar = 104.0f;
    float bottomBar = 96.0f;
};
Metrics metrics(bool largeText);

/// Sets ImGui's style for the palette and metrics.
void applyStyle(ImGuiStyle& style, bool highContrast, bool largeText);

}  // namespace shouxin::kiosk
