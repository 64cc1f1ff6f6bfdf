#include "bench/programs.hpp"

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>

namespace shouxin::bench {

Run run(const std::vector<std::string>& argv) {
    int pipeFd[2];
    if (pipe(pipeFd) != 0) return {};
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(pipeFd[1], 1);
        close(pipeFd[0]);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
    close(pipeFd[1]);
    Run r;
    char buf[4096];
    for (ssize_t n; (n = read(pipeFd[0], buf, sizeof buf)) > 0;)
        r.out.append(buf, static_cast<std::size_t>(n));
    close(pipeFd[0]);
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.peakKb = usage.ru_maxrss;
    return r;
}

long vmHwmKb(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
    }
    return 0;
}

Round parseRound(const std::string& out) {
    const std::regex re(
        R"((\d+) ↑, (\d+) =, (\d+) ✗, (\d+) ↓; (\d+) requests, (\d+) B sent, (\d+) B received(?:; (\d+) ms)?)");
    Round r;
    for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it) {
        r.pushed += std::stol((*it)[1]);
        r.pulled += std::stol((*it)[4]);
        r.requests += std::stol((*it)[5]);
        r.sent += std::stol((*it)[6]);
        r.received += std::stol((*it)[7]);
        if ((*it)[8].matched) r.millis += std::stol((*it)[8]);
    }
    return r;
}

ServerChild::ServerChild(const std::string& program, const std::string& db) {
    int outPipe[2];
    if (pipe(outPipe) != 0) return;
    pid = fork();
    if (pid == 0) {
        dup2(outPipe[1], 1);
        execl(program.c_str(), program.c_str(), "--db", db.c_str(), "serve", "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(outPipe[1]);
    fd = outPipe[0];
    char line[256] = {};
    const ssize_t got = read(fd, line, sizeof line - 1);
    const std::string listening(line, got > 0 ? static_cast<std::size_t>(got) : 0);
    const auto at = listening.find("http");
    if (at != std::string::npos) url = listening.substr(at, listening.find('\n') - at);
}

ServerChild::~ServerChild() {
    if (pid > 0) {
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
    }
    if (fd >= 0) close(fd);
}

}  // namespace shouxin::bench
