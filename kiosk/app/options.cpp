#include "kiosk/app/options.hpp"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>

#include "shared/config_file.hpp"
#include "shared/i18n.hpp"
#include "shared/store.hpp"

namespace shouxin::kiosk {

namespace {

const std::vector<std::string> kViewIds = {"home",      "area",     "detail",  "figures",
                                           "search",    "complaint", "lookup", "breaches",
                                           "login",     "dashboard", "report", "publish",
                                           "revise",    "complaints"};

/// Every mode, each language with and without large text and high contrast.
std::vector<PictureMode> allPictureModes() {
    std::vector<PictureMode> modes;
    for (const std::string lang : {"zh", "en"})
        for (const std::string large : {"", "+large"})
            for (const std::string contrast : {"", "+contrast"})
                modes.push_back(*parsePictureMode(lang + large + contrast));
    return modes;
}

/// What --screenshot-dir renders when --views does not say: the resident
/// screens, and with --as-clerk the PIN pad and the clerk screens too.
std::vector<View> defaultViews(bool asClerk) {
    std::vector<View> views;
    for (const std::string& id : kViewIds) {
        const View v = *parseView(id);
        if (asClerk || (!isClerkView(v) && v != View::login)) views.push_back(v);
    }
    return views;
}

}  // namespace

std::optional<PictureMode> parsePictureMode(const std::string& name) {
    PictureMode mode{name, {}};
    if (name.starts_with("en")) {
        mode.settings.lang = Lang::en;
    } else if (!name.starts_with("zh")) {
        return std::nullopt;
    }
    std::string rest = name.substr(2);
    if (rest.starts_with("+large")) {
        mode.settings.largeText = true;
        rest = rest.substr(6);
    }
    if (rest == "+contrast") {
        mode.settings.highContrast = true;
        rest.clear();
    }
    if (!rest.empty()) return std::nullopt;
    return mode;
}

ParsedOptions parseOptions(int argc, char** argv) {
    ParsedOptions parsed;
    Options& o = parsed.options;
    o.fontDir = SHOUXIN_FONT_DIR;
    CLI::App app{"shouxin-kiosk: the public-commitment kiosk (resident mode)"};
    std::string lang = "zh";
    std::string view = "home";
    std::string area;
    std::string today;
    std::string size;
    app.add_option("--db", o.db, "the office node's database")
        ->required()
        ->check([](const std::string& db) {
            // PostgreSQL holds a district's database, never an office node's.
            return shouxin::isDatabaseUrl(db)
                       ? std::string("an office node keeps a local database file; PostgreSQL is for the district "
                                     "server only")
                       : std::string();
        });
    app.add_flag("--fullscreen", o.fullscreen, "fill the primary monitor (kiosk use)");
    app.add_option("--lang", lang, "starting language: zh or en")->check(CLI::IsMember({"zh", "en"}));
    app.add_flag("--large-text", o.settings.largeText, "start in large-text mode");
    app.add_flag("--high-contrast", o.settings.highContrast, "start in high-contrast mode");
    app.add_option("--size", size, "window size WxH (default 1280x1024)");
    app.add_option("--idle-seconds", o.idleSeconds, "seconds without a touch before the countdown")
        ->check(CLI::Range(1, 86400));
    app.add_option("--countdown-seconds", o.countdownSeconds, "length of the visible countdown")
        ->check(CLI::Range(1, 600));
    app.add_option("--public-url", o.publicSite,
                   "the district's public site, e.g. https://shouxin.example.gov.cn (default: as the district "
                   "said at enrolment)");
    app.add_option("--today", today, "the date overdue is computed for (YYYY-MM-DD)");
    app.add_option("--font-dir", o.fontDir, "folder with NotoSansCJK-Regular.ttc and -Bold.ttc");
    app.add_option("--trace-file", o.traceFile, "append the name of each view shown (tests)");
    app.add_option("--probe-file", o.probeFile,
                   "append widget positions and a frame count each second (tests)");
    app.add_option("--sync-interval", o.syncIntervalSeconds, "seconds between sync rounds; 0 turns sync off")
        ->check(CLI::Range(0, 86400));
    app.add_option("--clock-rate", o.clockRate,
                   "tests: run the calendar and the sync schedule N times as fast from the start (a "
                   "simulated week in a minute); the idle timer keeps real time")
        ->check(CLI::Range(1.0, 1e6));
    app.add_option("--speech-voice", o.speechVoice,
                   "reading aloud in Chinese: cmn (Mandarin), yue (Cantonese) or off")
        ->check(CLI::IsMember({"cmn", "yue", "off"}));
    std::vector<std::string> views;
    std::vector<std::string> modes;
    app.add_option("--screenshot", o.screenshot, "render --view into this PNG and exit");
    app.add_option("--screenshot-dir", o.screenshotDir,
                   "render each of --views in each of --modes into DIR/VIEW.MODE.png, with its layout "
                   "report DIR/VIEW.MODE.layout, and exit");
    app.add_option("--views", views, "with --screenshot-dir: views, comma-separated (default: every one)")
        ->delimiter(',')
        ->check(CLI::IsMember(kViewIds));
    app.add_option("--modes", modes,
                   "with --screenshot-dir: modes, comma-separated, each zh or en with +large, then "
                   "+contrast (default: all eight)")
        ->delimiter(',');
    app.add_option("--layout-report", o.layoutReport,
                   "with --screenshot: write each text's box, each touch target and the theme's colours");
    app.add_option(
        "--as-clerk", o.asClerk,
        "with --screenshot or --screenshot-dir: render the clerk screens as this clerk (login: with this "
        "name picked)");
    app.add_option(
           "--view", view,
           "home, area, detail, figures, search, complaint, lookup, breaches; with --as-clerk login, "
           "dashboard, report, publish, revise, complaints")
        ->check(CLI::IsMember(kViewIds));
    app.add_option("--area", area, "service area id for --view area (e.g. elderly_care)");
    app.add_option("--commitment", o.commitment, "commitment id for --view detail");
    app.add_option("--query", o.query, "search text for --view search");
    app.add_option("--ticket", o.ticket,
                   "with --screenshot: the ticket --view lookup looks up, or --view complaint shows as issued");
    app.add_flag("--bench-report", o.benchReport, "measure first frame, scrolling, search; print; exit");
    app.add_option("--bench-frames", o.benchFrames, "frames scrolled in --bench-report");
    app.add_option("--bench-uptime", o.uptimeFrames,
                   "run this many frames of visits, idle resets and sync rounds; print memory and "
                   "frame time at intervals; exit")
        ->check(CLI::Range(1, 100'000'000));
    app.add_option("--bench-every", o.uptimeEvery, "frames between --bench-uptime's lines")
        ->check(CLI::Range(1, 100'000'000));
    app.add_option("--bench-tap-frames", o.uptimeTapFrames,
                   "frames between a resident's taps in --bench-uptime (default 20)")
        ->check(CLI::Range(1, 10000));
    app.add_flag("--bare", o.bare, "a bare ImGui window (memory baseline for the benchmark)");
    const auto config = ProgramConfig::prepare(app, argc, argv, "kiosk");
    if (!config) {
        std::cerr << "shouxin-kiosk: " << describe(config.problems()) << "\n";
        parsed.exitCode = 2;
        return parsed;
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        parsed.exitCode = app.exit(e) == 0 ? 0 : 2;
        return parsed;
    }
    if (const auto problems = config->apply(app); !problems.empty()) {
        std::cerr << "shouxin-kiosk: " << describe(problems) << "\n";
        parsed.exitCode = 2;
        return parsed;
    }
    o.settings.lang = lang == "en" ? Lang::en : Lang::zh;
    o.view = parseView(view).value_or(View::home);
    if (!o.asClerk.empty() && !o.rendersPictures()) {
        // Never a way past the PIN pad: only for pictures of screens.
        std::cerr << "shouxin-kiosk: --as-clerk needs --screenshot or --screenshot-dir\n";
        parsed.exitCode = 2;
    }
    if ((!views.empty() || !modes.empty()) && o.screenshotDir.empty()) {
        std::cerr << "shouxin-kiosk: --views and --modes need --screenshot-dir\n";
        parsed.exitCode = 2;
    }
    if (!o.screenshot.empty() && !o.screenshotDir.empty()) {
        std::cerr << "shouxin-kiosk: --screenshot and --screenshot-dir exclude each other\n";
        parsed.exitCode = 2;
    }
    for (const std::string& id : views) {
        o.views.push_back(*parseView(id));
        if (isClerkView(o.views.back()) && o.asClerk.empty()) {
            std::cerr << "shouxin-kiosk: --views " << id << " needs --as-clerk\n";
            parsed.exitCode = 2;
        }
    }
    if (o.views.empty()) o.views = defaultViews(!o.asClerk.empty());
    for (const std::string& name : modes) {
        const auto mode = parsePictureMode(name);
        if (!mode) {
            std::cerr << "shouxin-kiosk: unknown mode " << name
                      << " (zh or en, then +large, then +contrast)\n";
            parsed.exitCode = 2;
        } else {
            o.modes.push_back(*mode);
        }
    }
    if (modes.empty()) o.modes = allPictureModes();
    if (!o.layoutReport.empty() && o.screenshot.empty()) {
        std::cerr << "shouxin-kiosk: --layout-report needs --screenshot\n";
        parsed.exitCode = 2;
    }
    if (!area.empty()) {
        o.area = parseCategory(area);
        if (!o.area) {
            std::cerr << "shouxin-kiosk: unknown service area " << area << "\n";
            parsed.exitCode = 2;
        }
    }
    if (!today.empty()) {
        o.today = Date::parse(today);
        if (!o.today) {
            std::cerr << "shouxin-kiosk: --today must be YYYY-MM-DD\n";
            parsed.exitCode = 2;
        }
    }
    if (!size.empty()) {
        int w = 0;
        int h = 0;
        if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w < 320 || h < 240) {
            std::cerr << "shouxin-kiosk: --size must be WxH, at least 320x240\n";
            parsed.exitCode = 2;
        } else {
            o.width = w;
            o.height = h;
        }
    }
    return parsed;
}

}  // namespace shouxin::kiosk
