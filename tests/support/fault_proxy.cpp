#include "tests/support/fault_proxy.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <optional>
#include <stdexcept>
#include <string_view>

#include "shared/gzip.hpp"

namespace shouxin::test {
namespace {

constexpr std::size_t kMaxHead = 64 * 1024;
constexpr std::size_t kMaxBody = 64u << 20;
constexpr int kUpstreamIdleMillis = 60'000;  // the server's answer may take a while on a busy machine

// One read of what is there within `idleMillis`; false at EOF, on an
// error, on stop or when nothing came in time.
bool readMore(int fd, std::string& buf, const std::atomic<bool>& stop, int idleMillis) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(idleMillis);
    while (!stop) {
        pollfd p{fd, POLLIN, 0};
        const int ready = poll(&p, 1, 100);
        if (ready < 0 && errno != EINTR) return false;
        if (ready > 0) {
            char chunk[65536];
            const ssize_t n = recv(fd, chunk, sizeof chunk, 0);
            if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
            if (n <= 0) return false;
            buf.append(chunk, static_cast<std::size_t>(n));
            return true;
        }
        if (std::chrono::steady_clock::now() >= until) return false;
    }
    return false;
}

bool sendAll(int fd, std::string_view data, const std::atomic<bool>& stop) {
    while (!data.empty() && !stop) {
        pollfd p{fd, POLLOUT, 0};
        if (poll(&p, 1, 100) < 0 && errno != EINTR) return false;
        if (p.revents & (POLLERR | POLLHUP | POLLNVAL)) return false;
        if (!(p.revents & POLLOUT)) continue;
        const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return data.empty();
}

// A connection reset (RST), not a goodbye (FIN).
void resetAndClose(int fd) {
    linger l{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

int connectUpstream(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<std::uint16_t>(port));
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool iequalsPrefix(std::string_view line, std::string_view name) {
    if (line.size() < name.size()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(line[i])) != std::tolower(static_cast<unsigned char>(name[i])))
            return false;
    }
    return true;
}

// The value of header `name` ("Content-Length"), if the head has it.
std::optional<std::string> headerValue(const std::string& head, std::string_view name) {
    std::size_t at = head.find("\r\n");
    while (at != std::string::npos && at + 2 < head.size()) {
        const std::size_t start = at + 2;
        const std::size_t end = head.find("\r\n", start);
        if (end == std::string::npos || end == start) break;
        const std::string_view line(head.data() + start, end - start);
        if (line.size() > name.size() && line[name.size()] == ':' && iequalsPrefix(line, name)) {
            std::string_view value = line.substr(name.size() + 1);
            while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
            while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
            return std::string(value);
        }
        at = end;
    }
    return std::nullopt;
}

// The head with its framing replaced by a Content-Length of `length`, and
// without the header `drop` ("" keeps all).
std::string framed(const std::string& head, std::size_t length, std::string_view drop = "") {
    std::string out;
    std::size_t start = 0;
    bool first = true;
    while (start < head.size()) {
        const std::size_t end = head.find("\r\n", start);
        if (end == std::string::npos || end == start) break;
        const std::string_view line(head.data() + start, end - start);
        const bool dropped = !drop.empty() && line.size() > drop.size() && line[drop.size()] == ':' &&
                             iequalsPrefix(line, drop);
        if (first ||
            !(dropped || iequalsPrefix(line, "Content-Length:") || iequalsPrefix(line, "Transfer-Encoding:"))) {
            out.append(line);
            out += "\r\n";
        }
        first = false;
        start = end + 2;
    }
    out += "Content-Length: " + std::to_string(length) + "\r\n\r\n";
    return out;
}

struct Message {
    std::string head;  // start line and headers, with the blank line
    std::string body;  // without chunked framing
    std::string drop;  // a header to leave out
    std::string wire() const { return framed(head, body.size(), drop) + body; }
};

// One whole message from `fd`, with what was read past it left in `buf`.
std::optional<Message> readMessage(int fd, std::string& buf, const std::atomic<bool>& stop, bool response,
                                   bool headRequest, int idleMillis) {
    Message m;
    std::size_t end = 0;
    while ((end = buf.find("\r\n\r\n")) == std::string::npos) {
        if (buf.size() > kMaxHead || !readMore(fd, buf, stop, idleMillis)) return std::nullopt;
    }
    m.head = buf.substr(0, end + 4);
    buf.erase(0, end + 4);
    if (response) {
        const int status = m.head.size() > 12 ? std::atoi(m.head.c_str() + 9) : 0;
        if (headRequest || status / 100 == 1 || status == 204 || status == 304) return m;
    }
    const auto encoding = headerValue(m.head, "Transfer-Encoding");
    if (encoding && encoding->find("chunked") != std::string::npos) {
        for (;;) {
            std::size_t eol = 0;
            while ((eol = buf.find("\r\n")) == std::string::npos) {
                if (!readMore(fd, buf, stop, idleMillis)) return std::nullopt;
            }
            const std::size_t size = std::stoul(buf.substr(0, eol), nullptr, 16);
            if (size == 0) {
                // The last chunk, then optional trailers and a blank line.
                while (buf.compare(eol + 2, 2, "\r\n") != 0 && buf.find("\r\n\r\n", eol) == std::string::npos) {
                    if (!readMore(fd, buf, stop, idleMillis)) return std::nullopt;
                }
                const std::size_t tail =
                    buf.compare(eol + 2, 2, "\r\n") == 0 ? eol + 4 : buf.find("\r\n\r\n", eol) + 4;
                buf.erase(0, tail);
                return m;
            }
            while (buf.size() < eol + 2 + size + 2) {
                if (m.body.size() + size > kMaxBody || !readMore(fd, buf, stop, idleMillis)) return std::nullopt;
            }
            m.body.append(buf, eol + 2, size);
            buf.erase(0, eol + 2 + size + 2);
        }
    }
    if (const auto length = headerValue(m.head, "Content-Length")) {
        const std::size_t want = std::stoul(*length);
        if (want > kMaxBody) return std::nullopt;
        while (buf.size() < want) {
            if (!readMore(fd, buf, stop, idleMillis)) return std::nullopt;
        }
        m.body = buf.substr(0, want);
        buf.erase(0, want);
        return m;
    }
    if (!response) return m;  // a request without a body
    while (readMore(fd, buf, stop, idleMillis)) {  // an answer that ends with the connection
        if (buf.size() > kMaxBody) return std::nullopt;
    }
    m.body = std::move(buf);
    buf.clear();
    return m;
}

std::string plainAnswer(int status, const std::string& reason, const std::string& extra, const std::string& body,
                        const std::string& type = "text/plain; charset=utf-8") {
    return "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
}

const std::string kPortalPage =
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>WiFi 登录</title></head>"
    "<body><h1>欢迎使用免费 WiFi</h1><form action=\"/login\"><input name=\"phone\">"
    "<button>获取验证码</button></form></body></html>";

}  // namespace

const char* faultName(FaultKind kind) {
    switch (kind) {
        case FaultKind::none: return "none";
        case FaultKind::delay: return "delay";
        case FaultKind::drop: return "drop";
        case FaultKind::resetRequest: return "reset_request";
        case FaultKind::resetResponse: return "reset_response";
        case FaultKind::truncateBody: return "truncate_body";
        case FaultKind::stall: return "stall";
        case FaultKind::captivePortal: return "captive_portal";
        case FaultKind::serverError: return "http_500";
        case FaultKind::unavailable: return "http_503";
        case FaultKind::tooManyRequests: return "http_429";
        case FaultKind::corruptRequest: return "corrupt_request";
        case FaultKind::corruptResponse: return "corrupt_response";
    }
    return "?";
}

std::vector<FaultKind> allFaultKinds() {
    std::vector<FaultKind> kinds;
    for (int k = 1; k < kFaultKindCount; ++k) kinds.push_back(static_cast<FaultKind>(k));
    return kinds;
}

FaultProxy::FaultProxy(int upstreamPort) : m_upstreamPort(upstreamPort) {
    m_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (m_listen < 0 || bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(m_listen, 64) != 0) {
        throw std::runtime_error("fault proxy: cannot listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_accept = std::thread([this] {
        while (!m_stop) {
            pollfd p{m_listen, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0) {
                reapFinished();
                continue;
            }
            const int c = accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            ++m_connections;
            auto done = std::make_shared<std::atomic<bool>>(false);
            std::lock_guard lock(m_mutex);
            m_open.push_back({std::thread([this, c, done] {
                                  serve(c);
                                  *done = true;
                              }),
                              done});
        }
    });
}

FaultProxy::~FaultProxy() {
    m_stop = true;
    m_accept.join();
    for (auto& c : m_open) c.thread.join();
    close(m_listen);
}

void FaultProxy::reapFinished() {
    std::lock_guard lock(m_mutex);
    for (auto it = m_open.begin(); it != m_open.end();) {
        if (*it->done) {
            it->thread.join();
            it = m_open.erase(it);
        } else {
            ++it;
        }
    }
}

void FaultProxy::script(std::vector<Fault> faults) {
    std::lock_guard lock(m_mutex);
    m_script.assign(faults.begin(), faults.end());
}

void FaultProxy::randomFaults(double probability, std::uint32_t seed, std::vector<FaultKind> kinds,
                              std::vector<double> weights) {
    std::lock_guard lock(m_mutex);
    if (weights.size() != kinds.size()) weights.assign(kinds.size(), 1.0);
    m_probability = kinds.empty() ? 0 : probability;
    m_kinds = std::move(kinds);
    m_pick = std::discrete_distribution<int>(weights.begin(), weights.end());
    m_rng.seed(seed);
}

void FaultProxy::clean() {
    std::lock_guard lock(m_mutex);
    m_script.clear();
    m_probability = 0;
}

std::int64_t FaultProxy::injectedTotal() const {
    std::int64_t total = 0;
    for (int k = 1; k < kFaultKindCount; ++k) total += m_injected[static_cast<std::size_t>(k)].load();
    return total;
}

Fault FaultProxy::nextFault() {
    std::lock_guard lock(m_mutex);
    if (!m_script.empty()) {
        const Fault f = m_script.front();
        m_script.pop_front();
        return f;
    }
    Fault f;
    if (m_probability <= 0 || std::uniform_real_distribution<double>(0, 1)(m_rng) >= m_probability) return f;
    f.kind = m_kinds[static_cast<std::size_t>(m_pick(m_rng))];
    f.delayMillis = std::uniform_int_distribution<int>(50, 500)(m_rng);
    // Half the stalls before the server sees the request, half after.
    if (f.kind == FaultKind::stall && std::uniform_int_distribution<int>(0, 1)(m_rng) == 0) f.offset = -1;
    return f;
}

std::int64_t FaultProxy::draw(std::int64_t below) {
    if (below <= 0) return 0;
    std::lock_guard lock(m_mutex);
    return std::uniform_int_distribution<std::int64_t>(0, below - 1)(m_rng);
}

void FaultProxy::serve(int client) {
    std::string fromClient;
    const auto resolve = [this](std::int64_t offset, std::size_t size) -> std::size_t {
        if (offset == Fault::kRandomOffset) return static_cast<std::size_t>(draw(static_cast<std::int64_t>(size)));
        return std::min(static_cast<std::size_t>(std::max<std::int64_t>(0, offset)), size);
    };
    const auto flip = [this, &resolve](std::string& body, std::int64_t offset) {
        const std::size_t at = std::min(resolve(offset, body.size()), body.size() - 1);
        body[at] = static_cast<char>(body[at] ^ static_cast<char>(1 + draw(255)));
    };
    const auto stallUntilGone = [this](int fd) {
        while (!m_stop) {  // read and ignore whatever comes, until the client gives up
            pollfd p{fd, POLLIN, 0};
            if (poll(&p, 1, 100) > 0) {
                char c[4096];
                if (recv(fd, c, sizeof c, 0) <= 0) return;
            }
        }
    };
    for (;;) {
        auto request = readMessage(client, fromClient, m_stop, false, false, 24 * 3600 * 1000);
        if (!request) break;
        ++m_exchanges;
        Fault fault = nextFault();
        const FaultKind kind = fault.kind;
        if (kind == FaultKind::delay) {
            count(kind);
            std::this_thread::sleep_for(std::chrono::milliseconds(fault.delayMillis));
        } else if (kind == FaultKind::drop) {
            count(kind);
            close(client);
            return;
        } else if (kind == FaultKind::captivePortal) {
            count(kind);
            sendAll(client, plainAnswer(200, "OK", "Connection: close\r\n", kPortalPage, "text/html; charset=utf-8"),
                    m_stop);
            close(client);
            return;
        } else if (kind == FaultKind::serverError || kind == FaultKind::unavailable ||
                   kind == FaultKind::tooManyRequests) {
            count(kind);
            const int status = kind == FaultKind::serverError ? 500 : kind == FaultKind::unavailable ? 503 : 429;
            const std::string retry =
                kind == FaultKind::serverError ? "" : "Retry-After: " + std::to_string(m_retryAfter.load()) + "\r\n";
            const char* reason = status == 500 ? "Internal Server Error"
                                 : status == 503 ? "Service Unavailable"
                                                 : "Too Many Requests";
            if (!sendAll(client, plainAnswer(status, reason, retry, reason), m_stop)) break;
            continue;
        } else if (kind == FaultKind::stall && fault.offset < 0 && fault.offset != Fault::kRandomOffset) {
            count(kind);
            stallUntilGone(client);
            close(client);
            return;
        } else if (kind == FaultKind::corruptRequest && !request->body.empty()) {
            // The flip lands in what the server decodes, not in a gzip
            // stream whose checksum would catch it: a middlebox that
            // inflates, or a bit flipped before compression.
            const auto encoding = headerValue(request->head, "Content-Encoding");
            if (encoding && encoding->find("gzip") != std::string::npos) {
                if (auto plain = gunzip(request->body, kMaxBody)) {
                    request->body = std::move(*plain);
                    request->drop = "Content-Encoding";
                }
            }
            count(kind);
            flip(request->body, fault.offset);
        } else if (kind == FaultKind::corruptResponse) {
            // Likewise an answer the server sends uncompressed.
            request->drop = "Accept-Encoding";
        }

        const int upstream = connectUpstream(m_upstreamPort);
        if (upstream < 0) break;
        const std::string outgoing = request->wire();
        if (kind == FaultKind::resetRequest) {
            count(kind);
            sendAll(upstream, std::string_view(outgoing).substr(0, resolve(fault.offset, outgoing.size())), m_stop);
            resetAndClose(upstream);
            resetAndClose(client);
            return;
        }
        const bool head = request->head.rfind("HEAD ", 0) == 0;
        std::string fromServer;
        std::optional<Message> answer;
        if (sendAll(upstream, outgoing, m_stop))
            answer = readMessage(upstream, fromServer, m_stop, true, head, kUpstreamIdleMillis);
        close(upstream);
        if (!answer) break;  // the server failed, not a fault of ours: the client sees the connection end

        if (kind == FaultKind::truncateBody && !answer->body.empty()) {
            count(kind);
            answer->body.resize(resolve(fault.offset, answer->body.size()));
        } else if (kind == FaultKind::corruptResponse && !answer->body.empty()) {
            count(kind);
            flip(answer->body, fault.offset);
        }
        const std::string incoming = answer->wire();
        if (kind == FaultKind::resetResponse) {
            count(kind);
            sendAll(client, std::string_view(incoming).substr(0, resolve(fault.offset, incoming.size())), m_stop);
            resetAndClose(client);
            return;
        }
        if (kind == FaultKind::stall) {
            count(kind);
            sendAll(client, std::string_view(incoming).substr(0, resolve(fault.offset, incoming.size())), m_stop);
            stallUntilGone(client);
            close(client);
            return;
        }
        if (!sendAll(client, incoming, m_stop)) break;
    }
    close(client);
}

}  // namespace shouxin::test
