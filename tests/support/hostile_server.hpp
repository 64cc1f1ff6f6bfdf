#pragma once
// A server on 127.0.0.1 that reads each request and answers whatever a test
// tells it to: a hostile or broken district, to see what the client takes.
#include <atomic>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

namespace shouxin::test {

class HostileServer {
public:
    /// `answer` writes the whole answer (status line, headers, body) to the
    /// connected socket, through `server.write`; the connection is closed
    /// after it returns.
    using Answer = std::function<void(const HostileServer& server, int fd, const std::string& request)>;

    explicit HostileServer(Answer answer);
    ~HostileServer();
    HostileServer(const HostileServer&) = delete;
    HostileServer& operator=(const HostileServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int requests() const { return m_requests.load(); }

    /// Writes all of `data`; false once the peer is gone or the server stops.
    bool write(int fd, std::string_view data) const;

private:
    int m_listen = -1;
    int m_port = 0;
    Answer m_answer;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_requests{0};
    std::thread m_thread;
};

}  // namespace shouxin::test
