#include "kiosk/ui/speak_button.hpp"

#include <string>

#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

void drawSpeakButton(const AppState& state, Commands& commands, const char* id) {
    if (!state.speech.available) return;  // no audio device: the screen as it always was
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const bool speaking = state.speech.speaking;
    const std::string label =
        std::string(tr(speaking ? "kiosk.speech.stop" : "kiosk.speech.read", s.lang)) + "##" + id;
    if (touchButton(label.c_str(), ImVec2(0, m.touch), speaking, p)) {
        if (speaking)
            commands.push(StopReading{});
        else
            commands.push(ReadAloud{});
    }
    probe(id);
    ImGui::Dummy(ImVec2(0, 4.0f));
}

}  // namespace shouxin::kiosk
