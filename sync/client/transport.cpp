#include "sync/client/transport.hpp"

#include <curl/curl.h>

#include <charconv>
#include <stdexcept>

#include "shared/gzip.hpp"
#include "shared/wire.hpp"

namespace shouxin::client {
namespace {

// Status line and headers of one answer; curl's own limit is per header.
constexpr std::size_t kMaxHeaderBytes = 64 * 1024;

// What an answer has brought so far, checked against the caps as it comes.
// Returning less than given from a callback makes curl abort the transfer.
struct Received {
    HttpResponse* res = nullptr;
    std::size_t maxBody = 0;
    std::size_t headerBytes = 0;
    std::string overflow;  // why the transfer was abandoned
};

// Sees the body after curl has inflated it, so the cap holds for a gzip
// bomb too, and for a chunked answer that announces no length.
std::size_t onBody(char* data, std::size_t size, std::size_t count, void* user) {
    auto* r = static_cast<Received*>(user);
    if (count != 0 && r->res->body.size() + size * count > r->maxBody) {
        r->overflow = "answer larger than " + std::to_string(r->maxBody) + " bytes";
        return 0;
    }
    r->res->body.append(data, size * count);
    return size * count;
}

std::optional<std::int64_t> headerNumber(std::string_view line, std::string_view name) {
    if (line.size() <= name.size() + 1) return std::nullopt;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) !=
            std::tolower(static_cast<unsigned char>(name[i]))) {
            return std::nullopt;
        }
    }
    if (line[name.size()] != ':') return std::nullopt;
    std::string_view value = line.substr(name.size() + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove_prefix(1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) {
        value.remove_suffix(1);
    }
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return n;
}

std::size_t onHeader(char* data, std::size_t size, std::size_t count, void* user) {
    auto* received = static_cast<Received*>(user);
    auto* res = received->res;
    received->headerBytes += size * count;
    if (received->headerBytes > kMaxHeaderBytes) {
        received->overflow = "answer headers larger than " + std::to_string(kMaxHeaderBytes) + " bytes";
        return 0;
    }
    const std::string_view line(data, size * count);
    if (line.rfind("HTTP/", 0) == 0) {  // a new response (e.g. after 100 Continue)
        res->retryAfterSeconds.reset();
        res->serverTime.reset();
        res->protocol.reset();
    }
    if (auto n = headerNumber(line, "Retry-After")) res->retryAfterSeconds = n;
    if (auto n = headerNumber(line, wire::kServerTimeHeader)) res->serverTime = n;
    if (auto n = headerNumber(line, wire::kProtocolHeader)) res->protocol = static_cast<int>(*n);
    return size * count;
}

// Non-zero aborts the transfer: how stop() ends a request that hangs.
int onProgress(void* abort, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    return static_cast<const std::atomic<bool>*>(abort)->load() ? 1 : 0;
}

class CurlTransport final : public Transport {
public:
    explicit CurlTransport(CurlOptions options) : m_options(std::move(options)) {
        static const bool kInit = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
        if (!kInit || !(m_curl = curl_easy_init())) throw std::runtime_error("libcurl failed to initialise");
    }
    ~CurlTransport() override { curl_easy_cleanup(m_curl); }
    CurlTransport(const CurlTransport&) = delete;
    CurlTransport& operator=(const CurlTransport&) = delete;

    HttpResponse send(const HttpRequest& request) override {
        HttpResponse res;
        CURL* c = m_curl;
        curl_easy_reset(c);
        const std::string url = m_options.baseUrl + request.path;
        curl_easy_setopt(c, CURLOPT_URL, url.c_str());
        curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, m_options.connectTimeoutSeconds);
        curl_easy_setopt(c, CURLOPT_TIMEOUT, m_options.totalTimeoutSeconds);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
        curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, m_options.lowSpeedSeconds);
        curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");  // brotli is far slower to make
        curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);       // a redirect is not the district
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
        if (!m_options.pinnedKeys.empty()) {
            // The district's own key is the trust anchor: a pinned key is
            // checked instead of a CA chain (a township has no CA).
            curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, m_options.pinnedKeys.c_str());
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        }
        if (m_options.abort) {
            curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, onProgress);
            curl_easy_setopt(c, CURLOPT_XFERINFODATA, m_options.abort);
            curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
        }
        Received received{&res, m_options.maxAnswerBytes, 0, {}};
        curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(m_options.maxAnswerBytes));
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, onBody);
        curl_easy_setopt(c, CURLOPT_WRITEDATA, &received);
        curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, onHeader);
        curl_easy_setopt(c, CURLOPT_HEADERDATA, &received);

        curl_slist* headers = nullptr;
        const std::string protocol =
            std::string(wire::kProtocolHeader) + ": " + std::to_string(request.protocol);
        if (request.protocol != 0) headers = curl_slist_append(headers, protocol.c_str());
        headers = curl_slist_append(headers, "Expect:");
        std::string auth;
        if (!request.token.empty()) {
            auth = "Authorization: Bearer " + request.token;
            headers = curl_slist_append(headers, auth.c_str());
        }
        std::string body;
        if (request.method == "POST") {
            headers = curl_slist_append(headers, "Content-Type: application/json");
            body = request.gzipBody ? gzip(request.body) : request.body;
            if (request.gzipBody) headers = curl_slist_append(headers, "Content-Encoding: gzip");
            curl_easy_setopt(c, CURLOPT_POST, 1L);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
        const CURLcode rc = curl_easy_perform(c);
        curl_slist_free_all(headers);
        if (rc != CURLE_OK) {
            res.status = 0;
            res.transportError = static_cast<int>(rc);
            res.transportMessage = curl_easy_strerror(rc);
            res.timedOut = rc == CURLE_OPERATION_TIMEDOUT;
            if (!received.overflow.empty() || rc == CURLE_FILESIZE_EXCEEDED) {
                res.tooLarge = true;
                res.transportMessage =
                    !received.overflow.empty()
                        ? received.overflow
                        : "answer larger than " + std::to_string(m_options.maxAnswerBytes) + " bytes";
                res.body.clear();
                res.body.shrink_to_fit();
            }
            return res;
        }
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &res.status);
        curl_off_t up = 0, down = 0;
        long requestHeaders = 0, responseHeaders = 0;
        curl_easy_getinfo(c, CURLINFO_SIZE_UPLOAD_T, &up);
        curl_easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &down);
        curl_easy_getinfo(c, CURLINFO_REQUEST_SIZE, &requestHeaders);
        curl_easy_getinfo(c, CURLINFO_HEADER_SIZE, &responseHeaders);
        res.wireBytesSent = static_cast<std::int64_t>(up) + requestHeaders;
        res.wireBytesReceived = static_cast<std::int64_t>(down) + responseHeaders;
        return res;
    }

private:
    CurlOptions m_options;
    CURL* m_curl = nullptr;
};

}  // namespace

std::unique_ptr<Transport> makeCurlTransport(const CurlOptions& options) {
    return std::make_unique<CurlTransport>(options);
}

CurlOptions curlOptionsFor(const std::string& url, const std::string& pins) {
    CurlOptions options;
    options.baseUrl = url;
    options.pinnedKeys = pins;
    while (!options.baseUrl.empty() && options.baseUrl.back() == '/')
        options.baseUrl.pop_back();
    return options;
}

}  // namespace shouxin::client
