#include "sync/server/http_server.hpp"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "shared/gzip.hpp"

namespace shouxin::server {
namespace {

using Clock = std::chrono::steady_clock;

// Once a body is refused half-way (too large on the wire or after gzip),
// libmicrohttpd cannot answer until the request has ended: the rest is read
// and dropped, up to this much, so that a client which sent a little too
// much still learns why; past it the connection is closed without an answer.
constexpr std::size_t kDrainBytes = 4u << 20;
// Answers at least this long go gzip'd to a client that takes it.
constexpr std::size_t kGzipAnswersFrom = 1024;

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// "application/json", optionally with "; charset=utf-8" (any case, quoted or not).
bool isJsonContentType(std::string_view value) {
    const auto semicolon = value.find(';');
    if (!equalsIgnoreCase(trim(value.substr(0, semicolon)), "application/json")) return false;
    if (semicolon == std::string_view::npos) return true;
    std::string_view rest = value.substr(semicolon + 1);
    while (!rest.empty()) {
        const auto next = rest.find(';');
        const std::string_view param = trim(rest.substr(0, next));
        rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
        if (param.empty()) continue;
        const auto eq = param.find('=');
        if (eq == std::string_view::npos || !equalsIgnoreCase(trim(param.substr(0, eq)), "charset"))
            return false;
        std::string_view charset = trim(param.substr(eq + 1));
        if (charset.size() >= 2 && charset.front() == '"' && charset.back() == '"')
            charset = charset.substr(1, charset.size() - 2);
        if (!equalsIgnoreCase(charset, "utf-8")) return false;
    }
    return true;
}

std::string addressText(const sockaddr* addr) {
    char text[INET6_ADDRSTRLEN] = {};
    if (!addr) return {};
    if (addr->sa_family == AF_INET) {
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(addr)->sin_addr, text, sizeof text);
    } else if (addr->sa_family == AF_INET6) {
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(addr)->sin6_addr, text, sizeof text);
    }
    return text;
}

// One request from its headers to its answer (MHD's per-request pointer).
struct Exchange {
    const HttpRoute* route = nullptr;
    HttpRequest request;
    std::optional<HttpResponse> refusal;  // decided before the body ended
    std::unique_ptr<GzipInflater> inflater;
    std::size_t received = 0;  // body bytes on the wire
    std::size_t drained = 0;   // body bytes dropped after a refusal
};

// A connection, for the whole-request deadline.
struct Tracked {
    int fd = -1;
    Clock::time_point since;  // when the request now arriving began
    bool receiving = true;    // false while a handler runs or an answer goes out
};

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (equalsIgnoreCase(key, name)) return value;
    }
    return {};
}

bool HttpRequest::hasHeader(std::string_view name) const {
    return std::any_of(headers.begin(), headers.end(),
                       [&](const auto& h) { return equalsIgnoreCase(h.first, name); });
}

std::string HttpRequest::param(const std::string& name) const {
    const auto it = params.find(name);
    return it == params.end() ? std::string() : it->second;
}

struct HttpServer::Impl {
    std::vector<HttpRoute> routes;
    std::function<HttpResponse(int, std::string, std::string)> refusal = [](int status, std::string reason,
                                                                            std::string) {
        HttpResponse r;
        r.status = status;
        r.setContent(std::move(reason), "text/plain");
        return r;
    };
    std::function<void(HttpResponse&)> decorator;
    HttpOptions options;
    MHD_Daemon* daemon = nullptr;

    // The deadline for a whole request: libmicrohttpd only times out idle
    // connections, so a watchdog shuts down the socket of a request that
    // trickles in for too long (MHD then sees it closed and cleans up).
    std::mutex trackedMutex;
    std::unordered_map<MHD_Connection*, Tracked> tracked;
    std::mutex watchdogMutex;
    std::condition_variable watchdogWake;
    bool stopping = false;
    std::thread watchdog;

    HttpResponse refuse(int status, std::string reason, std::string detail = "") const {
        return refusal(status, std::move(reason), std::move(detail));
    }

    // Whether the client takes a gzip'd answer: "gzip" among its
    // Accept-Encoding codings, not switched off with q=0.
    static bool acceptsGzip(MHD_Connection* connection) {
        const char* value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, "Accept-Encoding");
        if (!value) return false;
        std::string codings(value);
        std::transform(codings.begin(), codings.end(), codings.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        std::size_t at = 0;
        while (at < codings.size()) {
            const std::size_t end = std::min(codings.find(',', at), codings.size());
            const std::string_view coding = trim(std::string_view(codings).substr(at, end - at));
            const std::string_view name = trim(coding.substr(0, coding.find(';')));
            if (name == "gzip" || name == "x-gzip") {
                const auto q = coding.find("q=");
                return q == std::string_view::npos || coding.substr(q + 2).find_first_not_of("0.") != std::string_view::npos;
            }
            at = end + 1;
        }
        return false;
    }

    static MHD_Result queue(Impl& impl, MHD_Connection* connection, HttpResponse answer) {
        if (impl.decorator) impl.decorator(answer);
        // Pull pages and push results shrink to a seventh with gzip; small
        // answers are not worth the bytes of the header.
        if (answer.fileDescriptor < 0 && answer.body.size() >= kGzipAnswersFrom && acceptsGzip(connection)) {
            answer.body = gzip(answer.body);
            answer.setHeader("Content-Encoding", "gzip");
            answer.setHeader("Vary", "Accept-Encoding");
        }
        MHD_Response* r = answer.fileDescriptor < 0
                              ? MHD_create_response_from_buffer(answer.body.size(), answer.body.data(),
                                                                MHD_RESPMEM_MUST_COPY)
                              : fileResponse(answer.fileDescriptor);
        if (!r) return MHD_NO;
        if (!answer.contentType.empty())
            MHD_add_response_header(r, "Content-Type", answer.contentType.c_str());
        for (const auto& [name, value] : answer.headers)
            MHD_add_response_header(r, name.c_str(), value.c_str());
        const MHD_Result rc = MHD_queue_response(connection, static_cast<unsigned>(answer.status), r);
        MHD_destroy_response(r);
        return rc;
    }

    // MHD owns the descriptor from here and closes it with the response.
    static MHD_Response* fileResponse(int fd) {
        struct stat st {};
        if (::fstat(fd, &st) != 0) {
            ::close(fd);
            return nullptr;
        }
        MHD_Response* r = MHD_create_response_from_fd(static_cast<std::uint64_t>(st.st_size), fd);
        if (!r) ::close(fd);
        return r;
    }

    // The route for a method and path. The most specific path wins (an
    // exact one, else the longest prefix), then the route of that path that
    // takes the method; `pathKnown` tells a 405 from a 404.
    const HttpRoute* find(const std::string& method, const std::string& path, bool& pathKnown) const {
        const HttpRoute* shape = nullptr;
        for (const HttpRoute& r : routes) {
            if (r.prefix ? path.rfind(r.path, 0) != 0 : r.path != path) continue;
            if (!shape || (!r.prefix && shape->prefix) ||
                (r.prefix == shape->prefix && r.path.size() > shape->path.size()))
                shape = &r;
        }
        pathKnown = shape != nullptr;
        if (!shape) return nullptr;
        for (const HttpRoute& r : routes) {
            if (r.path != shape->path || r.prefix != shape->prefix) continue;
            if (r.method == "*" || r.method == method || (method == "HEAD" && r.method == "GET")) return &r;
        }
        return nullptr;
    }

    // Everything that can be decided from the request line and headers.
    std::optional<HttpResponse> begin(MHD_Connection* connection, const char* url, const char* method,
                                      Exchange& x) {
        HttpRequest& req = x.request;
        req.method = method;
        req.path = url;
        MHD_get_connection_values(
            connection, MHD_HEADER_KIND,
            [](void* cls, MHD_ValueKind, const char* key, const char* value) {
                static_cast<HttpRequest*>(cls)->headers.emplace_back(key, value ? value : "");
                return MHD_YES;
            },
            &req);
        MHD_get_connection_values(
            connection, MHD_GET_ARGUMENT_KIND,
            [](void* cls, MHD_ValueKind, const char* key, const char* value) {
                static_cast<HttpRequest*>(cls)->params.emplace(key, value ? value : "");
                return MHD_YES;
            },
            &req);
        if (const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) {
            req.peer = addressText(info->client_addr);
        }

        bool pathKnown = false;
        x.route = find(req.method, req.path, pathKnown);
        if (!x.route)
            return pathKnown ? refuse(405, "method", req.method) : refuse(404, "not_found", req.path);
        const HttpRoute& route = *x.route;

        if (route.admit) {
            if (auto answer = route.admit(req)) return answer;
        }

        const std::string length = req.header("Content-Length");
        const bool hasBody = !length.empty() ? length != "0" : req.hasHeader("Transfer-Encoding");
        if (hasBody && route.maxBodyBytes == 0) return refuse(413, "too_large", "no body expected");
        if (route.jsonBody && (hasBody || req.method == "POST") &&
            !isJsonContentType(req.header("Content-Type"))) {
            return refuse(415, "content_type",
                          "application/json expected, not '" + req.header("Content-Type") + "'");
        }
        const std::string encoding(trim(req.header("Content-Encoding")));
        if (equalsIgnoreCase(encoding, "gzip")) {
            x.inflater = std::make_unique<GzipInflater>(route.maxExpandedBytes);
        } else if (!encoding.empty() && !equalsIgnoreCase(encoding, "identity")) {
            return refuse(415, "encoding", "gzip or identity, not '" + encoding + "'");
        }
        if (!length.empty()) {
            std::uint64_t n = 0;
            const auto [end, ec] = std::from_chars(length.data(), length.data() + length.size(), n);
            if (ec != std::errc() || end != length.data() + length.size() || n > route.maxBodyBytes) {
                return refuse(
                    413, "too_large",
                    "a body of " + length + " bytes; " + std::to_string(route.maxBodyBytes) + " at most");
            }
            if (!x.inflater) req.body.reserve(static_cast<std::size_t>(n));
        }
        return std::nullopt;
    }

    // A part of the body; false closes the connection.
    bool take(Exchange& x, std::string_view chunk) {
        if (x.refusal) {
            x.drained += chunk.size();
            return x.drained <= kDrainBytes;
        }
        const HttpRoute& route = *x.route;
        x.received += chunk.size();
        if (x.received > route.maxBodyBytes) {
            x.refusal = refuse(413, "too_large",
                               "more than " + std::to_string(route.maxBodyBytes) + " bytes of body");
            x.request.body.clear();
            x.request.body.shrink_to_fit();
            return true;
        }
        if (!x.inflater) {
            x.request.body.append(chunk);
            return true;
        }
        const auto status = x.inflater->feed(chunk, x.request.body);
        if (status == GzipInflater::Status::tooLarge) {
            x.refusal = refuse(413, "too_large",
                               "more than " + std::to_string(route.maxExpandedBytes) + " bytes after gzip");
        } else if (status == GzipInflater::Status::corrupt) {
            x.refusal = refuse(400, "encoding", "the gzip body is corrupt");
        }
        if (x.refusal) {
            x.inflater.reset();
            x.request.body.clear();
            x.request.body.shrink_to_fit();
        }
        return true;
    }

    HttpResponse answer(Exchange& x) {
        if (x.refusal) return std::move(*x.refusal);
        if (x.inflater && x.inflater->finish() != GzipInflater::Status::done) {
            return refuse(400, "encoding", "the gzip body ends too soon");
        }
        HttpResponse res;
        try {
            x.route->handler(x.request, res);
        } catch (const std::exception& e) {
            return refuse(500, "internal", e.what());
        } catch (...) {
            return refuse(500, "internal", "internal error");
        }
        return res;
    }

    void setReceiving(MHD_Connection* connection, bool receiving) {
        std::lock_guard lock(trackedMutex);
        const auto it = tracked.find(connection);
        if (it == tracked.end()) return;
        it->second.receiving = receiving;
        it->second.since = Clock::now();
    }

    static MHD_Result onRequest(void* cls, MHD_Connection* connection, const char* url, const char* method,
                                const char*, const char* upload, std::size_t* uploadSize, void** context) {
        Impl& impl = *static_cast<Impl*>(cls);
        try {
            auto* x = static_cast<Exchange*>(*context);
            if (!x) {
                x = new Exchange;
                *context = x;
                if (auto early = impl.begin(connection, url, method, *x)) {
                    // Answered on the headers alone: MHD reads no body and
                    // closes the connection after this answer.
                    impl.setReceiving(connection, false);
                    return queue(impl, connection, std::move(*early));
                }
                return MHD_YES;
            }
            if (*uploadSize != 0) {
                const bool keep = impl.take(*x, std::string_view(upload, *uploadSize));
                *uploadSize = 0;
                return keep ? MHD_YES : MHD_NO;
            }
            impl.setReceiving(connection, false);
            return queue(impl, connection, impl.answer(*x));
        } catch (...) {
            return MHD_NO;  // out of memory: drop the connection
        }
    }

    static void onCompleted(void* cls, MHD_Connection* connection, void** context,
                            MHD_RequestTerminationCode) {
        delete static_cast<Exchange*>(*context);
        *context = nullptr;
        // A keep-alive connection's next request starts its own clock.
        static_cast<Impl*>(cls)->setReceiving(connection, true);
    }

    static void onConnection(void* cls, MHD_Connection* connection, void**,
                             MHD_ConnectionNotificationCode code) {
        Impl& impl = *static_cast<Impl*>(cls);
        std::lock_guard lock(impl.trackedMutex);
        if (code == MHD_CONNECTION_NOTIFY_STARTED) {
            const auto* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
            if (info) impl.tracked[connection] = Tracked{info->connect_fd, Clock::now(), true};
        } else {
            // Called before MHD closes the socket, so the watchdog never
            // touches a descriptor that has been reused.
            impl.tracked.erase(connection);
        }
    }

    void watch() {
        const auto deadline = std::chrono::seconds(options.requestDeadlineSeconds);
        std::unique_lock wait(watchdogMutex);
        while (!watchdogWake.wait_for(wait, std::chrono::milliseconds(500), [this] { return stopping; })) {
            const auto now = Clock::now();
            std::lock_guard lock(trackedMutex);
            for (auto& [connection, t] : tracked) {
                if (!t.receiving || now - t.since < deadline) continue;
                t.receiving = false;
                shutdown(t.fd, SHUT_RDWR);
            }
        }
    }
};

HttpServer::HttpServer() : m_impl(std::make_unique<Impl>()) {}
HttpServer::~HttpServer() { stop(); }

void HttpServer::route(HttpRoute route) { m_impl->routes.push_back(std::move(route)); }

void HttpServer::setRefusal(std::function<HttpResponse(int, std::string, std::string)> refusal) {
    m_impl->refusal = std::move(refusal);
}

void HttpServer::setDecorator(std::function<void(HttpResponse&)> decorator) {
    m_impl->decorator = std::move(decorator);
}

int HttpServer::start(const HttpOptions& options, std::string* error) {
    Impl& impl = *m_impl;
    impl.options = options;
    const auto fail = [error](std::string why) {
        if (error) *error = std::move(why);
        return -1;
    };
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    addrinfo* found = nullptr;
    const std::string port = std::to_string(options.port);
    if (getaddrinfo(options.host.empty() ? nullptr : options.host.c_str(), port.c_str(), &hints, &found) !=
            0 ||
        !found) {
        return fail("cannot resolve " + options.host);
    }
    sockaddr_storage address{};
    std::memcpy(&address, found->ai_addr, std::min<std::size_t>(found->ai_addrlen, sizeof address));
    const bool v6 = found->ai_family == AF_INET6;
    freeaddrinfo(found);

    // No MHD_USE_ERROR_LOG: it writes a line per dropped connection, which an
    // attacker could turn into a flood of log lines.
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD;
    if (v6) flags |= MHD_USE_IPv6;
    const bool tls = !options.certPem.empty() && !options.keyPem.empty();
    if (tls) flags |= MHD_USE_TLS;

    std::vector<MHD_OptionItem> items = {
        {MHD_OPTION_THREAD_POOL_SIZE, static_cast<intptr_t>(std::max(1u, options.threads)), nullptr},
        {MHD_OPTION_CONNECTION_LIMIT, static_cast<intptr_t>(options.connectionLimit), nullptr},
        {MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<intptr_t>(options.perIpConnectionLimit), nullptr},
        {MHD_OPTION_CONNECTION_TIMEOUT, static_cast<intptr_t>(options.idleTimeoutSeconds), nullptr},
        {MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<intptr_t>(options.connectionMemoryBytes), nullptr},
        {MHD_OPTION_LISTEN_BACKLOG_SIZE, static_cast<intptr_t>(options.listenBacklog), nullptr},
        {MHD_OPTION_SOCK_ADDR, 0, &address},
    };
    if (tls) {
        items.push_back({MHD_OPTION_HTTPS_MEM_KEY, 0, const_cast<char*>(impl.options.keyPem.c_str())});
        items.push_back({MHD_OPTION_HTTPS_MEM_CERT, 0, const_cast<char*>(impl.options.certPem.c_str())});
    }
    items.push_back({MHD_OPTION_END, 0, nullptr});

    impl.daemon = MHD_start_daemon(flags, static_cast<std::uint16_t>(options.port), nullptr, nullptr,
                                   &Impl::onRequest, &impl, MHD_OPTION_NOTIFY_COMPLETED, &Impl::onCompleted,
                                   &impl, MHD_OPTION_NOTIFY_CONNECTION, &Impl::onConnection, &impl,
                                   MHD_OPTION_ARRAY, items.data(), MHD_OPTION_END);
    if (!impl.daemon) return fail("cannot listen on " + options.host + ":" + port);
    const auto* info = MHD_get_daemon_info(impl.daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (!info || info->port == 0) {
        stop();
        return fail("no port");
    }
    impl.stopping = false;
    impl.watchdog = std::thread([&impl] { impl.watch(); });
    return info->port;
}

void HttpServer::stop() {
    Impl& impl = *m_impl;
    if (impl.watchdog.joinable()) {
        {
            std::lock_guard lock(impl.watchdogMutex);
            impl.stopping = true;
        }
        impl.watchdogWake.notify_all();
        impl.watchdog.join();
    }
    if (impl.daemon) {
        MHD_stop_daemon(impl.daemon);
        impl.daemon = nullptr;
    }
}

}  // namespace shouxin::server
