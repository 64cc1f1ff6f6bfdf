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
#include <array>
#include <cfloat>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "kiosk/app/screenshot.hpp"
#include "kiosk/app/worker.hpp"
#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "kiosk/ui/model.hpp"
#include "kiosk/ui/navigation.hpp"
#include "kiosk/ui/theme.hpp"
#include "kiosk/ui/views.hpp"
#include "kiosk/ui/widgets.hpp"
#include "shared/store.hpp"
#include "sync/client/sync_worker.hpp"

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

bool addRowText(GlyphSet& glyphs, const std::vector<Row>& rows) {
    bool grew = false;
    for (const Row& r : rows) {
        grew |= glyphs.add(r.title);
        grew |= glyphs.add(r.department);
    }
    return grew;
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

std::int64_t wallMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

// SIGTERM / SIGINT (the session manager, a test): close like the window's
// close button, after the current frame.
volatile sig_atomic_t g_closeRequested = 0;
void onCloseSignal(int) { g_closeRequested = 1; }

class App {
public:
    // `store` and `checked` are two connections to the same file: one for
    // the screens' queries, one for the integrity check that runs beside them.
    App(const Options& options, Store store, Store checked, Store writer, Date today,
        Clock::time_point started)
        : m_options(options),
          m_today(today),
          m_started(started),
          m_fonts(options.fontDir),
          m_worker(std::make_unique<Worker>(std::move(store), wakeUi)),
          m_writer(std::make_unique<Worker>(std::move(writer), wakeUi)),
          m_checker(std::make_unique<Worker>(std::move(checked), wakeUi, Worker::Priority::background)) {}

    int run();

private:
    bool openWindow();
    void closeWindow();
    void requestHome();
    void scanGlyphs();
    void askForChanges();
    void startIntegrityCheck();
    void drainResults();
    void waitForData();
    int stopForDamagedFile();
    void rebuildFontsIfNeeded();
    void frame();
    void drawFrame();
    void apply(const Commands& commands);
    void go(const NavInput& input);
    void refresh();
    void noteActivity();
    void checkIdle();
    void resetForNextResident();
    void trace(std::string_view what);
    bool screenLoaded() const;
    void traceShownScreen();
    void pollStore();
    int screenshot();
    double benchFrame(bool scroll);
    // Clerk mode and sync.
    void applyClerk(const Command& c);
    void showStoredLockout();
    void login(const std::string& clerkId, const std::string& pin);
    void logout(std::string_view why);
    template <class P>
    void write(P payload, std::string what, std::string subject);
    void saved(const std::string& what, const std::string& subject);
    void startSync();
    void readSync();
    void writeProbes();
    void probeLine(std::string_view line);
    int benchReport(double firstFrameMs);

    const Options& m_options;
    Date m_today;
    Clock::time_point m_started;
    FontLibrary m_fonts;
    std::unique_ptr<Worker> m_worker;  // the screens' queries
    std::unique_ptr<Worker> m_writer;  // clerks' writes and PIN checks (Argon2id), off the screens' queue
    std::unique_ptr<client::SyncWorker> m_sync;
    std::unique_ptr<Worker> m_checker;  // PRAGMA integrity_check, beside them; gone once done
    bool m_checkDone = false;
    std::string m_damage;       // the integrity check's report, when it failed
    double m_homeReadyMs = -1;  // start until Home's figures were shown
    GlyphSet m_glyphs;
    GLFWwindow* m_window = nullptr;

    AppState m_state;
    Chrome m_chrome;
    HomeView m_home;
    AreaView m_area;
    DetailView m_detail;
    FiguresView m_figures;
    SearchView m_search;
    LoginView m_login;
    DashboardView m_dashboard;
    ReportView m_report;
    PublishView m_publish;
    std::int64_t m_frames = 0;
    Clock::time_point m_lastProbe = Clock::now();
    std::map<std::string, std::pair<int, int>> m_probed;  // last written

    bool m_fontsDirty = true;
    bool m_styleDirty = true;
    bool m_builtLarge = false;
    View m_tracedView = View::home;
    bool m_traced = false;
    Clock::time_point m_lastActivity = Clock::now();
    Clock::time_point m_lastPoll = Clock::now();
    std::int64_t m_changeMark = -1;
    double m_lastFrameCpuMs = 0;
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
    m_state.fullscreen = monitor != nullptr;
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

void App::scanGlyphs() {
    m_worker->post("glyphs", [this](Store& store) -> Worker::Done {
        auto text = std::make_shared<GlyphSet>();
        addStoreText(*text, store);
        return [this, text] { m_fontsDirty |= m_glyphs.merge(*text); };
    });
}

void App::requestHome() {
    const Date today = m_today;
    m_worker->post("home", [this, today](Store& store) -> Worker::Done {
        auto data = std::make_shared<HomeData>(loadHome(store, today));
        return [this, data] {
            m_fontsDirty |= m_glyphs.add(data->officeName);
            m_state.home = std::move(*data);
            if (m_homeReadyMs < 0) m_homeReadyMs = millisSince(m_started);
        };
    });
}

void App::startIntegrityCheck() {
    if (!m_checker) return;
    // DESIGN asks for the check at start; it reads the whole file (seconds
    // at 100k commitments), so it runs on its own connection and thread.
    m_checker->post("integrity", [this](Store& store) -> Worker::Done {
        auto report = std::make_shared<std::string>(store.integrityReport());
        return [this, report] {
            m_checkDone = true;
            if (!report->empty()) m_damage = *report;
        };
    });
}

void App::drainResults() {
    m_worker->drain();
    m_writer->drain();
    if (!m_checker) return;
    m_checker->drain();
    // The check runs once: close its connection (and free its page cache).
    if (m_checkDone && m_checker->idle()) m_checker.reset();
}

void App::waitForData() {
    // Headless use: every query and the glyph scan done, results applied.
    while (!m_worker->idle() || !m_writer->idle() || (m_checker && !m_checker->idle())) {
        drainResults();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    drainResults();
}

int App::stopForDamagedFile() {
    // Close both connections, keep the file aside, and say so: the node is
    // set up again and re-pulls its records from the district.
    m_worker.reset();
    m_checker.reset();
    const auto aside = Store::moveAside(m_options.db);
    std::cerr << "shouxin-kiosk: " << bilingual("error.store.corrupt") << " (" << aside.string() << "\n"
              << m_damage << ")\n";
    return 1;
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

void App::go(const NavInput& input) {
    const NavStep step = navigate(m_state.nav, input, m_state.session);
    m_state.nav = step.nav;
    if (step.reload) refresh();
}

void App::refresh() {
    // The current screen's data is read on the worker; until it arrives the
    // screen shows that it is loading. Results of an older request land
    // before newer ones (one worker, in order), so the newest wins.
    // Home's figures are read at start and when the store changes, not on
    // every navigation: they scan every commitment.
    const Date today = m_today;
    switch (m_state.nav.view) {
        case View::home:
            break;
        case View::area: {
            const Category category = m_state.nav.area;
            const AreaFilter filter = m_state.nav.filter;
            if (m_state.area.category != category || m_state.area.filter != filter) {
                m_state.area = AreaData{};
                m_state.area.category = category;
                m_state.area.filter = filter;
            }
            m_worker->post("screen", [this, category, filter, today](Store& store) -> Worker::Done {
                auto data = std::make_shared<AreaData>(loadArea(store, category, filter, today));
                return [this, data] {
                    m_fontsDirty |= addRowText(m_glyphs, data->rows);
                    m_state.area = std::move(*data);
                };
            });
            break;
        }
        case View::login:
            m_worker->post("screen", [this](Store& store) -> Worker::Done {
                auto clerks = std::make_shared<std::vector<Store::Clerk>>();
                for (Store::Clerk& c : store.clerks())
                    if (!c.disabled) clerks->push_back(std::move(c));
                return [this, clerks] {
                    for (const Store::Clerk& c : *clerks)
                        m_fontsDirty |= m_glyphs.add(c.name);
                    m_state.login.clerks = std::move(*clerks);
                    m_state.login.loading = false;
                };
            });
            break;
        case View::dashboard:
            m_worker->post("screen", [this, today](Store& store) -> Worker::Done {
                auto data = std::make_shared<DashboardData>(loadDashboard(store, today));
                return [this, data] {
                    for (const auto* rows : {&data->overdue, &data->dueSoon, &data->broken})
                        m_fontsDirty |= addRowText(m_glyphs, *rows);
                    for (const auto& c : data->complaints)
                        m_fontsDirty |= m_glyphs.add(c.text);
                    for (const auto& c : data->clerks)
                        m_fontsDirty |= m_glyphs.add(c.name);
                    m_state.dashboard = std::move(*data);
                };
            });
            break;
        case View::publish:
            break;
        case View::report:
        case View::revise:
        case View::detail: {
            const std::string id = m_state.nav.commitment;
            if (m_state.detail.state.commitment.id != id) m_state.detail = DetailData{};
            const std::string url = m_options.publicUrl;
            m_worker->post("screen", [this, id, url, today](Store& store) -> Worker::Done {
                auto data = std::make_shared<DetailData>(loadDetail(store, id, today, url));
                return [this, data] {
                    const Commitment& c = data->state.commitment;
                    const CommitmentState& st = data->state;
                    for (const std::string* text : {&c.title, &c.detail, &c.department, &c.responsible,
                                                    &c.timeLimit, &st.amendReason, &st.amendLegalBasis})
                        m_fontsDirty |= m_glyphs.add(*text);
                    for (const Store::Revision& r : data->revisions) {
                        m_fontsDirty |= m_glyphs.add(r.revision.title);
                        m_fontsDirty |= m_glyphs.add(r.revision.detail);
                        m_fontsDirty |= m_glyphs.add(r.revision.reason);
                    }
                    if (data->published) {
                        m_fontsDirty |= m_glyphs.add(data->published->title);
                        m_fontsDirty |= m_glyphs.add(data->published->detail);
                    }
                    for (const FulfilmentRecord& r : data->history) {
                        m_fontsDirty |= m_glyphs.add(r.report.note);
                        m_fontsDirty |= m_glyphs.add(r.report.reason);
                        m_fontsDirty |= m_glyphs.add(r.report.legalBasis);
                        for (const auto& e : r.report.evidence)
                            m_fontsDirty |= m_glyphs.add(e);
                    }
                    // For the window tests: which commitment, its reports and its revisions.
                    probeLine("detail " + data->state.commitment.id + " " +
                              std::to_string(data->history.size()) + " " +
                              std::to_string(data->revisions.size()));
                    m_state.detail = std::move(*data);
                };
            });
            break;
        }
        case View::figures:
            m_worker->post("screen", [this, today](Store& store) -> Worker::Done {
                auto data = std::make_shared<FiguresData>(loadFigures(store, today, 12));
                return [this, data] {
                    m_fontsDirty |= addRowText(m_glyphs, data->overdueAndBroken);
                    m_state.figures = std::move(*data);
                };
            });
            break;
        case View::search: {
            m_fontsDirty |= m_glyphs.add(m_state.nav.query);  // typed through an input method
            const std::string query = m_state.nav.query;
            if (m_state.search.query != query) m_state.search.loading = true;
            m_worker->post("screen", [this, query, today](Store& store) -> Worker::Done {
                auto data = std::make_shared<SearchData>(loadSearch(store, query, today));
                return [this, data] {
                    m_fontsDirty |= addRowText(m_glyphs, data->rows);
                    m_state.search = std::move(*data);
                };
            });
            break;
        }
    }
}

bool App::screenLoaded() const {
    switch (m_state.nav.view) {
        case View::home:
            return !m_state.home.loading;
        case View::area:
            return !m_state.area.loading;
        case View::detail:
            return !m_state.detail.loading;
        case View::figures:
            return !m_state.figures.loading;
        case View::search:
            return true;  // its field is there at once
        case View::login:
            return !m_state.login.loading;
        case View::dashboard:
            return !m_state.dashboard.loading;
        case View::report:
        case View::revise:
            return !m_state.detail.loading;
        case View::publish:
            return true;
    }
    return true;
}

void App::traceShownScreen() {
    // A screen is traced once a frame has shown its data, so that whoever
    // reads the trace (the input test) can tap what is on it.
    if ((m_traced && m_tracedView == m_state.nav.view) || !screenLoaded()) return;
    trace(idOf(m_state.nav.view));
    m_tracedView = m_state.nav.view;
    m_traced = true;
}

void App::apply(const Commands& commands) {
    bool changed = false;
    for (const Command& c : commands.items) {
        if (!allowed(c, m_state.session)) continue;
        if (std::holds_alternative<OpenReport>(c) || std::holds_alternative<OpenPublish>(c) ||
            std::holds_alternative<OpenRevise>(c) || std::holds_alternative<OpenDashboard>(c))
            m_state.notice = {};
        if (std::holds_alternative<OpenLogin>(c)) {
            m_state.login = LoginState{};
            m_login = LoginView{};
            showStoredLockout();
        }
        if (const auto* lang = std::get_if<SetLang>(&c)) {
            m_state.settings.lang = lang->lang;
        } else if (const auto* large = std::get_if<SetLargeText>(&c)) {
            m_state.settings.largeText = large->on;
        } else if (const auto* contrast = std::get_if<SetHighContrast>(&c)) {
            m_state.settings.highContrast = contrast->on;
            m_styleDirty = true;
        } else if (std::holds_alternative<Login>(c) || std::holds_alternative<Logout>(c) ||
                   std::holds_alternative<SubmitReport>(c) || std::holds_alternative<SubmitCommitment>(c) ||
                   std::holds_alternative<SubmitRevision>(c) || std::holds_alternative<DisableClerk>(c) ||
                   std::holds_alternative<SyncNow>(c) || std::holds_alternative<TypedText>(c) ||
                   std::holds_alternative<CloseKiosk>(c)) {
            applyClerk(c);
        } else {
            const NavStep step = navigate(m_state.nav, c, m_state.session);
            m_state.nav = step.nav;
            changed |= step.reload;
        }
    }
    if (changed) refresh();
}

void App::applyClerk(const Command& c) {
    if (const auto* l = std::get_if<Login>(&c)) {
        login(l->clerkId, l->pin);
    } else if (std::holds_alternative<Logout>(c)) {
        logout("logout");
    } else if (const auto* r = std::get_if<SubmitReport>(&c)) {
        write(r->report, "report", r->report.commitment);
    } else if (const auto* p = std::get_if<SubmitCommitment>(&c)) {
        write(p->commitment, "commitment", p->commitment.id);
    } else if (const auto* v = std::get_if<SubmitRevision>(&c)) {
        write(v->revision, "revision", v->revision.commitment);
    } else if (const auto* d = std::get_if<DisableClerk>(&c)) {
        write(d->disabled, "clerk-disabled", "");
    } else if (std::holds_alternative<CloseKiosk>(c)) {
        trace("close " + m_state.session->actor());
        glfwSetWindowShouldClose(m_window, GLFW_TRUE);
    } else if (std::holds_alternative<SyncNow>(c)) {
        if (m_sync) m_sync->syncNow();
        trace("sync-now");
    } else if (const auto* t = std::get_if<TypedText>(&c)) {
        // Characters from the input method join the atlas (rebuilt before the next frame).
        m_fontsDirty |= m_glyphs.add(t->text);
    }
}

// The pad's lockout lives in the database (it survives a restart): read it
// when the pad opens, so a locked pad says so before anyone tries a PIN.
void App::showStoredLockout() {
    m_writer->post("", [this](Store& store) -> Worker::Done {
        const auto number = [&](const char* key) {
            const std::string v = store.setting(key);
            return v.empty() ? std::int64_t{0} : std::stoll(v);
        };
        const std::int64_t until = number("pin_locked_until");
        const int failures = static_cast<int>(number("pin_failures"));
        return [this, until, failures] {
            if (m_state.login.checking || until <= wallMillis()) return;
            m_state.login.lockedUntil = until;
            m_state.login.failures = failures;
            trace("login-locked");
        };
    });
}

void App::login(const std::string& clerkId, const std::string& pin) {
    if (m_state.login.checking) return;
    m_state.login.checking = true;
    // Argon2id takes a good part of a second and 64 MB: on the writer, never here.
    m_writer->post("", [this, clerkId, pin](Store& store) -> Worker::Done {
        std::shared_ptr<Store::PinCheck> check;
        try {
            check = std::make_shared<Store::PinCheck>(store.checkPin(clerkId, pin, wallMillis()));
        } catch (const std::exception& e) {
            // The pad must not stay on "checking": say the check failed.
            std::cerr << "shouxin-kiosk: PIN check failed: " << e.what() << "\n";
            return [this] {
                m_state.login.checking = false;
                m_state.login.messageId = "kiosk.login.error";
                trace("login-error");
            };
        }
        return [this, check] {
            m_state.login.checking = false;
            m_state.login.failures = check->failures;
            m_state.login.lockedUntil = check->lockedUntil;
            if (check->outcome == Store::PinOutcome::ok && check->clerk) {
                m_state.session = ClerkSession{check->clerk->id, check->clerk->name, check->clerk->role};
                m_fontsDirty |= m_glyphs.add(check->clerk->name);
                m_state.login = LoginState{};
                m_login = LoginView{};
                trace("login " + m_state.session->actor());
                m_state.notice = {};
                go(LoggedIn{});
            } else if (check->outcome == Store::PinOutcome::locked) {
                m_state.login.messageId = "kiosk.login.locked";
                trace("login-locked");
            } else {
                m_state.login.messageId = "kiosk.login.wrong";
                trace("login-failed");
            }
        };
    });
}

void App::logout(std::string_view why) {
    if (!m_state.session) return;
    m_state.session.reset();
    m_state.login = LoginState{};
    m_state.dashboard = DashboardData{};
    m_state.notice = {};
    m_login = LoginView{};
    m_dashboard = DashboardView{};
    m_report = ReportView{};
    m_publish = PublishView{};
    trace(why);
    go(LoggedOut{});
}

template <class P>
void App::write(P payload, std::string what, std::string subject) {
    if (!m_state.session) return;
    const std::string actor = m_state.session->actor();
    const Lang lang = m_state.settings.lang;
    m_writer->post(
        "", [this, payload = std::move(payload), actor, what, subject, lang](Store& store) -> Worker::Done {
            Problems problems;
            try {
                const auto event = store.record(Payload{payload}, actor);
                if (event) return [this, what, subject] { saved(what, subject); };
                problems = event.problems();
            } catch (const StoreError& e) {
                problems.push_back({"", e.messageId(), e.what()});
            }
            auto text = std::make_shared<std::string>(describeProblems(problems, lang));
            return [this, text, what] {
                m_state.notice = {*text, true};
                trace("refused " + what);
            };
        });
}

void App::saved(const std::string& what, const std::string& subject) {
    m_state.notice = {std::string(tr("kiosk.clerk.saved", m_state.settings.lang)), false};
    trace("saved " + what);
    m_report = ReportView{};
    m_publish = PublishView{};
    // Shown at once: the commitment as residents see it now.
    if (!subject.empty()) m_state.detail.loading = true;
    requestHome();
    go(Saved{subject});
    scanGlyphs();
}

void App::startSync() {
    if (m_options.syncIntervalSeconds <= 0 || !m_options.screenshot.empty() || m_options.benchReport) return;
    // Its own thread, connection and curl handle; it wakes the UI when its
    // status changes. Not enrolled: it says so and tries again later.
    m_sync = std::make_unique<client::SyncWorker>(
        m_options.db, std::chrono::seconds(m_options.syncIntervalSeconds), wakeUi);
    m_sync->start();
}

void App::readSync() {
    if (!m_sync) return;
    const client::SyncStatus st = m_sync->status();  // a copy under a short lock, never the network
    SyncInfo& s = m_state.sync;
    const bool finishedRound = s.syncing && !st.syncing;
    static_cast<client::SyncStatus&>(s) = st;
    s.running = true;
    if (finishedRound) {
        trace(st.lastError.empty() ? "sync-ok" : "sync-failed " + st.lastError);
        askForChanges();  // pulled records show without waiting for the poll
    }
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

void App::pollStore() {
    // Sync (another connection) may have stored events: new data, maybe new
    // characters for the atlas. Asked of the worker every few seconds.
    if (millisSince(m_lastPoll) < 3000) return;
    m_lastPoll = Clock::now();
    askForChanges();
}

void App::askForChanges() {
    m_worker->post("poll", [this](Store& store) -> Worker::Done {
        const std::int64_t mark = store.changeMark();
        return [this, mark] {
            if (mark == m_changeMark) return;
            const bool first = m_changeMark < 0;
            m_changeMark = mark;
            if (first) return;
            requestHome();
            refresh();
            scanGlyphs();
        };
    });
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
    const bool atRest = !m_state.session && m_state.nav.view == View::home && m_state.nav.query.empty() &&
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
    m_state.nav = navigate(m_state.nav, IdleReset{}, m_state.session).nav;
    m_state.settings = m_options.settings;
    m_state.settings.lang = Lang::zh;
    m_state.idleSecondsLeft = -1;
    m_area = AreaView{};
    m_detail = DetailView{};
    m_figures = FiguresView{};
    m_search = SearchView{};
    logout("logout-idle");  // a clerk walking away is logged out with everything else
    m_state.login = LoginState{};
    m_login = LoginView{};
    ImGui::ClearActiveID();
    ImGui::SetWindowFocus(nullptr);
    m_styleDirty = true;
    trace("idle-reset");
    refresh();
    traceShownScreen();  // Home's data is held: traced at once, after the reset
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
    m_chrome.drawClerkBar(m_state, commands);
    const Metrics m = metrics(m_state.settings.largeText);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(m.gap * 1.5f, m.gap));
    ImGui::BeginChild("##content", ImVec2(0, ImGui::GetContentRegionAvail().y - m.bottomBar), false,
                      ImGuiWindowFlags_AlwaysUseWindowPadding);
    ImGui::PopStyleVar();
    ImGui::PushFont(fonts().body);
    switch (m_state.nav.view) {
        case View::home:
            m_home.draw(m_state, commands);
            break;
        case View::area:
            m_area.draw(m_state, commands);
            break;
        case View::detail:
            m_detail.draw(m_state, commands);
            break;
        case View::figures:
            m_figures.draw(m_state, commands);
            break;
        case View::search:
            m_search.draw(m_state, commands);
            break;
        case View::login:
            m_login.draw(m_state, commands);
            break;
        case View::dashboard:
            m_dashboard.draw(m_state, commands);
            break;
        case View::report:
            m_report.draw(m_state, commands);
            break;
        case View::publish:
        case View::revise:
            m_publish.draw(m_state, commands);
            break;
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
    m_state.nowMillis = wallMillis();
    readSync();
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
    ++m_frames;
    traceShownScreen();
    writeProbes();
}

int App::screenshot() {
    // Every query answered (and the atlas rebuilt for its text), then a few
    // frames so that every layout settles, then read the back buffer.
    startIntegrityCheck();
    waitForData();
    if (!m_damage.empty()) return stopForDamagedFile();
    for (int i = 0; i < 4; ++i) {
        glfwPollEvents();
        m_noMouse = true;
        m_worker->drain();
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
    drainResults();
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

int App::benchReport(double firstFrameMs) {
    // Everything as a resident would meet it: the worker answers while the
    // UI keeps drawing, and the integrity check runs beside it.
    ImGuiIO& io = ImGui::GetIO();
    std::printf("first_frame_ms %.1f\n", firstFrameMs);
    while (m_state.home.loading)
        benchFrame(false);
    std::printf("home_ready_ms %.1f\n", m_homeReadyMs);
    // The area with the most commitments, scrolled with the wheel.
    std::size_t most = 0;
    for (std::size_t i = 0; i < kCategoryCount; ++i) {
        if (m_state.home.tiles[i].figures.total > m_state.home.tiles[most].figures.total) most = i;
    }
    std::printf("commitments %d\n", m_state.home.overall.total);
    Commands open;
    open.push(OpenArea{kCategories[most]});
    const auto openStart = Clock::now();
    apply(open);
    while (m_state.area.loading)
        benchFrame(false);
    std::printf("open_area_ms %.1f\n", millisSince(openStart));
    std::printf("area_rows %zu\n", m_state.area.rows.size());
    // Let the glyph scan land (one atlas rebuild), so that it is not counted
    // as a scrolling frame; it is reported on its own.
    const auto glyphStart = Clock::now();
    while (!m_worker->idle())
        benchFrame(false);
    const auto rebuildStart = Clock::now();
    rebuildFontsIfNeeded();
    std::printf("glyph_scan_ms %.1f\n",
                std::chrono::duration<double, std::milli>(rebuildStart - glyphStart).count());
    std::printf("atlas_rebuild_ms %.1f\n", millisSince(rebuildStart));
    std::printf("atlas %dx%d\n", io.Fonts->TexWidth, io.Fonts->TexHeight);
    std::printf("atlas_glyphs %zu\n", m_fonts.glyphCount());
    std::printf("glyph_set %zu\n", m_glyphs.size());
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
    apply(toSearch);
    for (const char* q : {"补", "补贴", "养老服务", "鱻"}) {
        std::vector<double> times;
        std::size_t hits = 0;
        for (int i = 0; i < 7; ++i) {
            Commands clear;
            clear.push(SetQuery{""});
            apply(clear);
            waitForData();
            Commands type;
            type.push(SetQuery{q});
            const auto t0 = Clock::now();
            apply(type);
            while (m_state.search.loading || m_state.search.query != q) {
                m_worker->drain();
                std::this_thread::sleep_for(std::chrono::microseconds(200));
            }
            times.push_back(millisSince(t0));
            hits = m_state.search.rows.size();
        }
        std::sort(times.begin(), times.end());
        std::printf("search_ms[%s] %.2f hits %zu\n", q, times[times.size() / 2], hits);
    }
    std::printf("integrity_check_done %d\n", m_checkDone ? 1 : 0);
    std::printf("peak_rss_kb %ld\n", peakRssKb());
    std::printf("total_ms %.1f\n", millisSince(m_started));
    return 0;
}

int App::run() {
    if (!openWindow()) return 1;
    m_state.settings = m_options.settings;
    // The first atlas holds the catalogue (every label of Home); the text of
    // the records is collected on the worker, after Home's and the screen's
    // queries, and the atlas rebuilt if it grew.
    m_glyphs = catalogueGlyphs();
    askForChanges();
    requestHome();
    m_worker->post("office", [this](Store& store) -> Worker::Done {
        auto office = std::make_shared<std::string>(store.node().office);
        return [this, office] { m_state.office = *office; };
    });
    if (!m_options.asClerk.empty()) {
        // A picture of a clerk screen (--screenshot only, see options).
        auto clerk = std::make_shared<std::optional<Store::Clerk>>();
        m_worker->post("", [clerk, id = m_options.asClerk](Store& store) -> Worker::Done {
            *clerk = store.clerk(id);
            return {};
        });
        waitForData();
        if (!*clerk || (*clerk)->disabled) {
            std::cerr << "shouxin-kiosk: " << bilingual("error.clerk.unknown") << " (" << m_options.asClerk
                      << ")\n";
            closeWindow();
            return 1;
        }
        m_state.session = ClerkSession{(*clerk)->id, (*clerk)->name, (*clerk)->role};
        m_glyphs.add((*clerk)->name);
    }
    m_state.nav.view = m_options.view;
    if (m_options.area) {
        m_state.nav.area = *m_options.area;
    } else if (m_options.view == View::area) {
        // The area with the most commitments.
        waitForData();
        std::size_t most = 0;
        for (std::size_t i = 0; i < kCategoryCount; ++i) {
            if (m_state.home.tiles[i].figures.total > m_state.home.tiles[most].figures.total) most = i;
        }
        m_state.nav.area = kCategories[most];
    }
    m_state.nav.commitment = m_options.commitment;
    if (m_options.view == View::publish) m_publish.setForm(sampleForm());
    const bool needsCommitment =
        m_options.view == View::detail || m_options.view == View::report || m_options.view == View::revise;
    if (needsCommitment && m_state.nav.commitment.empty()) {
        // The commitment with the longest history.
        auto id = std::make_shared<std::string>();
        m_worker->post("", [id](Store& store) -> Worker::Done {
            *id = longestHistory(store);
            return {};
        });
        waitForData();
        m_state.nav.commitment = *id;
    }
    m_state.nav.query = m_options.query;
    refresh();
    scanGlyphs();

    int code = 0;
    if (!m_options.screenshot.empty()) {
        code = screenshot();
    } else {
        glfwPollEvents();
        frame();
        glfwSwapBuffers(m_window);
        const double firstFrameMs = millisSince(m_started);
        startIntegrityCheck();
        startSync();
        signal(SIGTERM, onCloseSignal);
        signal(SIGINT, onCloseSignal);
        if (m_options.benchReport) {
            code = benchReport(firstFrameMs);
        } else {
            while (!glfwWindowShouldClose(m_window) && m_damage.empty() && !g_closeRequested) {
                // Wake on input, on the worker's results, and a few times a
                // second for the countdown.
                glfwWaitEventsTimeout(0.25);
                drainResults();
                pollStore();
                checkIdle();
                frame();
                glfwSwapBuffers(m_window);
            }
        }
    }
    // Stop taking jobs and join the workers before ImGui and GLFW go.
    if (!m_damage.empty() && code == 0) code = stopForDamagedFile();
    if (m_sync) m_sync->stop();  // aborts a hung request within about a second
    m_sync.reset();
    m_writer.reset();
    m_worker.reset();
    m_checker.reset();
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
