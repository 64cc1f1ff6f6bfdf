#pragma once
// The real district server as a child process on 127.0.0.1, on a port the
// OS picks (or a given one, to restart in place).
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace shouxin::test {

class ServerProcess {
public:
    /// Starts `shouxin-district --db DB serve --listen 127.0.0.1:PORT` and
    /// waits for its "listening on" line.
    explicit ServerProcess(std::filesystem::path db, int port = 0, std::vector<std::string> extraArgs = {});
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    int port() const { return m_port; }
    /// The server's process id, to look at its memory (/proc/PID/status).
    pid_t pid() const { return m_pid; }
    std::string url() const { return m_scheme + "://127.0.0.1:" + std::to_string(m_port); }
    /// SIGKILL, no goodbye: what a power cut does.
    void kill();
    /// SIGTERM and wait.
    void stop();

private:
    pid_t m_pid = -1;
    int m_port = 0;
    std::string m_scheme = "http";
};

/// `shouxin-district --db DB`, and `--keys DIR` for a PostgreSQL URL
/// (postgresKeysDir): the start of every command line for the district.
std::vector<std::string> districtCommand(const std::filesystem::path& db);

/// Runs `shouxin-district --db DB ARGS...` to completion.
std::string districtCli(const std::filesystem::path& db, const std::vector<std::string>& args);

}  // namespace shouxin::test
