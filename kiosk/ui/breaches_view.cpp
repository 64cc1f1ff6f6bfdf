// Breach records (政务失信记录), public at the kiosk: each with its stage,
// dates and every step (who, when, what was said), oldest step first.
#include <imgui.h>

#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"

namespace shouxin::kiosk {

void BreachesView::draw(const AppState& state, Commands& commands) {
    const Settings& s = state.settings;
    const Palette& p = palette(s.highContrast);
    const Metrics m = metrics(s.largeText);
    const Fonts& f = fonts();
    const BreachesData& d = state.breaches;
    if (d.loading) {
        heading(tr("kiosk.loading", s.lang), p);
        return;
    }
    textWrapped(f.small, p.mutedText, tr("kiosk.breach.intro", s.lang));
    if (d.records.empty()) {
        ImGui::Dummy(ImVec2(0, 12.0f));
        textWrapped(f.heading, p.mutedText, tr("kiosk.breach.none", s.lang));
        return;
    }
    for (std::size_t i = 0; i < d.records.size(); ++i) {
        const Store::BreachRecord& r = d.records[i];
        ImGui::PushID(static_cast<int>(i));
        heading(std::string(tr(messageIdOf(r.stage), s.lang)) + "  ·  " + r.commitmentTitle, p);
        textWrapped(f.body, p.text, breachDatesText(r, s.lang));
        if (!r.breach.note.empty()) textWrapped(f.body, p.text, r.breach.note);
        drawBreachSteps(r, s.lang, p);
        if (d.commitment.empty()) {
            const std::string open =
                std::string(tr("kiosk.breach.open_commitment", s.lang)) + "##breach_open";
            if (touchButton(open.c_str(), ImVec2(0, m.touch), false, p))
                commands.push(OpenCommitment{r.breach.commitment});
            probe("breach_open_" + std::to_string(i));
        }
        ImGui::PopID();
        ImGui::Dummy(ImVec2(0, 10.0f));
    }
    touchScroll();
}

}  // namespace shouxin::kiosk
