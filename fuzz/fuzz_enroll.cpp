// POST /v1/enroll bodies, read before any authentication: decoding never
// crashes, and whatever decodes round-trips.
#include "fuzz/fuzz.hpp"
#include "shared/wire.hpp"

using namespace shouxin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto request = wire::decodeEnrollRequest(fuzz::text(data, size));
    if (!request) return 0;
    const auto again = wire::decodeEnrollRequest(wire::encode(*request));
    fuzz::check(again.ok(), "a decoded enrolment re-encodes to a body that decodes");
    fuzz::check(again->protocol == request->protocol && again->code == request->code &&
                    again->device == request->device && again->office == request->office &&
                    again->publicKey == request->publicKey,
                "an enrolment survives encode and decode unchanged");
    return 0;
}
