// POST /v1/relay bodies (a region's runs to the level above) and their
// answers: decoding never crashes, and whatever decodes re-encodes to a body
// that decodes to the same message.
#include "fuzz/fuzz.hpp"
#include "shared/wire.hpp"

using namespace shouxin;

namespace {

bool same(const wire::ChainHead& a, const wire::ChainHead& b) {
    return a.seq == b.seq && a.hash == b.hash && a.signature == b.signature;
}

bool same(const wire::Receipt& a, const wire::Receipt& b) {
    return a.device == b.device && a.seq == b.seq && a.headHash == b.headHash && a.dseq == b.dseq &&
           a.signature == b.signature;
}

bool same(const wire::RelayRequest& a, const wire::RelayRequest& b) {
    if (a.protocol != b.protocol || a.runs.size() != b.runs.size()) return false;
    for (std::size_t i = 0; i < a.runs.size(); ++i) {
        const auto& x = a.runs[i];
        const auto& y = b.runs[i];
        if (x.device != y.device || x.office != y.office || x.publicKey != y.publicKey || !same(x.head, y.head) ||
            !same(x.receipt, y.receipt) || x.events != y.events)
            return false;
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = fuzz::text(data, size);
    if (const auto request = wire::decodeRelayRequest(text)) {
        const auto again = wire::decodeRelayRequest(wire::encode(*request));
        fuzz::check(again.ok(), "a decoded relay request re-encodes to a body that decodes");
        fuzz::check(same(*request, *again), "a relay request survives encode and decode unchanged");
    }
    if (const auto answer = wire::decodeRelayResponse(text)) {
        const auto again = wire::decodeRelayResponse(wire::encode(*answer));
        fuzz::check(again.ok(), "a decoded relay answer re-encodes to a body that decodes");
        fuzz::check(again->results.size() == answer->results.size(), "a relay answer keeps its results");
    }
    return 0;
}
