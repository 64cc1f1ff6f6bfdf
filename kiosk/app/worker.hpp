#pragma once
// The kiosk's database worker: one thread that owns the Store (its own
// SQLite connection) and runs jobs queued by the UI thread. A job returns
// the work to finish on the UI thread; drain() runs those once per frame,
// swapped out under the lock and run outside it (STYLE.md "Threads").
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/store.hpp"

namespace shouxin::kiosk {

class Worker {
public:
    using Done = std::function<void()>;       // runs on the UI thread
    using Job = std::function<Done(Store&)>;  // runs on the worker

    enum class Priority {
        normal,
        /// SCHED_IDLE: runs only on a core nothing else wants, so that a
        /// long job (the integrity check) never takes time from a frame.
        background,
    };
    /// Takes the store over (no other thread may use it afterwards);
    /// `wake` is called from the worker when results wait (glfwPostEmptyEvent).
    Worker(Store store, std::function<void()> wake, Priority priority = Priority::normal);
    ~Worker();  // stops taking jobs, finishes the running one, joins
    Worker(const Worker&) = delete;
    Worker& operator=(const Worker&) = delete;

    /// Queues `job`. A job of the same `slot` still waiting is dropped: only
    /// the newest request for a screen's data matters (search as you type).
    void post(std::string slot, Job job);
    /// Runs the results that arrived since the last call (UI thread).
    void drain();
    /// Nothing queued, running or waiting to be drained.
    bool idle() const;

private:
    struct Queued {
        std::string slot;
        Job job;
    };
    void loop();

    Store m_store;
    std::function<void()> m_wake;
    Priority m_priority;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Queued> m_jobs;
    std::vector<Done> m_results;
    bool m_running = false;
    bool m_stop = false;
    std::thread m_thread;
};

}  // namespace shouxin::kiosk
