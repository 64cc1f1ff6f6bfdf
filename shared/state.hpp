#pragma once
// Materialised state: what the fold of the event log says right now.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "shared/domain.hpp"

namespace shouxin {

/// A commitment with its current fulfilment state.
struct CommitmentState {
    Commitment commitment;  // as published
    Status status = Status::notStarted;
    int progress = 0;
    std::optional<Date> statusDate;   // date of the report that set the status
    std::optional<Date> fulfilledOn;  // set while the status is fulfilled
    int reportCount = 0;
    std::string lastReport;         // event id of the current report
    bool concurrentReport = false;  // two kiosks reported without seeing each other
    std::string amendReason;        // when amended: why, and on what legal basis
    std::string amendLegalBasis;
};

/// One fulfilment report as it stands in the public history.
struct FulfilmentRecord {
    std::string eventId;
    std::string commitment;
    std::string actor;
    std::uint64_t hlc = 0;
    FulfilmentReport report;
    bool concurrent = false;  // made without seeing the report before it
};

}  // namespace shouxin
