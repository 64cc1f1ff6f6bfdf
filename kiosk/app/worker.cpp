#include "kiosk/app/worker.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <iostream>

#include "shared/i18n.hpp"

namespace shouxin::kiosk {

Worker::Worker(Store store, std::function<void()> wake, Priority priority)
    : m_store(std::move(store)),
      m_wake(std::move(wake)),
      m_priority(priority),
      m_thread([this] { loop(); }) {}

Worker::~Worker() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
        m_jobs.clear();
    }
    m_cv.notify_all();
    m_thread.join();
}

void Worker::post(std::string slot, Job job) {
    {
        std::lock_guard lock(m_mutex);
        if (!slot.empty()) {
            m_jobs.erase(
                std::remove_if(m_jobs.begin(), m_jobs.end(), [&](const Queued& q) { return q.slot == slot; }),
                m_jobs.end());
        }
        m_jobs.push_back({std::move(slot), std::move(job)});
    }
    m_cv.notify_one();
}

void Worker::drain() {
    std::vector<Done> ready;
    {
        std::lock_guard lock(m_mutex);
        ready.swap(m_results);
    }
    for (Done& done : ready) {
        if (done) done();
    }
}

bool Worker::idle() const {
    std::lock_guard lock(m_mutex);
    return m_jobs.empty() && !m_running && m_results.empty();
}

void Worker::loop() {
    if (m_priority == Priority::background) {
        // Best effort: where the policy is refused the job still runs, only
        // at normal priority.
        sched_param none{};
        if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &none) != 0)
            std::cerr << "shouxin-kiosk: SCHED_IDLE refused, the integrity check runs at normal priority\n";
    }
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_cv.wait(lock, [this] { return m_stop || !m_jobs.empty(); });
            if (m_stop) return;
            job = std::move(m_jobs.front().job);
            m_jobs.pop_front();
            m_running = true;
        }
        Done done;
        try {
            done = job(m_store);
        } catch (const StoreError& e) {
            std::cerr << "shouxin-kiosk: " << bilingual(e.messageId()) << " (" << e.what() << ")\n";
        } catch (const std::exception& e) {
            // Caught at the job boundary: the screen keeps its last data.
            std::cerr << "shouxin-kiosk: " << e.what() << "\n";
        }
        {
            std::lock_guard lock(m_mutex);
            m_running = false;
            if (done) m_results.push_back(std::move(done));
        }
        if (m_wake) m_wake();
    }
}

}  // namespace shouxin::kiosk
