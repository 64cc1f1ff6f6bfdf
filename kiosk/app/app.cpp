#include "kiosk/app/app.hpp"

#include <signal.h>
#include <sys/resource.h>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "kiosk/app/controller.hpp"
#include "kiosk/app/screenshot.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/widgets.hpp"
#include "shared/store.hpp"

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

void wakeUi() { glfwPostEmptyEvent(); }

// What the publish screenshot shows being typed.
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

// SIGTERM / SIGINT (the session manager, a test): close like the window's
// close button, after the current frame.
volatile sig_atomic_t g_closeRequested = 0;
void onCloseSignal(int) { g_closeRequested = 1; }

// The window, the frame loop and the views; the controller holds the state.
class App {
public:
    App(const Options& options, Store queries, Store check, Store writes, Date today,
        Clock::time_point started)
        : m_options(options),
          m_started(started),
          m_fonts(options.fontDir),
          m_controller(options, std::move(queries), std::move(writes), std::move(check), today,
                       ControllerHooks{wakeUi,
                                       [this](std::string_view line) { trace(line); },
                                       [this](std::string_view line) { probeLine(line); },
                                       {},
                                       {}}) {}

    int run();

private:
    bool openWindow();
    void closeWindow();
    void rebuildFontsIfNeeded();
    void serve();
    void frame();
    void drawFrame();
    void noteActivity();
    void trace(std::string_view what);
    int screenshot();
    double benchFrame(bool scroll);
    void writeProbes();
    void probeLine(std::string_view line);
    int benchReport(double firstFrameMs);

    const Options& m_options;
    Clock::time_point m_started;
    FontLibrary m_fonts;
    Controller m_controller;
    const AppState& m_state = m_controller.state();
    GLFWwindow* m_window = nullptr;

    Screens m_screens;
    std::int64_t m_frames = 0;
    Clock::time_point m_lastProbe = Clock::now();
    std::map<std::string, std::pair<int, int>> m_probed;  // last written

    bool m_styleDirty = true;
    bool m_builtLarge = false;
    bool m_noMouse = false;
};

bool App::openWindow() {
    glfwSetErrorCallback(
        [](int code, const char* text) { std::cerr << "glfw error " << code << ": " << text << "\n"; });
    if (!glfwInit()) {
        std::cerr << "shouxin-kiosk: cannot open a window (no display?)\n";
        return false;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
    GLFWmonitor* monitor = nullptr;
    int width = m_options.width;
    int height = m_options.height;
    if (m_options.fullscreen && m_options.screenshot.empty()) {
        monitor = glfwGetPrimaryMonitor();
        if (const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr) {
            width = mode->width;
            height = mode->height;
        }
    }
    m_window = glfwCreateWindow(width, height, "守信 Shouxin", monitor, nullptr);
    if (!m_window) {
        std::cerr << "shouxin-kiosk: cannot create an OpenGL 3.3 window\n";
        glfwTerminate();
        return false;
    }
    glfwMakeContextCurrent(m_window);
    m_controller.setFullscreen(monitor != nullptr);
    // In fullscreen kiosk use the window manager's close (Alt+F4) is refused
    // unless a clerk is logged in; SIGTERM still ends the program.
    glfwSetWindowUserPointer(m_window, this);
    glfwSetWindowCloseCallback(m_window, [](GLFWwindow* window) {
        auto* app = static_cast<App*>(glfwGetWindowUserPointer(window));
        if (closeAllowed(app->m_state.fullscreen, app->m_state.session)) return;
        glfwSetWindowShouldClose(window, GLFW_FALSE);
        app->trace("close-refused");
    });
    const bool interactive = m_options.screenshot.empty() && !m_options.benchReport;
    glfwSwapInterval(interactive ? 1 : 0);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // a kiosk keeps no layout between runs
    io.LogFilename = nullptr;
    ImGui_ImplGlfw_InitForOpenGL(m_window, true);
    ImGui_ImplOpenGL3_Init("#version 330");
    return true;
}

void App::closeWindow() {
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(m_window);
    glfwTerminate();
}

void App::rebuildFontsIfNeeded() {
    if (m_builtLarge != m_state.settings.largeText || m_controller.fontsDirty()) {
        ImGuiIO& io = ImGui::GetIO();
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        m_fonts.build(*io.Fonts, m_controller.glyphs(), m_state.settings.largeText);
        ImGui_ImplOpenGL3_CreateFontsTexture();
        // The pixels live on the GPU now; keep only the glyph tables.
        io.Fonts->ClearTexData();
        m_builtLarge = m_state.settings.largeText;
        m_controller.fontsBuilt();
        m_styleDirty = true;
    }
    if (m_styleDirty) {
        applyStyle(ImGui::GetStyle(), m_state.settings.highContrast, m_state.settings.largeText);
        m_styleDirty = false;
    }
}

void App::trace(std::string_view what) {
    if (m_options.traceFile.empty()) return;
    std::ofstream out(m_options.traceFile, std::ios::app);
    out << what << "\n";
}

void App::serve() {
    // What the controller decided that only the UI thread may do.
    const ShellRequests r = m_controller.takeRequests();
    if (!r.any()) return;
    m_screens.reset(r.resetViews);
    if (r.clearFocus) {
        ImGui::ClearActiveID();
        ImGui::SetWindowFocus(nullptr);
    }
    if (r.restyle) m_styleDirty = true;
    if (r.close) glfwSetWindowShouldClose(m_window, GLFW_TRUE);
}

void App::noteActivity() {
    const ImGuiIO& io = ImGui::GetIO();
    bool active = ImGui::IsAnyMouseDown() || io.MouseWheel != 0.0f || io.InputQueueCharacters.Size > 0 ||
                  (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f);
    for (const bool down : io.KeysDown)
        active |= down;
    if (active) m_controller.noteActivity();
}

void App::drawFrame() {
    Commands commands;
    m_screens.draw(m_state, commands);
    m_controller.apply(commands);
    serve();
}

void App::frame() {
    rebuildFontsIfNeeded();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Screenshots show no hover, wherever the X server's pointer happens to be.
    if (m_noMouse) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    noteActivity();
    m_controller.beginFrame();
    drawFrame();
    ImGui::Render();
    int w = 0;
    int h = 0;
    glfwGetFramebufferSize(m_window, &w, &h);
    glViewport(0, 0, w, h);
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ++m_frames;
    m_controller.frameShown();
    writeProbes();
}

int App::screenshot() {
    // Every query answered (and the atlas rebuilt for its text), then a few
    // frames so that every layout settles, then read the back buffer.
    m_controller.startIntegrityCheck();
    m_controller.waitForData();
    if (m_controller.damaged()) return m_controller.stopForDamagedFile();
    for (int i = 0; i < 4; ++i) {
        glfwPollEvents();
        m_noMouse = true;
        m_controller.drainQueries();
        frame();
        if (i < 3) glfwSwapBuffers(m_window);
    }
    int w = 0;
    int h = 0;
    glfwGetFramebufferSize(m_window, &w, &h);
    const bool ok = writeScreenshot(m_options.screenshot, w, h);
    glfwSwapBuffers(m_window);
    if (!ok) std::cerr << "shouxin-kiosk: cannot write " << m_options.screenshot << "\n";
    return ok ? 0 : 1;
}

double App::benchFrame(bool scroll) {
    // Returns the frame's own CPU time, as the first benchmark measured it:
    // the worker's results applied, the frame built and its draw calls
    // issued. Polling X and the swap (where llvmpipe rasterises, on its own
    // threads) are outside it.
    ImGuiIO& io = ImGui::GetIO();
    glfwPollEvents();
    rebuildFontsIfNeeded();
    const auto start = Clock::now();
    m_controller.drain();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    io.MousePos =
        ImVec2(static_cast<float>(m_options.width) * 0.5f, static_cast<float>(m_options.height) * 0.6f);
    if (scroll) io.MouseWheel = -4.0f;
    ImGui::NewFrame();
    drawFrame();
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    const double cpuMs = millisSince(start);
    glfwSwapBuffers(m_window);
    return cpuMs;
}

void App::probeLine(std::string_view line) {
    if (m_options.probeFile.empty()) return;
    std::ofstream out(m_options.probeFile, std::ios::app);
    out << line << "\n";
}

void App::writeProbes() {
    // For the window tests: where to tap, and proof that frames keep coming.
    auto& probed = probedPositions();
    if (m_options.probeFile.empty()) {
        probed.clear();
        return;
    }
    std::ofstream out(m_options.probeFile, std::ios::app);
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
    if (millisSince(m_lastProbe) >= 1000) {
        m_lastProbe = Clock::now();
        out << "frames " << m_frames << "\n";
    }
}

int App::benchReport(double firstFrameMs) {
    // Everything as a resident would meet it: the worker answers while the
    // UI keeps drawing, and the integrity check runs beside it.
    ImGuiIO& io = ImGui::GetIO();
    std::printf("first_frame_ms %.1f\n", firstFrameMs);
    while (m_state.home.loading)
        benchFrame(false);
    const auto homeReady = m_controller.homeReadyAt();
    std::printf("home_ready_ms %.1f\n",
                homeReady ? std::chrono::duration<double, std::milli>(*homeReady - m_started).count() : -1.0);
    // The area with the most commitments, scrolled with the wheel.
    std::printf("commitments %d\n", m_state.home.overall.total);
    Commands open;
    open.push(OpenArea{busiestArea(m_state.home)});
    const auto openStart = Clock::now();
    m_controller.apply(open);
    while (m_state.area.loading)
        benchFrame(false);
    std::printf("open_area_ms %.1f\n", millisSince(openStart));
    std::printf("area_rows %zu\n", m_state.area.rows.size());
    // Let the glyph scan land (one atlas rebuild), so that it is not counted
    // as a scrolling frame; it is reported on its own.
    const auto glyphStart = Clock::now();
    while (!m_controller.queriesIdle())
        benchFrame(false);
    const auto rebuildStart = Clock::now();
    rebuildFontsIfNeeded();
    std::printf("glyph_scan_ms %.1f\n",
                std::chrono::duration<double, std::milli>(rebuildStart - glyphStart).count());
    std::printf("atlas_rebuild_ms %.1f\n", millisSince(rebuildStart));
    std::printf("atlas %dx%d\n", io.Fonts->TexWidth, io.Fonts->TexHeight);
    std::printf("atlas_glyphs %zu\n", m_fonts.glyphCount());
    std::printf("glyph_set %zu\n", m_controller.glyphs().size());
    std::vector<double> frames;
    std::vector<double> swapped;  // the whole frame, llvmpipe's swap included
    for (int i = 0; i < m_options.benchFrames; ++i) {
        const auto t0 = Clock::now();
        frames.push_back(benchFrame(true));
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
    m_controller.apply(toSearch);
    for (const char* q : {"补", "补贴", "养老服务", "鱻"}) {
        std::vector<double> times;
        std::size_t hits = 0;
        for (int i = 0; i < 7; ++i) {
            Commands clear;
            clear.push(SetQuery{""});
            m_controller.apply(clear);
            m_controller.waitForData();
            Commands type;
            type.push(SetQuery{q});
            const auto t0 = Clock::now();
            m_controller.apply(type);
            while (m_state.search.loading || m_state.search.query != q) {
                m_controller.drainQueries();
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            times.push_back(millisSince(t0));
            hits = m_state.search.rows.size();
        }
        std::sort(times.begin(), times.end());
        std::printf("search_ms[%s] %.2f hits %zu\n", q, times[times.size() / 2], hits);
    }
    std::printf("integrity_check_done %d\n", m_controller.integrityCheckDone() ? 1 : 0);
    std::printf("peak_rss_kb %ld\n", peakRssKb());
    std::printf("total_ms %.1f\n", millisSince(m_started));
    return 0;
}

int App::run() {
    if (!openWindow()) return 1;
    m_controller.start();
    if (!m_controller.openStartScreen()) {
        closeWindow();
        return 1;
    }
    if (m_options.view == View::publish) m_screens.publish.setForm(sampleForm());

    int code = 0;
    if (!m_options.screenshot.empty()) {
        code = screenshot();
    } else {
        glfwPollEvents();
        frame();
        glfwSwapBuffers(m_window);
        const double firstFrameMs = millisSince(m_started);
        m_controller.startIntegrityCheck();
        m_controller.startSync();
        signal(SIGTERM, onCloseSignal);
        signal(SIGINT, onCloseSignal);
        if (m_options.benchReport) {
            code = benchReport(firstFrameMs);
        } else {
            while (!glfwWindowShouldClose(m_window) && !m_controller.damaged() && !g_closeRequested) {
                // Wake on input, on the worker's results, and a few times a
                // second for the countdown.
                glfwWaitEventsTimeout(0.25);
                m_controller.drain();
                m_controller.pollStore();
                m_controller.checkIdle();
                serve();
                frame();
                glfwSwapBuffers(m_window);
            }
        }
    }
    // Stop taking jobs and join the workers before ImGui and GLFW go.
    if (m_controller.damaged() && code == 0) code = m_controller.stopForDamagedFile();
    m_controller.stop();
    closeWindow();
    return code;
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

}  // namespace

int run(const Options& options) {
    if (options.bare) return runBare(options);
    const auto started = Clock::now();
    try {
        // Two connections: the screens' queries and the integrity check,
        // which runs after the first frame (DESIGN: at start, but it reads
        // the whole file).
        Store::OpenOptions deferred;
        deferred.deferIntegrityCheck = true;
        Store store = Store::open(options.db, deferred);
        Store checked = Store::open(options.db, deferred);
        Store writer = Store::open(options.db, deferred);
        const Date today = options.today.value_or(Date::today());
        App app(options, std::move(store), std::move(checked), std::move(writer), today, started);
        return app.run();
    } catch (const StoreError& e) {
        std::cerr << "shouxin-kiosk: " << bilingual(e.messageId()) << " (" << e.what() << ")\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "shouxin-kiosk: " << e.what() << "\n";
        return 1;
    }
}

}  // namespace shouxin::kiosk
