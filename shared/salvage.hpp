#pragma once
// What can still be read from a damaged node file, read-only: its identity
// and settings (to set the node up again with them), and this device's
// events the district had not acknowledged (to send them again). The file
// is never written: a read that meets damage ends there.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shared/event.hpp"

namespace shouxin::salvage {

struct NodeIdentity {
    std::string office;
    std::string device;
    std::string publicKeyHex;
    /// The node table's rows a node set up again keeps (Store::createHealed):
    /// identity, clock, enrolment and transport settings, the pinned
    /// district and regions above, the PIN pad's lockout. Not the sync
    /// progress (cursor, last round, receipt), which starts again.
    std::vector<std::pair<std::string, std::string>> rows;
    bool district = false;  // the file is a server's, which is never healed this way
};

/// The identity of the node in `damaged`; nullopt when its node table
/// cannot be read or names no office and device (the clerk enrols again).
std::optional<NodeIdentity> readIdentity(const std::filesystem::path& damaged);

struct OwnEvents {
    /// This device's events after `afterSeq`, in chain order, each linking
    /// to the one before (the first to `afterHash`) and matching its hash.
    std::vector<Event> events;
    /// The device's chain head as the damaged file names it; -1 when that
    /// could not be read.
    std::int64_t headSeq = -1;
    /// A read met damage, or an event did not link or match its hash, before
    /// the head: what lies past the events returned is lost.
    bool stoppedAtDamage = false;
};

/// Reads `device`'s own events after `afterSeq` from `damaged`, stopping at
/// the first that cannot be read whole.
OwnEvents readOwnEvents(const std::filesystem::path& damaged, const std::string& device, std::int64_t afterSeq,
                        const std::string& afterHash);

}  // namespace shouxin::salvage
