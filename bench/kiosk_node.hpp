#pragma once
// The kiosk benchmarks' node: an office with many commitments and reports.
//
// The node is made with the real CLI (init); the commitments and reports
// are then written straight into the folded-state tables (and the event
// rows the history joins on) with SQL in one transaction: signing and
// folding hundreds of thousands of events one by one would measure the
// store, not the kiosk, and the kiosk reads only the folded state. The FTS
// index is kept by the schema's own triggers.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace shouxin::bench {

/// Makes `db` with `cli` (shouxin) and fills it with `commitments`
/// commitments and `reports` fulfilment reports, dated around today.
/// Throws std::runtime_error on failure.
void makeKioskNode(const std::string& cli, const std::filesystem::path& db, long commitments, long reports);
/// Fills an existing node (a kiosk's or a district's) the same way, the
/// commitments spread evenly over `offices` (code, name), each named.
void fillNode(const std::filesystem::path& db, const std::vector<std::pair<std::string, std::string>>& offices,
              long commitments, long reports);

}  // namespace shouxin::bench
