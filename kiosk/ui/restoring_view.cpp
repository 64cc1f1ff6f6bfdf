// The screen residents see while the node file is healed from the district.
#include <imgui.h>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"

namespace shouxin::kiosk {

namespace {

// One line centred across the screen at `y`, `scale` times the font's
// size; returns the next line's y.
float centred(ImDrawList* list, ImFont* font, float y, ImU32 colour, std::string_view text, float scale = 1.0f) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    const float size = font->FontSize * scale;
    const float width = font->CalcTextSizeA(size, 1e9f, 0.0f, text.data(), text.data() + text.size()).x;
    const float x = vp->Pos.x + (vp->Size.x - width) * 0.5f;
    list->AddText(font, size, ImVec2(x, y), colour, text.data(), text.data() + text.size());
    return y + size * 1.5f;
}

// The headline, larger than any screen title: seen from across the hall.
constexpr float kHeadlineScale = 1.6f;

}  // namespace

void RestoringView::draw(const AppState& state) {
    const Palette& p = palette(state.settings.highContrast);
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::Begin("##restoring", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImDrawList* list = ImGui::GetWindowDrawList();
    const Fonts& f = fonts();
    // Chinese first, then English, whatever language was chosen: whoever
    // walks up reads it at once.
    float y = vp->Pos.y + vp->Size.y * 0.3f;
    y = centred(list, f.title, y, p.text, tr("kiosk.restoring", Lang::zh), kHeadlineScale);
    y = centred(list, f.heading, y, p.text, tr("kiosk.restoring", Lang::en), kHeadlineScale);
    y += f.body->FontSize;
    y = centred(list, f.body, y, p.mutedText, tr("kiosk.restoring_detail", Lang::zh));
    y = centred(list, f.body, y, p.mutedText, tr("kiosk.restoring_detail", Lang::en));
    if (!state.restoring.problemId.empty()) {
        y += f.body->FontSize;
        y = centred(list, f.small, y, p.mutedText, tr(state.restoring.problemId, Lang::zh));
        centred(list, f.small, y, p.mutedText, tr(state.restoring.problemId, Lang::en));
    }
    ImGui::End();
}

}  // namespace shouxin::kiosk
