// Every screen in every mode, measured from ImGui's own layout
// (--layout-report): no text outside the box it is drawn in, touch targets
// big enough for an older finger, and text colours with enough contrast.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/kiosk/kiosk_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

struct Mode {
    std::string name;
    std::vector<std::string> flags;
    bool large = false;
    bool contrast = false;
};

std::vector<Mode> allModes() {
    std::vector<Mode> modes;
    for (const std::string lang : {"zh", "en"})
        for (const bool large : {false, true})
            for (const bool contrast : {false, true}) {
                Mode m;
                m.name = lang + (large ? "+large" : "") + (contrast ? "+contrast" : "");
                m.flags = {"--lang", lang};
                if (large) m.flags.push_back("--large-text");
                if (contrast) m.flags.push_back("--high-contrast");
                m.large = large;
                m.contrast = contrast;
                modes.push_back(m);
            }
    return modes;
}

struct Rect {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct Report {
    std::vector<std::string> offenders;  // texts cut by their box
    std::vector<std::pair<std::string, Rect>> targets;
    std::set<std::string> textColours;      // #RRGGBB of every text drawn
    std::vector<std::string> disabledText;  // drawn translucent (a disabled control)
    struct Pair {
        std::string name;
        std::string text;
        std::string background;
    };
    std::vector<Pair> pairs;
};

std::vector<std::string> splitTabs(const std::string& line) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t at = line.find('\t'); at != std::string::npos; at = line.find('\t', start)) {
        out.push_back(line.substr(start, at - start));
        start = at + 1;
    }
    out.push_back(line.substr(start));
    return out;
}

Rect parseRect(const std::string& s) {
    Rect r;
    std::istringstream in(s);
    in >> r.x0 >> r.y0 >> r.x1 >> r.y1;
    return r;
}

Report readReport(const fs::path& file) {
    Report r;
    std::istringstream in(readText(file));
    std::string line;
    while (std::getline(in, line)) {
        const auto f = splitTabs(line);
        if (f[0] == "text" && f.size() == 6) {
            if (f[1] == "1") r.offenders.push_back("\"" + f[2] + "\" at " + f[3] + " in box " + f[4]);
            if (f[5].substr(7) == "FF")
                r.textColours.insert(f[5].substr(0, 7));
            else
                r.disabledText.push_back(f[2]);
        } else if (f[0] == "target" && f.size() == 3) {
            r.targets.emplace_back(f[1], parseRect(f[2]));
        } else if (f[0] == "pair" && f.size() == 4) {
            r.pairs.push_back({f[1], f[2].substr(0, 7), f[3].substr(0, 7)});
        }
    }
    return r;
}

/// WCAG 2 relative luminance of "#RRGGBB".
double luminance(const std::string& hex) {
    auto channel = [&](int at) {
        const double c = std::stoi(hex.substr(static_cast<std::size_t>(at), 2), nullptr, 16) / 255.0;
        return c <= 0.03928 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
    };
    return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

double contrast(const std::string& a, const std::string& b) {
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

struct Screen {
    std::string view;
    std::vector<std::string> flags;
};

}  // namespace

TEST_CASE("every screen in every mode keeps its text inside its box, with big targets and enough contrast",
          "[kiosk][layout]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    const RunResult added = runProgram({SHOUXIN_CLI, "--db", db.string(), "clerk", "add", "--name", "李䶮",
                                        "--role", "supervisor", "--id", "li", "--pin-stdin"},
                                       "135790\n");
    REQUIRE(added.exitCode == 0);
    const std::vector<Screen> screens = {
        {"home", {}},
        {"area", {}},
        {"detail", {}},
        {"figures", {}},
        {"search", {"--query", "补贴"}},
        {"login", {"--as-clerk", "li"}},
        {"dashboard", {"--as-clerk", "li"}},
        {"report", {"--as-clerk", "li"}},
        {"publish", {"--as-clerk", "li"}},
        {"revise", {"--as-clerk", "li"}},
    };
    std::vector<std::string> offenders;
    for (const Mode& mode : allModes()) {
        double smallestTarget = 1e9;
        std::string smallestName;
        double lowestContrast = 1e9;
        std::string lowestName;
        for (const Screen& screen : screens) {
            const std::string where = screen.view + " (" + mode.name + ")";
            INFO(where);
            const fs::path png = dir.path() / (screen.view + ".png");
            const fs::path report = dir.path() / (screen.view + ".layout");
            std::vector<std::string> argv = {
                SHOUXIN_KIOSK,   "--db",   db.string(), "--screenshot", png.string(), "--layout-report",
                report.string(), "--view", screen.view, "--today",      "2026-12-01"};
            argv.insert(argv.end(), screen.flags.begin(), screen.flags.end());
            argv.insert(argv.end(), mode.flags.begin(), mode.flags.end());
            const RunResult r = runProgram(argv);
            INFO(r.err);
            REQUIRE(r.exitCode == 0);
            const Report rep = readReport(report);
            CHECK_FALSE(rep.targets.empty());
            CHECK_FALSE(rep.textColours.empty());
            for (const std::string& o : rep.offenders)
                offenders.push_back(where + ": " + o);

            // Touch targets: every button, field and row a finger may need.
            const double minTarget = mode.large ? 64.0 : 48.0;
            for (const auto& [name, rect] : rep.targets) {
                const double side = std::min(rect.x1 - rect.x0, rect.y1 - rect.y0);
                if (side < smallestTarget) {
                    smallestTarget = side;
                    smallestName = where + " " + name;
                }
                INFO("touch target " << name << " is " << rect.x1 - rect.x0 << "x" << rect.y1 - rect.y0);
                CHECK(side >= minTarget);
            }

            // Contrast: every pair the theme draws text with, and every text
            // colour drawn is one of those pairs' text colours.
            const double minContrast = mode.contrast ? 7.0 : 4.5;
            std::set<std::string> pairText;
            for (const auto& pair : rep.pairs) {
                pairText.insert(pair.text);
                const double c = contrast(pair.text, pair.background);
                if (c < lowestContrast) {
                    lowestContrast = c;
                    lowestName = pair.name;
                }
                INFO(pair.name << " " << pair.text << " on " << pair.background << " is " << c << ":1");
                CHECK(c >= minContrast);
            }
            for (const std::string& colour : rep.textColours) {
                INFO("text colour " << colour << " is in no pair of the theme");
                CHECK(pairText.count(colour) == 1);
            }
        }
        std::cout << "layout " << mode.name << ": smallest touch target " << smallestTarget << " px ("
                  << smallestName << "), lowest contrast " << lowestContrast << ":1 (" << lowestName << ")\n";
    }
    INFO("text cut by its box:\n"
         << [&] {
                std::string all;
                for (const std::string& o : offenders)
                    all += "  " + o + "\n";
                return all;
            }());
    CHECK(offenders.empty());
}
