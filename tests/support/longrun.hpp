#pragma once
// What the long-run tests share: how long to run (short in CI, a real
// week behind SHOUXIN_LONGRUN_SECONDS), a program started in the
// background with its output kept, and /proc samples of a running
// process (resident memory, open files) judged for growth after warm-up.
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/sync_world.hpp"

namespace shouxin::test {

/// SHOUXIN_LONGRUN_SECONDS when set (the long variant), else `ciSeconds`.
double longRunSeconds(double ciSeconds);

/// Starts argv[0] with standard output into `out` (stdin and stderr
/// /dev/null); SIGTERMs it (then SIGKILLs) and reaps it on destruction.
class Spawned {
public:
    Spawned(const std::vector<std::string>& argv, const std::filesystem::path& out);
    ~Spawned();
    Spawned(const Spawned&) = delete;
    Spawned& operator=(const Spawned&) = delete;
    pid_t pid() const { return m_pid; }
    bool running();
    /// SIGTERM, then up to `seconds` for the exit: its status, or -1
    /// (then it is killed).
    int terminate(double seconds);

private:
    pid_t m_pid = -1;
};

/// "" while the child `pid` runs; once it has ended, how ("exit 1",
/// "signal 9"), without reaping it (its owner still will).
std::string howEnded(pid_t pid);

/// A process as /proc/PID shows it at one moment of a run.
struct ProcessSample {
    double seconds = 0;  // since the run's start
    long rssKb = 0;      // VmRSS
    int fds = 0;         // entries of /proc/PID/fd
};
/// nullopt when the process is gone.
std::optional<ProcessSample> sampleProcess(pid_t pid, double seconds);

/// Samples of a run split by time: until `warmUpEnd` (seconds; by default
/// the first quarter) is warm-up (caches, the atlas, SQLite's page cache,
/// the allocator's arenas filling); of the rest, the first third is the
/// baseline and the last third what the run ended with.
struct Flatness {
    // The floor (the least of each window): what the process holds when
    // nothing transient is up (a sync round's buffers, the large-text
    // atlas); a leak raises it.
    long baselineRssKb = 0;
    long lateRssKb = 0;
    long rssGrowthKb = 0;  // late - baseline
    long baselineRssMaxKb = 0;
    long lateRssMaxKb = 0;
    // The high-water mark: a leak keeps making new ones, a process that
    // moves between two levels (an atlas built and dropped) does not.
    long earlierRssMaxKb = 0;  // before the last third, warm-up included
    long rssPeakGrowthKb = 0;  // lateRssMaxKb - earlierRssMaxKb
    int baselineFdsMin = 0;  // fewest open files: a request's socket in flight does not count
    int lateFdsMin = 0;
    int baselineFdsMax = 0;
    int lateFdsMax = 0;
    std::size_t baselineSamples = 0;
    std::size_t lateSamples = 0;
};
Flatness flatness(const std::vector<ProcessSample>& samples, double warmUpEnd = -1);

/// Up to twelve commitment ids of a node (`shouxin list`), for a clerk's
/// reports during a run.
std::vector<std::string> commitmentIds(const Kiosk& node);

/// One step of a long run: the district server must still run (one that
/// ends is a failure to see at once, not as rounds failing for the rest of
/// the run), then a clerk reports progress on the `n`th of `ids` in turn,
/// through the real CLI.
void districtUpThenClerkReport(SyncWorld& world, const Kiosk& node, const std::vector<std::string>& ids, int n);

}  // namespace shouxin::test
