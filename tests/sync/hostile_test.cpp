// The district server and the sync client against hostile peers: gzip
// bombs, slow and silent connections, floods of pushes, wrong framing, and
// a district that answers too much. Attacking connections come from other
// loopback addresses (127.0.0.2 and up), as other machines would.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "shared/wire.hpp"
#include "sync/client/retry.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/hostile_server.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;
using Clock = std::chrono::steady_clock;

namespace {

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// gzip of `zeros` zero bytes, made in 1 MiB steps (never held expanded).
std::string gzipOfZeros(std::size_t zeros) {
    z_stream z{};
    REQUIRE(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) == Z_OK);
    const std::string block(1u << 20, '\0');
    std::string out;
    char buf[1 << 16];
    std::size_t left = zeros;
    int flush = Z_NO_FLUSH;
    do {
        const std::size_t n = std::min(left, block.size());
        left -= n;
        flush = left == 0 ? Z_FINISH : Z_NO_FLUSH;
        z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(block.data()));
        z.avail_in = static_cast<uInt>(n);
        do {
            z.next_out = reinterpret_cast<Bytef*>(buf);
            z.avail_out = sizeof buf;
            deflate(&z, flush);
            out.append(buf, sizeof buf - z.avail_out);
        } while (z.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&z);
    return out;
}

const std::string& gigabyteBomb() {
    static const std::string bomb = gzipOfZeros(std::size_t{1} << 30);
    return bomb;
}

// The server process's peak resident memory, in MB.
double peakMegabytes(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
    }
    return -1;
}

// A TCP connection to 127.0.0.1:port from `local` (any 127.0.0.0/8 address),
// or -1. No assertion: Catch's are for the test's own thread only.
int openConnection(const std::string& local, int port, bool wait) {
    const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | (wait ? 0 : SOCK_NONBLOCK), 0);
    if (fd < 0) return -1;
    sockaddr_in from{};
    from.sin_family = AF_INET;
    inet_pton(AF_INET, local.c_str(), &from.sin_addr);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<std::uint16_t>(port));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) != 0 ||
        (connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0 && (wait || errno != EINPROGRESS))) {
        close(fd);
        return -1;
    }
    return fd;
}

// The same, on the test's thread: a failure fails the test.
int connectFrom(const std::string& local, int port, bool wait = true) {
    const int fd = openConnection(local, port, wait);
    REQUIRE(fd >= 0);
    return fd;
}

// Sends `head` then `body` while watching for an answer, which may come
// before the body is all sent; returns the answer (as much as came within
// `seconds`).
std::string exchange(int fd, const std::string& head, const std::string& body, double seconds = 10) {
    const std::string out = head + body;
    std::size_t sent = 0;
    std::string answer;
    const auto start = Clock::now();
    while (secondsSince(start) < seconds) {
        pollfd p{fd, static_cast<short>(POLLIN | (sent < out.size() ? POLLOUT : 0)), 0};
        if (poll(&p, 1, 100) <= 0) continue;
        if (p.revents & POLLIN) {
            char buf[65536];
            const ssize_t n = recv(fd, buf, sizeof buf, 0);
            if (n <= 0) break;
            answer.append(buf, static_cast<std::size_t>(n));
            const auto end = answer.find("\r\n\r\n");
            const auto at = answer.find("Content-Length: ");
            if (end != std::string::npos && at != std::string::npos &&
                answer.size() >= end + 4 + std::stoul(answer.substr(at + 16))) {
                break;
            }
        } else if (p.revents & POLLOUT) {
            const ssize_t n =
                send(fd, out.data() + sent, std::min<std::size_t>(out.size() - sent, 65536), MSG_NOSIGNAL);
            if (n <= 0) {
                sent = out.size();  // the server stopped reading: wait for its answer
            } else {
                sent += static_cast<std::size_t>(n);
            }
        } else if (p.revents & (POLLERR | POLLHUP)) {
            break;
        }
    }
    return answer;
}

int statusOf(const std::string& answer) {
    if (answer.rfind("HTTP/1.1 ", 0) != 0 || answer.size() < 12) return 0;
    return std::stoi(answer.substr(9, 3));
}

std::string reasonOf(const std::string& answer) {
    const auto end = answer.find("\r\n\r\n");
    if (end == std::string::npos) return "(no answer)";
    const auto body = wire::decodeErrorBody(answer.substr(end + 4));
    return body ? body->reason : "(unreadable: " + answer.substr(end + 4) + ")";
}

std::string pushHead(const std::string& token, const std::string& extra) {
    return "POST /v1/push HTTP/1.1\r\nHost: 127.0.0.1\r\nShouxin-Protocol: 1\r\n" +
           (token.empty() ? std::string() : "Authorization: Bearer " + token + "\r\n") + extra + "\r\n";
}

// A district with one enrolled kiosk: its token, and a normal pull.
struct Hostile {
    SyncWorld world;
    Kiosk kiosk = world.addKiosk(kOfficeA, "青山镇人民政府");
    std::string token = kiosk.open().setting(Setting::token);

    int port() { return world.server().port(); }

    // GET /v1/events?after=0&limit=10 from 127.0.0.1 with a few seconds'
    // patience; its status (0: no answer).
    long pull(double* seconds = nullptr) {
        client::CurlOptions options;
        options.baseUrl = world.server().url();
        options.connectTimeoutSeconds = 5;
        options.totalTimeoutSeconds = 5;
        const auto http = client::makeCurlTransport(options);
        const auto start = Clock::now();
        const auto r = http->send({"GET", "/v1/events?after=0&limit=10", "", false, token, wire::kProtocol});
        if (seconds) *seconds = secondsSince(start);
        return r.status;
    }
};

constexpr const char* kEmptyPush = R"({"protocol":1,"head":{"seq":0,"hash":"","signature":""},"events":[]})";

}  // namespace

TEST_CASE("a gzip bomb is refused before it is inflated, and without a token before a byte is read",
          "[sync][hostile]") {
    Hostile f;
    const std::string& bomb = gigabyteBomb();
    INFO("1 GiB of zeros is " << bomb.size() << " bytes of gzip");
    const std::string framing =
        "Content-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: " +
        std::to_string(bomb.size()) + "\r\n";

    auto start = Clock::now();
    int fd = connectFrom("127.0.0.1", f.port());
    const std::string withToken = exchange(fd, pushHead(f.token, framing), bomb);
    close(fd);
    const double refused = secondsSince(start);
    CHECK(statusOf(withToken) == 413);
    CHECK(reasonOf(withToken) == "too_large");

    start = Clock::now();
    fd = connectFrom("127.0.0.1", f.port());
    const std::string noToken = exchange(fd, pushHead("", framing), bomb);
    close(fd);
    const double unauthenticated = secondsSince(start);
    CHECK(statusOf(noToken) == 401);
    CHECK(reasonOf(noToken) == "token");
    CHECK(unauthenticated < 5);  // answered on the headers, not after the upload

    const double peak = peakMegabytes(f.world.server().pid());
    std::printf(
        "gzip bomb (%zu bytes -> 1 GiB): 413 in %.3f s, 401 without a token in %.3f s; "
        "server peak RSS %.1f MB\n",
        bomb.size(), refused, unauthenticated, peak);
    CHECK(peak > 0);
    CHECK(peak < 200);
    CHECK(f.pull() == 200);
}

TEST_CASE("silent and slow connections do not keep the district from answering a pull", "[sync][hostile]") {
    Hostile f;
    std::vector<int> idle;
    for (int i = 0; i < 200; ++i)  // 20 each from 127.0.0.2 .. 127.0.0.11
        idle.push_back(connectFrom("127.0.0." + std::to_string(2 + i / 20), f.port(), false));

    // Ten clients that send a request line a byte every half second.
    std::atomic<bool> stop{false};
    std::atomic<int> bytesTrickled{0};
    std::atomic<int> notConnected{0};
    std::vector<std::thread> slow;
    for (int i = 0; i < 10; ++i) {
        slow.emplace_back([&, i] {
            const int fd = openConnection("127.0.0." + std::to_string(12 + i), f.port(), true);
            if (fd < 0) {
                ++notConnected;
                return;
            }
            const std::string line = "GET /v1/events?after=0&limit=10 HTTP/1.1\r\nHost: 127.0.0.1\r\n";
            for (std::size_t k = 0; k < line.size() && !stop; ++k) {
                if (send(fd, line.data() + k, 1, MSG_NOSIGNAL) != 1) break;
                ++bytesTrickled;
                for (int t = 0; t < 5 && !stop; ++t)
                    std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            close(fd);
        });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));

    double seconds = 0;
    const long status = f.pull(&seconds);
    std::printf("pull under 200 idle and 10 slow connections: HTTP %ld in %.3f s (%d bytes trickled)\n",
                status, seconds, bytesTrickled.load());
    CHECK(status == 200);

    stop = true;
    for (auto& t : slow)
        t.join();
    CHECK(notConnected == 0);
    for (const int fd : idle)
        close(fd);
    CHECK(f.pull() == 200);
}

TEST_CASE("200 concurrent pushes each get an HTTP answer", "[sync][hostile]") {
    Hostile f;
    constexpr int kPushes = 200;
    const std::string url = f.world.server().url() + "/v1/push";
    std::vector<long> status(kPushes, 0);
    std::vector<CURLcode> codes(kPushes, CURLE_OK);
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    const auto start = Clock::now();
    for (int i = 0; i < kPushes; ++i) {
        threads.emplace_back([&, i] {
            CURL* c = curl_easy_init();
            // 40 offices behind each of 127.0.1.1 .. 127.0.1.5.
            const std::string from = "127.0.1." + std::to_string(1 + i / 40);
            const std::string auth = "Authorization: Bearer " + f.token;
            curl_slist* headers = nullptr;
            headers = curl_slist_append(headers, "Shouxin-Protocol: 1");
            headers = curl_slist_append(headers, "Content-Type: application/json");
            headers = curl_slist_append(headers, auth.c_str());
            curl_easy_setopt(c, CURLOPT_URL, url.c_str());
            curl_easy_setopt(c, CURLOPT_INTERFACE, from.c_str());
            curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
            curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, kEmptyPush);
            curl_easy_setopt(
                c, CURLOPT_WRITEFUNCTION, +[](char*, std::size_t s, std::size_t n, void*) { return s * n; });
            ++ready;
            while (ready < kPushes)
                std::this_thread::yield();
            codes[static_cast<std::size_t>(i)] = curl_easy_perform(c);
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status[static_cast<std::size_t>(i)]);
            curl_slist_free_all(headers);
            curl_easy_cleanup(c);
        });
    }
    for (auto& t : threads)
        t.join();
    int answered = 0, created = 0, resets = 0;
    for (int i = 0; i < kPushes; ++i) {
        if (status[static_cast<std::size_t>(i)] != 0) ++answered;
        if (status[static_cast<std::size_t>(i)] == 201) ++created;
        if (codes[static_cast<std::size_t>(i)] == CURLE_RECV_ERROR ||
            codes[static_cast<std::size_t>(i)] == CURLE_SEND_ERROR)
            ++resets;
    }
    std::printf("%d concurrent pushes: %d answered, %d with 201, %d reset, in %.3f s\n", kPushes, answered,
                created, resets, secondsSince(start));
    CHECK(answered == kPushes);
    CHECK(created == kPushes);
    CHECK(resets == 0);
    CHECK(f.pull() == 200);
}

TEST_CASE("the district refuses wrong framing with its own status and reason", "[sync][hostile]") {
    Hostile f;
    const auto ask = [&](const std::string& extra, const std::string& body) {
        const int fd = connectFrom("127.0.0.1", f.port());
        const std::string answer = exchange(fd, pushHead(f.token, extra), body);
        close(fd);
        return answer;
    };
    const std::string length = "Content-Length: " + std::to_string(std::string(kEmptyPush).size()) + "\r\n";

    SECTION("the empty push itself is accepted") {
        const auto r = ask("Content-Type: application/json; charset=utf-8\r\n" + length, kEmptyPush);
        CHECK(statusOf(r) == 201);
    }
    SECTION("text/plain") {
        const auto r = ask("Content-Type: text/plain\r\n" + length, kEmptyPush);
        CHECK(statusOf(r) == 415);
        CHECK(reasonOf(r) == "content_type");
    }
    SECTION("no content type") {
        const auto r = ask(length, kEmptyPush);
        CHECK(statusOf(r) == 415);
        CHECK(reasonOf(r) == "content_type");
    }
    SECTION("brotli") {
        const auto r = ask("Content-Type: application/json\r\nContent-Encoding: br\r\n" + length, kEmptyPush);
        CHECK(statusOf(r) == 415);
        CHECK(reasonOf(r) == "encoding");
    }
    SECTION("corrupt gzip") {
        const auto r =
            ask("Content-Type: application/json\r\nContent-Encoding: gzip\r\n" + length, kEmptyPush);
        CHECK(statusOf(r) == 400);
        CHECK(reasonOf(r) == "encoding");
    }
    SECTION("a Content-Length over the cap, before any body is sent") {
        const auto start = Clock::now();
        const auto r = ask("Content-Type: application/json\r\nContent-Length: " +
                               std::to_string(wire::kMaxBodyBytes + 1) + "\r\n",
                           "");
        CHECK(statusOf(r) == 413);
        CHECK(reasonOf(r) == "too_large");
        CHECK(secondsSince(start) < 5);
    }
    SECTION("a chunked body that grows over the cap") {
        std::string chunked;
        const std::string piece(64 * 1024, ' ');
        char size[32];
        std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
        for (std::size_t sent = 0; sent <= wire::kMaxBodyBytes + 256 * 1024; sent += piece.size())
            chunked += size + piece + "\r\n";
        chunked += "0\r\n\r\n";
        const auto r = ask("Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n", chunked);
        CHECK(statusOf(r) == 413);
        CHECK(reasonOf(r) == "too_large");
    }
    CHECK(f.pull() == 200);
}

namespace {

std::string answerHead(int status, const std::string& extra) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nShouxin-Protocol: 1\r\n" + extra +
           "Connection: close\r\n\r\n";
}

}  // namespace

TEST_CASE("the client refuses an answer larger than its cap, however it is framed", "[sync][hostile]") {
    const std::string block(1u << 20, '{');
    constexpr int kBlocks = 100;  // 100 MB
    HostileServer::Answer answer;
    SECTION("100 MB with a Content-Length") {
        answer = [&](const HostileServer& s, int fd, const std::string&) {
            if (!s.write(fd, answerHead(
                                 200, "Content-Length: " + std::to_string(kBlocks * block.size()) + "\r\n")))
                return;
            for (int i = 0; i < kBlocks && s.write(fd, block); ++i) {
            }
        };
    }
    SECTION("100 MB chunked, with no length announced") {
        answer = [&](const HostileServer& s, int fd, const std::string&) {
            if (!s.write(fd, answerHead(200, "Transfer-Encoding: chunked\r\n"))) return;
            char size[32];
            std::snprintf(size, sizeof size, "%zx\r\n", block.size());
            for (int i = 0; i < kBlocks && s.write(fd, size + block + "\r\n"); ++i) {
            }
        };
    }
    SECTION("a gzip bomb: 1 MB that inflates to 1 GiB") {
        gigabyteBomb();  // made before the clock starts
        answer = [&](const HostileServer& s, int fd, const std::string&) {
            const std::string& bomb = gigabyteBomb();
            if (s.write(fd, answerHead(200, "Content-Encoding: gzip\r\nContent-Length: " +
                                                std::to_string(bomb.size()) + "\r\n"))) {
                s.write(fd, bomb);
            }
        };
    }
    SECTION("headers without end") {
        answer = [&](const HostileServer& s, int fd, const std::string&) {
            std::string headers;
            for (int i = 0; i < 5000; ++i)
                headers += "X-Filler-" + std::to_string(i) + ": " + std::string(100, 'x') + "\r\n";
            s.write(fd, answerHead(200, headers));
        };
    }
    HostileServer server(answer);
    client::CurlOptions options;
    options.baseUrl = server.url();
    options.totalTimeoutSeconds = 60;
    const auto http = client::makeCurlTransport(options);
    const auto start = Clock::now();
    const auto r = http->send({"GET", "/v1/events?after=0&limit=10", "", false, "token", wire::kProtocol});
    std::printf("hostile answer refused in %.3f s: %s\n", secondsSince(start), r.transportMessage.c_str());
    CHECK(r.status == 0);
    CHECK(r.tooLarge);
    CHECK(r.transportMessage.find("larger than") != std::string::npos);
    CHECK(r.body.empty());
    const auto c = client::classify(r, 200);
    CHECK(c.verdict == client::Verdict::refused);
    CHECK(c.reason == "answer_too_large");
}

TEST_CASE("a sync against a district answering deeply nested JSON fails cleanly",
          "[sync][hostile]") {
    Hostile f;
    REQUIRE(f.kiosk.cli({"demo"}).exitCode == 0);
    HostileServer server([](const HostileServer& s, int fd, const std::string& request) {
        const std::string nested(100000, '[');
        const int status = request.rfind("POST", 0) == 0 ? 201 : 200;
        s.write(fd, answerHead(status, "Content-Type: application/json\r\nContent-Length: " +
                                           std::to_string(nested.size()) + "\r\n") +
                        nested);
    });
    f.kiosk.open().setSetting(Setting::serverUrl, server.url());
    const auto pending = f.kiosk.open().pendingCount();
    const auto r = f.kiosk.cli({"sync", "--once", "--retries", "0"});
    INFO(r.err);
    CHECK(server.requests() >= 1);
    CHECK(r.exitCode == 1);  // a failure reported, not a crash (128 + signal)
    CHECK(f.kiosk.open().pendingCount() == pending);
}
