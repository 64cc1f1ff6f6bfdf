#pragma once
// The node's SQLite store: the append-only event log and the state folded
// from it, updated in the same transaction. SQLite types stay inside.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "shared/event.hpp"
#include "shared/figures.hpp"
#include "shared/result.hpp"
#include "shared/settings.hpp"
#include "shared/state.hpp"
#include "shared/store_error.hpp"
#include "shared/wire.hpp"

namespace shouxin {

struct NodeInfo {
    std::string office;
    std::string officeName;
    std::string device;
    std::string publicKeyHex;
};

/// Why the store refused an event, typed so that a caller (the district
/// server's answer) never reads message text.
enum class Refusal : std::uint8_t {
    none,        // accepted or duplicate
    idConflict,  // the same id with other bytes
    envelope,    // the envelope is malformed
    hash,        // the content does not match its hash
    chainFork,   // a seq at or below the device's head
    chainGap,    // a seq past the next one
    chainPrev,   // does not link to the device's head
    content,     // the payload was refused and set aside (setAside)
};

/// What happened to one event offered to the store.
struct ApplyResult {
    enum class Outcome { accepted, duplicate, conflict, rejected };
    Outcome outcome = Outcome::accepted;
    Problems problems;      // why, when conflict or rejected
    std::int64_t dseq = 0;  // the district's sequence number, when known
    bool setAside = false;  // rejected for its content but kept aside: the chain runs on
    Refusal refusal = Refusal::none;  // why, when conflict or rejected

    /// Refused outright, nothing written: a conflict, or a broken envelope,
    /// hash or chain. Nothing behind it in the same chain can follow.
    bool refused() const {
        return outcome == Outcome::conflict || (outcome == Outcome::rejected && !setAside);
    }
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

/// The report in the catalogue's words, one finding a line, then the verdict.
std::string describe(const VerifyReport& report);

/// Whether a database location is a PostgreSQL URL (postgresql://... or
/// postgres://...), which only a district's store accepts, rather than a file.
bool isDatabaseUrl(std::string_view location);

class Store {
public:
    /// Schema version this build writes (PRAGMA user_version).
    static int schemaVersion();

    /// Creates a new node database at `path` for `office`, its device key
    /// pair beside it (keyFileFor(path), mode 0600), and records the
    /// office's name. Refuses an existing file or key, or invalid input.
    /// `officeKey` (pin.hpp) joins this kiosk to the office's other kiosks,
    /// which can then read each other's clerks' PINs; empty: a new office
    /// key, for the office's first kiosk. Written to officeKeyFileFor(path).
    static Store create(const std::filesystem::path& path, std::string_view office, std::string_view name,
                        std::string_view officeKey = {});
    struct OpenOptions {
        /// Run PRAGMA integrity_check here. It reads the whole file (seconds
        /// on a large node), so only `verify`, a district server's start and
        /// backups ask for it; the kiosk runs integrityReport() on an idle
        /// worker once the first frame is up. Damage met later shows as
        /// StoreError "error.store.corrupt" from whichever call meets it.
        bool checkIntegrity = false;
        /// SQLite's page cache for this connection; 0: SQLite's 2 MB. The
        /// district's writer keeps the hot pages of a large file's indexes.
        int cacheMebibytes = 0;
        /// false: this connection never checkpoints the WAL on commit;
        /// the owner calls checkpoint() elsewhere (the district's writer
        /// leaves it to another thread).
        bool autoCheckpoint = true;
    };
    /// Opens an existing node: migrations (and the integrity check when
    /// asked). A damaged file throws StoreError "error.store.corrupt" and
    /// is left where it is: a node heals it (heal.hpp), a district's
    /// operator restores a backup.
    /// A district's `path` may also be a PostgreSQL URL (postgresql://...,
    /// sql::isUrl): migrations only, as PostgreSQL keeps its own pages
    /// whole; a database without Shouxin's schema is refused, untouched.
    static Store open(const std::filesystem::path& path, OpenOptions options);
    static Store open(const std::filesystem::path& path) { return open(path, OpenOptions{}); }
    /// Runs PRAGMA integrity_check: "" when the file is intact, else what
    /// SQLite reported. Throws StoreError only when the check cannot run.
    /// On PostgreSQL always "" (no such check; its own checksums and WAL
    /// replay keep pages whole).
    std::string integrityReport() const;
    /// Copies what the WAL holds into the database file, as far as no
    /// reader still needs it (a passive checkpoint); never waits.
    /// Nothing on PostgreSQL, which checkpoints by itself.
    void checkpoint();
    /// Sets a node up again at `path` for a damaged one's identity: the
    /// node table's `rows` (salvage::NodeIdentity: office, device, public
    /// key, settings), no events (they come back from the district's pull),
    /// the key files beside it left as they are. Made beside `path` and
    /// renamed into place whole. Refuses an existing file.
    static Store createHealed(const std::filesystem::path& path,
                              const std::vector<std::pair<std::string, std::string>>& rows);
    /// Stores this device's own events read back from a damaged copy, each
    /// after its chain head here, as not yet acknowledged (to be pushed),
    /// in one transaction that also ends the heal (Setting::healFrom);
    /// stops before the first one refused. Returns how many were stored.
    std::size_t recoverOwn(const std::vector<Event>& events);
    /// Moves a damaged node file and its -wal/-shm aside, to
    /// "<db>.corrupt-<time>"; returns the new path. Close every connection first.
    static std::filesystem::path moveAside(const std::filesystem::path& path);

    Store(Store&&) noexcept;
    Store& operator=(Store&&) noexcept;
    ~Store();

    NodeInfo node() const;

    /// Records a local change as this device's next event: validated against
    /// the domain and the current state, chained, folded, committed.
    Result<Event> record(const Payload& payload, std::string_view actor);
    /// Records `payloads` in order as this device's next events, all in one
    /// transaction: each is checked as record() checks it, against the state
    /// the ones before it left. When one is refused nothing is written, and
    /// the problems name it by position ("#3 title"). Returns the count.
    Result<std::size_t> recordAll(const std::vector<Payload>& payloads, std::string_view actor);
    /// Stores an event made elsewhere (sync, import): checked (envelope,
    /// hash, payload, the device's chain), idempotent by id, folded.
    ApplyResult apply(const Event& event);

    std::vector<CommitmentState> commitments() const;
    std::optional<CommitmentState> commitment(std::string_view id) const;
    /// The commitment's fulfilment reports, oldest first in total order.
    std::vector<FulfilmentRecord> history(std::string_view commitmentId) const;

    /// Ids of commitments whose title, detail or department contain
    /// `query`, best matches first (FTS5 trigram). Queries of one or two
    /// characters match titles and departments only, through an index.
    std::vector<std::string> search(std::string_view query, int limit = 200) const;
    /// The same hits, in the same order, as commitments without their long
    /// text (as forEachCommitmentSummary): a result list in one query.
    std::vector<CommitmentState> searchSummaries(std::string_view query, int limit = 200) const;

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

    // ---- Clerks --------------------------------------------------------------

    struct Clerk {
        std::string id;
        std::string office;
        std::string name;
        Role role = Role::clerk;
        bool disabled = false;
        bool pinExposed = false;  // its PIN verifier travelled readable: the PIN must be changed
    };
    /// This office's clerk accounts, by id.
    std::vector<Clerk> clerks() const;
    std::optional<Clerk> clerk(std::string_view id) const;

    /// A commitment's revisions by supervisors, oldest first in total order.
    struct Revision {
        std::string eventId;
        std::string actor;
        CommitmentRevised revision;
    };
    std::vector<Revision> revisions(std::string_view commitmentId) const;

    /// `unavailable`: the clerk's PIN was sealed with an office key this
    /// kiosk does not hold (not counted as a failure).
    enum class PinOutcome { ok, wrong, locked, unavailable };
    struct PinCheck {
        PinOutcome outcome = PinOutcome::wrong;
        bool mustChangePin = false;  // when ok: the verifier travelled readable before sealing
        std::optional<Clerk> clerk;   // when ok
        std::int64_t lockedUntil = 0;  // Unix ms, when locked
        int failures = 0;
    };
    /// Checks a clerk's PIN at this device's pad. Five failures lock the pad
    /// with a doubling delay (pin.hpp); the state is kept in the database,
    /// so it survives a restart. An unknown or disabled clerk counts as a
    /// failure, so the pad tells nothing about who exists.
    PinCheck checkPin(std::string_view clerkId, std::string_view pin, std::int64_t nowMillis);

    /// The office key this kiosk holds (hex), "" when none.
    std::string officeKey() const;
    /// Replaces this kiosk's office key with the office's (copied from its
    /// first kiosk); false when `key` is not an office key.
    bool setOfficeKey(std::string_view key);

    // ---- Sync: both ends of the protocol drive these ------------------------

    /// Creates a district server's database: a node whose office is the
    /// 6-digit district code and which numbers every event it accepts.
    /// `path`: a file, or a PostgreSQL URL naming an existing, empty
    /// database. `keyFile`: where the district's signing key goes; empty:
    /// keyFileFor(path), beside the file (a URL needs one: districtKeyFile).
    static Store createDistrict(const std::filesystem::path& path, std::string_view district,
                                std::string_view name, const std::filesystem::path& keyFile = {});
    bool isDistrict() const;

    /// A node setting kept in the database (settings.hpp); "" when unset.
    std::string setting(Setting key) const;
    void setSetting(Setting key, std::string_view value);

    /// The district's identity as pinned at enrolment: its own device (the
    /// only author of district-level acts this node accepts) and its key.
    void pinDistrict(std::string_view districtDevice, std::string_view districtKeyHex);
    /// The regions above this replica's district (a node) or own region (a
    /// server), nearest first, as pinned: a server's upstream at its
    /// enrolment there, and the rest as the server above passes them on.
    /// Their region-wide records are accepted from their devices alone.
    std::vector<wire::Region> regionsAbove() const;
    /// Replaces them (only regions above this replica's own code are kept).
    void pinRegionsAbove(const std::vector<wire::Region>& regions);
    /// Keeps the district's receipt for this device's latest accepted push,
    /// after checking it against the pinned key and this device's chain;
    /// false (and nothing kept) when it does not hold.
    bool keepReceipt(const wire::Receipt& receipt);
    std::optional<wire::Receipt> receipt() const;
    /// District: the highest district sequence number handed out.
    std::int64_t lastDistrictSeq() const;
    /// Server: its incarnation, told in every answer (wire `epoch`): made
    /// at creation, made anew on the copy a restore puts in place
    /// (backup.hpp), and at the server's start for a database made before
    /// there were epochs; "" until then.
    std::string epoch() const;
    /// Server: makes and keeps a new incarnation, and returns it.
    std::string renewEpoch();
    /// The server this replica syncs with (a node's district, a server's
    /// level above) answered with incarnation `epoch`. When another one was
    /// seen before, that server was restored from a backup and may lack
    /// what this replica holds as sent or pulled past: in one transaction
    /// (so a crash before it redoes it, and after it resumes it), a node
    /// marks all its own events not acknowledged, a server all its chains
    /// not relayed, the pull cursor goes back to the start, the re-pull is
    /// noted (Setting::epochRepull), and only then is `epoch` kept. True
    /// when it did so; "" (an older server) or the epoch already kept
    /// change nothing, and the first one seen is only kept.
    bool followEpoch(std::string_view epoch);
    /// The pull after a new epoch reached the end: events of the district's
    /// own device held here that it did not send again (it lost them with
    /// its restore) are dropped, their records refolded, so that this node
    /// holds what the district holds; the re-pull is over.
    void finishRepull();

    /// This device's events the district has not acknowledged, oldest first.
    std::vector<Event> pendingEvents(std::size_t limit) const;
    /// The last seq of this device's chain as held here (0: none).
    std::int64_t ownHeadSeq() const;

    /// The district's answer about one of this device's events.
    struct Acknowledgement {
        std::string eventId;
        std::int64_t dseq = 0;
        bool refused = false;  // set aside: its records are refolded without it
        std::string reason;
        std::string detail;
    };
    void acknowledge(const std::vector<Acknowledgement>& acks);
    /// The district holds this device's chain only up to `headSeq`: events
    /// after it are to be sent again (and lose the numbers it gave them).
    /// Never marks an event sent: the number comes in an unsigned answer.
    void resendAfter(std::int64_t headSeq);
    /// Stores a pulled page and the new cursor in one transaction. A chain
    /// may be held in part (events outside this node's scope are not sent).
    /// While re-pulling after the district's new epoch (Setting::epochRepull),
    /// a node follows the district's own chain as the district now holds it:
    /// an event of the district's device at a seq held here with another
    /// hash means the restored district lost its own events from there and
    /// numbered new ones; those held here are dropped (their records
    /// refolded) and the district's taken.
    std::vector<ApplyResult> applyPulled(const std::vector<Event>& events,
                                         const std::vector<std::int64_t>& dseqs, std::int64_t cursor);

    /// District: one device's batch, checked and stored in one transaction
    /// with district numbers, with the signature of the device's new chain
    /// head. Nothing is stored when any event conflicts or breaks the chain
    /// (the results say which).
    std::vector<ApplyResult> applyBatch(const std::vector<Event>& events, std::string_view headSignature = "");
    /// One device's pushed batch, for applyBatches.
    struct PushedBatch {
        const std::vector<Event>* events = nullptr;
        std::string headSignature;
        /// Optional, by index: payloads the caller decoded from events whose
        /// hash it checked (prechecked()), so that the one writer need not;
        /// nullopt, or none at all: the store checks and decodes itself.
        const std::vector<std::optional<Payload>>* decoded = nullptr;
        /// Relayed from the level below: that level's receipt for this head
        /// ("dseq signature"), kept with the head's signature.
        std::string receipt;
    };
    /// For PushedBatch::decoded, done on any thread: each event's payload
    /// when its hash matches its bytes and they decode, else nullopt.
    static std::vector<std::optional<Payload>> prechecked(const std::vector<Event>& events);
    /// District: several devices' batches in one transaction and one durable
    /// commit (group commit), each all or nothing as applyBatch would store
    /// it alone. The results, batch by batch; `lastDseq` is the district's
    /// last number once they are stored.
    std::vector<std::vector<ApplyResult>> applyBatches(const std::vector<PushedBatch>& batches,
                                                       std::int64_t* lastDseq = nullptr);
    /// District: accepted events after `cursor` in an office's scope (the
    /// office and its district), excluding one device's own up to its seq
    /// `ownAfter`: a device restored from a backup holds its chain only up
    /// to there, and gets back what it pushed after the backup.
    struct Page {
        std::vector<Event> events;
        std::vector<std::int64_t> dseqs;
    };
    Page eventsAfter(std::string_view office, std::string_view excludeDevice, std::int64_t cursor,
                     std::size_t limit, std::int64_t ownAfter = kMaxOwnSeq) const;
    static constexpr std::int64_t kMaxOwnSeq = std::numeric_limits<std::int64_t>::max();

    // ---- Levels: what goes up to the server above (store_relay.cpp) -----

    /// One device's events going up, consecutive from just after what the
    /// level above holds to a head the device signed (for this server's own
    /// device: any head; the relay signs it).
    struct RelayRun {
        std::string device;
        std::string office;        // the device's (a region's own device: the region)
        std::string publicKeyHex;  // as enrolled here, or as the level below vouched
        std::vector<Event> events;  // set-aside ones included: the chain runs through them
        std::string headSignature;  // the device's, over its last event; "" for this server's own
        std::int64_t headDseq = 0;  // this server's number of the last event (0: set aside)
    };
    /// Server: runs of the devices in this server's region (its own included)
    /// whose chains go further than the level above holds, about `maxEvents`
    /// events in all (one run whole, however long, when any waits). Devices
    /// outside the region (the level above's own) never go back up.
    std::vector<RelayRun> relayBatch(std::size_t maxEvents) const;
    /// The level above holds `device`'s chain up to `seq`.
    void markRelayed(std::string_view device, std::int64_t seq);
    /// Server: events held in this region that the level above does not hold yet.
    std::int64_t relayPending() const;

    /// Events set aside with the reason they were refused.
    struct SetAside {
        Event event;
        std::string reason;
        std::string detail;
    };
    std::vector<SetAside> setAside() const;

    // ---- The published event log (audit.hpp) ---------------------------------

    /// One event as the district's published log carries it.
    struct LoggedEvent {
        Event event;
        std::int64_t dseq = 0;  // the district's number; 0 when set aside
        bool setAside = false;  // refused for its content; its chain runs through it
        std::string reason;     // catalogue id, when set aside
    };
    /// District: calls `visit` with every accepted event in district order
    /// (dseq), then every set-aside event by device and seq, one row at a
    /// time (the log of a large district is never held in memory).
    void forEachLoggedEvent(const std::function<void(const LoggedEvent&)>& visit) const;
    /// A device's chain head as this replica holds it, with the head's
    /// signature as the device sent it with its last push ("" when none).
    struct DeviceHead {
        std::string device;
        std::string office;
        std::string publicKeyHex;
        std::int64_t headSeq = 0;
        std::string headHash;
        std::string headSignature;
    };
    /// Every device known here, by id.
    std::vector<DeviceHead> deviceHeads() const;
    /// Runs `read`, every query it makes on this store seeing the same
    /// committed state (one read transaction), whatever other writers commit
    /// meanwhile.
    void readConsistently(const std::function<void()>& read) const;
    /// A replica that holds only the events it is given: no office.named
    /// event of its own, no key files, the district's identity pinned, so
    /// that its state digest is that of those events alone (auditLog()
    /// refolds a published log in one). Refuses an existing file.
    static Store createReplica(const std::filesystem::path& path, std::string_view district,
                               std::string_view districtDevice, std::string_view districtKeyHex);

    /// Replaces the wall clock used for event stamps (tests).
    void setClock(std::function<std::int64_t()> nowMillis);

    // ---- Kiosk queries
    /// Clock time (Unix milliseconds) of the newest event held, nullopt
    /// when there is none: what the kiosk shows as "data last updated".
    std::optional<std::int64_t> newestEventMillis() const;
    /// A number that grows whenever an event is stored, cheap enough to poll
    /// every few seconds to learn that the screen's data changed.
    std::int64_t changeMark() const;
    /// Calls `visit` with every piece of text a resident can be shown: office
    /// names, commitments' fields, fulfilment reports' notes, reasons,
    /// legal bases and evidence, complaints and their answers, and breach
    /// records' notes (for the kiosk's font atlas).
    void forEachText(const std::function<void(std::string_view)>& visit) const;
    /// Calls `visit` with every commitment (or those of one service area), in
    /// no particular order, without its long text: detail, responsible, time limit and
    /// amendment reason and basis are left empty. Lists and figures over many
    /// commitments, without holding them all in memory.
    void forEachCommitmentSummary(std::optional<Category> category,
                                  const std::function<void(const CommitmentState&)>& visit) const;
    /// Every commitment in `scope` (an office or a district code, "" for all
    /// held) with its full text, by office then id, one at a time: exports
    /// over a whole district without holding it in memory.
    void forEachCommitment(std::string_view scope,
                           const std::function<void(const CommitmentState&)>& visit) const;
    /// The offices named here (office.named) in `scope`, by code; on a
    /// district server the district's own code is among them.
    std::vector<OfficeNamed> offices(std::string_view scope) const;
    /// forEachCommitment without the long text (as forEachCommitmentSummary).
    void forEachCommitmentSummaryIn(std::string_view scope,
                                    const std::function<void(const CommitmentState&)>& visit) const;
    /// A commitment's text as first published (before any revision), from
    /// its `commitment.published` event; nullopt when unknown.
    std::optional<Commitment> publishedText(std::string_view commitmentId) const;
    /// A complaint still waiting for an answer (the kiosk shows no contact data).
    struct OpenComplaint {
        std::string id;
        std::string ticket;
        std::string commitment;  // "" when about no commitment
        std::string text;
        Date filed;
    };
    /// This office's complaints without an answer, oldest first, at most
    /// `limit`; `total` gets how many there are in all.
    std::vector<OpenComplaint> openComplaints(std::size_t limit, std::int64_t& total) const;

    // ---- Residents' voice and breach records (store_voice.cpp) ------------

    /// A complaint as the office and the resident may see it: never its
    /// contact, only whether one was sealed.
    struct ComplaintView {
        std::string id;
        std::string office;
        std::string ticket;
        std::string commitment;  // "" when about no commitment
        ComplaintReason reason = ComplaintReason::other;
        std::string text;
        Date filed;
        ComplaintStatus status = ComplaintStatus::received;
        std::string answer;  // "" until answered
        std::optional<Date> answeredOn;
        std::string answeredBy;  // the answer's actor ("clerk:…", "district:…")
        std::optional<int> answerRating;
        bool contactSealed = false;
    };
    /// The complaint with this ticket (as parseTicket gives it) held here.
    std::optional<ComplaintView> complaintByTicket(std::string_view ticket) const;
    std::optional<ComplaintView> complaint(std::string_view id) const;
    /// Complaints in `scope` (an office or a district code, "" for all
    /// held), oldest first; with `openOnly` those not answered or closed.
    std::vector<ComplaintView> complaints(std::string_view scope, bool openOnly, std::size_t limit) const;
    /// The complaint's sealed contact as filed ("" when none): only the
    /// district's key opens it (openSealed), and only the district reads it.
    std::string sealedContact(std::string_view complaintId) const;

    /// A breach record with its steps, oldest first, as the rulebook left it.
    struct BreachRecord {
        Breach breach;
        std::string actor;  // who confirmed it
        std::string commitmentTitle;
        BreachStage stage = BreachStage::confirmed;
        Date stageDate;
        bool objected = false;
        struct Step {
            std::string eventId;
            std::string actor;
            BreachStep step;
        };
        std::vector<Step> steps;
    };
    std::optional<BreachRecord> breach(std::string_view id) const;
    /// Breach records in `scope` ("" for all held), newest confirmation first.
    std::vector<BreachRecord> breaches(std::string_view scope) const;
    /// A commitment's breach records, oldest first.
    std::vector<BreachRecord> breachesOf(std::string_view commitmentId) const;

    /// What the residents' voice figures count (figures.hpp), in `scope`.
    VoiceFacts voiceFacts(std::string_view scope) const;

private:
    /// record() inside a transaction the caller holds.
    Result<Event> recordInTransaction(const Payload& payload, std::string_view actor);
    struct Impl;
    explicit Store(std::unique_ptr<Impl> impl);
    static Store openPostgres(const std::string& url);
    void verifySignatures(VerifyReport& report) const;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace shouxin
