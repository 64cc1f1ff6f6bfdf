#include "sync/server/rate_limit.hpp"

#include <algorithm>
#include <cmath>

namespace shouxin::server {

void RateLimiter::refill(Bucket& b, double burst, double perSecond, std::int64_t nowMillis) {
    if (b.tokens < 0) b = {burst, nowMillis};  // a new bucket starts full
    const double elapsed = static_cast<double>(std::max<std::int64_t>(0, nowMillis - b.at)) / 1000.0;
    b.tokens = std::min(burst, b.tokens + elapsed * perSecond);
    b.at = nowMillis;
}

void RateLimiter::forgetFullBuckets(std::int64_t nowMillis) {
    for (auto it = m_addresses.begin(); it != m_addresses.end();) {
        refill(it->second, m_limits.perAddressBurst, m_limits.perAddressPerSecond, nowMillis);
        it = it->second.tokens >= m_limits.perAddressBurst ? m_addresses.erase(it) : std::next(it);
    }
}

RateLimiter::Bucket& RateLimiter::bucketOf(const std::string& address, std::int64_t nowMillis) {
    if (m_addresses.size() >= m_limits.maxAddresses) forgetFullBuckets(nowMillis);
    // Still too many: spread over more addresses than we remember, and the
    // overall bucket is what holds them back.
    if (m_addresses.size() >= m_limits.maxAddresses) m_addresses.clear();
    refill(m_overall, m_limits.overallBurst, m_limits.overallPerSecond, nowMillis);
    Bucket& mine = m_addresses.try_emplace(address, Bucket{-1, 0}).first->second;
    refill(mine, m_limits.perAddressBurst, m_limits.perAddressPerSecond, nowMillis);
    return mine;
}

std::int64_t RateLimiter::retryAfter(const std::string& address, std::int64_t nowMillis) {
    std::lock_guard lock(m_mutex);
    const Bucket& mine = bucketOf(address, nowMillis);
    const auto wait = [](const Bucket& b, double perSecond) {
        return b.tokens >= 1 ? 0.0 : (1 - b.tokens) / perSecond;
    };
    const double seconds =
        std::max(wait(mine, m_limits.perAddressPerSecond), wait(m_overall, m_limits.overallPerSecond));
    return static_cast<std::int64_t>(std::ceil(seconds));
}

void RateLimiter::failed(const std::string& address, std::int64_t nowMillis) {
    std::lock_guard lock(m_mutex);
    bucketOf(address, nowMillis).tokens -= 1;
    m_overall.tokens -= 1;
}

}  // namespace shouxin::server
