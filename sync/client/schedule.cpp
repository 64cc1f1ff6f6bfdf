#include "sync/client/schedule.hpp"

#include <algorithm>

namespace shouxin::client {

Schedule::Schedule(Options options, std::int64_t nowMillis, Backoff backoff)
    : m_options(options), m_backoff(std::move(backoff)), m_dueAt(nowMillis) {}

std::int64_t Schedule::waitMillis(std::int64_t nowMillis) const {
    return std::max<std::int64_t>(0, m_dueAt - nowMillis);
}

void Schedule::dueNoSoonerThanAllowed(std::int64_t at) {
    m_dueAt = std::min(m_dueAt, std::max(at, m_notBefore));
}

void Schedule::now(std::int64_t nowMillis) { dueNoSoonerThanAllowed(nowMillis); }

void Schedule::soon(std::int64_t nowMillis) { dueNoSoonerThanAllowed(nowMillis + m_options.soonMillis); }

void Schedule::succeeded(std::int64_t nowMillis) {
    m_backoff.reset();
    m_notBefore = 0;
    m_dueAt = nowMillis + m_options.intervalMillis;
}

void Schedule::failed(std::int64_t nowMillis, const Classified& failure) {
    m_notBefore = failure.retryAfterMillis > 0 ? nowMillis + failure.retryAfterMillis : 0;
    if (failure.verdict != Verdict::retry) {
        m_dueAt = nowMillis + m_options.intervalMillis;
        return;
    }
    std::int64_t wait = m_backoff.next(failure.retryAfterMillis);
    if (m_options.maxRetryMillis > 0) wait = std::min(wait, m_options.maxRetryMillis);
    m_dueAt = nowMillis + wait;
}

void Schedule::skipped(std::int64_t nowMillis) { m_dueAt = nowMillis + m_options.intervalMillis; }

}  // namespace shouxin::client
