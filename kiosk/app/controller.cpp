#include "kiosk/app/controller.hpp"

#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include "kiosk/ui/model.hpp"
#include "kiosk/ui/speech_text.hpp"
#include "sync/client/heal.hpp"
#include "sync/client/sync_worker.hpp"

namespace shouxin::kiosk {

namespace {

// The characters of a list's text, collected on the worker: a list holds
// thousands of rows, and the UI thread then merges a few hundred characters.
void addRowText(GlyphSet& glyphs, const std::vector<Row>& rows) {
    for (const Row& r : rows) {
        glyphs.add(r.title);
        glyphs.add(r.department);
    }
}

std::int64_t systemSteadyMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Whether the current screen shows its data (not "loading").
bool screenLoaded(const AppState& state) {
    switch (state.nav.view) {
        case View::home:
            return !state.home.loading;
        case View::area:
            return !state.area.loading;
        case View::detail:
            return !state.detail.loading;
        case View::figures:
            return !state.figures.loading;
        case View::search:
        case View::complaint:
            return true;  // its field is there at once
        case View::lookup:
            return !state.lookup.loading;
        case View::breaches:
            return !state.breaches.loading;
        case View::complaints:
            return !state.complaints.loading;
        case View::login:
            return !state.login.loading;
        case View::dashboard:
            return !state.dashboard.loading;
        case View::report:
        case View::revise:
            return !state.detail.loading;
        case View::publish:
            return true;
    }
    return true;
}

ControllerHooks withDefaults(ControllerHooks hooks, const RatedClock& clock) {
    // The idle timer and the store's polling keep real time at any clock rate.
    if (!hooks.steadyMillis) hooks.steadyMillis = systemSteadyMillis;
    if (!hooks.wallMillis) hooks.wallMillis = [clock] { return clock.wallMillis(); };
    return hooks;
}

}  // namespace

namespace {

// Every worker has its own connection; the integrity check runs on one of
// them after the first frame (DESIGN: at start, but it reads the whole file).
Store connection(const Options& options) { return Store::open(options.db); }

}  // namespace

Controller::Controller(const Options& options, std::optional<Date> fixedToday, ControllerHooks hooks)
    : m_options(options),
      m_fixedToday(fixedToday),
      m_clock(options.clockRate),
      m_hooks(withDefaults(std::move(hooks), m_clock)),
      m_today(today()),
      m_lastActivity(m_hooks.steadyMillis()),
      m_lastPoll(m_lastActivity) {
    try {
        openConnections();
        m_checker = std::make_unique<Worker>(connection(options), m_hooks.wake, Worker::Priority::background);
    } catch (const StoreError& e) {
        if (!e.corrupt()) throw;
        // Damage met on opening (the node table, the file's header): no
        // connection is kept, the restoring screen shows from the first
        // frame, and the shell starts the heal (startHealing).
        closeConnections();
        m_damage = e.what();
        m_state.restoring.active = true;
    }
}

Controller::~Controller() { stop(); }

void Controller::stop() {
    m_speaker.reset();  // stops speaking
    m_healer.reset();   // aborts a hung request, joins
    closeConnections();
}

void Controller::closeConnections() {
    if (m_sync) m_sync->stop();  // aborts a hung request within about a second
    m_sync.reset();
    m_writer.reset();
    m_worker.reset();
    m_checker.reset();
    m_scanner.reset();
}

void Controller::openConnections() {
    m_worker = std::make_unique<Worker>(connection(m_options), m_hooks.wake);
    m_writer = std::make_unique<Worker>(connection(m_options), m_hooks.wake);
    m_scanner = std::make_unique<Worker>(connection(m_options), m_hooks.wake);
}

void Controller::startHealing() {
    if (m_healer) return;
    // No connection of this process may stay on the file that goes aside.
    closeConnections();
    m_state.restoring = RestoringInfo{};
    m_state.restoring.active = true;
    m_state.session.reset();
    m_state.idleSecondsLeft = -1;
    trace("restoring");
    std::cerr << "shouxin-kiosk: " << bilingual("error.store.corrupt") << " (" << m_damage << ")\n";
    m_healer = std::make_unique<Healer>(m_options.db, m_hooks.wake, std::chrono::seconds(1), std::chrono::minutes(1));
}

void Controller::finishHealing() {
    m_healer.reset();
    m_damage.clear();
    m_checkDone = true;  // the node set up again passed its check in the heal
    openConnections();
    // From nothing, as a kiosk starts: Home with the district's records.
    m_state.restoring = RestoringInfo{};
    m_state.nav = Navigation{};
    m_state.notice = {};
    m_state.home = HomeData{};
    m_requests.resetViews.set();
    m_requests.clearFocus = true;
    m_traced = false;
    m_changeMark = -1;
    trace("restored");
    start();
    scanGlyphs();
    if (m_syncStarted) startSync();
}

void Controller::start() {
    m_state.settings = m_options.settings;
    // The first atlas holds the catalogue (every label of Home); the text of
    // the records is collected on the worker, after Home's and the screen's
    // queries, and the atlas rebuilt if it grew.
    m_glyphs = catalogueGlyphs();
    if (m_state.restoring.active) return;  // Home once healed
    askForChanges();
    requestHome();
    m_worker->post("office", [this](Store& store) -> Worker::Done {
        auto office = std::make_shared<std::string>(store.node().office);
        return [this, office] { m_state.office = *office; };
    });
}

bool Controller::openScreen(View view, const std::string& asClerk) {
    if (m_state.restoring.active) return true;  // the restoring screen until healed
    // From nothing, as a kiosk starts: no screen behind, no notice, nobody
    // logged in unless a clerk is named.
    m_state.nav = Navigation{};
    m_state.notice = {};
    m_state.session.reset();
    if (!asClerk.empty() && view != View::login && !logInForPicture(asClerk)) return false;
    m_state.nav.view = view;
    if (m_options.area) {
        m_state.nav.area = *m_options.area;
    } else if (view == View::area) {
        waitForData();
        m_state.nav.area = busiestArea(m_state.home);
    }
    m_state.nav.commitment = m_options.commitment;
    const bool needsCommitment = view == View::detail || view == View::report || view == View::revise;
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
    if (view == View::complaint) m_state.nav.complaintAbout = m_options.commitment;
    if (view == View::breaches) m_state.nav.breachesOf = m_options.commitment;
    if (!m_options.ticket.empty()) {
        // A picture of a lookup, or of the ticket a resident was just given.
        m_state.nav.ticket = m_options.ticket;
        if (view == View::complaint) m_state.complaintSent.ticket = m_options.ticket;
    }
    refresh();
    scanGlyphs();
    return true;
}

bool Controller::logInForPicture(const std::string& clerkId) {
    // A picture of a clerk screen (pictures only, see options); on the
    // PIN pad nobody is logged in yet (the shell picks the name).
    auto clerk = std::make_shared<std::optional<Store::Clerk>>();
    m_worker->post("", [clerk, clerkId](Store& store) -> Worker::Done {
        *clerk = store.clerk(clerkId);
        return {};
    });
    waitForData();
    if (!*clerk || (*clerk)->disabled) {
        std::cerr << "shouxin-kiosk: " << bilingual("error.clerk.unknown") << " (" << clerkId << ")\n";
        return false;
    }
    m_state.session = ClerkSession{(*clerk)->id, (*clerk)->name, (*clerk)->role};
    m_glyphs.add((*clerk)->name);
    return true;
}

void Controller::scanGlyphs() {
    m_scanner->post("glyphs", [this](Store& store) -> Worker::Done {
        auto text = std::make_shared<GlyphSet>();
        addStoreText(*text, store);
        return [this, text] { m_fontsDirty |= m_glyphs.merge(*text); };
    });
}

void Controller::requestHome() {
    const Date today = m_today;
    m_worker->post("home", [this, today](Store& store) -> Worker::Done {
        auto data = std::make_shared<HomeData>(loadHome(store, today));
        return [this, data] {
            // Read before midnight: the new day's figures are queued behind.
            if (data->today != m_today) return;
            m_fontsDirty |= m_glyphs.add(data->officeName);
            m_state.home = std::move(*data);
            if (!m_homeReadyAt) m_homeReadyAt = std::chrono::steady_clock::now();
        };
    });
}

void Controller::startIntegrityCheck() {
    if (!m_checker) return;
    // DESIGN asks for the check at start; it reads the whole file (seconds
    // at 100k commitments), so it runs on its own connection and thread.
    m_checker->post("integrity", [this](Store& store) -> Worker::Done {
        auto report = std::make_shared<std::string>(store.integrityReport());
        // A heal cut short before a restart goes on as damage found now.
        if (report->empty() && client::healPending(store)) *report = "heal under way: " + store.setting(Setting::healFrom);
        return [this, report] {
            m_checkDone = true;
            if (!report->empty()) m_damage = *report;
        };
    });
}

void Controller::drain() {
    if (m_healer) {
        const Healer::Status st = m_healer->status();  // a copy under a short lock, never the network
        m_state.restoring.attempts = st.attempts;
        m_state.restoring.problemId = st.problemId;
        if (st.done) finishHealing();
        return;
    }
    if (!m_worker) return;  // damaged on opening: the heal starts next
    m_worker->drain();
    m_writer->drain();
    m_scanner->drain();
    if (!m_checker) return;
    m_checker->drain();
    // The check runs once: close its connection (and free its page cache).
    if (m_checkDone && m_checker->idle()) m_checker.reset();
}

void Controller::drainQueries() {
    if (!m_worker) return;
    m_worker->drain();
    m_scanner->drain();
}

bool Controller::queriesIdle() const {
    return m_state.restoring.active || (m_worker->idle() && m_scanner->idle());
}

void Controller::waitForData() {
    // Headless use: every query and the glyph scan done, results applied.
    if (m_state.restoring.active) return;
    while (!queriesIdle() || !m_writer->idle() || (m_checker && !m_checker->idle())) {
        drain();
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    drain();
}

int Controller::stopForDamagedFile() {
    // Close every connection (screens, writes, check, scan, sync) before
    // the file moves, keep it aside, and say so: the node is set up again
    // and re-pulls its records from the district.
    stop();
    const auto aside = Store::moveAside(m_options.db);
    std::cerr << "shouxin-kiosk: " << bilingual("error.store.corrupt") << " (" << aside.string() << "\n"
              << m_damage << ")\n";
    return 1;
}

void Controller::trace(std::string_view line) const {
    if (m_hooks.trace) m_hooks.trace(line);
}

void Controller::probe(std::string_view line) const {
    if (m_hooks.probe) m_hooks.probe(line);
}

void Controller::go(const NavInput& input) {
    const NavStep step = navigate(m_state.nav, input, m_state.session);
    m_state.nav = step.nav;
    if (step.reload) refresh();
}

void Controller::refresh() {
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
                GlyphSet glyphs;
                addRowText(glyphs, data->rows);
                return [this, data, glyphs = std::move(glyphs)] {
                    m_fontsDirty |= m_glyphs.merge(glyphs);
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
                GlyphSet glyphs;
                for (const auto* rows : {&data->overdue, &data->dueSoon, &data->broken})
                    addRowText(glyphs, *rows);
                for (const auto& c : data->clerks)
                    glyphs.add(c.name);
                return [this, data, glyphs = std::move(glyphs)] {
                    m_fontsDirty |= m_glyphs.merge(glyphs);
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
            const std::string site = m_options.publicSite;
            m_worker->post("screen", [this, id, site, today](Store& store) -> Worker::Done {
                auto data = std::make_shared<DetailData>(
                    loadDetail(store, id, today, site.empty() ? publicSiteOf(store) : site));
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
                    addBreachText(data->breaches);
                    for (const FulfilmentRecord& r : data->history) {
                        m_fontsDirty |= m_glyphs.add(r.report.note);
                        m_fontsDirty |= m_glyphs.add(r.report.reason);
                        m_fontsDirty |= m_glyphs.add(r.report.legalBasis);
                        for (const auto& e : r.report.evidence)
                            m_fontsDirty |= m_glyphs.add(e);
                    }
                    // For the window tests: which commitment, its reports and its revisions.
                    probe("detail " + data->state.commitment.id + " " + std::to_string(data->history.size()) +
                          " " + std::to_string(data->revisions.size()));
                    m_state.detail = std::move(*data);
                };
            });
            break;
        }
        case View::complaint:
            // Enrolment may have pinned the district's key since the kiosk started.
            m_worker->post("screen", [this](Store& store) -> Worker::Done {
                auto key = std::make_shared<std::string>(store.setting(Setting::districtKey));
                return [this, key] { m_state.districtKey = *key; };
            });
            break;
        case View::lookup: {
            const std::string typed = m_state.nav.ticket;
            m_state.lookup.loading = true;
            m_worker->post("screen", [this, typed](Store& store) -> Worker::Done {
                auto data = std::make_shared<LookupData>(loadLookup(store, typed));
                return [this, data] {
                    if (data->complaint) {
                        m_fontsDirty |= m_glyphs.add(data->complaint->text);
                        m_fontsDirty |= m_glyphs.add(data->complaint->answer);
                    }
                    m_state.lookup = std::move(*data);
                };
            });
            break;
        }
        case View::breaches: {
            const std::string commitment = m_state.nav.breachesOf;
            if (m_state.breaches.commitment != commitment) m_state.breaches = BreachesData{};
            m_worker->post("screen", [this, commitment](Store& store) -> Worker::Done {
                auto data = std::make_shared<BreachesData>(loadBreaches(store, commitment));
                return [this, data] {
                    addBreachText(data->records);
                    m_state.breaches = std::move(*data);
                };
            });
            break;
        }
        case View::complaints: {
            m_worker->post("screen", [this](Store& store) -> Worker::Done {
                auto data = std::make_shared<ComplaintsData>(loadComplaints(store));
                return [this, data] {
                    for (const Store::ComplaintView& c : data->open)
                        m_fontsDirty |= m_glyphs.add(c.text);
                    m_state.complaints = std::move(*data);
                };
            });
            break;
        }
        case View::figures:
            m_worker->post("screen", [this, today](Store& store) -> Worker::Done {
                auto data = std::make_shared<FiguresData>(loadFigures(store, today, 12));
                GlyphSet glyphs;
                addRowText(glyphs, data->overdueAndBroken);
                return [this, data, glyphs = std::move(glyphs)] {
                    m_fontsDirty |= m_glyphs.merge(glyphs);
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
                GlyphSet glyphs;
                addRowText(glyphs, data->rows);
                return [this, data, glyphs = std::move(glyphs)] {
                    m_fontsDirty |= m_glyphs.merge(glyphs);
                    m_state.search = std::move(*data);
                };
            });
            break;
        }
    }
}

void Controller::frameShown() {
    // A screen is traced once a frame has shown its data, so that whoever
    // reads the trace (the input test) can tap what is on it.
    if (m_state.restoring.active) return;
    if ((m_traced && m_tracedView == m_state.nav.view) || !screenLoaded(m_state)) return;
    trace(idOf(m_state.nav.view));
    m_tracedView = m_state.nav.view;
    m_traced = true;
}

void Controller::apply(const Commands& commands) {
    if (m_state.restoring.active) return;  // the restoring screen has nothing to tap
    bool changed = false;
    const View viewBefore = m_state.nav.view;
    const std::string commitmentBefore = m_state.nav.commitment;
    const Lang langBefore = m_state.settings.lang;
    for (const Command& c : commands.items) {
        if (!allowed(c, m_state.session)) continue;
        if (std::holds_alternative<OpenReport>(c) || std::holds_alternative<OpenPublish>(c) ||
            std::holds_alternative<OpenRevise>(c) || std::holds_alternative<OpenDashboard>(c))
            m_state.notice = {};
        if (std::holds_alternative<OpenLogin>(c)) {
            m_state.login = LoginState{};
            resetView(View::login);
            showStoredLockout();
        }
        if (std::holds_alternative<OpenComplaint>(c)) {
            // A fresh form: whatever an earlier visit typed is wiped.
            m_state.complaintSent = {};
            resetView(View::complaint);
        }
        if (std::holds_alternative<OpenLookup>(c) || std::holds_alternative<OpenCommitment>(c))
            m_state.residentNotice = {};
        if (const auto* f = std::get_if<FileComplaint>(&c)) {
            fileComplaint(f->complaint);
        } else if (const auto* r = std::get_if<Rate>(&c)) {
            rate(r->rating);
        } else if (std::holds_alternative<ReadAloud>(c)) {
            readAloud();
        } else if (std::holds_alternative<StopReading>(c)) {
            stopReading();
        } else if (const auto* lang = std::get_if<SetLang>(&c)) {
            m_state.settings.lang = lang->lang;
        } else if (const auto* large = std::get_if<SetLargeText>(&c)) {
            m_state.settings.largeText = large->on;
        } else if (const auto* contrast = std::get_if<SetHighContrast>(&c)) {
            m_state.settings.highContrast = contrast->on;
            m_requests.restyle = true;
        } else if (std::holds_alternative<Login>(c) || std::holds_alternative<Logout>(c) ||
                   std::holds_alternative<SubmitReport>(c) || std::holds_alternative<SubmitCommitment>(c) ||
                   std::holds_alternative<SubmitRevision>(c) || std::holds_alternative<DisableClerk>(c) ||
                   std::holds_alternative<SyncNow>(c) || std::holds_alternative<TypedText>(c) ||
                   std::holds_alternative<CloseKiosk>(c) || std::holds_alternative<SubmitAnswer>(c) ||
                   std::holds_alternative<SubmitComplaintStep>(c) ||
                   std::holds_alternative<SubmitBreach>(c) || std::holds_alternative<SubmitBreachStep>(c)) {
            applyClerk(c);
        } else {
            const NavStep step = navigate(m_state.nav, c, m_state.session);
            m_state.nav = step.nav;
            changed |= step.reload;
        }
    }
    // A complaint form left half-filled (back, home) is wiped, its digits zeroed.
    if (viewBefore == View::complaint && m_state.nav.view != View::complaint) resetView(View::complaint);
    // What was read aloud is no longer on the screen, or not in its language.
    if (m_state.nav.view != viewBefore || m_state.nav.commitment != commitmentBefore ||
        m_state.settings.lang != langBefore)
        stopReading();
    if (changed) refresh();
}

void Controller::readAloud() {
    if (!m_speaker || !m_state.speech.available) return;
    const Lang lang = m_state.settings.lang;
    std::string text;
    if (m_state.nav.view == View::detail && !m_state.detail.loading && m_state.detail.found)
        text = readoutText(m_state.detail, lang);
    else if (m_state.nav.view == View::figures && !m_state.figures.loading)
        text = readoutText(m_state.figures, lang);
    if (text.empty()) return;
    m_speaker->say(speakableText(text, lang), lang == Lang::en ? "en" : m_options.speechVoice);
    m_state.speech.speaking = true;
    trace("speak " + std::string(idOf(m_state.nav.view)));
}

void Controller::stopReading() {
    if (!m_speaker || !m_state.speech.speaking) return;
    m_speaker->stop();
    m_state.speech.speaking = false;
    trace("speak-stop");
}

void Controller::readSpeech() {
    if (!m_speaker) return;
    const Speaker::Status st = m_speaker->status();  // a copy under a short lock
    m_state.speech.available = st.available;
    m_state.speech.speaking = st.available && st.speaking;
}

void Controller::startSpeech(Speaker::Output output) {
    if (m_speaker || m_options.speechVoice == "off") return;
    if (output == Speaker::Output::device && (m_options.rendersPictures() || m_options.benchReport)) return;
    m_speaker = std::make_unique<Speaker>(output, m_hooks.wake);
}

void Controller::startSync() {
    if (m_options.syncIntervalSeconds <= 0 || m_options.rendersPictures() || m_options.benchReport) return;
    m_syncStarted = true;
    if (m_state.restoring.active) return;  // once healed
    // Its own thread, connection and curl handle; it wakes the UI when its
    // status changes. Not enrolled: it says so and tries again later.
    m_sync = std::make_unique<client::SyncWorker>(
        m_options.db, std::chrono::seconds(m_options.syncIntervalSeconds), m_hooks.wake, m_clock);
    m_sync->start();
}

void Controller::readSync() {
    if (!m_sync) return;
    const client::SyncStatus st = m_sync->status();  // a copy under a short lock, never the network
    // The round met a damaged file: heal it (the shell sees damaged()).
    if (st.lastError == "corrupt" && m_damage.empty()) m_damage = st.lastErrorDetail;
    SyncInfo& s = m_state.sync;
    const bool finishedRound = s.syncing && !st.syncing;
    static_cast<client::SyncStatus&>(s) = st;
    s.running = true;
    if (finishedRound) {
        trace(st.lastError.empty() ? "sync-ok" : "sync-failed " + st.lastError);
        askForChanges();  // pulled records show without waiting for the poll
    }
}

void Controller::beginFrame() {
    m_state.nowMillis = m_hooks.wallMillis();
    if (m_state.restoring.active) return;  // no connection to read with
    followTheDay();
    readSync();
    readSpeech();
}

Date Controller::today() const { return m_fixedToday.value_or(Date::localOf(m_hooks.wallMillis())); }

void Controller::followTheDay() {
    // Past midnight, overdue, "due within 7 days" and the countdowns change,
    // and a report filed now is dated the new day (the views date it by
    // Home's): Home and the shown screen are read again for it.
    const Date now = today();
    if (now == m_today) return;
    m_today = now;
    m_state.home.today = now;
    trace("day " + now.toString());
    requestHome();
    refresh();
}

void Controller::noteActivity() { m_lastActivity = m_hooks.steadyMillis(); }

void Controller::pollStore() {
    // Sync (another connection) may have stored events: new data, maybe new
    // characters for the atlas. Asked of the worker every few seconds.
    if (m_state.restoring.active) return;
    const std::int64_t now = m_hooks.steadyMillis();
    if (now - m_lastPoll < 3000) return;
    m_lastPoll = now;
    askForChanges();
}

void Controller::askForChanges() {
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

void Controller::checkIdle() {
    if (m_state.restoring.active) return;
    // A resident listening to a read-out (the figures take two minutes) is
    // using the kiosk: the countdown starts once it has finished.
    if (m_state.speech.speaking) m_lastActivity = m_hooks.steadyMillis();
    const Settings defaults = m_options.settings;
    const bool atRest = !m_state.session && m_state.nav.view == View::home && m_state.nav.query.empty() &&
                        m_state.nav.filter == AreaFilter{} && m_state.settings == defaults;
    const double idle = static_cast<double>(m_hooks.steadyMillis() - m_lastActivity) / 1000.0;
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

void Controller::resetForNextResident() {
    // Home, in Chinese, every filter and typed text wiped, view state fresh,
    // nothing read aloud any more.
    stopReading();
    m_state.nav = navigate(m_state.nav, IdleReset{}, m_state.session).nav;
    m_state.settings = m_options.settings;
    m_state.settings.lang = Lang::zh;
    m_state.idleSecondsLeft = -1;
    for (const View v : {View::area, View::detail, View::figures, View::search, View::complaint, View::lookup,
                         View::breaches})
        resetView(v);
    // A new resident: ratings may be given again, nothing of the last one shows.
    m_state.rated.clear();
    m_state.residentNotice = {};
    m_state.complaintSent = {};
    m_state.lookup = LookupData{};
    logout("logout-idle");  // a clerk walking away is logged out with everything else
    m_state.login = LoginState{};
    resetView(View::login);
    m_requests.clearFocus = true;
    m_requests.restyle = true;
    trace("idle-reset");
    refresh();
    frameShown();  // Home's data is held: traced at once, after the reset
    m_lastActivity = m_hooks.steadyMillis();
}

ShellRequests Controller::takeRequests() {
    ShellRequests out = m_requests;
    m_requests = {};
    return out;
}

}  // namespace shouxin::kiosk
