#pragma once
// Token buckets for attempts that a guesser would repeat (enrolment codes):
// one bucket per client address and one for everyone, so neither a single
// address nor many addresses together can try codes quickly.
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace shouxin::server {

struct RateLimits {
    double perAddressBurst = 10;       // tries an address may make at once
    double perAddressPerSecond = 0.1;  // then one every 10 s
    double overallBurst = 60;
    double overallPerSecond = 1;
    std::size_t maxAddresses = 4096;   // addresses remembered; the fullest buckets are forgotten first
};

class RateLimiter {
public:
    explicit RateLimiter(RateLimits limits = {}) : m_limits(limits) {}

    /// 0 when `address` may try now, else the seconds to wait before it may
    /// (for Retry-After).
    std::int64_t retryAfter(const std::string& address, std::int64_t nowMillis);
    /// Counts a failed try against `address` and against everyone. Only
    /// failures count, so an office enrolling many kiosks is never slowed.
    void failed(const std::string& address, std::int64_t nowMillis);

private:
    struct Bucket {
        double tokens = 0;
        std::int64_t at = 0;  // ms of the last refill
    };
    static void refill(Bucket& b, double burst, double perSecond, std::int64_t nowMillis);
    void forgetFullBuckets(std::int64_t nowMillis);
    Bucket& bucketOf(const std::string& address, std::int64_t nowMillis);

    RateLimits m_limits;
    std::mutex m_mutex;
    Bucket m_overall{-1, 0};
    std::unordered_map<std::string, Bucket> m_addresses;
};

}  // namespace shouxin::server
