#pragma once
// Sync on a background thread, for the kiosk: its own SQLite connection and
// curl handle (STYLE.md, "Threads"), rounds when the schedule says
// (schedule.hpp: the interval, backoff after failures, now on demand, soon
// after a save), and a status snapshot the UI reads once per frame without
// ever waiting on the network.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "shared/rated_clock.hpp"
#include "sync/client/sync_status.hpp"

namespace shouxin::client {

class SyncWorker {
public:
    /// `wake` is called (from the worker thread) whenever the status
    /// changes, e.g. glfwPostEmptyEvent to wake an idle UI. The schedule
    /// (the interval, backoff, "soon") runs on `clock`, and the status's
    /// times are on its calendar: a test's accelerated clock makes rounds
    /// come as often as a simulated day has them.
    SyncWorker(std::filesystem::path db, std::chrono::milliseconds interval, std::function<void()> wake = {},
               RatedClock clock = RatedClock{});
    ~SyncWorker();
    SyncWorker(const SyncWorker&) = delete;
    SyncWorker& operator=(const SyncWorker&) = delete;

    void start();
    /// Asks for a round now (one running finishes first).
    void syncNow();
    /// Asks for a round a few seconds from now (Schedule::kSoonMillis): a
    /// save calls it, so the record goes up soon, and saves made close
    /// together go up in one round.
    void syncSoon();
    /// Stops: aborts a request in flight (within about a second, however
    /// the network hangs) and joins the thread.
    void stop();
    SyncStatus status() const;

private:
    void run();
    void publish(const SyncStatus& s);

    std::filesystem::path m_db;
    std::chrono::milliseconds m_interval;
    std::function<void()> m_wake;
    RatedClock m_clock;

    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    SyncStatus m_status;
    bool m_requested = false;
    bool m_soon = false;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace shouxin::client
