#pragma once
// A fault-injecting HTTP proxy on 127.0.0.1 (a port the OS picks) between
// nodes and the real district server: the bad networks of a township, on
// demand. Each request a client sends is one exchange; each exchange gets
// a fault (or none) from an explicit script, then from a seeded random
// draw, and the proxy counts every fault it injected, by kind.
//
// The proxy reads a whole request, forwards it to the server on a fresh
// connection, reads the whole answer (a chunked one is re-framed with a
// Content-Length), and hands it back on the client's kept-alive
// connection, unless the fault says otherwise.
#include <array>
#include <atomic>
#include <cstdint>
#include <deque>
#include <list>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace shouxin::test {

enum class FaultKind : int {
    none,
    delay,             // wait, then forward as usual
    drop,              // close the connection before forwarding (the client gets nothing)
    resetRequest,      // forward `offset` bytes of the request, then RST both sides
    resetResponse,     // forward the request, hand back `offset` bytes of the answer, then RST
    truncateBody,      // hand back the first `offset` bytes of the answer's body, framed as whole
    stall,             // never answer (offset -1: never forward; else after `offset` bytes of the answer)
    captivePortal,     // 200 with an HTML login page, not forwarded
    serverError,       // 500, not forwarded
    unavailable,       // 503 with Retry-After, not forwarded
    tooManyRequests,   // 429 with Retry-After, not forwarded
    corruptRequest,    // flip one byte of the request body, then forward
    corruptResponse,   // flip one byte of the answer's body
};
inline constexpr int kFaultKindCount = static_cast<int>(FaultKind::corruptResponse) + 1;

/// "reset_response", "http_429", ...: the names the soak test prints.
const char* faultName(FaultKind kind);
/// Every kind but none.
std::vector<FaultKind> allFaultKinds();

struct Fault {
    FaultKind kind = FaultKind::none;
    /// Bytes into the request, the answer or its body (see FaultKind);
    /// kRandomOffset: drawn from the message's own length.
    std::int64_t offset = kRandomOffset;
    int delayMillis = 200;
    /// Which byte to flip for corrupt*: kRandomOffset or an index into the body.
    static constexpr std::int64_t kRandomOffset = -2;
};

class FaultProxy {
public:
    /// Forwards to the server listening on 127.0.0.1:`upstreamPort`.
    explicit FaultProxy(int upstreamPort);
    ~FaultProxy();
    FaultProxy(const FaultProxy&) = delete;
    FaultProxy& operator=(const FaultProxy&) = delete;

    int port() const { return m_port; }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

    /// The faults of the next exchanges, one each in the order their
    /// requests arrive; after the script, the random draw (or none).
    void script(std::vector<Fault> faults);
    /// From now on, each exchange (past the script) gets a fault with
    /// `probability`, its kind drawn from `kinds` with `weights` (equal
    /// when empty), its offsets from the message lengths; seeded.
    void randomFaults(double probability, std::uint32_t seed, std::vector<FaultKind> kinds = allFaultKinds(),
                      std::vector<double> weights = {});
    /// No faults from now on (the script is dropped too).
    void clean();
    /// Retry-After of the 503 and 429 answers, in seconds.
    void setRetryAfterSeconds(int seconds) { m_retryAfter = seconds; }

    std::int64_t injected(FaultKind kind) const { return m_injected[static_cast<std::size_t>(kind)].load(); }
    std::int64_t injectedTotal() const;
    std::int64_t exchanges() const { return m_exchanges.load(); }
    int connections() const { return m_connections.load(); }

private:
    struct Connection {
        std::thread thread;
        std::shared_ptr<std::atomic<bool>> done;
        int fd = -1;
    };
    Fault nextFault();
    void serve(int client);
    void count(FaultKind kind) { ++m_injected[static_cast<std::size_t>(kind)]; }
    std::int64_t draw(std::int64_t below);  // uniform in [0, below), 0 when below <= 0
    void reapFinished();

    int m_listen = -1;
    int m_port = 0;
    int m_upstreamPort = 0;
    std::atomic<int> m_retryAfter{1};
    std::atomic<bool> m_stop{false};
    std::array<std::atomic<std::int64_t>, kFaultKindCount> m_injected{};
    std::atomic<std::int64_t> m_exchanges{0};
    std::atomic<int> m_connections{0};

    std::mutex m_mutex;  // the script, the random draw and the connections
    std::deque<Fault> m_script;
    double m_probability = 0;
    std::vector<FaultKind> m_kinds;
    std::discrete_distribution<int> m_pick;
    std::mt19937_64 m_rng;
    std::list<Connection> m_open;
    std::thread m_accept;
};

}  // namespace shouxin::test
