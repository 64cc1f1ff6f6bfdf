#pragma once
// The kiosk's test and measurement modes, kept out of the shell: the trace
// and probe files the window tests read, --screenshot, --screenshot-dir,
// --bench-report and --bare. A resident's kiosk runs none of it unless the
// options ask.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "kiosk/app/options.hpp"
#include "kiosk/ui/clerk.hpp"

namespace shouxin::kiosk {

class Controller;

/// The trace and probe files of the window tests (each optional),
/// appended a line at a time so that a test can read them while the kiosk runs.
class TestFiles {
public:
    explicit TestFiles(const Options& options);
    /// The trace: screens once shown with their data, logins, saves, refusals.
    void trace(std::string_view line) const;
    /// The probes: what the detail view loaded, and writeProbes()'s lines.
    void probe(std::string_view line) const;
    /// After each frame: where each tappable widget now is, when it moved,
    /// the frame count when the frame saw a tap end ("released N"), and
    /// once a second the frame count (proof that frames keep coming).
    void writeProbes(std::int64_t frames);

private:
    std::filesystem::path m_traceFile;
    std::filesystem::path m_probeFile;
    std::chrono::steady_clock::time_point m_lastFrames = std::chrono::steady_clock::now();
    std::map<std::string, std::pair<int, int>> m_probed;  // last written
};

/// What the screenshot and benchmark modes drive: the shell (app.cpp)
/// implements it and nothing else does.
class Shell {
public:
    virtual ~Shell() = default;
    virtual Controller& controller() = 0;
    /// Opens `view` afresh for a picture (Controller::openScreen), its
    /// view-local state as the picture shows it: the publish form filled
    /// in, the PIN pad with `asClerk` picked.
    virtual bool openScreen(View view, const std::string& asClerk) = 0;
    virtual void pollEvents() = 0;
    /// Rebuilds the font atlas and the style when they changed.
    virtual void rebuildFonts() = 0;
    /// A frame as the frame loop makes it, rendered but not yet shown.
    virtual void frame(bool hidePointer) = 0;
    /// Draws the views into the current ImGui frame and applies their commands.
    virtual void drawViews() = 0;
    /// Swaps the window's buffers.
    virtual void present() = 0;
    virtual std::pair<int, int> framebufferSize() = 0;
    virtual std::size_t atlasGlyphs() const = 0;
    /// The window was closed or the process asked to end (SIGTERM).
    virtual bool closing() = 0;
};

/// --screenshot: every query answered, a few frames to settle, the back
/// buffer written as PNG. Returns the exit code.
int screenshot(Shell& shell, const Options& options);
/// --screenshot-dir: as --screenshot, for each of --views in each of
/// --modes in one process, with a layout report for each picture.
int screenshots(Shell& shell, const Options& options);
/// --bench-report: start, area, scrolling and search times on stdout.
int benchReport(Shell& shell, const Options& options, std::chrono::steady_clock::time_point started,
                std::chrono::steady_clock::time_point firstFrame);
/// --bench-uptime: residents' visits (screens, filters, search, language
/// and mode switches), each left to the idle reset, and sync rounds, frame
/// after frame as the frame loop makes them; every --bench-every frames a
/// line of memory, open files and frame time on stdout (UptimeSample),
/// until the frames are done or the process is asked to end.
int benchUptime(Shell& shell, const Options& options);
/// --bare: a bare ImGui window, the memory baseline.
int runBare(const Options& options);
/// What the publish screenshot shows being typed.
CommitmentForm sampleForm();

}  // namespace shouxin::kiosk
