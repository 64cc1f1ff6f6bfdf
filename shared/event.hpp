#pragma once
// The event log's unit: an envelope around one versioned payload, hashed
// over a canonical byte form and chained to the same device's previous event.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "shared/domain.hpp"
#include "shared/result.hpp"

namespace shouxin {

/// What an event says. The alternative decides the event's type string.
using Payload = std::variant<OfficeNamed, Commitment, FulfilmentReport, Complaint, ComplaintAnswer, Rating,
                             ClerkAdded, ClerkDisabled, CommitmentRevised, ComplaintStep, Breach, BreachStep>;

namespace event_type {
inline constexpr std::string_view kOfficeNamed = "office.named";
inline constexpr std::string_view kCommitmentPublished = "commitment.published";
inline constexpr std::string_view kFulfilmentReported = "fulfilment.reported";
inline constexpr std::string_view kComplaintFiled = "complaint.filed";
inline constexpr std::string_view kComplaintAnswered = "complaint.answered";
inline constexpr std::string_view kRatingGiven = "rating.given";
inline constexpr std::string_view kClerkAdded = "clerk.added";
inline constexpr std::string_view kClerkDisabled = "clerk.disabled";
inline constexpr std::string_view kCommitmentRevised = "commitment.revised";
inline constexpr std::string_view kComplaintProgressed = "complaint.progressed";
inline constexpr std::string_view kBreachConfirmed = "breach.confirmed";
inline constexpr std::string_view kBreachProgressed = "breach.progressed";
/// Every type, in the order of Payload's alternatives.
inline constexpr std::string_view kAll[] = {kOfficeNamed,         kCommitmentPublished, kFulfilmentReported,
                                            kComplaintFiled,      kComplaintAnswered,   kRatingGiven,
                                            kClerkAdded,          kClerkDisabled,       kCommitmentRevised,
                                            kComplaintProgressed, kBreachConfirmed,     kBreachProgressed};
}  // namespace event_type

/// The payload version this build writes and reads.
inline constexpr int kPayloadVersion = 1;
/// The longest payload JSON any decoder accepts.
inline constexpr std::size_t kMaxPayloadBytes = 64u << 10;

struct Event {
    std::string id;         // UUIDv7, made offline
    std::string office;     // the office (or district) the record belongs to
    std::string device;     // UUIDv7 of the device that wrote it
    std::int64_t seq = 0;   // gapless per device, from 1
    std::uint64_t hlc = 0;  // hybrid logical clock stamp (hlc.hpp)
    std::string actor;      // "clerk:<id>", "resident", "district:<id>", "system"
    std::string type;       // event_type::…
    int payloadVersion = kPayloadVersion;
    std::string payload;   // canonical JSON from encodePayload()
    std::string prevHash;  // hash of the device's previous event; kGenesisHash for seq 1
    std::string hash;      // computeHash(*this)

    friend bool operator==(const Event&, const Event&) = default;
};

/// prevHash of a device's first event.
inline const std::string kGenesisHash(64, '0');

/// The exact bytes an event's hash covers: a domain tag, then each envelope
/// field but the hash as a 4-byte big-endian length and its bytes (integers
/// as decimal text). docs/PROTOCOL.md spells it out for other clients.
std::string canonicalBytes(const Event& e);
std::string computeHash(const Event& e);

std::string_view eventTypeOf(const Payload& p);
/// Canonical JSON: fixed key order, no white space, every field present.
std::string encodePayload(const Payload& p);
/// Strict decoding of untrusted bytes: valid UTF-8 JSON object with exactly
/// the known keys of the right types, then domain validation. Never throws.
Result<Payload> decodePayload(std::string_view type, int version, std::string_view json);
/// The record an event changes; the fold refolds by subject.
std::string subjectOf(const Payload& p, std::string_view eventId);
/// The office a payload's record belongs to, when the payload names one
/// (office.named, commitment.published, complaint.filed, breach.confirmed,
/// clerk.added, clerk.disabled); "" otherwise.
std::string officeNamedBy(const Payload& p);

/// Envelope shape checks (ids, codes, actor, hashes, seq), not the chain.
Problems checkEnvelope(const Event& e);

}  // namespace shouxin
