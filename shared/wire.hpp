#pragma once
// The sync protocol's message bodies (docs/PROTOCOL.md), as JSON. Shared by
// the client and the district server; no HTTP types here. Decoding takes
// untrusted bytes and never throws.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/event.hpp"
#include "shared/result.hpp"

namespace shouxin::wire {

/// The protocol version this build speaks, and the oldest it still serves.
inline constexpr int kProtocol = 1;
inline constexpr int kOldestProtocol = 1;
/// HTTP headers carried by every request and answer.
inline constexpr const char* kProtocolHeader = "Shouxin-Protocol";
inline constexpr const char* kServerTimeHeader = "Shouxin-Server-Time";
/// Bounds the server enforces (and the client respects).
inline constexpr std::size_t kMaxBatchEvents = 1000;
inline constexpr std::size_t kMaxBodyBytes = 8u << 20;  // on the wire (gzip compressed or not)
/// A body after gzip: JSON compresses about 5 to 10 times, so a full batch
/// fits; a gzip bomb (1000 to 1 for zeros) is refused here, before it fills
/// memory.
inline constexpr std::size_t kMaxExpandedBytes = 32u << 20;
inline constexpr std::size_t kMaxPullLimit = 5000;
/// The most a client takes in one answer, after gzip: room for a full page
/// of a pull; anything bigger is a broken or hostile server (or a bomb).
inline constexpr std::size_t kMaxAnswerBytes = 64u << 20;
/// A server's incarnation (its `epoch`): 32 lower-case hex characters, made
/// anew when the server's database is created or restored from a backup.
inline constexpr std::size_t kEpochBytes = 32;
/// Whether `text` is an epoch as the protocol carries it.
bool isEpoch(std::string_view text);

/// POST /v1/enroll
struct EnrollRequest {
    int protocol = kProtocol;
    std::string code;
    std::string device;
    std::string office;
    std::string publicKey;
};
struct EnrollResponse {
    std::string token;
    std::string device;
    std::string office;
    std::string district;
    std::string districtName;
    std::string districtDevice;  // the district's own device: the only author of district-level acts
    std::string districtKey;     // its Ed25519 public key (hex): receipts verify against it
    std::string publicSite;      // its public web site for QR codes; "": the sync address serves it
};

/// A region above a server (domain.hpp: city, province), as the server
/// knows it: passed down with pulls, so that every replica below accepts
/// that region's own records from that region's device alone.
struct Region {
    std::string code;
    std::string name;
    std::string device;
    std::string publicKey;  // hex
    bool operator==(const Region& o) const {
        return code == o.code && name == o.name && device == o.device && publicKey == o.publicKey;
    }
};

/// GET /v1/district: who the district is, for a node enrolled before
/// enrolment carried it (answered to an authenticated device only).
struct DistrictInfo {
    std::string district;
    std::string districtName;
    std::string districtDevice;
    std::string districtKey;
};

/// The district's countersignature of an accepted push: the device's chain
/// head as the district now holds it and the district's log position,
/// signed with the district's key over receiptMessage() (crypto.hpp).
struct Receipt {
    std::string device;
    std::int64_t seq = 0;
    std::string headHash;
    std::int64_t dseq = 0;
    std::string signature;
};

/// The device's signed chain head, sent with each push.
struct ChainHead {
    std::int64_t seq = 0;
    std::string hash;
    std::string signature;  // Ed25519 over chainHeadMessage(device, seq, hash)
};

/// POST /v1/push
struct PushRequest {
    int protocol = kProtocol;
    ChainHead head;
    std::vector<Event> events;
};

enum class EventOutcome { accepted, duplicate, rejected };

struct EventResult {
    std::string id;
    EventOutcome outcome = EventOutcome::accepted;
    std::int64_t dseq = 0;  // district sequence, when accepted or duplicate
    std::string reason;     // catalogue id, when rejected
    std::string detail;
};

/// 201 answer to a push.
struct PushResponse {
    std::vector<EventResult> results;
    Receipt receipt;
    std::int64_t headSeq = 0;  // the device's chain head as the district holds it
    std::int64_t serverTime = 0;
    std::string epoch;  // the district's incarnation ("" from a server that sends none)
};

/// GET /v1/events?after=N&limit=M answer.
struct PullResponse {
    std::vector<Event> events;
    std::vector<std::int64_t> dseqs;  // parallel to events
    std::int64_t next = 0;            // cursor for the next page
    bool more = false;
    std::int64_t serverTime = 0;
    std::vector<Region> regions;  // the regions above the server, nearest first (absent: none)
    std::string epoch;            // the server's incarnation ("" from a server that sends none)
};

/// POST /v1/relay: a server's runs of events to the server above. Each run
/// is one device's consecutive events ending at a head the device signed
/// (a relaying server signs its own device's), with the device's key as the
/// relaying server holds it and the relaying server's receipt for the head.
struct RelayRun {
    std::string device;
    std::string office;     // the device's office (a region's device: the region)
    std::string publicKey;  // hex
    ChainHead head;
    Receipt receipt;  // the relaying server's, for (device, head.seq, head.hash)
    std::vector<Event> events;
};
struct RelayRequest {
    int protocol = kProtocol;
    std::vector<RelayRun> runs;
};
/// Runs and events in one relay at most.
inline constexpr std::size_t kMaxRelayRuns = 1000;
inline constexpr std::size_t kMaxRelayEvents = 5000;

/// What the server above did with one run.
struct RelayResult {
    std::string device;
    bool accepted = false;
    std::string reason;  // when refused: the protocol's reason (scope, chain_gap, ...)
    std::string detail;
    std::int64_t headSeq = 0;  // the device's chain as the server above now holds it
    Receipt receipt;           // when accepted: the server above's countersignature
};
struct RelayResponse {
    std::vector<RelayResult> results;  // one per run, in order; fewer when it stopped at a refusal
    std::int64_t serverTime = 0;
    std::string epoch;  // the server above's incarnation ("" from a server that sends none)
};

/// Every refusal: a stable reason id (catalogue "sync.reason.*") and detail.
struct ErrorBody {
    std::string reason;
    std::string detail;
    std::int64_t headSeq = -1;  // with chain_gap: where the district's chain stands
};

std::string encode(const EnrollRequest& r);
std::string encode(const EnrollResponse& r);
std::string encode(const PushRequest& r);
std::string encode(const PushResponse& r);
std::string encode(const PullResponse& r);
std::string encode(const ErrorBody& r);
std::string encode(const DistrictInfo& r);
std::string encode(const RelayRequest& r);
std::string encode(const RelayResponse& r);

Result<EnrollRequest> decodeEnrollRequest(std::string_view json);
Result<EnrollResponse> decodeEnrollResponse(std::string_view json);
Result<PushRequest> decodePushRequest(std::string_view json);
Result<PushResponse> decodePushResponse(std::string_view json);
Result<PullResponse> decodePullResponse(std::string_view json);
Result<ErrorBody> decodeErrorBody(std::string_view json);
Result<DistrictInfo> decodeDistrictInfo(std::string_view json);
Result<RelayRequest> decodeRelayRequest(std::string_view json);
Result<RelayResponse> decodeRelayResponse(std::string_view json);

std::string_view idOf(EventOutcome o);

/// One event as a JSON object, with the members and encoding pushes and
/// pulls carry (docs/PROTOCOL.md): the published event log (audit.hpp)
/// writes the same.
std::string encodeEvent(const Event& e);
/// Reads those members from one JSON object of at most `maxBytes`, bounded
/// as a pull's events are; other members are ignored. Never throws.
Result<Event> decodeEvent(std::string_view json, std::size_t maxBytes);

}  // namespace shouxin::wire
