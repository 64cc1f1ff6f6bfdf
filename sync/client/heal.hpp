#pragma once
// Healing a damaged node file from the district, with no one at the
// keyboard: the damaged file is kept aside, a node is set up again with its
// identity (office, device, settings; the key files beside it stay), the
// office's records are pulled again from the district from the start (the
// device's own events too, so its chain goes on where the district holds
// it), and its own events the district had not acknowledged are read back
// from the damaged copy, in chain order up to the first that cannot be
// read, and sent up. The kiosk and `shouxin sync`/`verify` both call it.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "shared/store.hpp"
#include "sync/client/retry.hpp"
#include "sync/client/transport.hpp"

namespace shouxin::client {

struct HealReport {
    enum class Outcome {
        healed,   // the node holds what the district holds, and what could be recovered went up
        intact,   // the file passes its check and no heal was under way: nothing done
        busy,     // another process is healing this file
        retry,    // the district could not be reached (failure says why); call again, it resumes
        reenrol,  // the damaged copy does not say who this node is: a clerk enrols it again
    };
    Outcome outcome = Outcome::intact;
    std::filesystem::path aside;  // the damaged copy, kept
    std::int64_t pulled = 0;      // events pulled again from the district (this call)
    std::int64_t recovered = 0;   // own events the district lacked, read back and stored to go up
    std::int64_t lost = 0;        // own events the district lacked that could not be read; -1: unknown
    bool pushed = false;          // the recovered events reached the district
    Classified failure;           // when retry
    std::string detail;           // when reenrol: what could not be read
};

struct HealOptions {
    /// The transport to the district named in the node's settings; empty:
    /// libcurl with the node's pins.
    std::function<std::unique_ptr<Transport>(const std::string& url, const std::string& pins)> transport;
    const std::atomic<bool>* abort = nullptr;  // ends a request in flight
};

/// Heals the node at `db`: when its file fails PRAGMA integrity_check (or
/// is missing while a damaged copy lies beside it), or a heal is under way
/// (Setting::healFrom; a call after a cut resumes it). Every connection of
/// this process to `db` must be closed first; another process's heal is
/// waited for by no one (busy). Throws StoreError only for what is neither
/// damage nor the network (a file that is no node at all).
HealReport heal(const std::filesystem::path& db, const HealOptions& options = {});

/// Whether a heal of `db` is under way (set up again, not yet recovered):
/// the node must not record until it is over.
bool healPending(const Store& store);

/// The report in the catalogue's words, one line each.
std::string describe(const HealReport& report);

}  // namespace shouxin::client
