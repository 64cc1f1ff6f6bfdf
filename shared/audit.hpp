#pragma once
// The district's event log as open data (docs/OPEN-DATA.md, "The event
// log"): written by the district as JSON lines, and checked by anyone with
// nothing but the file and the district's public key.
#include <cstddef>
#include <cstdint>
#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "shared/crypto.hpp"
#include "shared/store.hpp"

namespace shouxin {

/// The format named in the log's header line.
inline constexpr std::string_view kAuditLogFormat = "shouxin-log/1";
/// The longest line auditLog() reads (an event line is at most about 400 KiB:
/// a 64 KiB payload, every byte escaped), and the most lines.
inline constexpr std::size_t kMaxAuditLineBytes = 1u << 20;
inline constexpr std::size_t kMaxAuditLines = 4'000'000;

/// Writes the whole event log of a district store as JSON lines: a header,
/// one line per device (its signed chain head, the district's receipt for
/// it and the district's attestation of its key, signed now with
/// `districtKey`), one line per event in district order (then the events
/// set aside, their content withheld), and the state line with the state
/// digest, signed. Streams: one event in memory at a time, all read in one
/// read transaction. Complainants' contacts and clerks' PIN verifiers appear
/// only sealed (see audit.cpp). Throws std::invalid_argument when the store
/// is not a district's or the key is not its key; StoreError on SQLite
/// failure.
void writeAuditLog(const Store& district, const KeyPair& districtKey, std::ostream& out);

/// One thing auditLog() found wrong, naming where: the line of the file
/// (from 1), and the event or device it is about when known.
struct AuditFinding {
    std::size_t line = 0;
    std::string device;
    std::int64_t seq = 0;
    std::string eventId;
    std::string messageId;  // in the catalogue (audit.*, error.verify.*)
    std::string detail;
};

struct AuditReport {
    std::int64_t events = 0;     // event lines read
    std::int64_t devices = 0;    // device lines read
    std::int64_t setAside = 0;   // event lines of events the district set aside
    std::string digest;          // published on the state line
    std::string refoldedDigest;  // of the events folded again, in district order
    std::vector<AuditFinding> findings;
    /// False when the input is not a log at all (empty, no header, a line
    /// over kMaxAuditLineBytes, more than kMaxAuditLines): reading stopped.
    bool readable = true;
    bool ok() const { return readable && findings.empty() && !digest.empty() && digest == refoldedDigest; }
};

/// Checks a log written by writeAuditLog() against the district's public
/// key (hex): every line, hash, chain link, signature and receipt, and that
/// the published digest is what the events fold to (in a scratch replica in
/// a temporary directory, removed afterwards). Untrusted input: bounded
/// before it allocates, never throws.
AuditReport auditLog(std::istream& in, std::string_view districtKeyHex);

/// The report in the catalogue's words, one finding a line, then the verdict.
std::string describe(const AuditReport& report);

}  // namespace shouxin
