#pragma once
// What to do about an answer, classified the way curl's own --retry does:
// timeouts, connection failures, 408, 429 and 5xx gateway errors are worth
// another try later; other refusals are reported, not retried forever.
#include <cstdint>
#include <random>
#include <string>

#include "sync/client/transport.hpp"

namespace shouxin::client {

enum class Verdict {
    success,  // the expected status with a body that parses
    retry,    // transient: try again after a delay
    refused,  // the district said no (4xx): report, do not hammer
};

struct Classified {
    Verdict verdict = Verdict::retry;
    std::int64_t retryAfterMillis = 0;  // from Retry-After, when given
    std::string reason;                 // the protocol's reason id, or a transport description
    std::string detail;
};

/// Classifies `response` to a request that expects `expectedStatus`. An
/// answer with another 2xx (a captive portal's 200) is not success.
Classified classify(const HttpResponse& response, long expectedStatus);

/// Doubling delays with jitter, capped, never shorter than Retry-After.
class Backoff {
public:
    static constexpr std::int64_t kBaseMillis = 1000;
    static constexpr std::int64_t kCapMillis = 10 * 60 * 1000;

    explicit Backoff(std::uint32_t seed = std::random_device{}()) : m_rng(seed) {}
    /// The delay before the next try: uniform in [d/2, d] with
    /// d = min(cap, base * 2^failures), and at least `retryAfterMillis`.
    std::int64_t next(std::int64_t retryAfterMillis = 0);
    void reset() { m_failures = 0; }
    int failures() const { return m_failures; }

private:
    std::mt19937 m_rng;
    int m_failures = 0;
};

}  // namespace shouxin::client
