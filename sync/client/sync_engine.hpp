#pragma once
// The sync client: push what the district has not acknowledged, then pull
// what is new in this office's scope. Resumable at any byte: events are
// marked acknowledged only on a 201 whose body parses, and each pulled page
// is stored with its cursor in one transaction.
#include <cstdint>
#include <optional>
#include <string>

#include "shared/crypto.hpp"
#include "shared/result.hpp"
#include "shared/store.hpp"
#include "shared/wire.hpp"
#include "sync/client/retry.hpp"
#include "sync/client/transport.hpp"

namespace shouxin::client {

/// A device clock further than this from the district's is clamped.
inline constexpr std::int64_t kClampSkewMillis = 2 * 60 * 1000;

struct SyncStats {
    std::int64_t pushed = 0;      // accepted by the district
    std::int64_t duplicates = 0;  // it had them already
    std::int64_t setAside = 0;    // refused for their content
    std::int64_t pulled = 0;      // new events stored here
    std::int64_t requests = 0;
    std::int64_t bytesSent = 0;  // on the wire: headers and gzip bodies
    std::int64_t bytesReceived = 0;
};

struct SyncResult {
    bool ok = false;
    SyncStats stats;
    Classified failure;  // when !ok
};

struct EngineOptions {
    std::size_t pushBatch = 1000;
    std::size_t pullPage = 1000;
};

class SyncEngine {
public:
    SyncEngine(Store& store, Transport& transport, KeyPair keys, EngineOptions options = {});

    /// Registers this device with a one-time code; stores the token.
    Result<wire::EnrollResponse> enroll(const std::string& code);
    /// One round: push everything pending, then pull everything new. On a
    /// server's store (a district enrolled at its city, a city at its
    /// province), the push is a relay: every chain held in its region goes
    /// up in runs that end at a head its device signed (Store::relayBatch),
    /// and the pull brings down the records of the regions above.
    SyncResult syncOnce();

private:
    bool pinDistrict(SyncStats& stats, Classified& failure);
    bool push(SyncStats& stats, Classified& failure);
    bool relay(SyncStats& stats, Classified& failure);
    /// Pins the regions above as the page names them, before its events.
    void pinRegions(const std::vector<wire::Region>& fromAbove);
    bool pull(SyncStats& stats, Classified& failure);
    /// How far a pull's last page may move the cursor past what it brought:
    /// the district's number in this device's receipt (0: not at all).
    std::int64_t ownFloor() const;
    HttpResponse exchange(const HttpRequest& request, SyncStats& stats);
    /// Counts an answer in the round's stats and notes the district's time.
    HttpResponse received(HttpResponse response, SyncStats& stats);
    /// Stores the clock skew of the round's last answer (once a round).
    void noteClock();
    /// The answer's epoch (docs/PROTOCOL.md): true when it is a new one and
    /// the store has gone back to send and pull everything again.
    bool noteEpoch(const std::string& epoch);

    Store& m_store;
    Transport& m_transport;
    KeyPair m_keys;
    EngineOptions m_options;
    std::optional<std::int64_t> m_skew;  // the district's time minus ours, from the last answer
    bool m_again = false;  // a pull saw a new epoch: push and pull once more this round
};

/// A round's counts as one line, "3 ↑, 0 =, 0 ✗, 5 ↓; 2 requests, 1200 B sent,
/// 800 B received; 41 ms" (the `shouxin sync` and `shouxin-district relay`
/// lines that scripts and bench/ read).
std::string describeStats(const SyncStats& stats, std::int64_t millis);

/// http:// only to loopback; https:// anywhere.
bool isAllowedServerUrl(const std::string& url, bool allowPlainHttp);

}  // namespace shouxin::client
