#pragma once
// A server on 127.0.0.1 that accepts connections, reads what comes, and
// never answers: what a wedged proxy or a dying district link looks like.
#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace shouxin::test {

class HangingServer {
public:
    HangingServer();
    ~HangingServer();
    HangingServer(const HangingServer&) = delete;
    HangingServer& operator=(const HangingServer&) = delete;

    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
    int connections() const { return m_accepted.load(); }

private:
    int m_listen = -1;
    int m_port = 0;
    std::atomic<bool> m_stop{false};
    std::atomic<int> m_accepted{0};
    std::vector<int> m_clients;
    std::thread m_thread;
};

}  // namespace shouxin::test
