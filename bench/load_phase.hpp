#pragma once
// The timed part of the load benchmark (load_bench.cpp): simulated kiosks,
// each on its own thread with its own keep-alive connection from its own
// loopback address, pushing pre-built batches at a steady pace and pulling
// every few pushes, for a bounded time. Counts every error, never retries
// one silently.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace shouxin::bench {

/// One simulated kiosk: what it sends, and where the run left it.
struct LoadKiosk {
    std::string token;
    std::string sourceAddress;            // 127.x.y.z it connects from
    std::vector<std::string> pushBodies;  // gzip JSON push requests, in chain order
    std::vector<std::int64_t> headSeqs;   // each batch's last seq
    std::vector<std::size_t> batchSizes;  // events in each batch
    // After the run:
    std::size_t batchesAccepted = 0;  // the next batch to push
    std::int64_t ackedThrough = 0;    // head seq of the last batch answered 201
    std::int64_t cursor = 0;          // its pull cursor
};

struct LoadOptions {
    std::string baseUrl;
    double seconds = 20;
    double pushIntervalSeconds = 1.6;  // each kiosk pushes one batch this often
    int pullEvery = 3;                 // pushes between pulls
};

struct LoadResult {
    double seconds = 0;  // start to the last answer
    long pushes = 0;     // answered 201 with a readable body
    long pulls = 0;      // pages answered 200 with a readable body
    long eventsAccepted = 0;
    long eventsPulled = 0;
    std::vector<double> pushMs, pullMs;
    std::map<std::string, long> errors;  // by kind
    long errorCount() const;
};

/// Runs every kiosk on its own thread until `seconds` have passed and the
/// requests in flight have been answered.
LoadResult runLoad(std::vector<LoadKiosk>& kiosks, const LoadOptions& options);

/// The value at fraction `p` (0..1) of `ms`, 0 when empty.
double percentile(std::vector<double> ms, double p);

}  // namespace shouxin::bench
