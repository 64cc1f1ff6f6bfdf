// Every screen in every mode, rendered by one --screenshot-dir run: pictures
// that are not blank and change with the language, text size and contrast,
// and, measured from ImGui's own layout (the layout reports), no text
// outside the box it is drawn in, touch targets big enough for an older
// finger, and text colours with enough contrast.
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

#include "shared/ticket.hpp"
#include "tests/kiosk/kiosk_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

struct Mode {
    std::string name;  // as --modes names it
    bool large = false;
    bool contrast = false;
};

std::vector<Mode> allModes() {
    std::vector<Mode> modes;
    for (const std::string lang : {"zh", "en"})
        for (const bool large : {false, true})
            for (const bool contrast : {false, true})
                modes.push_back(
                    {lang + (large ? "+large" : "") + (contrast ? "+contrast" : ""), large, contrast});
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

const std::vector<std::string> kScreens = {"home",     "area",  "detail",    "figures", "search",
                                           "complaint", "lookup", "breaches", "login",  "dashboard",
                                           "report",   "publish", "revise",   "complaints"};
/// Shown again with a ticket: the one a resident was given, and its lookup.
const std::vector<std::string> kTicketScreens = {"complaint", "lookup"};

std::string joined(const std::vector<std::string>& items) {
    std::string all;
    for (const std::string& item : items)
        all += (all.empty() ? "" : ",") + item;
    return all;
}

/// The resident screens' pictures (VIEW.MODE.png in `shots`) are not
/// blank, and the other language, bigger text or high contrast changes them.
void checkPictures(const fs::path& shots) {
    for (const std::string view : {"home", "area", "detail", "figures", "search"}) {
        const auto png = [&](const std::string& mode) { return shots / (view + "." + mode + ".png"); };
        for (const std::string mode : {"zh", "en", "zh+large", "zh+contrast"}) {
            INFO(view << " " << mode);
            const ImageStats s = imageStats(png(mode));
            CHECK(s.width == 1280);
            CHECK(s.height == 1024);
            // Text (anti-aliased), badges and bars give many colours, and no
            // single colour covers the whole screen.
            CHECK(s.distinctColours > 200);
            CHECK(s.dominantShare < 0.85);
        }
        INFO(view);
        // The text is there: the other language, or bigger text, changes the picture.
        CHECK(pixelDifference(png("zh"), png("en")) > 0.01);
        CHECK(pixelDifference(png("zh"), png("zh+large")) > 0.01);
        CHECK(pixelDifference(png("zh"), png("zh+contrast")) > 0.3);
    }
}

/// The demo office with a supervisor, 李䶮 (id li, PIN 135790), for the
/// clerk screens: its database.
fs::path officeWithSupervisor(const TempDir& dir) {
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    const RunResult added = runProgram({SHOUXIN_CLI, "--db", db.string(), "clerk", "add", "--name", "李䶮",
                                        "--role", "supervisor", "--id", "li", "--pin-stdin"},
                                       "135790\n");
    REQUIRE(added.exitCode == 0);
    return db;
}

/// Texts cut by their box, a line each, for the failure message.
std::string listed(const std::vector<std::string>& offenders) {
    std::string all;
    for (const std::string& o : offenders)
        all += "  " + o + "\n";
    return all;
}

}  // namespace

TEST_CASE("every screen in every mode renders with its text inside its box, big targets and enough contrast",
          "[kiosk][layout][window]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = officeWithSupervisor(dir);
    // Every picture in one kiosk process (--screenshot-dir): the clerk
    // screens as the supervisor, the PIN pad with her name picked.
    const std::vector<Mode> modes = allModes();
    std::vector<std::string> modeNames;
    for (const Mode& mode : modes)
        modeNames.push_back(mode.name);
    const fs::path shots = dir / "shots";
    fs::create_directory(shots);
    const RunResult r = runProgram({SHOUXIN_KIOSK, "--db", db.string(), "--screenshot-dir", shots.string(),
                                    "--views", joined(kScreens), "--modes", joined(modeNames), "--as-clerk",
                                    "li", "--query", "补贴", "--today", "2026-12-01"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    checkPictures(shots);
    // The complaint screen once its ticket is given, and a lookup of it.
    const fs::path ticketShots = shots / "ticket";
    fs::create_directory(ticketShots);
    const RunResult t = runProgram({SHOUXIN_KIOSK, "--db", db.string(), "--screenshot-dir", ticketShots.string(),
                                    "--views", joined(kTicketScreens), "--modes", joined(modeNames), "--ticket",
                                    shouxin::newTicket("330110104"), "--today", "2026-12-01"});
    INFO(t.err);
    REQUIRE(t.exitCode == 0);
    std::vector<std::pair<fs::path, std::string>> pictures;
    for (const std::string& screen : kScreens)
        pictures.emplace_back(shots, screen);
    for (const std::string& screen : kTicketScreens)
        pictures.emplace_back(ticketShots, screen);
    std::vector<std::string> offenders;
    for (const Mode& mode : modes) {
        double smallestTarget = 1e9;
        std::string smallestName;
        double lowestContrast = 1e9;
        std::string lowestName;
        for (const auto& [folder, screen] : pictures) {
            const std::string where = screen + (folder == shots ? "" : " with a ticket") + " (" + mode.name + ")";
            INFO(where);
            const fs::path report = folder / (screen + "." + mode.name + ".layout");
            REQUIRE(fs::exists(report));
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
    INFO("text cut by its box:\n" << listed(offenders));
    CHECK(offenders.empty());
}

// Kiosk screens in halls are often portrait (1080x1920): the same screens,
// in each language and text size, keep their text in its box and their
// touch targets big. High contrast changes colours, not the layout.
TEST_CASE("on a portrait 1080x1920 screen every screen keeps its text inside its box and its targets big",
          "[kiosk][layout][window]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = officeWithSupervisor(dir);
    const std::vector<Mode> modes = {{"zh", false, false}, {"zh+large", true, false}, {"en", false, false},
                                     {"en+large", true, false}};
    std::vector<std::string> modeNames;
    for (const Mode& mode : modes)
        modeNames.push_back(mode.name);
    const fs::path shots = dir / "portrait" / "shots";  // made by the kiosk
    const RunResult r = runProgram({SHOUXIN_KIOSK, "--db", db.string(), "--size", "1080x1920", "--screenshot-dir",
                                    shots.string(), "--views", joined(kScreens), "--modes", joined(modeNames),
                                    "--as-clerk", "li", "--query", "补贴", "--today", "2026-12-01"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    std::vector<std::string> offenders;
    for (const Mode& mode : modes) {
        for (const std::string& screen : kScreens) {
            const std::string where = screen + " (" + mode.name + ")";
            INFO(where);
            const fs::path report = shots / (screen + "." + mode.name + ".layout");
            REQUIRE(fs::exists(report));
            const Report rep = readReport(report);
            CHECK_FALSE(rep.targets.empty());
            for (const std::string& o : rep.offenders)
                offenders.push_back(where + ": " + o);
            const double minTarget = mode.large ? 64.0 : 48.0;
            for (const auto& [name, rect] : rep.targets) {
                INFO("touch target " << name << " is " << rect.x1 - rect.x0 << "x" << rect.y1 - rect.y0);
                CHECK(std::min(rect.x1 - rect.x0, rect.y1 - rect.y0) >= minTarget);
            }
        }
    }
    INFO("text cut by its box:\n" << listed(offenders));
    CHECK(offenders.empty());
}
