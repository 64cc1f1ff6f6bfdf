#include "kiosk/app/harness.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <thread>
#include <vector>

#include "kiosk/app/controller.hpp"
#include "kiosk/app/screenshot.hpp"
#include "kiosk/app/uptime_sample.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/widgets.hpp"
#include "shared/engine_memory.hpp"

namespace shouxin::kiosk {

namespace {

using Clock = std::chrono::steady_clock;

double millisSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

long peakRssKb() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

void appendLine(const std::filesystem::path& file, std::string_view line) {
    if (file.empty()) return;
    std::ofstream out(file, std::ios::app);
    out << line << "\n";
}

double benchFrame(Shell& shell, const Options& options, bool scroll) {
    // Returns the frame's own CPU time, as the first benchmark measured it:
    // the worker's results applied, the frame built and its draw calls
    // issued. Polling X and the swap (where llvmpipe rasterises, on its own
    // threads) are outside it.
    ImGuiIO& io = ImGui::GetIO();
    shell.pollEvents();
    shell.rebuildFonts();
    const auto start = Clock::now();
    shell.controller().drain();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    io.MousePos = ImVec2(static_cast<float>(options.width) * 0.5f, static_cast<float>(options.height) * 0.6f);
    if (scroll) io.MouseWheel = -4.0f;
    ImGui::NewFrame();
    shell.drawViews();
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    const double cpuMs = millisSince(start);
    shell.present();
    return cpuMs;
}

std::string hex(ImU32 c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X%02X", c & 0xFF, (c >> 8) & 0xFF, (c >> 16) & 0xFF,
                  (c >> 24) & 0xFF);
    return buf;
}

std::string rect(ImVec2 min, ImVec2 max) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.1f %.1f %.1f %.1f", min.x, min.y, max.x, max.y);
    return buf;
}

/// One line per record, tab-separated: "text CUT LABEL RECT BOX #RRGGBBAA",
/// "target LABEL RECT", and for the theme "pair NAME #TEXT #BACKGROUND".
bool writeLayoutReport(const std::filesystem::path& file, bool highContrast) {
    std::ofstream out(file, std::ios::trunc);
    auto clean = [](std::string s) {
        std::replace(s.begin(), s.end(), '\t', ' ');
        std::replace(s.begin(), s.end(), '\n', ' ');
        return s;
    };
    for (const LayoutRecord& r : layoutRecords()) {
        if (r.kind == LayoutRecord::Kind::text)
            out << "text\t" << (r.cut ? 1 : 0) << "\t" << clean(r.label) << "\t" << rect(r.min, r.max) << "\t"
                << rect(r.boxMin, r.boxMax) << "\t" << hex(r.colour) << "\n";
        else
            out << "target\t" << clean(r.label) << "\t" << rect(r.min, r.max) << "\n";
    }
    for (const ColourPair& pair : textColourPairs(highContrast))
        out << "pair\t" << pair.name << "\t" << hex(pair.text) << "\t" << hex(pair.background) << "\n";
    return static_cast<bool>(out);
}

}  // namespace

TestFiles::TestFiles(const Options& options)
    : m_traceFile(options.traceFile), m_probeFile(options.probeFile) {}

void TestFiles::trace(std::string_view line) const { appendLine(m_traceFile, line); }

void TestFiles::probe(std::string_view line) const { appendLine(m_probeFile, line); }

void TestFiles::writeProbes(std::int64_t frames) {
    // For the window tests: where to tap, and proof that frames keep coming.
    auto& probed = probedPositions();
    if (m_probeFile.empty()) {
        probed.clear();
        return;
    }
    std::ofstream out(m_probeFile, std::ios::app);
    for (const auto& [name, pos] : probed) {
        const std::pair<int, int> at(static_cast<int>(pos.x), static_cast<int>(pos.y));
        auto it = m_probed.find(name);
        if (it != m_probed.end() && it->second == at) continue;
        m_probed[name] = at;
        out << "pos " << name << " " << at.first << " " << at.second << "\n";
    }
    // Widgets gone from the screen are forgotten, so a later one is written again.
    std::erase_if(m_probed, [&](const auto& kv) { return !probed.count(kv.first); });
    probed.clear();
    // A tap has been taken once a frame has seen the finger lift.
    if (ImGui::GetIO().MouseReleased[0]) out << "released " << frames << "\n";
    if (millisSince(m_lastFrames) >= 1000) {
        m_lastFrames = Clock::now();
        out << "frames " << frames << "\n";
    }
}

namespace {

/// A few frames so that every layout settles, then the back buffer as PNG
/// and, when asked, the last frame's layout report.
bool renderPicture(Shell& shell, const std::filesystem::path& png, const std::filesystem::path& layout) {
    Controller& controller = shell.controller();
    for (int i = 0; i < 4; ++i) {
        shell.pollEvents();
        controller.drainQueries();
        // The last frame, the one in the picture, is the one reported.
        setLayoutRecording(i == 3 && !layout.empty());
        shell.frame(/*hidePointer=*/true);
        if (i < 3) shell.present();
    }
    if (!layout.empty()) {
        const bool written = writeLayoutReport(layout, controller.state().settings.highContrast);
        setLayoutRecording(false);
        if (!written) {
            std::cerr << "shouxin-kiosk: cannot write " << layout << "\n";
            return false;
        }
    }
    const auto [w, h] = shell.framebufferSize();
    const bool ok = writeScreenshot(png, w, h);
    shell.present();
    if (!ok) std::cerr << "shouxin-kiosk: cannot write " << png << "\n";
    return ok;
}

/// The integrity check done; false when it found the file damaged.
bool fileChecked(Controller& controller) {
    controller.startIntegrityCheck();
    controller.waitForData();
    return !controller.damaged();
}

}  // namespace

int screenshot(Shell& shell, const Options& options) {
    // The screen is open; every query answered (and the atlas rebuilt for
    // its text) before the frames.
    Controller& controller = shell.controller();
    if (!fileChecked(controller)) return controller.stopForDamagedFile();
    return renderPicture(shell, options.screenshot, options.layoutReport) ? 0 : 1;
}

int screenshots(Shell& shell, const Options& options) {
    Controller& controller = shell.controller();
    if (!fileChecked(controller)) return controller.stopForDamagedFile();
    // The folder is made when missing, as `mkdir -p` would.
    std::error_code made;
    std::filesystem::create_directories(options.screenshotDir, made);
    if (made) {
        std::cerr << "shouxin-kiosk: cannot make " << options.screenshotDir << ": " << made.message() << "\n";
        return 1;
    }
    for (const PictureMode& mode : options.modes) {
        Commands switchMode;
        switchMode.push(SetLang{mode.settings.lang});
        switchMode.push(SetLargeText{mode.settings.largeText});
        switchMode.push(SetHighContrast{mode.settings.highContrast});
        controller.apply(switchMode);
        for (const View view : options.views) {
            // Clerk screens with the clerk logged in, the PIN pad with the
            // name picked, the resident screens with nobody logged in.
            const bool clerk = isClerkView(view) || view == View::login;
            if (!shell.openScreen(view, clerk ? options.asClerk : std::string())) return 1;
            // Every query and the glyph scan answered, so the atlas is rebuilt before the frames.
            controller.waitForData();
            const std::string name = std::string(idOf(view)) + "." + mode.name;
            if (!renderPicture(shell, options.screenshotDir / (name + ".png"),
                               options.screenshotDir / (name + ".layout")))
                return 1;
        }
    }
    return 0;
}

int benchReport(Shell& shell, const Options& options, Clock::time_point started,
                Clock::time_point firstFrame) {
    Controller& controller = shell.controller();
    const AppState& state = controller.state();
    // Everything as a resident would meet it: the worker answers while the
    // UI keeps drawing, and the integrity check runs beside it.
    ImGuiIO& io = ImGui::GetIO();
    std::printf("first_frame_ms %.1f\n",
                std::chrono::duration<double, std::milli>(firstFrame - started).count());
    while (state.home.loading)
        benchFrame(shell, options, false);
    const auto homeReady = controller.homeReadyAt();
    std::printf("home_ready_ms %.1f\n",
                homeReady ? std::chrono::duration<double, std::milli>(*homeReady - started).count() : -1.0);
    // Let the glyph scan land and the atlas grow for the records' text, as
    // it does in the moments after start, before a resident's first tap:
    // the rebuild is reported on its own, not inside the opening of an area
    // or a scrolling frame.
    const auto glyphStart = Clock::now();
    while (!controller.queriesIdle())
        benchFrame(shell, options, false);
    const auto rebuildStart = Clock::now();
    shell.rebuildFonts();
    std::printf("glyph_scan_ms %.1f\n",
                std::chrono::duration<double, std::milli>(rebuildStart - glyphStart).count());
    std::printf("atlas_rebuild_ms %.1f\n", millisSince(rebuildStart));
    // The area with the most commitments, scrolled with the wheel.
    std::printf("commitments %d\n", state.home.overall.total);
    Commands open;
    open.push(OpenArea{busiestArea(state.home)});
    const auto openStart = Clock::now();
    controller.apply(open);
    while (state.area.loading)
        benchFrame(shell, options, false);
    std::printf("open_area_ms %.1f\n", millisSince(openStart));
    std::printf("area_rows %zu\n", state.area.rows.size());
    std::printf("open_area_atlas_due %d\n", controller.fontsDirty() ? 1 : 0);
    std::printf("atlas %dx%d\n", io.Fonts->TexWidth, io.Fonts->TexHeight);
    std::printf("atlas_glyphs %zu\n", shell.atlasGlyphs());
    std::printf("glyph_set %zu\n", controller.glyphs().size());
    std::vector<double> frames;
    std::vector<double> swapped;  // the whole frame, llvmpipe's swap included
    for (int i = 0; i < options.benchFrames; ++i) {
        const auto t0 = Clock::now();
        frames.push_back(benchFrame(shell, options, true));
        swapped.push_back(millisSince(t0));
    }
    std::sort(frames.begin(), frames.end());
    std::sort(swapped.begin(), swapped.end());
    auto pct = [](const std::vector<double>& v, double q) {
        return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
    };
    std::printf("frame_p50_ms %.3f\nframe_p99_ms %.3f\nframe_max_ms %.3f\n", pct(frames, 0.5),
                pct(frames, 0.99), frames.back());
    std::printf("frame_swap_p50_ms %.3f\nframe_swap_p99_ms %.3f\n", pct(swapped, 0.5), pct(swapped, 0.99));
    // Search as a resident types it: from the query to its results drained
    // on the UI thread. "鱻" is in no record: the worst case, a full scan.
    Commands toSearch;
    toSearch.push(OpenSearch{});
    controller.apply(toSearch);
    for (const char* q : {"补", "补贴", "养老服务", "鱻"}) {
        std::vector<double> times;
        std::size_t hits = 0;
        for (int i = 0; i < 7; ++i) {
            Commands clear;
            clear.push(SetQuery{""});
            controller.apply(clear);
            controller.waitForData();
            Commands type;
            type.push(SetQuery{q});
            const auto t0 = Clock::now();
            controller.apply(type);
            while (state.search.loading || state.search.query != q) {
                controller.drainQueries();
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            times.push_back(millisSince(t0));
            hits = state.search.rows.size();
        }
        std::sort(times.begin(), times.end());
        std::printf("search_ms[%s] %.2f hits %zu\n", q, times[times.size() / 2], hits);
    }
    std::printf("integrity_check_done %d\n", controller.integrityCheckDone() ? 1 : 0);
    std::printf("peak_rss_kb %ld\n", peakRssKb());
    std::printf("total_ms %.1f\n", millisSince(started));
    return 0;
}

namespace {

long currentRssKb() {
    // Resident now, not the peak: growth over hours must show.
    std::ifstream statm("/proc/self/statm");
    long size = 0;
    long resident = 0;
    statm >> size >> resident;
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

long heapInUseKb() { return static_cast<long>(mallinfo2().uordblks / 1024); }

int openFiles() {
    // The iterator's own descriptor is counted too, the same in every line.
    std::error_code ec;
    int n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++n;
    return n;
}

// What a resident does on visit `n`, step `step`: nullopt when the visit
// is over (nobody touches the screen again until the idle reset).
std::optional<Command> visitStep(int n, int step, const AppState& state) {
    static const std::vector<std::string> kQueries = {"补贴", "养老服务", "停车位", "青山村",
                                                      "鱻",   "充电桩",   "学位",   "医保报销"};
    const auto un = static_cast<std::size_t>(n);
    switch (step) {
        case 0:
            return SetLang{n % 2 ? Lang::en : Lang::zh};
        case 1:
            return OpenArea{kCategories[un % kCategoryCount]};
        case 2:
            return SetFilter{AreaFilter{kStatusFilters[un % kStatusFilters.size()], std::nullopt}};
        case 3:
            if (state.area.rows.empty()) return OpenFigures{};
            return OpenCommitment{state.area.rows[un % state.area.rows.size()].id};
        case 4:
            return GoBack{};
        case 5:
            return OpenFigures{};
        case 6:
            return SetLargeText{n % 3 == 0};
        case 7:
            return SetHighContrast{n % 4 == 1};
        case 8:
            return OpenSearch{};
        case 9:
            return SetQuery{kQueries[un % kQueries.size()]};
        case 10:
            if (state.search.rows.empty()) return GoHome{};
            return OpenCommitment{state.search.rows.front().id};
        case 11:
            return GoHome{};
        case 12:
            return OpenArea{kCategories[(un + 7) % kCategoryCount]};
        default:
            return std::nullopt;
    }
}

}  // namespace

int benchUptime(Shell& shell, const Options& options) {
    Controller& controller = shell.controller();
    const AppState& state = controller.state();
    ImGuiIO& io = ImGui::GetIO();
    // Frames as the frame loop makes them (without its wait for input):
    // results drained, the store polled, the idle timer checked, the frame
    // drawn and swapped. A resident taps every --bench-tap-frames frames
    // and scrolls between taps; the visit then ends, and the frames go on
    // until the idle reset brings Home back.
    const int tapFrames = options.uptimeTapFrames;
    const auto atRest = [&] {
        return !state.session && state.nav.view == View::home && state.settings == options.settings &&
               state.idleSecondsLeft < 0;
    };
    std::printf("%s\n", UptimeSample::kColumns);
    std::fflush(stdout);
    const auto started = Clock::now();
    std::vector<double> times;
    times.reserve(static_cast<std::size_t>(options.uptimeEvery));
    int visit = 0;
    int step = 0;
    int stepFrame = 0;
    bool walkedAway = false;
    int resets = 0;
    int restVertices = 0;
    long restHeapKb = 0;
    long restSqliteKb = 0;
    // Until the frames are done, or SIGTERM (a test that has seen enough).
    for (int frame = 1; frame <= options.uptimeFrames && !shell.closing(); ++frame) {
        const auto t0 = Clock::now();
        shell.pollEvents();
        controller.drain();
        controller.pollStore();
        controller.checkIdle();
        if (walkedAway && atRest()) {
            ++resets;
            ++visit;
            step = 0;
            stepFrame = 0;
            walkedAway = false;
        }
        if (!walkedAway && ++stepFrame >= tapFrames) {
            stepFrame = 0;
            if (const auto command = visitStep(visit, step++, state)) {
                Commands commands;
                commands.push(*command);
                controller.noteActivity();
                controller.apply(commands);
            } else {
                walkedAway = true;
            }
        } else if (!walkedAway && state.nav.view == View::area && stepFrame % 2 == 0) {
            io.MouseWheel = -2.0f;  // noted as activity by the frame
        }
        shell.frame(false);
        // The same screen drawn again should cost the same: Home at rest,
        // its data shown, is drawn between every two visits (after the
        // idle reset, before the next resident's first tap).
        if (step == 0 && atRest() && !state.home.loading && !controller.fontsDirty()) {
            restVertices = ImGui::GetDrawData()->TotalVtxCount;
            restHeapKb = heapInUseKb();
            restSqliteKb = static_cast<long>(sqliteMemoryBytes() / 1024);
        }
        shell.present();
        times.push_back(millisSince(t0));
        if (frame % options.uptimeEvery == 0 || frame == options.uptimeFrames || shell.closing()) {
            std::sort(times.begin(), times.end());
            const auto pct = [&](double q) {
                return times[std::min(times.size() - 1,
                                      static_cast<std::size_t>(q * static_cast<double>(times.size())))];
            };
            UptimeSample line;
            line.frames = frame;
            line.rssKb = currentRssKb();
            line.heapKb = heapInUseKb();
            line.frameP50Ms = pct(0.5);
            line.frameP99Ms = pct(0.99);
            line.frameMaxMs = times.back();
            line.glyphSet = controller.glyphs().size();
            line.atlasGlyphs = shell.atlasGlyphs();
            line.visits = visit;
            line.idleResets = resets;
            line.syncRounds = state.sync.rounds;
            line.seconds = std::chrono::duration<double>(Clock::now() - started).count();
            line.fds = openFiles();
            line.today = controller.today().toString();
            line.imguiWindows = ImGui::GetCurrentContext()->Windows.Size;
            line.restVertices = restVertices;
            line.restHeapKb = restHeapKb;
            line.restSqliteKb = restSqliteKb;
            std::printf("%s\n", line.format().c_str());
            std::fflush(stdout);
            times.clear();
        }
    }
    return 0;
}

int runBare(const Options& options) {
    if (!glfwInit()) return 1;
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    GLFWwindow* window = glfwCreateWindow(options.width, options.height, "bare", nullptr, nullptr);
    if (!window) return 1;
    glfwMakeContextCurrent(window);
    ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330");
    for (int i = 0; i < 30; ++i) {
        glfwPollEvents();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        ImGui::NewFrame();
        ImGui::Begin("bare");
        ImGui::TextUnformatted("hello");
        ImGui::End();
        ImGui::Render();
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        glfwSwapBuffers(window);
    }
    std::printf("peak_rss_kb %ld\n", peakRssKb());
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return 0;
}

CommitmentForm sampleForm() {
    CommitmentForm f;
    f.category = Category::elderlyCare;
    f.kind = Kind::timeLimit;
    f.title = "高龄津贴申请10个工作日内办结";
    f.detail = "80周岁以上老人申请高龄津贴，材料齐全的，自受理之日起10个工作日内审核完毕并发放。";
    f.department = "社会事务办";
    f.responsible = "民政专干 李䶮";
    f.deadline = "2026-12-31";
    f.timeLimit = "10个工作日";
    return f;
}

}  // namespace shouxin::kiosk
