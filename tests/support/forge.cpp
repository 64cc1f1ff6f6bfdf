#include "tests/support/forge.hpp"

#include "shared/crypto.hpp"

namespace shouxin::test {

Event headOf(const Store& store) {
    const std::string device = store.node().device;
    Event head;
    for (const Event& e : store.events())
        if (e.device == device && e.seq > head.seq) head = e;
    return head;
}

Event chainAfter(const Event& previous, std::string type, std::string payload, std::string actor,
                 std::string office) {
    Event e;
    e.id = newUuidV7();
    e.office = office.empty() ? previous.office : std::move(office);
    e.device = previous.device;
    e.seq = previous.seq + 1;
    e.hlc = previous.hlc + 1;
    e.actor = std::move(actor);
    e.type = std::move(type);
    e.payload = std::move(payload);
    e.prevHash = previous.hash;
    e.hash = computeHash(e);
    return e;
}

Event nextOf(const Store& store, const Payload& payload, std::string actor, std::string office) {
    return chainAfter(headOf(store), std::string(eventTypeOf(payload)), encodePayload(payload),
                      std::move(actor), std::move(office));
}

}  // namespace shouxin::test
