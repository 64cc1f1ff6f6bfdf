// `shouxin sync --daemon` left running for many rounds against the real
// district server on 127.0.0.1, while clerks record fulfilment reports on
// the node with the command line, so that most rounds push as well as
// pull. The daemon has no calendar of its own (no day change, nothing
// dated by it): its only time is the schedule, and --interval 0.1 already
// gives rounds as fast as a simulated week's (one every two minutes: 5040
// a week) in a quarter of an hour, so it needs no accelerated clock.
//
// Measured: resident memory and open files from /proc/PID every half
// second; asserted flat after warm-up, and the district holding exactly
// what the node recorded at the end.
//
// Short by default (about 20 s, a few hundred rounds, for CI); the long
// variant runs as long as asked:
//
//   SHOUXIN_LONGRUN_SECONDS=900 build/bin/shouxin_sync_tests "[longrun]"
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/support/longrun.hpp"
#include "tests/support/sync_world.hpp"

namespace fs = std::filesystem;
using namespace shouxin;
using namespace shouxin::test;

namespace {

int countRounds(const fs::path& out) {
    std::ifstream in(out);
    std::string line;
    int n = 0;
    while (std::getline(in, line))
        if (line.find("Sync round") != std::string::npos) ++n;
    return n;
}

}  // namespace

TEST_CASE("the sync daemon over many rounds with clerks recording keeps memory and open files flat",
          "[sync][longrun]") {
    SyncWorld world;
    const Kiosk node = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(node.cli({"demo"}).exitCode == 0);
    const std::vector<std::string> ids = commitmentIds(node);
    REQUIRE(ids.size() >= 4);

    const double seconds = longRunSeconds(20);
    const fs::path out = world.dir() / "daemon.txt";
    Spawned daemon({SHOUXIN_CLI, "--db", node.db, "sync", "--daemon", "--interval", "0.1"}, out);
    const auto start = std::chrono::steady_clock::now();
    const auto elapsed = [&] {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    std::vector<ProcessSample> samples;
    std::vector<ProcessSample> server;
    int reports = 0;
    while (elapsed() < seconds) {
        REQUIRE(daemon.running());
        if (const auto s = sampleProcess(daemon.pid(), elapsed())) samples.push_back(*s);
        if (const auto s = sampleProcess(world.server().pid(), elapsed())) server.push_back(*s);
        districtUpThenClerkReport(world, node, ids, reports++);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
    REQUIRE(daemon.terminate(15) == 0);
    const int rounds = countRounds(out);

    const Flatness f = flatness(samples);
    const Flatness s = flatness(server);
    std::printf("\nsync daemon long run: %.0f s, %d rounds, %d reports by the clerk\n", elapsed(), rounds, reports);
    std::printf("%-8s %15s %15s %10s %10s\n", "process", "RSS 2nd q MB", "RSS last q MB", "fds 2nd q",
                "fds last q");
    for (const auto& [name, g] : {std::pair{"daemon", f}, std::pair{"district", s}})
        std::printf("%-8s %7.1f-%-7.1f %7.1f-%-7.1f %5d-%-4d %5d-%-4d\n", name,
                    static_cast<double>(g.baselineRssKb) / 1024.0, static_cast<double>(g.baselineRssMaxKb) / 1024.0,
                    static_cast<double>(g.lateRssKb) / 1024.0, static_cast<double>(g.lateRssMaxKb) / 1024.0,
                    g.baselineFdsMin, g.baselineFdsMax, g.lateFdsMin, g.lateFdsMax);
    std::fflush(stdout);

    // At least a round a second, whatever else the machine does.
    CHECK(rounds >= static_cast<int>(seconds));
    REQUIRE(f.baselineSamples >= 3);
    REQUIRE(f.lateSamples >= 3);
    // Neither the floor nor the high-water mark of resident memory rises
    // by more than 1 MB after warm-up: a kilobyte a round would be hundreds
    // of kilobytes here and megabytes in the long variant; 1 MB leaves room
    // for SQLite's page cache and the allocator settling.
    CHECK(f.rssGrowthKb <= 1024);
    CHECK(f.rssPeakGrowthKb <= 1024);
    CHECK(f.lateFdsMin == f.baselineFdsMin);
    CHECK(f.lateFdsMax <= f.baselineFdsMax + 3);

    // Everything the clerk recorded reached the district, once.
    world.sync(node);
    CHECK(node.digest() == world.districtDigest(kOfficeA));
}
