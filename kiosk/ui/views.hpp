#pragma once
// The kiosk's screens. Each is a struct with its view-local state and a
// draw(const AppState&, Commands&) that only makes ImGui calls; anything
// that changes state is pushed as a command (see app_state.hpp).
#include <optional>
#include <string>

#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/qr.hpp"

namespace shouxin::kiosk {

/// The top bar (office, screen title, language / large text / contrast
/// toggles), the bottom bar (back, home, figures, search, data status) and
/// the idle countdown. Present on every screen.
struct Chrome {
    void drawTop(const AppState& state, Commands& commands);
    void drawBottom(const AppState& state, Commands& commands);
    void drawIdleNotice(const AppState& state);
};

struct HomeView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawSummary(const AppState& state, Commands& commands);
    void drawTiles(const AppState& state, Commands& commands);
};

struct AreaView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawFilters(const AppState& state, Commands& commands);
    void drawList(const AppState& state, Commands& commands);
};

struct DetailView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawFacts(const AppState& state);
    void drawTimeline(const AppState& state);
    void drawQrPanel(const AppState& state, float width);

    std::string m_qrFor;  // the URL m_qr encodes
    std::optional<QrCode> m_qr;
};

struct FiguresView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawSummary(const AppState& state);
    void drawAreaBars(const AppState& state);
    void drawTrend(const AppState& state);
    void drawProblemList(const AppState& state, Commands& commands);
};

struct SearchView {
    void draw(const AppState& state, Commands& commands);

private:
    void drawInput(const AppState& state, Commands& commands);
    void drawResults(const AppState& state, Commands& commands);

    char m_buffer[256] = {};
    bool m_focusNext = true;
};

/// Title of a screen for the top bar and the trace file.
std::string screenTitle(const AppState& state);

}  // namespace shouxin::kiosk
