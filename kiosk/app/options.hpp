#pragma once
// Command-line options of shouxin-kiosk.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/ui/app_state.hpp"
#include "shared/domain.hpp"

namespace shouxin::kiosk {

/// A language and display mode of a set of pictures, named as --modes
/// names it: "zh", "en+large", "zh+large+contrast".
struct PictureMode {
    std::string name;
    Settings settings;
};
/// "zh" or "en", then "+large", then "+contrast", each optional in that order.
std::optional<PictureMode> parsePictureMode(const std::string& name);

struct Options {
    std::filesystem::path db;
    bool fullscreen = false;
    Settings settings;  // the defaults a resident starts with (and idle returns to)
    int width = 1280;
    int height = 1024;
    int idleSeconds = 90;       // without a touch before the countdown starts
    int countdownSeconds = 10;  // the visible countdown, then back to Home
    std::string publicSite;  // the district's public site for QR codes; "": as learnt at enrolment
    std::optional<Date> today;
    std::filesystem::path fontDir;
    std::filesystem::path traceFile;  // appends the view name on every change
    std::filesystem::path
        probeFile;  // appends tappable widgets' positions and a frame count each second (tests)
    int syncIntervalSeconds = 60;  // 0: no sync from the kiosk
    // Tests: the calendar (today, the day's change, "last updated") and
    // the sync schedule run this many times as fast from the start; the
    // idle timer stays on real time (a resident's pause is a person's).
    double clockRate = 1.0;
    std::string asClerk;           // pictures only: render the clerk screens as this clerk
    std::string speechVoice = "cmn";  // reading aloud in Chinese: cmn (Mandarin), yue (Cantonese), off

    // Headless use: render one view, write a PNG, exit.
    std::filesystem::path screenshot;
    View view = View::home;
    std::optional<Category> area;
    std::string commitment;
    std::string query;
    std::string ticket;  // --view lookup: the ticket looked up; --view complaint: the ticket just issued
    std::filesystem::path layoutReport;  // with --screenshot: where each text and touch target went

    // Headless use: render each of `views` in each of `modes` into
    // DIR/VIEW.MODE.png with its layout report DIR/VIEW.MODE.layout, exit.
    std::filesystem::path screenshotDir;
    std::vector<View> views;
    std::vector<PictureMode> modes;

    /// --screenshot or --screenshot-dir: pictures, no resident, no sync, no speech.
    bool rendersPictures() const { return !screenshot.empty() || !screenshotDir.empty(); }

    // Measurement (bench/): print timings and exit.
    bool benchReport = false;
    bool bare = false;  // a bare ImGui window, for the memory baseline
    int benchFrames = 600;
    int uptimeFrames = 0;     // --bench-uptime: frames of a long day's use (0: off)
    int uptimeEvery = 10000;  // a line of memory and frame time every so many frames
    int uptimeTapFrames = 20;  // frames between a resident's taps in --bench-uptime
};

/// Parses argv; on --help or bad usage prints and returns the exit code.
struct ParsedOptions {
    Options options;
    std::optional<int> exitCode;
};
ParsedOptions parseOptions(int argc, char** argv);

}  // namespace shouxin::kiosk
