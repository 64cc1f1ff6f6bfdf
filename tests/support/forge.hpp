#pragma once
// Events a device's own code would never write: made by hand and chained
// correctly after what the device holds, so that only their content is
// wrong (a forged payload, a type from the future, another office's record).
#include <string>

#include "shared/event.hpp"
#include "shared/store.hpp"

namespace shouxin::test {

/// The newest event `store`'s own device wrote.
Event headOf(const Store& store);

/// The event after `previous` on the same device: next seq and stamp,
/// linked to its hash, its own hash computed. `office` defaults to the
/// previous event's.
Event chainAfter(const Event& previous, std::string type, std::string payload, std::string actor,
                 std::string office = "");

/// chainAfter(headOf(store), ...) with a payload encoded from `payload`.
Event nextOf(const Store& store, const Payload& payload, std::string actor, std::string office = "");

}  // namespace shouxin::test
