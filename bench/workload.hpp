#pragma once
// The benchmarks' common workload: a township office's commitments and
// their fulfilment reports, one commitment to four reports.
#include <string>

#include "shared/store.hpp"

namespace shouxin::bench {

/// Records `n` events on `store`'s office through Store::record (each its
/// own transaction); false if any was refused.
bool recordWorkload(Store& store, long n);

}  // namespace shouxin::bench
