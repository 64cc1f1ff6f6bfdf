// The event's canonical form. The input is a payload's JSON text: it is
// decoded as every event type (whatever decodes must re-encode to canonical
// JSON that decodes to the same payload), then hashed inside an event whose
// envelope is made from the same bytes.
#include <variant>

#include "fuzz/fuzz.hpp"
#include "shared/crypto.hpp"
#include "shared/event.hpp"

using namespace shouxin;

namespace {

std::uint64_t mix(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037u;  // FNV-1a
    for (const char c : bytes)
        h = (h ^ static_cast<unsigned char>(c)) * 1099511628211u;
    return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view json = fuzz::text(data, size);
    for (const std::string_view type : event_type::kAll) {
        const auto payload = decodePayload(type, kPayloadVersion, json);
        if (!payload) continue;
        fuzz::check(eventTypeOf(*payload) == type, "a payload decodes to its own type");
        const std::string canonical = encodePayload(*payload);
        const auto again = decodePayload(type, kPayloadVersion, canonical);
        fuzz::check(again.ok(), "a decoded payload re-encodes to JSON that decodes");
        fuzz::check(encodePayload(*again) == canonical, "a payload survives encode and decode unchanged");
    }

    Event e;
    const std::uint64_t h = mix(json);
    e.id = std::string(json.substr(0, 36));
    e.office = std::string(json.substr(size / 2, 9));
    e.device = std::string(json.substr(size / 3, 36));
    e.seq = static_cast<std::int64_t>(h >> 1) * ((h & 1) ? -1 : 1);
    e.hlc = h * 31;
    e.actor = std::string(json.substr(size / 4, 64));
    e.type = std::string(event_type::kAll[h % std::size(event_type::kAll)]);
    e.payloadVersion = static_cast<int>(h >> 33) - (1 << 30);
    e.payload = std::string(json);
    e.prevHash = std::string(json.substr(size / 5, 64));
    const std::string bytes = canonicalBytes(e);
    fuzz::check(bytes.size() >= 11 * 4 + e.payload.size(), "canonical bytes hold every field");
    e.hash = computeHash(e);
    fuzz::check(e.hash == sha256Hex(bytes) && e.hash.size() == 64,
                "the hash is SHA-256 of the canonical bytes");
    (void)checkEnvelope(e);
    return 0;
}
