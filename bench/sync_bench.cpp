// Sync over loopback with the real programs: the district server as a
// process, the `shouxin` command line as the client. Pushes 10,000 events,
// then 1,000 fulfilment reports, an idle round, and a fresh node's first
// pull; prints wall time, events/s, bytes on the wire, requests and the
// peak memory of client and server. Also the raw SQLite insert rate in the
// same run, for scale. Asserts nothing.
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

#include "bench/workload.hpp"
#include "shared/crypto.hpp"
#include "shared/store.hpp"

using namespace shouxin;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string gBin;  // folder of the programs

struct Run {
    int exitCode = -1;
    std::string out;
    double seconds = 0;
    long peakKb = 0;
};

// Runs a program to completion, timing it and reading its peak RSS.
Run run(const std::vector<std::string>& argv) {
    int pipeFd[2];
    if (pipe(pipeFd) != 0) return {};
    const auto start = Clock::now();
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
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
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

struct Round {
    long pushed = 0, pulled = 0, requests = 0, sent = 0, received = 0;
};

Round parseRound(const std::string& out) {
    const std::regex re(
        R"((\d+) ↑, (\d+) =, (\d+) ✗, (\d+) ↓; (\d+) requests, (\d+) B sent, (\d+) B received)");
    Round r;
    for (auto it = std::sregex_iterator(out.begin(), out.end(), re); it != std::sregex_iterator(); ++it) {
        r.pushed += std::stol((*it)[1]);
        r.pulled += std::stol((*it)[4]);
        r.requests += std::stol((*it)[5]);
        r.sent += std::stol((*it)[6]);
        r.received += std::stol((*it)[7]);
    }
    return r;
}

void header() {
    std::printf("| %-34s | %7s | %8s | %10s | %8s | %11s | %9s | %9s |\n", "round", "events", "seconds",
                "events/s", "requests", "wire bytes", "bytes/evt", "client MB");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(9, '-').c_str(),
                std::string(10, '-').c_str(), std::string(12, '-').c_str(), std::string(10, '-').c_str(),
                std::string(13, '-').c_str(), std::string(11, '-').c_str(), std::string(11, '-').c_str());
}

void row(const char* name, long events, const Run& run, const Round& r) {
    const long bytes = r.sent + r.received;
    std::printf("| %-34s | %7ld | %8.3f | %10.0f | %8ld | %11ld | %9.1f | %9.1f |\n", name, events,
                run.seconds, run.seconds > 0 ? static_cast<double>(events) / run.seconds : 0.0, r.requests,
                bytes, events > 0 ? static_cast<double>(bytes) / static_cast<double>(events) : 0.0,
                static_cast<double>(run.peakKb) / 1024.0);
}

double rawInsertRate(const fs::path& path, long n) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(
        db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(id TEXT PRIMARY KEY, b TEXT)",
        nullptr, nullptr, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?1, ?2)", -1, &stmt, nullptr);
    const std::string body(500, 'x');
    const auto start = Clock::now();
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (long i = 0; i < n; ++i) {
        const std::string id = newUuidV7();
        sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, body.c_str(), -1, SQLITE_STATIC);
        sqlite3_step(stmt);
        sqlite3_reset(stmt);
    }
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return static_cast<double>(n) / seconds;
}

// Fills a node with `n` events: commitments and reports, 1 : 4.
void fill(const std::string& db, long n) {
    Store store = Store::open(db);
    bench::recordWorkload(store, n);
}

}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::stol(argv[1]) : 10000;
    gBin = fs::canonical("/proc/self/exe").parent_path().string();
    const fs::path dir = fs::temp_directory_path() / ("shouxin-sync-bench-" + std::to_string(getpid()));
    fs::create_directories(dir);
    const std::string district = (dir / "district.db").string();
    const std::string kioskA = (dir / "a.db").string();
    const std::string kioskB = (dir / "b.db").string();
    const std::string shouxin = gBin + "/shouxin";
    const std::string server = gBin + "/shouxin-district";

    run({server, "--db", district, "init", "--district", "330110", "--name", "余杭区"});
    int outPipe[2];
    if (pipe(outPipe) != 0) return 1;
    const pid_t serverPid = fork();
    if (serverPid == 0) {
        dup2(outPipe[1], 1);
        execl(server.c_str(), server.c_str(), "--db", district.c_str(), "serve", "--listen", "127.0.0.1:0",
              static_cast<char*>(nullptr));
        _exit(127);
    }
    close(outPipe[1]);
    char line[256] = {};
    const ssize_t got = read(outPipe[0], line, sizeof line - 1);
    const std::string listening(line, got > 0 ? static_cast<std::size_t>(got) : 0);
    const std::string url =
        listening.substr(listening.find("http"), listening.find('\n') - listening.find("http"));

    for (const auto& [db, name] : {std::pair{kioskA, "a"}, std::pair{kioskB, "b"}}) {
        run({shouxin, "--db", db, "init", "--office", "330110104", "--name", "青山镇人民政府"});
        const std::string code =
            run({server, "--db", district, "enroll-code", "--office", "330110104"}).out.substr(0, 11);
        run({shouxin, "--db", db, "enroll", url, code});
    }
    std::printf(
        "Shouxin sync benchmark over loopback (%s): district server and client are the real programs\n\n",
        url.c_str());
    fill(kioskA, n - 1);  // with init's office.named: n events

    header();
    Run push = run({shouxin, "--db", kioskA, "sync", "--once"});
    Round r = parseRound(push.out);
    row("push (first sync of a node)", r.pushed, push, r);

    fill(kioskA, 1000);
    Run reports = run({shouxin, "--db", kioskA, "sync", "--once"});
    r = parseRound(reports.out);
    row("push 1,000 fulfilment reports", r.pushed, reports, r);

    Run idle = run({shouxin, "--db", kioskA, "sync", "--once"});
    r = parseRound(idle.out);
    row("idle round", 0, idle, r);

    Run pull = run({shouxin, "--db", kioskB, "sync", "--once"});
    r = parseRound(pull.out);
    row("pull (a fresh node's first sync)", r.pulled, pull, r);

    const long serverKb = vmHwmKb(serverPid);
    kill(serverPid, SIGTERM);
    waitpid(serverPid, nullptr, 0);
    std::printf(
        "\nserver peak RSS %.1f MB; raw SQLite insert rate in this run (one transaction, WAL, FULL): %.0f "
        "rows/s\n",
        static_cast<double>(serverKb) / 1024.0, rawInsertRate(dir / "raw.db", n));
    const bool same =
        run({shouxin, "--db", kioskA, "digest"}).out == run({shouxin, "--db", kioskB, "digest"}).out;
    std::printf("kiosk digests equal after the rounds: %s\n", same ? "yes" : "NO");
    fs::remove_all(dir);
    return same ? 0 : 1;
}
