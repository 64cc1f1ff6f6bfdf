#pragma once
// Inside the store: Store::Impl and the helpers its source files share
// (store.cpp, store_create.cpp, store_queries.cpp, store_clerks.cpp,
// store_sync.cpp, store_district.cpp, ...). Not part of the store's interface: SQLite types
// appear here, so only the store's own sources include it.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/authority.hpp"
#include "shared/fold.hpp"
#include "shared/hlc.hpp"
#include "shared/sql.hpp"
#include "shared/store.hpp"

namespace shouxin {

namespace store_detail {

/// Runs every migration the database lacks, in one transaction (store.cpp).
/// `creating`: the database is new (PostgreSQL: must hold no schema yet);
/// otherwise it must already be Shouxin's.
void migrate(sql::Db& db, const std::string& location, bool creating = false);
/// A SQLite file as every store opens it (owner-only, WAL, synchronous=FULL).
std::unique_ptr<sql::Db> openDb(const std::filesystem::path& path, int flags);
/// A PostgreSQL database: a connection, no file modes or PRAGMAs.
std::unique_ptr<sql::Db> connect(const std::string& url);

/// A row of the node table ("office", "device", "setting.<key>", ...); "" when unset.
std::string nodeValue(const sql::Db& db, std::string_view key);
void setNodeValue(sql::Db& db, std::string_view key, std::string_view value);
/// The regions above, as pinned (Store::regionsAbove).
std::vector<wire::Region> pinnedRegions(const sql::Db& db);
/// The node table's key of a setting: "setting.<key>".
inline std::string settingRow(Setting s) { return "setting." + std::string(keyOf(s)); }

/// The clerk at the current row of a query selecting
/// id, office, name, role, disabled, pin exposed.
Store::Clerk readClerk(const sql::Statement& q);
/// The commitment at the current row of a query selecting kCommitmentColumns
/// (or kSummaryColumns).
CommitmentState readCommitment(const sql::Statement& q);

inline constexpr const char* kCommitmentColumns =
    "id, office, category, kind, title, detail, department, responsible, deadline, time_limit, "
    "published, status, progress, status_date, fulfilled_on, report_count, last_report, concurrent, "
    "amend_reason, amend_legal_basis";

// kCommitmentColumns with the long text replaced by '': lists over many rows.
inline constexpr const char* kSummaryColumns =
    "id, office, category, kind, title, '', department, '', deadline, '', published, status, progress, "
    "status_date, fulfilled_on, report_count, last_report, concurrent, '', ''";

struct InsertOptions {
    bool allowGap = false;        // pulled: a device's chain may be held in part
    bool sealedPinsOnly = false;  // pushed to the district: no PIN verifier arrives readable
    std::int64_t dseq = 0;        // the district's number, when known
    // The payload already decoded from the event's bytes, its hash already
    // checked (recorded here a moment ago, or checked by the district's
    // request thread): neither is done again.
    const Payload* decoded = nullptr;
    // Recorded here: waits to be pushed (acked = 0); an event from
    // elsewhere never does.
    bool local = false;
};

}  // namespace store_detail

struct Store::Impl {
    std::filesystem::path path;
    std::unique_ptr<sql::Db> db;
    std::unique_ptr<Fold> fold;
    std::function<std::int64_t()> clock = hlc::nowMillis;

    explicit Impl(std::filesystem::path p, std::unique_ptr<sql::Db> d)
        : path(std::move(p)), db(std::move(d)), fold(std::make_unique<Fold>(*db)) {
        // PostgreSQL keeps no FTS index to bring up to date: search reads
        // trigram indexes that PostgreSQL maintains itself (schema.cpp).
        if (db->engine() == sql::Engine::sqlite) db->setBeforeCommit([f = fold.get()] { f->flushSearch(); });
    }

    bool district = false;  // this store is a district server's
    bool replica = false;   // it refolds a published log (createReplica)
    // The district's last number, read once per write transaction (-1:
    // not yet read in this one; another process may have written since).
    std::int64_t lastDseq = -1;

    // Checks and stores one event inside the caller's transaction. Envelope,
    // hash and chain failures write nothing; an event whose chain is sound
    // but whose content is refused is set aside, so the chain runs on.
    ApplyResult insert(const Event& e, const store_detail::InsertOptions& options = {});

    // Who this replica is: the district knows its own device; a node the
    // district device it pinned at enrolment (none before).
    Identities identities() const;

    void advanceHead(const Event& e);
    /// Drops a device's events from `seq` on (kept or set aside), refolds
    /// the records they touched, and sets the device's head to the newest
    /// event held below `seq`.
    void dropChainFrom(const std::string& device, std::int64_t seq);

    // Refused content is kept for a supervisor to read, but an oversize
    // payload only as its first kSetAsidePayloadBytes (cut on a character
    // boundary); the event's hash stays, so the chain links through it.
    void setAsideRow(const Event& e, const Problem& why);

    // The device's chain must continue exactly where it stands (or, for a
    // chain held in part, somewhere after it); `why` says how it does not.
    Problems checkChain(const Event& e, bool allowGap, Refusal& why);

    // Local writes are checked against the current state too; a report's
    // status transition and date by the rulebook (rules.hpp).
    Problems checkAgainstState(const Payload& payload, const NodeInfo& node);
    // The same for complaints, ratings and breach records (store_voice.cpp):
    // known records, tickets of this office, the rulebook's order of steps.
    Problems checkVoice(const Payload& payload, const NodeInfo& node);

    std::optional<CommitmentState> commitmentById(std::string_view id) const;

    std::optional<Store::Clerk> clerkById(std::string_view id) const;

    // Who may record what. Until an office has its first clerk account any
    // clerk id may (a new or demo node); from then on a clerk actor must be
    // an enabled account, and its role must allow the change (rules.hpp).
    Problems checkRole(const Payload& payload, std::string_view actor) const;

    NodeInfo node() const;
};

}  // namespace shouxin
