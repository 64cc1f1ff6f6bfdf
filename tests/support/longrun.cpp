#include "tests/support/longrun.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace shouxin::test {

double longRunSeconds(double ciSeconds) {
    const char* env = std::getenv("SHOUXIN_LONGRUN_SECONDS");
    if (!env || !*env) return ciSeconds;
    const double seconds = std::atof(env);
    return seconds > 0 ? seconds : ciSeconds;
}

Spawned::Spawned(const std::vector<std::string>& argv, const std::filesystem::path& out) {
    m_pid = fork();
    if (m_pid < 0) throw std::runtime_error("fork failed");
    if (m_pid == 0) {
        const int devnull = open("/dev/null", O_RDWR);
        const int file = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        dup2(devnull, 0);
        dup2(file >= 0 ? file : devnull, 1);
        dup2(devnull, 2);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execv(args[0], args.data());
        _exit(127);
    }
}

Spawned::~Spawned() {
    if (m_pid > 0) terminate(10);
}

bool Spawned::running() {
    if (m_pid <= 0) return false;
    int status = 0;
    return waitpid(m_pid, &status, WNOHANG) == 0;
}

int Spawned::terminate(double seconds) {
    if (m_pid <= 0) return -1;
    ::kill(m_pid, SIGTERM);
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(m_pid, SIGKILL);
    waitpid(m_pid, nullptr, 0);
    m_pid = -1;
    return -1;
}

std::string howEnded(pid_t pid) {
    siginfo_t info{};
    if (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) != 0 || info.si_pid == 0)
        return "";
    return (info.si_code == CLD_EXITED ? "exit " : "signal ") + std::to_string(info.si_status);
}

std::optional<ProcessSample> sampleProcess(pid_t pid, double seconds) {
    const std::filesystem::path proc = "/proc/" + std::to_string(pid);
    std::ifstream status(proc / "status");
    ProcessSample s;
    s.seconds = seconds;
    std::string key;
    bool found = false;
    while (status >> key) {
        if (key == "VmRSS:") {
            status >> s.rssKb;
            found = true;
            break;
        }
        status.ignore(4096, '\n');
    }
    if (!found) return std::nullopt;
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(proc / "fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++s.fds;
    if (ec) return std::nullopt;
    return s;
}

Flatness flatness(const std::vector<ProcessSample>& samples, double warmUpEnd) {
    Flatness f;
    if (samples.empty()) return f;
    const double end = samples.back().seconds;
    const double from = warmUpEnd < 0 ? end * 0.25 : warmUpEnd;
    const double baselineEnd = from + (end - from) / 3;
    const double lateStart = end - (end - from) / 3;
    std::vector<long> baseRss, lateRss;
    std::vector<int> baseFds, lateFds;
    for (const ProcessSample& s : samples) {
        if (s.seconds < lateStart) f.earlierRssMaxKb = std::max(f.earlierRssMaxKb, s.rssKb);
        if (s.seconds >= from && s.seconds < baselineEnd) {
            baseRss.push_back(s.rssKb);
            baseFds.push_back(s.fds);
        } else if (s.seconds >= lateStart) {
            lateRss.push_back(s.rssKb);
            lateFds.push_back(s.fds);
        }
    }
    f.baselineSamples = baseRss.size();
    f.lateSamples = lateRss.size();
    if (baseRss.empty() || lateRss.empty()) return f;
    f.baselineRssKb = *std::min_element(baseRss.begin(), baseRss.end());
    f.lateRssKb = *std::min_element(lateRss.begin(), lateRss.end());
    f.baselineRssMaxKb = *std::max_element(baseRss.begin(), baseRss.end());
    f.lateRssMaxKb = *std::max_element(lateRss.begin(), lateRss.end());
    f.rssPeakGrowthKb = f.lateRssMaxKb - f.earlierRssMaxKb;
    f.rssGrowthKb = f.lateRssKb - f.baselineRssKb;
    f.baselineFdsMin = *std::min_element(baseFds.begin(), baseFds.end());
    f.baselineFdsMax = *std::max_element(baseFds.begin(), baseFds.end());
    f.lateFdsMin = *std::min_element(lateFds.begin(), lateFds.end());
    f.lateFdsMax = *std::max_element(lateFds.begin(), lateFds.end());
    return f;
}

std::vector<std::string> commitmentIds(const Kiosk& node) {
    const RunResult r = node.cli({"list"});
    std::vector<std::string> ids;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line) && ids.size() < 12)
        if (line.size() > 36 && line[8] == '-') ids.push_back(line.substr(0, 36));
    return ids;
}

void districtUpThenClerkReport(SyncWorld& world, const Kiosk& node, const std::vector<std::string>& ids, int n) {
    const std::string serverEnded = howEnded(world.server().pid());
    INFO("the district server ended: " << serverEnded);
    REQUIRE(serverEnded.empty());
    const std::string& id = ids[static_cast<std::size_t>(n) % ids.size()];
    const RunResult r = node.cli({"report", "--commitment", id, "--status", "in_progress", "--progress",
                                  std::to_string(n % 100), "--note", "进度 " + std::to_string(n), "--clerk", "zhang"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
}

}  // namespace shouxin::test
