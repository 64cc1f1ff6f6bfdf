// Sync over loopback with the real programs: the district server as a
// process, the `shouxin` command line as the client. For each size n, the
// PouchDB peer's shape (shared/peers/pouchdb): n commitments pushed by a
// node's first sync, then fulfilment reports to n/10 of them, an idle
// round, and a fresh node's first pull; prints wall time, events/s, bytes
// on the wire, requests and the peak memory of client and server. Also the
// raw SQLite insert rate in the same run, for scale. Asserts nothing
// beyond the two kiosks' digests being equal.
//
//   shouxin_sync_bench [n ...]      (default 1000 10000 100000)
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/figures.hpp"
#include "bench/programs.hpp"
#include "bench/workload.hpp"
#include "shared/crypto.hpp"
#include "shared/store.hpp"

using namespace shouxin;
using namespace shouxin::bench;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

std::string gBin;  // folder of the programs

void header() {
    std::printf("| %-34s | %7s | %8s | %9s | %10s | %8s | %11s | %9s | %9s |\n", "round", "events", "seconds",
                "process s", "events/s", "requests", "wire bytes", "bytes/evt", "client MB");
    std::printf("|%s|%s|%s|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(9, '-').c_str(),
                std::string(10, '-').c_str(),
                std::string(10, '-').c_str(), std::string(12, '-').c_str(), std::string(10, '-').c_str(),
                std::string(13, '-').c_str(), std::string(11, '-').c_str(), std::string(11, '-').c_str());
}

void row(const char* name, long events, const Run& run, const Round& r) {
    const long bytes = r.sent + r.received;
    const double seconds = r.seconds(run);
    std::printf("| %-34s | %7ld | %8.3f | %9.3f | %10.0f | %8ld | %11ld | %9.1f | %9.1f |\n", name, events,
                seconds, run.seconds, seconds > 0 ? static_cast<double>(events) / seconds : 0.0, r.requests,
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

// Times one workload of `n` commitments against a fresh district: returns
// false when the two kiosks' digests differ afterwards.
bool benchSize(const fs::path& dir, long n, double& clientPeakMb, double& serverPeakMb) {
    fs::create_directories(dir);
    const std::string district = (dir / "district.db").string();
    const std::string kioskA = (dir / "a.db").string();
    const std::string kioskB = (dir / "b.db").string();
    const std::string shouxin = gBin + "/shouxin";
    const std::string server = gBin + "/shouxin-district";

    run({server, "--db", district, "init", "--district", "330110", "--name", "余杭区"});
    const ServerChild districtServer(server, district);
    const std::string& url = districtServer.url;
    if (url.empty()) return false;

    for (const auto& db : {kioskA, kioskB}) {
        run({shouxin, "--db", db, "init", "--office", "330110104", "--name", "青山镇人民政府"});
        const std::string code =
            run({server, "--db", district, "enroll-code", "--office", "330110104"}).out.substr(0, 11);
        run({shouxin, "--db", db, "enroll", url, code});
    }

    // Preparation, not timed: n commitments now, a report to every tenth later.
    const auto prepStart = Clock::now();
    std::vector<std::string> ids;
    {
        Store store = Store::open(kioskA);
        ids = bench::recordCommitments(store, n);
    }
    double prepSeconds = std::chrono::duration<double>(Clock::now() - prepStart).count();
    if (ids.empty()) return false;

    const std::string size = std::to_string(n);
    const auto emit = [&](const std::string& round, long events, const Run& run, const Round& r) {
        const std::string key = "sync." + round + "." + size + ".";
        bench::figure(key + "events", static_cast<double>(events), "events");
        bench::figure(key + "seconds", r.seconds(run), "s");
        bench::figure(key + "process_seconds", run.seconds, "s");
        bench::figure(key + "requests", static_cast<double>(r.requests), "requests");
        bench::figure(key + "bytes", static_cast<double>(r.sent + r.received), "B");
        bench::figure(key + "client_mb", static_cast<double>(run.peakKb) / 1024.0, "MB");
        if (events > 0) bench::figure(key + "events_per_s", static_cast<double>(events) / r.seconds(run), "events/s");
        clientPeakMb = std::max(clientPeakMb, static_cast<double>(run.peakKb) / 1024.0);
    };

    std::printf("\n%ld commitments, then a report to %ld of them (%s)\n\n", n, n / 10, url.c_str());
    header();
    Run push = run({shouxin, "--db", kioskA, "sync", "--once"});
    Round r = parseRound(push.out);
    row("push (first sync of a node)", r.pushed, push, r);
    emit("push", r.pushed, push, r);

    std::vector<std::string> reported;
    for (std::size_t i = 0; i < ids.size(); i += 10)
        reported.push_back(ids[i]);
    const auto reportStart = Clock::now();
    {
        Store store = Store::open(kioskA);
        if (!bench::recordReports(store, reported)) return false;
    }
    prepSeconds += std::chrono::duration<double>(Clock::now() - reportStart).count();
    Run reports = run({shouxin, "--db", kioskA, "sync", "--once"});
    r = parseRound(reports.out);
    const std::string reportsName = "push " + std::to_string(reported.size()) + " fulfilment reports";
    row(reportsName.c_str(), r.pushed, reports, r);
    emit("update", r.pushed, reports, r);

    Run idle = run({shouxin, "--db", kioskA, "sync", "--once"});
    r = parseRound(idle.out);
    row("idle round", 0, idle, r);
    emit("idle", 0, idle, r);

    Run pull = run({shouxin, "--db", kioskB, "sync", "--once"});
    r = parseRound(pull.out);
    row("pull (a fresh node's first sync)", r.pulled, pull, r);
    emit("pull", r.pulled, pull, r);

    // The district relays everything it holds to a fresh city (逐级归集).
    const std::string city = (dir / "city.db").string();
    run({server, "--db", city, "init", "--district", "3301", "--name", "杭州市"});
    const ServerChild cityServer(server, city);
    const std::string cityCode = run({server, "--db", city, "enroll-code", "--office", "330110"}).out.substr(0, 11);
    run({server, "--db", district, "upstream", cityServer.url, cityCode});
    Run relay = run({server, "--db", district, "relay"});
    r = parseRound(relay.out);
    row("relay, district to city", r.pushed, relay, r);
    emit("relay", r.pushed, relay, r);
    const bool relayedWhole = run({server, "--db", city, "digest", "--office", "330110"}).out ==
                              run({server, "--db", district, "digest", "--office", "330110"}).out;
    bench::figure("sync.relay_digests_equal." + size, relayedWhole ? 1 : 0, "bool");

    const long serverKb = vmHwmKb(districtServer.pid);
    serverPeakMb = std::max(serverPeakMb, static_cast<double>(serverKb) / 1024.0);
    bench::figure("sync.server." + size + ".peak_mb", static_cast<double>(serverKb) / 1024.0, "MB");
    const double raw = rawInsertRate(dir / "raw.db", n);
    bench::figure("raw.insert_one_tx." + size + ".rows_per_s", raw, "rows/s");
    const bool same =
        run({shouxin, "--db", kioskA, "digest"}).out == run({shouxin, "--db", kioskB, "digest"}).out;
    bench::figure("sync.digests_equal." + size, same ? 1 : 0, "bool");
    std::printf(
        "\nserver peak RSS %.1f MB; raw SQLite insert rate, %ld rows (one transaction, WAL, FULL): %.0f "
        "rows/s\nkiosk digests equal after the rounds: %s; the city's digest of the district equals the "
        "district's: %s; preparation (not timed) %.1f s\n",
        static_cast<double>(serverKb) / 1024.0, n, raw, same ? "yes" : "NO", relayedWhole ? "yes" : "NO", prepSeconds);
    std::fflush(stdout);
    fs::remove_all(dir);
    return same && relayedWhole;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<long> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::stol(argv[i]));
    if (sizes.empty()) sizes = {1000, 10000, 100000};
    gBin = fs::canonical("/proc/self/exe").parent_path().string();
    const fs::path dir = fs::temp_directory_path() / ("shouxin-sync-bench-" + std::to_string(getpid()));
    std::printf(
        "Shouxin sync benchmark over loopback: district server and client are the real programs, a fresh "
        "district for each size\n");
    bool same = true;
    double clientPeakMb = 0, serverPeakMb = 0;
    for (const long n : sizes) {
        if (!benchSize(dir / std::to_string(n), n, clientPeakMb, serverPeakMb)) same = false;
    }
    bench::figure("sync.client_peak_mb", clientPeakMb, "MB");
    bench::figure("sync.server_peak_mb", serverPeakMb, "MB");
    fs::remove_all(dir);
    return same ? 0 : 1;
}
