#pragma once
// The sync state a UI shows, as the background SyncWorker reports it. Plain
// data: the kiosk's screens include it without the worker or curl.
#include <cstdint>
#include <string>

namespace shouxin::client {

/// What residents and clerks are told about sync.
struct SyncStatus {
    bool enrolled = false;
    bool syncing = false;           // a round is under way
    std::int64_t lastSuccess = 0;   // Unix ms of the last full round, 0 never
    std::int64_t offlineSince = 0;  // Unix ms of the first failure since then, 0 when fine
    std::int64_t waiting = 0;       // this device's events not yet acknowledged
    std::int64_t setAside = 0;      // events the district refused
    std::string lastError;          // reason id ("network", "device_revoked", ...), "" when fine
    std::string lastErrorDetail;
    std::int64_t rounds = 0;  // rounds finished since start
};

}  // namespace shouxin::client
