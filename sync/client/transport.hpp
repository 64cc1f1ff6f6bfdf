#pragma once
// HTTP for the sync client: the one interface with a fake for unit tests
// (STYLE.md); CurlTransport is the real one.
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "shared/wire.hpp"

namespace shouxin::client {

struct HttpRequest {
    std::string method = "GET";
    std::string path;  // "/v1/push?x=1", appended to the server URL
    std::string body;
    bool gzipBody = false;
    std::string token;  // bearer token, if any
    int protocol = 1;   // Shouxin-Protocol header; 0 leaves it out (tests)
};

struct HttpResponse {
    long status = 0;  // 0 when no HTTP answer came
    std::string body;
    int transportError = 0;  // libcurl's code when the exchange failed
    std::string transportMessage;
    bool timedOut = false;
    bool tooLarge = false;  // the answer (or its headers) passed the cap and was abandoned
    std::optional<std::int64_t> retryAfterSeconds;
    std::optional<std::int64_t> serverTime;  // Shouxin-Server-Time
    std::optional<int> protocol;             // Shouxin-Protocol
    std::int64_t wireBytesSent = 0;          // request line, headers and (compressed) body
    std::int64_t wireBytesReceived = 0;      // status line, headers and (compressed) body
};

class Transport {
public:
    virtual ~Transport() = default;
    virtual HttpResponse send(const HttpRequest& request) = 0;
};

struct CurlOptions {
    std::string baseUrl;
    long connectTimeoutSeconds = 10;
    long lowSpeedSeconds = 30;  // abort when under 1 byte/s for this long
    long totalTimeoutSeconds = 120;
    std::size_t maxAnswerBytes = wire::kMaxAnswerBytes;  // body after gzip; more aborts the transfer
    std::string pinnedKeys;                              // "sha256//A;sha256//B" for HTTPS pinning
    const std::atomic<bool>* abort = nullptr;  // set: end a request in flight (checked about once a second)
};

/// Options for a server's base URL (trailing slashes dropped) and pins.
CurlOptions curlOptionsFor(const std::string& url, const std::string& pins = "");

/// libcurl, one easy handle reused across requests (keep-alive).
std::unique_ptr<Transport> makeCurlTransport(const CurlOptions& options);

}  // namespace shouxin::client
