#include "tests/support/hanging_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace shouxin::test {

HangingServer::HangingServer() {
    m_listen = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (m_listen < 0 || bind(m_listen, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        listen(m_listen, 16) != 0) {
        throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    socklen_t len = sizeof addr;
    getsockname(m_listen, reinterpret_cast<sockaddr*>(&addr), &len);
    m_port = ntohs(addr.sin_port);
    m_thread = std::thread([this] {
        while (!m_stop) {
            std::vector<pollfd> fds{{m_listen, POLLIN, 0}};
            for (const int c : m_clients)
                fds.push_back({c, POLLIN, 0});
            if (poll(fds.data(), fds.size(), 100) <= 0) continue;
            if (fds[0].revents & POLLIN) {
                const int c = accept4(m_listen, nullptr, nullptr, SOCK_CLOEXEC);
                if (c >= 0) {
                    m_clients.push_back(c);
                    ++m_accepted;
                }
            }
            for (std::size_t i = 1; i < fds.size(); ++i) {
                char buf[4096];
                if (fds[i].revents & POLLIN) (void)!read(fds[i].fd, buf, sizeof buf);  // read, never answer
            }
        }
    });
}

HangingServer::~HangingServer() {
    m_stop = true;
    m_thread.join();
    for (const int c : m_clients)
        close(c);
    close(m_listen);
}

}  // namespace shouxin::test
