#pragma once
// The benchmarks' common workloads: a township office's commitments and
// their fulfilment reports.
#include <string>
#include <vector>

#include "shared/store.hpp"

namespace shouxin::bench {

/// Records `n` events on `store`'s office through Store::record (each its
/// own transaction), one commitment to four reports; false if any was
/// refused.
bool recordWorkload(Store& store, long n);

/// The PouchDB peer's shape (shared/peers/pouchdb/gen.js): `n` new
/// commitments, recorded with Store::recordAll in transactions of `batch`
/// (fast to prepare; not what a clerk does). Returns their ids, or an empty
/// list if any was refused.
std::vector<std::string> recordCommitments(Store& store, long n, long batch = 1000);

/// One fulfilment report to each of `ids` (so distinct commitments), in
/// transactions of `batch` as above; false if any was refused.
bool recordReports(Store& store, const std::vector<std::string>& ids, long batch = 1000);

}  // namespace shouxin::bench
