#pragma once
// The read-out button of the detail and figures screens: 朗读 / Read aloud,
// 停止朗读 / Stop reading while speaking, nothing without an audio device.
#include "kiosk/ui/app_state.hpp"

namespace shouxin::kiosk {

/// Draws the button on its own line; `id` names it ("detail_speak").
void drawSpeakButton(const AppState& state, Commands& commands, const char* id);

}  // namespace shouxin::kiosk
