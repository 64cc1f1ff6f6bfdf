// A published event log as `shouxin audit` reads it from anyone: auditing
// never throws or crashes, and says why whenever it does not pass; and an
// event line decodes (wire::decodeEvent) to an event that round-trips.
#include <sstream>

#include "fuzz/fuzz.hpp"
#include "shared/audit.hpp"
#include "shared/i18n.hpp"
#include "shared/wire.hpp"

using namespace shouxin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fuzz::text(data, size);
    if (const auto e = wire::decodeEvent(input, kMaxAuditLineBytes)) {
        const auto again = wire::decodeEvent(wire::encodeEvent(*e), kMaxAuditLineBytes);
        fuzz::check(again.ok() && *again == *e, "a decoded event survives encode and decode unchanged");
    }
    std::istringstream in{std::string(input)};
    const AuditReport report = auditLog(in, std::string(64, 'a'));
    fuzz::check(report.ok() || !report.findings.empty() || report.digest != report.refoldedDigest,
                "a log that does not pass says why");
    for (const auto& f : report.findings)
        fuzz::check(tr(f.messageId, Lang::en) != f.messageId, "every finding is in the catalogue");
    return 0;
}
