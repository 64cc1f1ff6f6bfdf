// GET /v1/events answers, as a client reads them from a possibly hostile
// server: decoding never crashes, and whatever decodes round-trips.
#include "fuzz/fuzz.hpp"
#include "shared/wire.hpp"

using namespace shouxin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto page = wire::decodePullResponse(fuzz::text(data, size));
    if (!page) return 0;
    fuzz::check(page->events.size() == page->dseqs.size(), "one dseq per pulled event");
    const auto again = wire::decodePullResponse(wire::encode(*page));
    fuzz::check(again.ok(), "a decoded pull answer re-encodes to a body that decodes");
    fuzz::check(again->events == page->events && again->dseqs == page->dseqs && again->next == page->next &&
                    again->more == page->more && again->serverTime == page->serverTime &&
                    again->epoch == page->epoch,
                "a pull answer survives encode and decode unchanged");
    return 0;
}
