#pragma once
// Heals a damaged node file from the district on a thread of its own
// (sync/client/heal.hpp), again and again with a doubling wait while the
// district cannot be reached, until it is done. The UI thread reads a
// status snapshot once per frame and never waits on the network.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace shouxin::kiosk {

class Healer {
public:
    struct Status {
        bool done = false;      // healed: the node file is whole again
        int attempts = 0;       // finished attempts
        std::string problemId;  // catalogue id of the last failed attempt's outcome
        std::string report;     // the last attempt's report (heal::describe) or error
    };
    /// Starts at once. `wake` is called from the thread when the status
    /// changes (the shell's glfwPostEmptyEvent).
    Healer(std::filesystem::path db, std::function<void()> wake, std::chrono::milliseconds firstWait,
           std::chrono::milliseconds maxWait);
    /// Aborts a request in flight and joins.
    ~Healer();
    Healer(const Healer&) = delete;
    Healer& operator=(const Healer&) = delete;
    Status status() const;

private:
    void run();
    std::filesystem::path m_db;
    std::function<void()> m_wake;
    std::chrono::milliseconds m_firstWait;
    std::chrono::milliseconds m_maxWait;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    Status m_status;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace shouxin::kiosk
