#pragma once
// When the next sync round is due: one schedule for the kiosk's background
// worker and for `shouxin sync --daemon`. Rounds come every interval after
// a success; after a failure worth retrying, after the retry backoff
// (retry.hpp: doubling, jittered, capped, never before Retry-After); after
// a refusal, after the interval again. A round can be asked for now (a
// clerk's "sync now") or soon (a save: a few seconds' debounce, so that a
// burst of saves goes up in one round). Time is passed in, in
// milliseconds of any monotonic clock, so a test drives it with a fake one.
#include <cstdint>

#include "sync/client/retry.hpp"

namespace shouxin::client {

class Schedule {
public:
    /// How long after a save its round starts.
    static constexpr std::int64_t kSoonMillis = 3000;

    struct Options {
        std::int64_t intervalMillis = 5 * 60 * 1000;
        std::int64_t soonMillis = kSoonMillis;
        /// The longest wait after a retryable failure; 0: the backoff's own cap.
        std::int64_t maxRetryMillis = 0;
    };

    /// The first round is due at `nowMillis`.
    Schedule(Options options, std::int64_t nowMillis, Backoff backoff = Backoff{});

    /// When the next round is due, on the caller's clock.
    std::int64_t dueAt() const { return m_dueAt; }
    bool isDue(std::int64_t nowMillis) const { return nowMillis >= m_dueAt; }
    /// Milliseconds from `nowMillis` until the next round, at least 0.
    std::int64_t waitMillis(std::int64_t nowMillis) const;

    /// A round at once (never later than already due), except before a
    /// server's Retry-After has passed.
    void now(std::int64_t nowMillis);
    /// A round within soonMillis, for a save. Never postpones one already
    /// due sooner, so saves one after another cannot hold a round off;
    /// never before a server's Retry-After.
    void soon(std::int64_t nowMillis);

    /// A round ended at `nowMillis`.
    void succeeded(std::int64_t nowMillis);
    void failed(std::int64_t nowMillis, const Classified& failure);
    /// No round could run (not enrolled, no key): try again after the interval.
    void skipped(std::int64_t nowMillis);

    /// Failures in a row since the last success.
    int failures() const { return m_backoff.failures(); }

private:
    void dueNoSoonerThanAllowed(std::int64_t at);

    Options m_options;
    Backoff m_backoff;
    std::int64_t m_dueAt = 0;
    std::int64_t m_notBefore = 0;  // the server's Retry-After
};

}  // namespace shouxin::client
