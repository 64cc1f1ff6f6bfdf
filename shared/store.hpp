#pragma once
// The node's SQLite store: the append-only event log and the state folded
// from it, updated in the same transaction. SQLite types stay inside.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "shared/event.hpp"
#include "shared/result.hpp"
#include "shared/state.hpp"

namespace shouxin {

/// A store failure a person can act on; `messageId` is in the catalogue.
class StoreError : public std::runtime_error {
public:
    StoreError(std::string messageId, const std::string& detail)
        : std::runtime_error(detail), m_messageId(std::move(messageId)) {}
    const std::string& messageId() const { return m_messageId; }

private:
    std::string m_messageId;
};

struct NodeInfo {
    std::string office;
    std::string officeName;
    std::string device;
    std::string publicKeyHex;
};

/// What happened to one event offered to the store.
struct ApplyResult {
    enum class Outcome { accepted, duplicate, conflict, rejected };
    Outcome outcome = Outcome::accepted;
    Problems problems;  // why, when conflict or rejected
};

/// One thing verify() found wrong, naming where.
struct VerifyFinding {
    std::string device;
    std::int64_t seq = 0;
    std::string eventId;
    std::string messageId;
    std::string detail;
};

struct VerifyReport {
    std::int64_t events = 0;
    std::int64_t devices = 0;
    std::string digest;          // of the state as stored
    std::string refoldedDigest;  // of the state folded again from the events
    std::vector<VerifyFinding> findings;
    bool ok() const { return findings.empty() && digest == refoldedDigest; }
};

class Store {
public:
    /// Schema version this build writes (PRAGMA user_version).
    static int schemaVersion();

    /// Creates a new node database at `path` for `office`, its device key
    /// pair beside it (keyFileFor(path), mode 0600), and records the
    /// office's name. Refuses an existing file or key, or invalid input.
    static Store create(const std::filesystem::path& path, std::string_view office, std::string_view name);
    /// Opens an existing node: integrity check, then migrations. A file
    /// that fails the check is moved aside ("<db>.corrupt-<time>").
    static Store open(const std::filesystem::path& path);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    NodeInfo node() const;

    /// Records a local change as this device's next event: validated against
    /// the domain and the current state, chained, folded, committed.
    Result<Event> record(const Payload& payload, std::string_view actor);
    /// Stores an event made elsewhere (sync, import): checked (envelope,
    /// hash, payload, the device's chain), idempotent by id, folded.
    ApplyResult apply(const Event& event);

    std::vector<CommitmentState> commitments() const;
    std::optional<CommitmentState> commitment(std::string_view id) const;
    /// The commitment's fulfilment reports, oldest first in total order.
    std::vector<FulfilmentRecord> history(std::string_view commitmentId) const;

    /// Ids of commitments whose title, detail or department contain
    /// `query`, best matches first (FTS5 trigram; LIKE below 3 characters).
    std::vector<std::string> search(std::string_view query, int limit = 200) const;

    /// SHA-256 over a canonical serialisation of the materialised state in
    /// `scope`: a 9-digit office (its records and its district's), a
    /// 6-digit district (all its offices), or "" for everything held.
    std::string digest(std::string_view scope) const;
    /// Checks every device's chain and that a refold gives the same state.
    VerifyReport verify() const;
    /// Recomputes all state from the events alone.
    void rebuild();

    std::int64_t eventCount() const;
    /// This device's events not yet acknowledged by the district.
    std::int64_t pendingCount() const;
    /// Events in total order (hlc, device, seq), for export and tests.
    std::vector<Event> events() const;

    /// Replaces the wall clock used for event stamps (tests).
    void setClock(std::function<std::int64_t()> nowMillis);

private:
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace shouxin
