#pragma once
// A realistic demo office (assets/demo/office.tsv): commitments in all 14
// service areas and 3 kinds, with histories that produce every status.
#include <string_view>

#include "shared/domain.hpp"
#include "shared/result.hpp"

namespace shouxin {

class Store;

inline constexpr std::string_view kDemoOfficeCode = "330110104";
inline constexpr std::string_view kDemoOfficeName = "青山镇人民政府";

struct DemoSummary {
    int commitments = 0;
    int reports = 0;
};

/// Records the demo commitments and their fulfilment reports, dated
/// relative to `today`, into a node that has no commitments yet.
Result<DemoSummary> fillDemo(Store& store, Date today);

}  // namespace shouxin
