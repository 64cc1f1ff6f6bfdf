#include "tests/support/server_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdexcept>
#include <vector>

#include "shared/store.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/process.hpp"

namespace shouxin::test {

std::vector<std::string> districtCommand(const std::filesystem::path& db) {
    std::vector<std::string> argv = {SHOUXIN_DISTRICT, "--db", db.string()};
    if (isDatabaseUrl(db.string())) argv.insert(argv.end(), {"--keys", postgresKeysDir(db.string()).string()});
    return argv;
}

ServerProcess::ServerProcess(std::filesystem::path db, int port, std::vector<std::string> extraArgs) {
    int out[2];
    if (pipe2(out, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
    const std::string listen = "127.0.0.1:" + std::to_string(port);
    std::vector<std::string> args = districtCommand(db);
    args.insert(args.end(), {"serve", "--listen", listen});
    args.insert(args.end(), extraArgs.begin(), extraArgs.end());
    m_pid = fork();
    if (m_pid < 0) throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        dup2(out[1], 1);
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(out[1]);
    // Wait (at most 20 s) for "listening on http://127.0.0.1:PORT".
    std::string line;
    pollfd pfd{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && poll(&pfd, 1, 20000) > 0) {
        char buf[256];
        const ssize_t n = read(out[0], buf, sizeof buf);
        if (n <= 0) break;
        line.append(buf, static_cast<std::size_t>(n));
    }
    close(out[0]);
    const auto colon = line.rfind(':');
    if (line.rfind("listening on", 0) != 0 || colon == std::string::npos) {
        kill();
        throw std::runtime_error("district server did not start: " + line);
    }
    m_port = std::stoi(line.substr(colon + 1));
    m_scheme = line.rfind("listening on https", 0) == 0 ? "https" : "http";
}

ServerProcess::~ServerProcess() { stop(); }

void ServerProcess::kill() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

void ServerProcess::stop() {
    if (m_pid <= 0) return;
    ::kill(m_pid, SIGTERM);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
}

std::string districtCli(const std::filesystem::path& db, const std::vector<std::string>& args) {
    std::vector<std::string> argv = districtCommand(db);
    argv.insert(argv.end(), args.begin(), args.end());
    const RunResult r = runProgram(argv);
    if (r.exitCode != 0) throw std::runtime_error("shouxin-district failed: " + r.err);
    return r.out;
}

}  // namespace shouxin::test
