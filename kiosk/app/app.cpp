#include "kiosk/app/app.hpp"

#include <sys/resource.h>

#define GLFW_INCLUDE_NONE
#include <GLFW/glfw3.h>
#include <GL/gl.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <vector>

#include "kiosk/app/screenshot.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/model.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
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

void addCommitmentText(GlyphSet& glyphs, const CommitmentState& c) {
    glyphs.add(c.commitment.title);
    glyphs.add(c.commitment.detail);
    glyphs.add(c.commitment.department);
    glyphs.add(c.commitment.responsible);
    glyphs.add(c.commitment.timeLimit);
    glyphs.add(c.amendReason);
    glyphs.add(c.amendLegalBasis);
}

class App {
public:
    App(const Options& options, Store& store, Date today)
        : m_options(options), m_store(store), m_model(store, today, options.publicUrl), m_fonts(options.fontDir) {}

    int run();

private:
    bool openWindow();
    void closeWindow();
    void prepareData();
    void rebuildFontsIfNeeded();
    void frame();
    void drawFrame();
    void apply(const Commands& commands);
    void refresh();
    void noteActivity();
    void checkIdle();
    void resetForNextResident();
    void trace(std::string_view what);
    void pollStore();
    int screenshot();
    int benchReport(Clock::time_point start, double firstFrameMs);

    const Options& m_options;
    Store& m_store;
    Model m_model;
    FontLibrary m_fonts;
    GlyphSet m_glyphs;
    GLFWwindow* m_window = nullptr;

    AppState m_state;
    Chrome m_chrome;
    HomeView m_home;
    AreaView m_area;
    DetailView m_detail;
    FiguresView m_figures;
    SearchView m_search;

    bool m_fontsDirty = true;
    bool m_styleDirty = true;
    bool m_builtLarge = false;
    View m_tracedView = View::home;
    bool m_traced = false;
    Clock::time_point m_lastActivity = Clock::now();
    Clock::time_point m_lastPoll = Clock::now();
    double m_lastFrameCpuMs = 0;
    bool m_noMouse = false;
};

bool App::openWindow() {
    glfwSetErrorCallback([](int code, const char* text) { std::cerr << "glfw error " << code << ": " << text << "\n"; });
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

void App::prepareData() {
    m_model.reload();
    m_glyphs = catalogueGlyphs();
    for (const CommitmentState& c : m_model.commitments())
        addCommitmentText(m_glyphs, c);
    m_glyphs.add(m_store.node().officeName);
}

void App::rebuildFontsIfNeeded() {
    if (m_builtLarge != m_state.settings.largeText) m_fontsDirty = true;
    if (m_fontsDirty) {
        ImGuiIO& io = ImGui::GetIO();
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        m_fonts.build(*io.Fonts, m_glyphs, m_state.settings.largeText);
        ImGui_ImplOpenGL3_CreateFontsTexture();
        // The pixels live on the GPU now; keep only the glyph tables.
        io.Fonts->ClearTexData();
        m_builtLarge = m_state.settings.largeText;
        m_fontsDirty = false;
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

void App::refresh() {
    m_state.home = m_model.home();
    switch (m_state.nav.view) {
    case View::home: break;
    case View::area: m_state.area = m_model.area(m_state.nav.area, m_state.nav.filter); break;
    case View::detail:
        m_state.detail = m_model.detail(m_state.nav.commitment);
        for (const FulfilmentRecord& r : m_state.detail.history) {
            m_fontsDirty |= m_glyphs.add(r.report.note);
            m_fontsDirty |= m_glyphs.add(r.report.reason);
            m_fontsDirty |= m_glyphs.add(r.report.legalBasis);
            for (const auto& e : r.report.evidence)
                m_fontsDirty |= m_glyphs.add(e);
        }
        break;
    case View::figures: m_state.figures = m_model.figures(); break;
    case View::search:
        m_fontsDirty |= m_glyphs.add(m_state.nav.query);  // typed through an input method
        m_state.search = m_model.search(m_state.nav.query);
        break;
    }
    if (!m_traced || m_tracedView != m_state.nav.view) {
        trace(idOf(m_state.nav.view));
        m_tracedView = m_state.nav.view;
        m_traced = true;
    }
}

void App::apply(const Commands& commands) {
    bool changed = false;
    for (const Command& c : commands.items) {
        if (const auto* lang = std::get_if<SetLang>(&c)) {
            m_state.settings.lang = lang->lang;
        } else if (const auto* large = std::get_if<SetLargeText>(&c)) {
            m_state.settings.largeText = large->on;
        } else if (const auto* contrast = std::get_if<SetHighContrast>(&c)) {
            m_state.settings.highContrast = contrast->on;
            m_styleDirty = true;
        } else {
            changed |= navigate(m_state.nav, c);
        }
    }
    if (changed) refresh();
}

void App::pollStore() {
    // Sync (another connection) may have stored events: new data, maybe new
    // characters for the atlas. Checked every few seconds, not every frame.
    if (millisSince(m_lastPoll) < 3000) return;
    m_lastPoll = Clock::now();
    if (!m_model.reloadIfChanged()) return;
    for (const CommitmentState& c : m_model.commitments())
        addCommitmentText(m_glyphs, c);
    if (m_glyphs.add(m_store.node().officeName)) m_fontsDirty = true;
    m_fontsDirty = true;  // conservative: the glyph set may have grown above
    refresh();
}

void App::noteActivity() {
    const ImGuiIO& io = ImGui::GetIO();
    bool active = ImGui::IsAnyMouseDown() || io.MouseWheel != 0.0f || io.InputQueueCharacters.Size > 0 ||
                  (io.MouseDelta.x != 0.0f || io.MouseDelta.y != 0.0f);
    for (const bool down : io.KeysDown)
        active |= down;
    if (active) m_lastActivity = Clock::now();
}

void App::checkIdle() {
    const Settings defaults = m_options.settings;
    const bool atRest = m_state.nav.view == View::home && m_state.nav.query.empty() &&
                        m_state.nav.filter == AreaFilter{} && m_state.settings == defaults;
    const double idle = millisSince(m_lastActivity) / 1000.0;
    if (atRest) {
        m_state.idleSecondsLeft = -1;
        return;
    }
    const double countdownStart = m_options.idleSeconds;
    const double resetAt = countdownStart + m_options.countdownSeconds;
    if (idle >= resetAt) {
        resetForNextResident();
    } else if (idle >= countdownStart) {
        m_state.idleSecondsLeft = static_cast<int>(resetAt - idle + 0.999);
    } else {
        m_state.idleSecondsLeft = -1;
    }
}

void App::resetForNextResident() {
    // Home, in Chinese, every filter and typed text wiped, view state fresh.
    m_state.nav = Navigation{};
    m_state.settings = m_options.settings;
    m_state.settings.lang = Lang::zh;
    m_state.idleSecondsLeft = -1;
    m_area = AreaView{};
    m_detail = DetailView{};
    m_figures = FiguresView{};
    m_search = SearchView{};
    ImGui::ClearActiveID();
    ImGui::SetWindowFocus(nullptr);
    m_styleDirty = true;
    trace("idle-reset");
    refresh();
    m_lastActivity = Clock::now();
}

void App::drawFrame() {
    Commands commands;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->Pos);
    ImGui::SetNextWindowSize(vp->Size);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("##kiosk", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    m_chrome.drawTop(m_state, commands);
    const Metrics m = metrics(m_state.settings.largeText);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(m.gap * 1.5f, m.gap));
    ImGui::BeginChild("##content", ImVec2(0, ImGui::GetContentRegionAvail().y - m.bottomBar), false,
                      ImGuiWindowFlags_AlwaysUseWindowPadding);
    ImGui::PopStyleVar();
    ImGui::PushFont(fonts().body);
    switch (m_state.nav.view) {
    case View::home: m_home.draw(m_state, commands); break;
    case View::area: m_area.draw(m_state, commands); break;
    case View::detail: m_detail.draw(m_state, commands); break;
    case View::figures: m_figures.draw(m_state, commands); break;
    case View::search: m_search.draw(m_state, commands); break;
    }
    ImGui::PopFont();
    ImGui::EndChild();
    m_chrome.drawBottom(m_state, commands);
    ImGui::End();
    m_chrome.drawIdleNotice(m_state);
    apply(commands);
}

void App::frame() {
    rebuildFontsIfNeeded();
    const auto start = Clock::now();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Screenshots show no hover, wherever the X server's pointer happens to be.
    if (m_noMouse) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    noteActivity();
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
    m_lastFrameCpuMs = millisSince(start);
}

int App::screenshot() {
    // A few frames so that every layout settles, then read the back buffer.
    for (int i = 0; i < 4; ++i) {
        glfwPollEvents();
        m_noMouse = true;
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

int App::benchReport(Clock::time_point start, double firstFrameMs) {
    ImGuiIO& io = ImGui::GetIO();
    std::printf("first_frame_ms %.1f\n", firstFrameMs);
    std::printf("commitments %zu\n", m_model.commitments().size());
    std::printf("atlas %dx%d\n", io.Fonts->TexWidth, io.Fonts->TexHeight);
    std::printf("atlas_glyphs %zu\n", m_fonts.glyphCount());
    std::printf("glyph_set %zu\n", m_glyphs.size());
    // The area with the most commitments, scrolled with the wheel.
    std::array<int, kCategoryCount> counts{};
    for (const CommitmentState& c : m_model.commitments())
        ++counts[static_cast<std::size_t>(c.commitment.category)];
    const auto most = static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    Commands open;
    open.push(OpenArea{kCategories[most]});
    const auto openStart = Clock::now();
    apply(open);
    std::printf("open_area_ms %.1f\n", millisSince(openStart));
    std::printf("area_rows %zu\n", m_state.area.rows.size());
    std::vector<double> frames;
    for (int i = 0; i < m_options.benchFrames; ++i) {
        glfwPollEvents();
        rebuildFontsIfNeeded();
        const auto t0 = Clock::now();
        ImGui_ImplOpenGL3_NewFrame();
        ImGui_ImplGlfw_NewFrame();
        io.MousePos = ImVec2(static_cast<float>(m_options.width) * 0.5f, static_cast<float>(m_options.height) * 0.6f);
        io.MouseWheel = -4.0f;
        ImGui::NewFrame();
        drawFrame();
        ImGui::Render();
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        frames.push_back(millisSince(t0));
        glfwSwapBuffers(m_window);
    }
    std::sort(frames.begin(), frames.end());
    auto pct = [&](double q) {
        return frames[std::min(frames.size() - 1, static_cast<std::size_t>(q * static_cast<double>(frames.size())))];
    };
    std::printf("frame_p50_ms %.3f\nframe_p99_ms %.3f\nframe_max_ms %.3f\n", pct(0.5), pct(0.99), frames.back());
    for (const char* q : {"补", "补贴", "养老服务"}) {
        std::vector<double> times;
        std::size_t hits = 0;
        for (int i = 0; i < 7; ++i) {
            const auto t0 = Clock::now();
            hits = m_model.search(q).rows.size();
            times.push_back(millisSince(t0));
        }
        std::sort(times.begin(), times.end());
        std::printf("search_ms[%s] %.2f hits %zu\n", q, times[times.size() / 2], hits);
    }
    std::printf("peak_rss_kb %ld\n", peakRssKb());
    std::printf("total_ms %.1f\n", millisSince(start));
    return 0;
}

int App::run() {
    const auto start = Clock::now();
    if (!openWindow()) return 1;
    m_state.settings = m_options.settings;
    prepareData();
    m_state.nav.view = m_options.view;
    if (m_options.area) {
        m_state.nav.area = *m_options.area;
    } else if (m_options.view == View::area) {
        // The area with the most commitments.
        std::array<int, kCategoryCount> counts{};
        for (const CommitmentState& c : m_model.commitments())
            ++counts[static_cast<std::size_t>(c.commitment.category)];
        m_state.nav.area = kCategories[static_cast<std::size_t>(std::max_element(counts.begin(), counts.end()) -
                                                                counts.begin())];
    }
    m_state.nav.commitment = m_options.commitment;
    if (m_options.view == View::detail && m_state.nav.commitment.empty()) {
        // The commitment with the longest history.
        int best = -1;
        for (const CommitmentState& c : m_model.commitments()) {
            if (c.reportCount > best) {
                best = c.reportCount;
                m_state.nav.commitment = c.commitment.id;
            }
        }
    }
    m_state.nav.query = m_options.query;
    refresh();

    int code = 0;
    if (!m_options.screenshot.empty()) {
        code = screenshot();
    } else {
        glfwPollEvents();
        frame();
        glfwSwapBuffers(m_window);
        const double firstFrameMs = millisSince(start);
        if (m_options.benchReport) {
            code = benchReport(start, firstFrameMs);
        } else {
            while (!glfwWindowShouldClose(m_window)) {
                // Wake on input, and a few times a second for the countdown.
                glfwWaitEventsTimeout(0.25);
                pollStore();
                checkIdle();
                frame();
                glfwSwapBuffers(m_window);
            }
        }
    }
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
    try {
        Store store = Store::open(options.db);
        const Date today = options.today.value_or(Date::today());
        App app(options, store, today);
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
