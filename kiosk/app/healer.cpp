#include "kiosk/app/healer.hpp"

#include <algorithm>
#include <iostream>

#include "sync/client/heal.hpp"

namespace shouxin::kiosk {

Healer::Healer(std::filesystem::path db, std::function<void()> wake, std::chrono::milliseconds firstWait,
               std::chrono::milliseconds maxWait)
    : m_db(std::move(db)), m_wake(std::move(wake)), m_firstWait(firstWait), m_maxWait(maxWait) {
    m_thread = std::thread([this] { run(); });
}

Healer::~Healer() {
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_cv.notify_all();
    if (m_thread.joinable()) m_thread.join();
}

Healer::Status Healer::status() const {
    std::lock_guard lock(m_mutex);
    return m_status;
}

void Healer::run() {
    using Outcome = client::HealReport::Outcome;
    auto wait = m_firstWait;
    while (!m_stop) {
        Status s;
        try {
            client::HealOptions options;
            options.abort = &m_stop;
            const auto report = client::heal(m_db, options);
            s.report = client::describe(report);
            s.done = report.outcome == Outcome::healed || report.outcome == Outcome::intact;
            switch (report.outcome) {
                case Outcome::busy:
                    s.problemId = "heal.busy";
                    break;
                case Outcome::retry:
                    s.problemId = "heal.retry";
                    break;
                case Outcome::reenrol:
                    s.problemId = "heal.reenrol";
                    break;
                default:
                    break;
            }
        } catch (const std::exception& e) {
            // Never the end of the kiosk: say so and try again later.
            s.problemId = "heal.retry";
            s.report = e.what();
        }
        std::cerr << "shouxin-kiosk: " << s.report;
        {
            std::lock_guard lock(m_mutex);
            s.attempts = m_status.attempts + 1;
            m_status = s;
        }
        if (m_wake) m_wake();
        if (s.done) return;
        std::unique_lock lock(m_mutex);
        m_cv.wait_for(lock, wait, [this] { return m_stop.load(); });
        wait = std::min(wait * 2, m_maxWait);
    }
}

}  // namespace shouxin::kiosk
