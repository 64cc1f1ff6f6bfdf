#include "sync/client/sync_worker.hpp"

#include "shared/crypto.hpp"
#include "shared/store.hpp"
#include "sync/client/schedule.hpp"
#include "sync/client/sync_engine.hpp"

namespace shouxin::client {

SyncWorker::SyncWorker(std::filesystem::path db, std::chrono::milliseconds interval,
                       std::function<void()> wake, RatedClock clock)
    : m_db(std::move(db)), m_interval(interval), m_wake(std::move(wake)), m_clock(clock) {}

SyncWorker::~SyncWorker() { stop(); }

void SyncWorker::start() {
    if (m_thread.joinable()) return;
    m_stop = false;
    m_thread = std::thread([this] { run(); });
}

void SyncWorker::syncNow() {
    {
        std::lock_guard lock(m_mutex);
        m_requested = true;
    }
    m_cv.notify_all();
}

void SyncWorker::syncSoon() {
    {
        std::lock_guard lock(m_mutex);
        m_soon = true;
    }
    m_cv.notify_all();
}

void SyncWorker::stop() {
    m_stop = true;
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

SyncStatus SyncWorker::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void SyncWorker::publish(const SyncStatus& s) {
    {
        std::lock_guard lock(m_mutex);
        m_status = s;
    }
    if (m_wake) m_wake();
}

void SyncWorker::run() {
    const auto steadyMillis = [this] { return m_clock.steadyMillis(); };
    SyncStatus s;
    try {
        Store store = Store::open(m_db);
        const auto refresh = [&] {
            s.enrolled = !store.setting(Setting::token).empty();
            s.waiting = store.pendingCount();
            s.setAside = static_cast<std::int64_t>(store.setAside().size());
            const std::string last = store.setting(Setting::lastSync);
            s.lastSuccess = last.empty() ? 0 : m_clock.wallOf(std::stoll(last));
        };
        refresh();
        publish(s);
        Schedule::Options plan;
        plan.intervalMillis = m_interval.count();
        // However long the backoff, an offline kiosk tries again at least
        // every minute (or every interval, when that is longer).
        plan.maxRetryMillis = std::max<std::int64_t>(m_interval.count(), 60'000);
        Schedule schedule(plan, steadyMillis());  // a first round at once
        while (!m_stop) {
            {
                std::unique_lock lock(m_mutex);
                m_cv.wait_for(lock, m_clock.realWait(schedule.waitMillis(steadyMillis())),
                              [&] { return m_stop.load() || m_requested || m_soon; });
                if (m_requested) schedule.now(steadyMillis());
                if (m_soon) schedule.soon(steadyMillis());
                m_requested = false;
                m_soon = false;
            }
            if (m_stop) break;
            if (!schedule.isDue(steadyMillis())) continue;
            refresh();
            const std::string url = store.setting(Setting::serverUrl);
            const auto keys = readKeyFile(keyFileFor(m_db));
            if (!s.enrolled || url.empty() || !keys) {
                publish(s);
                schedule.skipped(steadyMillis());
                continue;
            }
            s.syncing = true;
            publish(s);
            CurlOptions options;
            options.baseUrl = url;
            options.pinnedKeys = store.setting(Setting::pins);
            options.abort = &m_stop;
            auto transport = makeCurlTransport(options);
            SyncEngine engine(store, *transport, *keys);
            const SyncResult r = engine.syncOnce();
            s.syncing = false;
            ++s.rounds;
            if (r.ok) {
                s.offlineSince = 0;
                s.lastError.clear();
                s.lastErrorDetail.clear();
                schedule.succeeded(steadyMillis());
            } else {
                if (s.offlineSince == 0) s.offlineSince = m_clock.wallMillis();
                s.lastError = r.failure.reason;
                s.lastErrorDetail = r.failure.detail;
                schedule.failed(steadyMillis(), r.failure);
            }
            refresh();
            publish(s);
        }
    } catch (const std::exception& e) {
        s.syncing = false;
        // A damaged file: the kiosk heals it (heal.hpp), on this typed word.
        const auto* store = dynamic_cast<const StoreError*>(&e);
        s.lastError = store && store->corrupt() ? "corrupt" : "internal";
        s.lastErrorDetail = e.what();
        publish(s);
    }
}

}  // namespace shouxin::client
