// POST /v1/push bodies: decoding never crashes, and whatever decodes
// re-encodes to a body that decodes to the same request.
#include "fuzz/fuzz.hpp"
#include "shared/wire.hpp"

using namespace shouxin;

namespace {

bool same(const wire::PushRequest& a, const wire::PushRequest& b) {
    return a.protocol == b.protocol && a.head.seq == b.head.seq && a.head.hash == b.head.hash &&
           a.head.signature == b.head.signature && a.events == b.events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto request = wire::decodePushRequest(fuzz::text(data, size));
    if (!request) return 0;
    const auto again = wire::decodePushRequest(wire::encode(*request));
    fuzz::check(again.ok(), "a decoded push request re-encodes to a body that decodes");
    fuzz::check(same(*request, *again), "a push request survives encode and decode unchanged");
    return 0;
}
