// A kiosk left running for a week, in frames: the real shouxin-kiosk runs
// --bench-uptime under the current X display on an office node of
// bench/kiosk_node.hpp, with residents' visits (areas, filters, details,
// figures, search, language, large-text and high-contrast switches), each
// ended by the idle reset, and sync rounds against a district that does
// not answer (each a real attempt, refused). Every so many frames it
// prints resident memory, heap in use and frame time (the whole frame, the
// software swap included), so that growth shows as a slope. No assertion:
// a table to read.
//
//   shouxin_uptime_bench [frames] [every] [commitments] [reports]
//   (default 100000 frames, a line every 10000, 10000 commitments, 50000 reports)
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "bench/figures.hpp"
#include "bench/kiosk_node.hpp"
#include "kiosk/app/uptime_sample.hpp"

namespace fs = std::filesystem;
using namespace shouxin;

namespace {

// An enrolled-looking node whose district does not answer (port 9 refuses).
bool pointAtSilentDistrict(const fs::path& db) {
    sqlite3* h = nullptr;
    if (sqlite3_open(db.c_str(), &h) != SQLITE_OK) return false;
    const int rc = sqlite3_exec(h,
                                "INSERT OR REPLACE INTO node(key, value) VALUES "
                                "('setting.token', 'bench'), ('setting.server_url', 'http://127.0.0.1:9/')",
                                nullptr, nullptr, nullptr);
    sqlite3_close(h);
    return rc == SQLITE_OK;
}

}  // namespace

int main(int argc, char** argv) {
    const long frames = argc > 1 ? std::atol(argv[1]) : 100000;
    const long every = argc > 2 ? std::atol(argv[2]) : 10000;
    const long commitments = argc > 3 ? std::atol(argv[3]) : 10000;
    const long reports = argc > 4 ? std::atol(argv[4]) : 50000;
    const fs::path dir = fs::temp_directory_path() / ("shouxin-uptime-bench-" + std::to_string(getpid()));
    const fs::path db = dir / "office.db";
    fs::remove_all(dir);
    fs::create_directories(dir);
    bench::makeKioskNode(SHOUXIN_CLI, db, commitments, reports);
    if (!pointAtSilentDistrict(db)) {
        std::fprintf(stderr, "uptime_bench: cannot set the district address\n");
        return 1;
    }

    // A small window keeps the software rasteriser's share of each frame down.
    const std::string command = std::string(SHOUXIN_KIOSK) + " --db " + db.string() +
                                " --size 1024x768 --idle-seconds 1 --countdown-seconds 1 --sync-interval 1" +
                                " --bench-uptime " + std::to_string(frames) + " --bench-every " +
                                std::to_string(every) + " 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return 1;
    std::printf("kiosk uptime: %ld frames at %ld commitments, %ld reports; a line every %ld frames\n\n",
                frames, commitments, reports, every);
    std::printf("%9s %8s %8s %9s %9s %9s %7s %7s %7s %7s %6s %5s %7s %8s\n", "frames", "RSS MB", "heap MB",
                "p50 ms", "p99 ms", "max ms", "glyphs", "atlas", "visits", "resets", "syncs", "fds", "windows",
                "seconds");
    int lines = 0;
    double firstRssMb = 0, firstHeapMb = 0;
    char buf[512];
    while (std::fgets(buf, sizeof buf, pipe)) {
        const auto line = kiosk::UptimeSample::parse(buf);
        if (!line) continue;
        const double rssMb = static_cast<double>(line->rssKb) / 1024.0;
        const double heapMb = static_cast<double>(line->heapKb) / 1024.0;
        std::printf("%9lld %8.1f %8.1f %9.2f %9.2f %9.2f %7zu %7zu %7d %7d %6lld %5d %7d %8.0f\n",
                    static_cast<long long>(line->frames), rssMb, heapMb, line->frameP50Ms, line->frameP99Ms,
                    line->frameMaxMs, line->glyphSet, line->atlasGlyphs, line->visits, line->idleResets,
                    static_cast<long long>(line->syncRounds), line->fds, line->imguiWindows, line->seconds);
        std::fflush(stdout);
        if (lines == 0) {
            firstRssMb = rssMb;
            firstHeapMb = heapMb;
        }
        // The summary keeps the last line: memory at the end, and its growth.
        bench::figure("uptime.frames", static_cast<double>(line->frames), "frames");
        bench::figure("uptime.rss_mb", rssMb, "MB");
        bench::figure("uptime.heap_mb", heapMb, "MB");
        bench::figure("uptime.rss_growth_mb", rssMb - firstRssMb, "MB");
        bench::figure("uptime.heap_growth_mb", heapMb - firstHeapMb, "MB");
        bench::figure("uptime.frame_p99_ms", line->frameP99Ms, "ms");
        ++lines;
    }
    const int status = pclose(pipe);
    fs::remove_all(dir);
    if (lines == 0 || status != 0) {
        std::fprintf(stderr, "uptime_bench: the kiosk did not report (is DISPLAY set?)\n");
        return 1;
    }
    return 0;
}
