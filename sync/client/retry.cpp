#include "sync/client/retry.hpp"

#include <algorithm>

#include "shared/wire.hpp"

namespace shouxin::client {
namespace {

// libcurl's CURLE_SSL_PINNEDPUBKEYNOTMATCH and CURLE_PEER_FAILED_VERIFICATION
// (kept here so retry.cpp needs no curl header).
constexpr int kCurlPinMismatch = 90;
constexpr int kCurlPeerNotVerified = 60;

}  // namespace

Classified classify(const HttpResponse& response, long expectedStatus) {
    Classified c;
    if (response.retryAfterSeconds)
        c.retryAfterMillis = std::max<std::int64_t>(0, *response.retryAfterSeconds) * 1000;
    if (response.status == 0) {
        // A key that does not match the pin, or a certificate that does not
        // verify, is not a passing fault: report it, do not hammer.
        if (response.transportError == kCurlPinMismatch || response.transportError == kCurlPeerNotVerified) {
            c.verdict = Verdict::refused;
            c.reason = "tls";
            c.detail = response.transportMessage;
            return c;
        }
        // An answer past the client's cap (a gzip bomb, an endless body):
        // asking again would fetch the same; report it and wait for the
        // next round instead of retrying at once.
        if (response.tooLarge) {
            c.verdict = Verdict::refused;
            c.reason = "answer_too_large";
            c.detail = response.transportMessage;
            return c;
        }
        c.verdict = Verdict::retry;
        c.reason = response.timedOut ? "timeout" : "network";
        c.detail = response.transportMessage;
        return c;
    }
    const long s = response.status;
    if (s == expectedStatus) {
        c.verdict = Verdict::success;
        return c;
    }
    // The reason the district gave, when it gave one.
    if (const auto body = wire::decodeErrorBody(response.body)) {
        c.reason = body->reason;
        c.detail = body->detail;
    } else {
        c.reason = "http_" + std::to_string(s);
    }
    if (s == 408 || s == 429 || s == 500 || s == 502 || s == 503 || s == 504) {
        c.verdict = Verdict::retry;
    } else if (s >= 200 && s < 300) {
        // Not what the district answers: a captive portal or a proxy.
        c.verdict = Verdict::retry;
        c.reason = "unexpected_answer";
        c.detail = "HTTP " + std::to_string(s);
    } else if (s >= 300 && s < 400) {
        c.verdict = Verdict::refused;
        c.reason = "redirect";
    } else {
        c.verdict = s >= 500 ? Verdict::retry : Verdict::refused;
    }
    return c;
}

std::int64_t Backoff::next(std::int64_t retryAfterMillis) {
    const int shift = std::min(m_failures, 20);
    const std::int64_t ceiling = std::min<std::int64_t>(kCapMillis, kBaseMillis << shift);
    ++m_failures;
    std::uniform_int_distribution<std::int64_t> jitter(ceiling / 2, ceiling);
    return std::max(jitter(m_rng), std::min(retryAfterMillis, kCapMillis));
}

}  // namespace shouxin::client
