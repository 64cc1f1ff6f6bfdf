#pragma once
// What a benchmark measured, for bench/run's summary table. Each benchmark
// prints its own table for people; beside it, when SHOUXIN_BENCH_FIGURES
// names a file, it appends one line per figure there:
//     key <TAB> value <TAB> unit
// bench/summary reads those lines and sets ours next to the limit or the
// peer measured in the same run. Keys are stable names (see
// docs/BENCHMARKS.md), e.g. "sync.push.10000.seconds".
#include <string>

namespace shouxin::bench {

/// Appends one figure to $SHOUXIN_BENCH_FIGURES; does nothing when unset.
void figure(const std::string& key, double value, const std::string& unit);

}  // namespace shouxin::bench
