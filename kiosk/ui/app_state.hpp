#pragma once
// What the views read (AppState) and what they ask for (Commands). Views
// never change state or touch the store: they push command values that the
// app applies after the frame.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "kiosk/ui/model.hpp"
#include "shared/i18n.hpp"

namespace shouxin::kiosk {

enum class View : std::uint8_t { home, area, detail, figures, search };
std::string_view idOf(View v);
std::optional<View> parseView(std::string_view id);

/// How the kiosk looks; a resident can change these from every screen.
struct Settings {
    Lang lang = Lang::zh;
    bool largeText = false;
    bool highContrast = false;
    bool operator==(const Settings&) const = default;
};

/// Which screen, and what the resident picked or typed on it.
struct Navigation {
    View view = View::home;
    Category area = Category::employment;
    AreaFilter filter;
    std::string commitment;
    std::string query;
    std::vector<View> back;  // where "back" goes
};

struct AppState {
    Settings settings;
    Navigation nav;
    // The current screen's data, built once per change.
    HomeData home;
    AreaData area;
    DetailData detail;
    FiguresData figures;
    SearchData search;
    // Sync and idle status for the chrome.
    int idleSecondsLeft = -1;  // >= 0 while the idle countdown shows
};

// ---- Commands ---------------------------------------------------------------

struct GoHome {};
struct GoBack {};
struct OpenArea {
    Category area;
};
struct OpenCommitment {
    std::string id;
};
struct OpenFigures {};
struct OpenSearch {};
struct SetFilter {
    AreaFilter filter;
};
struct SetQuery {
    std::string query;
};
struct SetLang {
    Lang lang;
};
struct SetLargeText {
    bool on;
};
struct SetHighContrast {
    bool on;
};

using Command = std::variant<GoHome, GoBack, OpenArea, OpenCommitment, OpenFigures, OpenSearch, SetFilter, SetQuery,
                             SetLang, SetLargeText, SetHighContrast>;

struct Commands {
    std::vector<Command> items;
    void push(Command c) { items.push_back(std::move(c)); }
};

/// Applies a navigation command to `nav` (pure, tested); returns true when
/// the screen or its inputs changed, so its data must be rebuilt.
bool navigate(Navigation& nav, const Command& command);

}  // namespace shouxin::kiosk
