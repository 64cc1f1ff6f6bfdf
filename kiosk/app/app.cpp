#include "kiosk/app/app.hpp"

#include <malloc.h>
#include <signal.h>

#define GLFW_INCLUDE_NONE
#include <GL/gl.h>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <imgui_internal.h>

#include <cfloat>
#include <chrono>
#include <iostream>
#include <utility>

#include "kiosk/app/controller.hpp"
#include "kiosk/app/harness.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/screens.hpp"
#include "kiosk/ui/theme.hpp"
#include "shared/store.hpp"

namespace shouxin::kiosk {

namespace {

using Clock = std::chrono::steady_clock;

void wakeUi() { glfwPostEmptyEvent(); }

// SIGTERM / SIGINT (the session manager, a test): close like the window's
// close button, after the current frame.
volatile sig_atomic_t g_closeRequested = 0;
void onCloseSignal(int) { g_closeRequested = 1; }

// The window, the frame loop and the views; the controller holds the state.
class App : private Shell {
public:
    App(const Options& options, Clock::time_point started)
        : m_options(options),
          m_started(started),
          m_files(options),
          m_fonts(options.fontDir),
          m_controller(options, options.today,
                       ControllerHooks{wakeUi,
                                       [this](std::string_view line) { m_files.trace(line); },
                                       [this](std::string_view line) { m_files.probe(line); },
                                       {},
                                       {}}) {}

    int run();

private:
    bool openWindow();
    void closeWindow();
    void serve();
    void noteActivity();
    // Shell: what the screenshot and benchmark modes drive.
    Controller& controller() override { return m_controller; }
    bool openScreen(View view, const std::string& asClerk) override;
    void pollEvents() override { glfwPollEvents(); }
    void rebuildFonts() override;
    void frame(bool hidePointer) override;
    void drawViews() override;
    void present() override { glfwSwapBuffers(m_window); }
    std::pair<int, int> framebufferSize() override;
    std::size_t atlasGlyphs() const override { return m_fonts.glyphCount(); }
    bool closing() override { return glfwWindowShouldClose(m_window) || g_closeRequested; }

    const Options& m_options;
    Clock::time_point m_started;
    TestFiles m_files;
    FontLibrary m_fonts;
    Controller m_controller;
    const AppState& m_state = m_controller.state();
    GLFWwindow* m_window = nullptr;
    Screens m_screens;
    std::int64_t m_frames = 0;
    bool m_styleDirty = true;
    bool m_builtLarge = false;
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
    if (m_options.fullscreen && !m_options.rendersPictures()) {
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
        app->m_files.trace("close-refused");
    });
    const bool interactive =
        !m_options.rendersPictures() && !m_options.benchReport && m_options.uptimeFrames == 0;
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

std::pair<int, int> App::framebufferSize() {
    int w = 0;
    int h = 0;
    glfwGetFramebufferSize(m_window, &w, &h);
    return {w, h};
}

void App::rebuildFonts() {
    if (m_builtLarge != m_state.settings.largeText || m_controller.fontsDirty()) {
        ImGuiIO& io = ImGui::GetIO();
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        m_fonts.build(*io.Fonts, m_controller.glyphs(), m_state.settings.largeText);
        ImGui_ImplOpenGL3_CreateFontsTexture();
        // The pixels live on the GPU now; keep only the glyph tables.
        io.Fonts->ClearTexData();
        // The atlas dropped was megabytes that malloc would keep mapped
        // (free, yet resident): hand them back, so a kiosk that runs for
        // months holds what it uses. A rebuild is rare (text size, glyphs).
        malloc_trim(0);
        m_builtLarge = m_state.settings.largeText;
        m_controller.fontsBuilt();
        m_styleDirty = true;
    }
    if (m_styleDirty) {
        applyStyle(ImGui::GetStyle(), m_state.settings.highContrast, m_state.settings.largeText);
        m_styleDirty = false;
    }
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

void App::drawViews() {
    Commands commands;
    m_screens.draw(m_state, commands);
    m_controller.apply(commands);
    serve();
}

void App::frame(bool hidePointer) {
    rebuildFonts();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Screenshots show no hover, wherever the X server's pointer happens to be.
    if (hidePointer) ImGui::GetIO().MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
    ImGui::NewFrame();
    noteActivity();
    m_controller.beginFrame();
    drawViews();
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
    m_files.writeProbes(m_frames);
}

bool App::openScreen(View view, const std::string& asClerk) {
    if (!m_controller.openScreen(view, asClerk)) return false;
    m_screens.startAfresh();
    if (view == View::publish) m_screens.publish.setForm(sampleForm());
    if (view == View::login && !asClerk.empty()) m_screens.login.pick(asClerk);
    serve();
    return true;
}

int App::run() {
    if (!openWindow()) return 1;
    m_controller.start();
    // --screenshot-dir opens its screens one after another.
    if (m_options.screenshotDir.empty() && !openScreen(m_options.view, m_options.asClerk)) {
        closeWindow();
        return 1;
    }

    int code = 0;
    if (!m_options.screenshotDir.empty()) {
        code = screenshots(*this, m_options);
    } else if (!m_options.screenshot.empty()) {
        code = screenshot(*this, m_options);
    } else {
        glfwPollEvents();
        frame(false);
        glfwSwapBuffers(m_window);
        const auto firstFrame = Clock::now();
        m_controller.startIntegrityCheck();
        m_controller.startSync();
        m_controller.startSpeech();
        signal(SIGTERM, onCloseSignal);
        signal(SIGINT, onCloseSignal);
        if (m_options.benchReport) {
            code = benchReport(*this, m_options, m_started, firstFrame);
        } else if (m_options.uptimeFrames > 0) {
            code = benchUptime(*this, m_options);
        } else {
            while (!glfwWindowShouldClose(m_window) && !g_closeRequested) {
                // Wake on input, on the worker's results, and a few times a
                // second for the countdown.
                glfwWaitEventsTimeout(0.25);
                // A damaged file is healed from the district behind the
                // restoring screen; Home comes back when it is done.
                if (m_controller.damaged()) m_controller.startHealing();
                m_controller.drain();
                m_controller.pollStore();
                m_controller.checkIdle();
                serve();
                frame(false);
                glfwSwapBuffers(m_window);
            }
        }
    }
    // Stop taking jobs and join the workers before ImGui and GLFW go.
    // Benchmarks: a damaged file ends the run (a heal under way is left to
    // go on at the next start).
    if (m_controller.damaged() && !m_controller.restoring() && code == 0) code = m_controller.stopForDamagedFile();
    m_controller.stop();
    closeWindow();
    return code;
}

}  // namespace

int run(const Options& options) {
    if (options.bare) return runBare(options);
    const auto started = Clock::now();
    try {
        App app(options, started);
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
