#include "tests/support/hostile_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>

namespace shouxin::test {
namespace {

// The request's head and as much body as Content-Length says (bounded), or
// what came within a few seconds.
std::string readRequest(int fd) {
    std::string text;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::size_t want = std::string::npos;
    while (std::chrono::steady_clock::now() < until && text.size() < (16u << 20)) {
        const auto end = text.find("\r\n\r\n");
        if (end != std::string::npos && want == std::string::npos) {
            want = end + 4;
            const auto at = text.find("Content-Length:");
            if (at != std::string::npos && at < end) want += std::stoul(text.substr(at + 15));
        }
        if (want != std::string::npos && text.size() >= want) break;
        pollfd p{fd, POLLIN, 0};
        if (poll(&p, 1, 100) <= 0) continue;
        char buf[65536];
        const ssize_t n = read(fd, buf, sizeof buf);
        if (n <= 0) break;
        text.append(buf, static_cast<std::size_t>(n));
    }
    return text;
}

}  // namespace

HostileServer::HostileServer(Answer answer) : m_answer(std::move(answer)) {
    m_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (m_listen < 0 || bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(m_listen, 16) != 0) {
        throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] {
        while (!m_stop) {
            pollfd p{m_listen, POLLIN, 0};
            if (poll(&p, 1, 100) <= 0) continue;
            const int c = accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
            if (c < 0) continue;
            const std::string request = readRequest(c);
            ++m_requests;
            m_answer(*this, c, request);
            close(c);
        }
    });
}

HostileServer::~HostileServer() {
    m_stop = true;
    m_thread.join();
    close(m_listen);
}

bool HostileServer::write(int fd, std::string_view data) const {
    while (!data.empty() && !m_stop) {
        pollfd p{fd, POLLOUT, 0};
        if (poll(&p, 1, 100) < 0) return false;
        if (!(p.revents & POLLOUT)) {
            if (p.revents & (POLLERR | POLLHUP)) return false;
            continue;
        }
        const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return data.empty();
}

}  // namespace shouxin::test
