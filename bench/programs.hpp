#pragma once
// The real programs as the benchmarks run them: a command to completion
// (wall time, peak memory, output), a district server on a port the OS
// picks, and the round line `shouxin sync` prints.
#include <sys/types.h>

#include <string>
#include <vector>

namespace shouxin::bench {

struct Run {
    int exitCode = -1;
    std::string out;
    double seconds = 0;
    long peakKb = 0;
};

/// Runs `argv` (argv[0] a path) to completion: its stdout, wall time and
/// peak RSS. stderr is left to the caller's.
Run run(const std::vector<std::string>& argv);

/// A process's peak RSS (VmHWM), 0 when unreadable.
long vmHwmKb(pid_t pid);

/// The counts of the round lines in a `shouxin sync` output (summed over
/// several lines), as client::describeStats prints them.
struct Round {
    long pushed = 0, pulled = 0, requests = 0, sent = 0, received = 0;
    long millis = 0;  // the rounds' own time, as `sync` prints it
    // The round's time: the exchange and the store's work, as the peer's
    // replicate() call is timed; the whole process when not printed.
    double seconds(const Run& process) const {
        return millis > 0 ? static_cast<double>(millis) / 1000.0 : process.seconds;
    }
};
Round parseRound(const std::string& out);

/// `program --db DB serve --listen 127.0.0.1:0`, stopped (SIGTERM) when
/// this goes; `url` is empty when it did not start.
struct ServerChild {
    pid_t pid = -1;
    int fd = -1;
    std::string url;

    ServerChild(const std::string& program, const std::string& db);
    ~ServerChild();
    ServerChild(const ServerChild&) = delete;
    ServerChild& operator=(const ServerChild&) = delete;
};

}  // namespace shouxin::bench
