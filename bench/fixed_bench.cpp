// Fixed costs as a node's log grows: what a clerk or the sync timer pays
// every time, whatever the size, should not grow with the log. For each
// size n, a node holding n events (a commitment to four reports), all
// acknowledged by a district holding them too, then, each repeated and
// the median kept:
//   - opening the node (Store::open in this process: migrations, settings);
//   - an idle round (`shouxin sync --once` with nothing to send or pull):
//     the round as the program times it, and the whole process;
//   - a small push (10 fulfilment reports recorded here, not timed, then
//     `shouxin sync --once`): the round and the whole process.
// The nodes and districts are made once and kept between runs under
// $TMPDIR/shouxin-fixed-bench/<n>/ (a million events take minutes to make
// and push); each run adds its few reports to them. Asserts nothing
// beyond every round succeeding.
//
//   shouxin_fixed_bench [n ...]      (default 1000 1000000)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench/figures.hpp"
#include "bench/programs.hpp"
#include "bench/workload.hpp"
#include "shared/store.hpp"

using namespace shouxin;
using namespace shouxin::bench;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kRepeats = 7;
constexpr long kSmallPush = 10;

std::string gBin;  // folder of the programs

double median(std::vector<double> xs) {
    std::sort(xs.begin(), xs.end());
    return xs.empty() ? 0 : xs[xs.size() / 2];
}

bool ok(const Run& r, const char* what) {
    if (r.exitCode == 0) return true;
    std::fprintf(stderr, "shouxin_fixed_bench: %s failed (exit %d): %s\n", what, r.exitCode, r.out.c_str());
    return false;
}

// The node and district of size n: made and pushed once, then kept.
struct World {
    std::string district, node;
    std::vector<std::string> ids;  // some commitments to report on
};

bool prepare(const fs::path& dir, long n, World& w) {
    w.district = (dir / "district.db").string();
    w.node = (dir / "node.db").string();
    const fs::path ready = dir / "ready";
    const std::string shouxin = gBin + "/shouxin";
    const std::string server = gBin + "/shouxin-district";
    if (!fs::exists(ready)) {
        fs::remove_all(dir);
        fs::create_directories(dir);
        std::printf("making a node of %ld events and pushing it (once; kept in %s)\n", n, dir.c_str());
        std::fflush(stdout);
        const auto start = Clock::now();
        if (!ok(run({server, "--db", w.district, "init", "--district", "330110", "--name", "余杭区"}), "init"))
            return false;
        if (!ok(run({shouxin, "--db", w.node, "init", "--office", "330110104", "--name", "青山镇人民政府"}), "init"))
            return false;
        {
            const ServerChild districtServer(server, w.district);
            if (districtServer.url.empty()) return false;
            const std::string code =
                run({server, "--db", w.district, "enroll-code", "--office", "330110104"}).out.substr(0, 11);
            if (!ok(run({shouxin, "--db", w.node, "enroll", districtServer.url, code}), "enroll")) return false;
            {
                Store store = Store::open(w.node);
                // n events: a commitment to four reports.
                const auto ids = recordCommitments(store, std::max(1L, n / 5), 5000);
                if (ids.empty()) return false;
                for (int round = 0; round < 4 && store.eventCount() < n; ++round) {
                    const auto left = static_cast<std::size_t>(n - store.eventCount());
                    const std::vector<std::string> some(ids.begin(),
                                                        ids.begin() + static_cast<long>(std::min(left, ids.size())));
                    if (!recordReports(store, some, 5000)) return false;
                }
            }
            if (!ok(run({shouxin, "--db", w.node, "sync", "--once"}), "the first push")) return false;
        }
        std::ofstream(ready) << "made in " << std::chrono::duration<double>(Clock::now() - start).count() << " s\n";
    }
    Store store = Store::open(w.node);
    for (const auto& c : store.commitments()) {
        w.ids.push_back(c.commitment.id);
        if (w.ids.size() == kSmallPush) break;
    }
    return w.ids.size() == kSmallPush;
}

struct Costs {
    long events = 0;
    double open = 0, idleRound = 0, idleProcess = 0, pushRound = 0, pushProcess = 0;
};

bool measure(const fs::path& dir, long n, Costs& c) {
    World w;
    if (!prepare(dir, n, w)) return false;
    const std::string shouxin = gBin + "/shouxin";
    const ServerChild districtServer(gBin + "/shouxin-district", w.district);
    if (districtServer.url.empty()) return false;
    // The district may have moved to another port since the node enrolled.
    if (!ok(run({shouxin, "--db", w.node, "set-server", districtServer.url}), "set-server")) return false;
    if (!ok(run({shouxin, "--db", w.node, "sync", "--once"}), "the warm-up round")) return false;

    std::vector<double> open, idleRound, idleProcess, pushRound, pushProcess;
    for (int i = 0; i < kRepeats; ++i) {
        {
            const auto start = Clock::now();
            Store store = Store::open(w.node);
            open.push_back(std::chrono::duration<double>(Clock::now() - start).count());
            c.events = store.eventCount();  // a count reads the whole log: not timed
        }

        const Run idle = run({shouxin, "--db", w.node, "sync", "--once"});
        if (!ok(idle, "an idle round")) return false;
        idleRound.push_back(parseRound(idle.out).seconds(idle));
        idleProcess.push_back(idle.seconds);

        {
            Store store = Store::open(w.node);
            if (!recordReports(store, w.ids)) return false;
        }
        const Run push = run({shouxin, "--db", w.node, "sync", "--once"});
        if (!ok(push, "a small push")) return false;
        const Round r = parseRound(push.out);
        if (r.pushed != kSmallPush) {
            std::fprintf(stderr, "shouxin_fixed_bench: the small push sent %ld events, not %ld\n", r.pushed, kSmallPush);
            return false;
        }
        pushRound.push_back(r.seconds(push));
        pushProcess.push_back(push.seconds);
    }
    c.open = median(open);
    c.idleRound = median(idleRound);
    c.idleProcess = median(idleProcess);
    c.pushRound = median(pushRound);
    c.pushProcess = median(pushProcess);
    return true;
}

std::string sizeName(long n) {
    if (n >= 1000000 && n % 1000000 == 0) return std::to_string(n / 1000000) + "M";
    if (n >= 1000 && n % 1000 == 0) return std::to_string(n / 1000) + "k";
    return std::to_string(n);
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<long> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(std::stol(argv[i]));
    if (sizes.empty()) sizes = {1000, 1000000};
    gBin = fs::canonical("/proc/self/exe").parent_path().string();
    const fs::path root = fs::temp_directory_path() / "shouxin-fixed-bench";
    std::printf(
        "Shouxin fixed costs as the log grows: a node whose events the district holds too; medians of %d, "
        "seconds\n",
        kRepeats);
    std::vector<Costs> costs;
    for (const long n : sizes) {
        Costs c;
        if (!measure(root / std::to_string(n), n, c)) return 1;
        costs.push_back(c);
        const std::string k = "fixed." + std::to_string(n) + ".";
        bench::figure(k + "events", static_cast<double>(c.events), "events");
        bench::figure(k + "open_seconds", c.open, "s");
        bench::figure(k + "idle_seconds", c.idleRound, "s");
        bench::figure(k + "idle_process_seconds", c.idleProcess, "s");
        bench::figure(k + "push_seconds", c.pushRound, "s");
        bench::figure(k + "push_process_seconds", c.pushProcess, "s");
    }
    std::printf("\n| %-36s |", "cost");
    for (std::size_t i = 0; i < sizes.size(); ++i)
        std::printf(" %10s |", sizeName(sizes[i]).c_str());
    std::printf(" %9s |\n|%s|", "last/first", std::string(38, '-').c_str());
    for (std::size_t i = 0; i <= sizes.size(); ++i)
        std::printf("%s|", std::string(12, '-').c_str());
    std::printf("\n");
    const auto row = [&](const char* name, double Costs::*field) {
        std::printf("| %-36s |", name);
        for (const auto& c : costs)
            std::printf(" %10.4f |", c.*field);
        const double first = costs.front().*field;
        std::printf(" %9.2f |\n", first > 0 ? costs.back().*field / first : 0.0);
    };
    std::printf("| %-36s |", "events held");
    for (const auto& c : costs)
        std::printf(" %10ld |", c.events);
    std::printf(" %9s |\n", "");
    row("open the node (Store::open)", &Costs::open);
    row("idle round (as sync prints it)", &Costs::idleRound);
    row("idle round, whole process", &Costs::idleProcess);
    row("push of 10 reports (round)", &Costs::pushRound);
    row("push of 10 reports, whole process", &Costs::pushProcess);
    return 0;
}
