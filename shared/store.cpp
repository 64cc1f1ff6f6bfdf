// The store: open and migrate, and every write's way in (record, apply,
// Impl::insert). Making a new one (store_create.cpp), queries, clerks and
// both ends of sync live beside it (store_*.cpp), on the same Store::Impl
// (store_impl.hpp).
#include "shared/store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>

#include "shared/authority.hpp"
#include "shared/crypto.hpp"
#include "shared/fold.hpp"
#include "shared/hlc.hpp"
#include "shared/pin.hpp"
#include "shared/rules.hpp"
#include "shared/schema.hpp"
#include "shared/sql.hpp"
#include "shared/store_impl.hpp"
#include "shared/text.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

namespace {

int userVersion(sql::Db& db) {
    sql::Statement q(db, "PRAGMA user_version");
    q.step();
    return static_cast<int>(q.integer(0));
}

// PostgreSQL keeps the version in a table of its own; 0: no Shouxin schema.
int postgresVersion(sql::Db& db) {
    sql::Statement exists(db, "SELECT to_regclass('shouxin_schema') IS NOT NULL");
    exists.step();
    if (exists.integer(0) == 0) return 0;
    sql::Statement q(db, "SELECT version FROM shouxin_schema");
    return q.step() ? static_cast<int>(q.integer(0)) : 0;
}

// The database holds the node's token and the district's registry: only
// its owner may read it, whatever the umask. SQLite gives the -wal and -shm
// files the database file's mode; files made earlier are narrowed here.
void ownerOnly(const fs::path& path, bool create) {
    if (create) {
        const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd < 0) throw StoreError("error.store.exists", path.string());
        ::close(fd);
    }
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const fs::path file = path.string() + suffix;
        std::error_code ignored;
        if (fs::exists(file, ignored)) {
            fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace, ignored);
        }
    }
}

}  // namespace

namespace store_detail {

// Runs every migration the database lacks, all in one transaction (on
// PostgreSQL the writers' lock keeps two servers from migrating at once).
// `creating`: the database is new (PostgreSQL: must hold no schema yet);
// otherwise it must already be Shouxin's.
void migrate(sql::Db& db, const std::string& location, bool creating) {
    const auto& steps = schema::migrations();
    const bool postgres = db.engine() == sql::Engine::postgres;
    // A current schema is only read: no lock, no write, so that readers
    // never queue behind the writer, a read-only standby opens, and opening
    // writes nothing (a damaged file is left as it was found).
    if (!creating && (postgres ? postgresVersion(db) : userVersion(db)) == static_cast<int>(steps.size())) return;
    sql::Transaction tx(db);
    const int from = postgres ? postgresVersion(db) : userVersion(db);
    if (postgres && creating && from != 0) throw StoreError("error.store.exists", sql::redacted(location));
    if (postgres && !creating && from == 0) throw StoreError("error.store.not_a_district", sql::redacted(location));
    if (from > static_cast<int>(steps.size())) {
        throw StoreError("error.store.newer_schema", "schema version " + std::to_string(from) +
                                                         " is newer than this program's " +
                                                         std::to_string(steps.size()));
    }
    for (auto v = static_cast<std::size_t>(from); v < steps.size(); ++v) {
        const std::string_view text = postgres ? steps[v].postgres : steps[v].sqlite;
        if (!text.empty()) db.exec(std::string(text));
    }
    if (postgres) {
        if (from == 0) db.exec("CREATE TABLE shouxin_schema(version BIGINT NOT NULL); INSERT INTO shouxin_schema VALUES(0)");
        db.exec("UPDATE shouxin_schema SET version = " + std::to_string(steps.size()));
    } else {
        db.exec("PRAGMA user_version = " + std::to_string(steps.size()));
    }
    tx.commit();
}

// A PostgreSQL database: a connection, no file modes or PRAGMAs.
std::unique_ptr<sql::Db> connect(const std::string& url) {
    try {
        return std::make_unique<sql::Db>(url, 0);
    } catch (const sql::Error& e) {
        throw StoreError("error.store.connect", e.what());
    }
}

std::unique_ptr<sql::Db> openDb(const fs::path& path, int flags) {
    ownerOnly(path, (flags & SQLITE_OPEN_CREATE) != 0);
    auto db = std::make_unique<sql::Db>(path.string(), flags);
    db->exec("PRAGMA journal_mode = WAL");
    db->exec("PRAGMA synchronous = FULL");
    db->exec("PRAGMA foreign_keys = ON");
    // A batch's dirty pages stay in memory until its commit writes them to
    // the WAL once, instead of spilling to the WAL whenever the 2 MB cache
    // fills (and again at commit). Batches are bounded: a pulled page, a
    // group commit, an import. The cache shrinks back once they are clean.
    db->exec("PRAGMA cache_spill = OFF");
    // Statement journals (a statement with triggers or an upsert keeps the
    // pages it changes until it completes) stay in memory: on a temporary
    // file, every folded commitment wrote to it.
    db->exec("PRAGMA temp_store = MEMORY");
    return db;
}

}  // namespace store_detail

namespace {

bool integrityOk(sql::Db& db, std::string& report) {
    sql::Statement q(db, "PRAGMA integrity_check");
    while (q.step()) {
        const std::string line = q.text(0);
        if (line == "ok") return true;
        report += line + "\n";
    }
    return false;
}

// A district database made before districts countersigned pushes gets its
// signing key on first open.
void ensureDistrictKey(const fs::path& path, sql::Db& db) {
    const fs::path keyPath = keyFileFor(path);
    auto keys = readKeyFile(keyPath);
    if (!keys) {
        keys = newKeyPair();
        writeKeyFile(keyPath, *keys);
    }
    sql::Transaction tx(db);
    setNodeValue(db, "public_key", keys->publicKeyHex);
    sql::Statement(db, "UPDATE device SET public_key = ?2 WHERE id = ?1 AND public_key = ''")
        .bind(1, nodeValue(db, "device"))
        .bind(2, keys->publicKeyHex)
        .run();
    tx.commit();
}

// The most of a refused event's payload kept aside.
constexpr std::size_t kSetAsidePayloadBytes = 16 * 1024;

// How far a remote stamp may pull this node's clock ahead of its own.
constexpr std::int64_t kMaxClockLeadMillis = 10 * 60 * 1000;

// Binds an event's envelope to parameters ?1-?11 in kEventColumns order.
sql::Statement& bindEnvelope(sql::Statement& q, const Event& e) {
    return q.bind(1, e.id)
        .bind(2, e.office)
        .bind(3, e.device)
        .bind(4, e.seq)
        .bind(5, e.hlc)
        .bind(6, e.actor)
        .bind(7, e.type)
        .bind(8, e.payloadVersion)
        .bind(9, e.payload)
        .bind(10, e.prevHash)
        .bind(11, e.hash);
}

}  // namespace

namespace store_detail {

std::string nodeValue(const sql::Db& db, std::string_view key) {
    auto q = db.cached("SELECT value FROM node WHERE key = ?1");
    q->bind(1, key);
    return q->step() ? q->text(0) : std::string();
}

void setNodeValue(sql::Db& db, std::string_view key, std::string_view value) {
    auto q = db.cached(
        "INSERT INTO node(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    q->bind(1, key).bind(2, value).run();
}

}  // namespace store_detail

bool isDatabaseUrl(std::string_view location) { return sql::isUrl(location); }

int Store::schemaVersion() { return static_cast<int>(schema::migrations().size()); }

Store::Store(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;
Store::~Store() = default;

Store Store::open(const fs::path& path, OpenOptions options) {
    if (sql::isUrl(path.string())) return openPostgres(path.string());
    if (!fs::exists(path)) throw StoreError("error.store.missing", path.string());
    // Damage is reported, never acted on here: the file stays where it is
    // (a node heals it from the district, heal.hpp; a district's operator
    // restores a backup). Whatever statement meets it throws
    // "error.store.corrupt" (sql::Error).
    std::unique_ptr<sql::Db> db;
    try {
        db = openDb(path, SQLITE_OPEN_READWRITE);
        if (options.cacheMebibytes > 0)
            db->exec("PRAGMA cache_size = -" + std::to_string(options.cacheMebibytes * 1024));
        if (!options.autoCheckpoint) db->exec("PRAGMA wal_autocheckpoint = 0");
        if (options.checkIntegrity) {
            std::string report;
            if (!integrityOk(*db, report)) throw StoreError("error.store.corrupt", path.string() + "\n" + report);
        }
    } catch (const sql::Error& e) {
        if (e.corrupt()) throw;
        throw StoreError("error.store.not_a_node", path.string() + ": " + e.what());
    }
    migrate(*db, path.string());
    if (nodeValue(*db, "device").empty()) throw StoreError("error.store.not_a_node", path.string());
    const bool district = nodeValue(*db, "role") == "district";
    const bool replica = nodeValue(*db, "role") == "replica";
    if (district && nodeValue(*db, "public_key").empty()) ensureDistrictKey(path, *db);
    // A node made before PIN verifiers were sealed gets its office key now;
    // its clerks' readable verifiers must be changed (PinCheck::mustChangePin),
    // as they have travelled.
    if (!district && !fs::exists(officeKeyFileFor(path))) {
        writeSecretFile(officeKeyFileFor(path), pin::newOfficeKey());
    }
    Store store(std::make_unique<Impl>(path, std::move(db)));
    store.m_impl->district = district;
    store.m_impl->replica = replica;
    return store;
}

// A district on PostgreSQL: migrations only. No integrity check (the
// server keeps its pages whole: checksums, WAL replay), so nothing is
// ever moved aside; the district's key lives where --keys says, not here.
Store Store::openPostgres(const std::string& url) {
    auto db = connect(url);
    try {
        migrate(*db, url);
        if (nodeValue(*db, "device").empty() || nodeValue(*db, "role") != "district")
            throw StoreError("error.store.not_a_district", sql::redacted(url));
    } catch (const sql::Error& e) {
        throw StoreError("error.store.not_a_district", sql::redacted(url) + ": " + e.what());
    }
    Store store(std::make_unique<Impl>(url, std::move(db)));
    store.m_impl->district = true;
    return store;
}

std::string Store::integrityReport() const {
    // PostgreSQL has no integrity_check; its own checksums and WAL keep pages whole.
    if (m_impl->db->engine() == sql::Engine::postgres) return {};
    std::string report;
    try {
        if (integrityOk(*m_impl->db, report)) return {};
    } catch (const sql::Error& e) {
        if (!e.corrupt()) throw StoreError("error.store.not_a_node", e.what());
        report += e.what();
    }
    return report.empty() ? std::string("integrity_check failed") : report;
}

NodeInfo Store::node() const { return m_impl->node(); }

void Store::checkpoint() {
    // PostgreSQL checkpoints by itself (checkpoint_timeout, max_wal_size).
    if (m_impl->db->engine() == sql::Engine::postgres) return;
    m_impl->db->exec("PRAGMA wal_checkpoint(PASSIVE)");
}

Result<Event> Store::record(const Payload& payload, std::string_view actor) {
    sql::Transaction tx(*m_impl->db);
    auto event = recordInTransaction(payload, actor);
    if (event) tx.commit();
    return event;
}

Result<std::size_t> Store::recordAll(const std::vector<Payload>& payloads, std::string_view actor) {
    sql::Transaction tx(*m_impl->db);
    for (std::size_t i = 0; i < payloads.size(); ++i) {
        auto event = recordInTransaction(payloads[i], actor);
        if (!event) {
            Problems problems = event.problems();
            for (auto& p : problems)
                p.field = "#" + std::to_string(i + 1) + (p.field.empty() ? "" : " " + p.field);
            return problems;
        }
    }
    tx.commit();
    return payloads.size();
}

Result<Event> Store::recordInTransaction(const Payload& payload, std::string_view actor) {
    Problems problems = std::visit([](const auto& v) { return validate(v); }, payload);
    if (!isActor(actor)) problems.push_back({"actor", "error.actor", std::string(actor)});
    if (!problems.empty()) return problems;

    // A PIN verifier made here leaves only sealed with the office key.
    const Payload* toRecord = &payload;
    Payload sealed;
    if (const auto* added = std::get_if<ClerkAdded>(&payload); added && !pin::isSealed(added->pinVerifier)) {
        const std::string key = officeKey();
        if (key.empty()) return Problems{{"office_key", "error.office_key", officeKeyFileFor(m_impl->path).string()}};
        ClerkAdded copy = *added;
        copy.pinVerifier = pin::seal(added->pinVerifier, key);
        sealed = std::move(copy);
        toRecord = &sealed;
    }

    auto& db = *m_impl->db;
    // Set up again after damage and not yet healed (sync/client/heal.hpp):
    // this device's chain head is not known here until the district's pull
    // and the recovery, and a new event now would fork it.
    if (!nodeValue(db, settingRow(Setting::healFrom)).empty())
        return Problems{{"", "heal.pending", nodeValue(db, settingRow(Setting::healFrom))}};
    m_impl->lastDseq = -1;
    const NodeInfo node = m_impl->node();
    if (Problems p = m_impl->checkRole(payload, actor); !p.empty()) return p;
    if (Problems p = m_impl->checkAgainstState(payload, node); !p.empty()) return p;

    sql::Statement head(db, "SELECT head_seq, head_hash FROM device WHERE id = ?1");
    head.bind(1, node.device);
    Event e;
    e.seq = 1;
    e.prevHash = kGenesisHash;
    if (head.step()) {
        e.seq = head.integer(0) + 1;
        e.prevHash = head.text(1);
    }
    // A device clock the district found far off is corrected by the offset
    // sync measured (Setting::clockOffset), so its stamps order
    // sensibly against other kiosks'.
    const std::string offset = nodeValue(db, settingRow(Setting::clockOffset));
    const std::int64_t now = m_impl->clock() + (offset.empty() ? 0 : std::stoll(offset));
    const auto clock = static_cast<std::uint64_t>(std::stoull(nodeValue(db, "hlc")));
    e.hlc = hlc::tick(clock, now);
    e.id = newUuidV7(now);
    e.device = node.device;
    // The record's office: named by the payload, else the office of the
    // record the event is about (a district's answer or ruling goes under
    // the township's name), else this node's.
    e.office = officeNamedBy(payload);
    if (e.office.empty()) e.office = ownerOf(db, subjectOf(payload, "")).value_or(node.office);
    e.actor = actor;
    e.type = eventTypeOf(*toRecord);
    e.payload = encodePayload(*toRecord);
    e.hash = computeHash(e);

    InsertOptions options;
    options.decoded = toRecord;
    options.local = true;
    const ApplyResult r = m_impl->insert(e, options);
    if (r.outcome != ApplyResult::Outcome::accepted) return r.problems;
    sql::Statement(db, "UPDATE device SET public_key = ?2 WHERE id = ?1 AND public_key = ''")
        .bind(1, node.device)
        .bind(2, node.publicKeyHex)
        .run();
    return e;
}

ApplyResult Store::apply(const Event& event) {
    sql::Transaction tx(*m_impl->db);
    m_impl->lastDseq = -1;
    ApplyResult r = m_impl->insert(event);
    if (r.outcome == ApplyResult::Outcome::accepted) tx.commit();
    return r;
}

ApplyResult Store::Impl::insert(const Event& e, const InsertOptions& options) {
    using Outcome = ApplyResult::Outcome;
    {
        auto q = db->cached(
            "SELECT hash, COALESCE(dseq, 0) FROM event WHERE id = ?1 "
            "UNION ALL SELECT hash, 0 FROM set_aside WHERE id = ?1");
        q->bind(1, e.id);
        if (q->step()) {
            if (q->text(0) != e.hash)
                return {Outcome::conflict, {{"id", "error.event.conflict", e.id}}, 0, false, Refusal::idConflict};
            return {Outcome::duplicate, {}, q->integer(1)};
        }
    }
    if (Problems p = checkEnvelope(e); !p.empty()) return {Outcome::rejected, std::move(p), 0, false, Refusal::envelope};
    if (!options.decoded && computeHash(e) != e.hash)
        return {Outcome::rejected, {{"hash", "error.event.hash", e.id}}, 0, false, Refusal::hash};
    Refusal broken = Refusal::none;
    if (auto chain = checkChain(e, options.allowGap, broken); !chain.empty()) {
        return {Outcome::rejected, std::move(chain), 0, false, broken};
    }

    Problems content;
    auto payload = options.decoded ? Result<Payload>(*options.decoded)
                                    : decodePayload(e.type, e.payloadVersion, e.payload);
    if (!payload) {
        content = payload.problems();
    } else if (eventTypeOf(*payload) != e.type) {
        content = {{"type", "error.event_type", e.type}};
    } else if (const auto office = officeNamedBy(*payload); !office.empty() && office != e.office) {
        content = {{"office", "error.event.office_mismatch", office}};
    } else if (const auto* added = std::get_if<ClerkAdded>(&*payload);
               added && options.sealedPinsOnly && !pin::isSealed(added->pinVerifier)) {
        content = {{"pin_hash", "error.clerk.pin_unsealed", added->clerk}};
    } else {
        content = authorise(e, *payload, identities(), [this](std::string_view s) { return ownerOf(*db, s); });
    }
    if (!content.empty()) {
        setAsideRow(e, content.front());
        advanceHead(e);
        return {Outcome::rejected, std::move(content), 0, true, Refusal::content};
    }

    std::int64_t dseq = options.dseq;
    if (dseq == 0 && district) {
        // Numbered inside the writer's transaction: commits come in
        // number order, so no reader can skip a slower writer's events.
        if (lastDseq < 0) {
            auto last =
                db->cached("SELECT dseq FROM event WHERE dseq IS NOT NULL ORDER BY dseq DESC LIMIT 1");
            lastDseq = last->step() ? last->integer(0) : 0;
        }
        dseq = ++lastDseq;
    }
    if (dseq > 0 && !district) {
        // A pulled page's number is the district's word: an event here that
        // holds it took it from a push answer changed on the way, and gives
        // it up (its own comes back with a pull).
        db->cached("UPDATE event SET dseq = NULL WHERE dseq = ?1")->bind(1, dseq).run();
    }
    const std::string subject = subjectOf(*payload, e.id);
    auto row = db->cached(
        "INSERT INTO event(id, office, device, seq, hlc, actor, type, payload_version, "
        "payload, prev_hash, hash, subject, dseq, acked) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)");
    bindEnvelope(*row, e).bind(12, subject).bind(14, options.local ? 0 : 1);
    if (dseq > 0) row->bind(13, dseq);
    row->run();
    advanceHead(e);
    // A remote clock far ahead is not trusted: it moves ours at most
    // kMaxClockLead past our wall clock (the event keeps its stamp).
    const auto stamp = static_cast<std::uint64_t>(std::stoull(nodeValue(*db, "hlc")));
    const std::uint64_t ceiling = hlc::pack(clock() + kMaxClockLeadMillis, 0);
    setNodeValue(*db, "hlc", std::to_string(hlc::receive(stamp, std::min(e.hlc, ceiling))));
    fold->fold(e, *payload, subject);
    return {Outcome::accepted, {}, dseq};
}

Identities Store::Impl::identities() const {
    const std::string office = nodeValue(*db, "office");
    Identities who;
    if (district || replica) {
        // A server, or the replica that refolds a server's published log:
        // its own region's device (a replica's is the one its log names).
        who.scope = office;
        who.regionDevices[office] =
            district ? nodeValue(*db, "device") : nodeValue(*db, settingRow(Setting::districtDevice));
        // The regions below: those enrolled here, and those further down
        // whose devices their region vouched for (Registry::vouch keeps one
        // device a region); in a replica, the oldest id for each.
        auto below = db->cached("SELECT office, id FROM device WHERE length(office) < 9 ORDER BY id");
        while (below->step())
            if (isRegionCode(below->text(0)) && inScope(office, below->text(0)))
                who.regionDevices.emplace(below->text(0), below->text(1));
    } else {
        who.scope = districtOf(office);
        who.regionDevices[who.scope] = nodeValue(*db, settingRow(Setting::districtDevice));
    }
    for (const auto& region : pinnedRegions(*db)) who.regionDevices[region.code] = region.device;
    return who;
}

void Store::Impl::advanceHead(const Event& e) {
    db->cached("UPDATE device SET head_seq = ?2, head_hash = ?3 WHERE id = ?1")
        ->bind(1, e.device)
        .bind(2, e.seq)
        .bind(3, e.hash)
        .run();
}

void Store::Impl::setAsideRow(const Event& e, const Problem& why) {
    Event kept = e;
    std::optional<std::int64_t> cut;
    if (e.payload.size() > kSetAsidePayloadBytes) {
        std::size_t n = kSetAsidePayloadBytes;
        while (n > 0 && (static_cast<unsigned char>(e.payload[n]) & 0xC0) == 0x80)
            --n;
        kept.payload = e.payload.substr(0, n);
        cut = static_cast<std::int64_t>(e.payload.size());
    }
    sql::Statement q(
        *db,
        "INSERT INTO set_aside(id, office, device, seq, hlc, actor, type, payload_version, "
        "payload, prev_hash, hash, reason, detail, at, payload_bytes) "
        "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
    bindEnvelope(q, kept)
        .bind(12, why.message)
        .bind(13, (why.field + ": " + why.detail).substr(0, kSetAsidePayloadBytes))
        .bind(14, hlc::nowMillis());
    if (cut) q.bind(15, *cut);
    q.run();
}

Problems Store::Impl::checkChain(const Event& e, bool allowGap, Refusal& why) {
    auto q = db->cached("SELECT head_seq, head_hash FROM device WHERE id = ?1");
    q->bind(1, e.device);
    std::int64_t headSeq = 0;
    std::string headHash = kGenesisHash;
    if (q->step()) {
        headSeq = q->integer(0);
        headHash = q->text(1);
    } else {
        sql::Statement(*db,
                          "INSERT INTO device(id, office, head_seq, head_hash) VALUES(?1, ?2, 0, ?3)")
            .bind(1, e.device)
            .bind(2, e.office)
            .bind(3, kGenesisHash)
            .run();
    }
    if (e.seq <= headSeq) {
        why = Refusal::chainFork;
        return {{"seq", "error.chain.fork", std::to_string(e.seq) + " <= " + std::to_string(headSeq)}};
    }
    if (e.seq != headSeq + 1) {
        if (allowGap) {
            sql::Statement(*db, "UPDATE device SET partial = 1 WHERE id = ?1").bind(1, e.device).run();
            return {};
        }
        why = Refusal::chainGap;
        return {{"seq", "error.chain.gap",
                 "expected " + std::to_string(headSeq + 1) + ", got " + std::to_string(e.seq)}};
    }
    if (e.prevHash != headHash) {
        why = Refusal::chainPrev;
        return {{"prev_hash", "error.chain.prev", e.prevHash}};
    }
    return {};
}

Problems Store::Impl::checkAgainstState(const Payload& payload, const NodeInfo& node) {
    Problems out;
    if (const auto* r = std::get_if<FulfilmentReport>(&payload)) {
        const auto current = commitmentById(r->commitment);
        if (!current) {
            out.push_back({"commitment", "error.commitment.unknown", r->commitment});
            return out;
        }
        out = rules::checkReport(*r, *current);
    } else if (const auto* c = std::get_if<Commitment>(&payload)) {
        if (c->office != node.office) out.push_back({"office", "error.office.not_ours", c->office});
        if (commitmentById(c->id)) out.push_back({"id", "error.event.conflict", c->id});
    } else if (std::holds_alternative<Complaint>(payload) || std::holds_alternative<ComplaintAnswer>(payload) ||
               std::holds_alternative<ComplaintStep>(payload) || std::holds_alternative<Rating>(payload) ||
               std::holds_alternative<Breach>(payload) || std::holds_alternative<BreachStep>(payload)) {
        out = checkVoice(payload, node);
    } else if (const auto* ca = std::get_if<ClerkAdded>(&payload)) {
        if (ca->office != node.office) out.push_back({"office", "error.office.not_ours", ca->office});
        // An existing account may be added again with a new PIN; its
        // name and role stay unless a supervisor means to change them.
    } else if (const auto* cd = std::get_if<ClerkDisabled>(&payload)) {
        if (cd->office != node.office) out.push_back({"office", "error.office.not_ours", cd->office});
        const auto existing = clerkById(cd->clerk);
        if (!existing || existing->disabled) out.push_back({"clerk", "error.clerk.unknown", cd->clerk});
    } else if (const auto* rv = std::get_if<CommitmentRevised>(&payload)) {
        const auto current = commitmentById(rv->commitment);
        if (!current) {
            out.push_back({"commitment", "error.commitment.unknown", rv->commitment});
        } else {
            if (current->commitment.office != node.office) {
                out.push_back({"commitment", "error.office.not_ours", current->commitment.office});
            }
            if (current->status == Status::amended) {
                out.push_back({"status", "error.status.after_amended", rv->commitment});
            }
            if (rv->deadline && *rv->deadline < current->commitment.published) {
                out.push_back({"deadline", "error.deadline_before_published", rv->deadline->toString()});
            }
        }
    } else if (const auto* o = std::get_if<OfficeNamed>(&payload)) {
        if (o->code != node.office) out.push_back({"office", "error.office.not_ours", o->code});
    }
    return out;
}

NodeInfo Store::Impl::node() const {
    NodeInfo n;
    n.office = nodeValue(*db, "office");
    n.device = nodeValue(*db, "device");
    n.publicKeyHex = nodeValue(*db, "public_key");
    sql::Statement q(*db, "SELECT name FROM office WHERE code = ?1");
    q.bind(1, n.office);
    if (q.step()) n.officeName = q.text(0);
    return n;
}

std::string Store::digest(std::string_view scope) const { return stateDigest(*m_impl->db, scope); }

void Store::rebuild() {
    sql::Transaction tx(*m_impl->db);
    m_impl->fold->rebuildAll();
    tx.commit();
}

std::int64_t Store::eventCount() const {
    sql::Statement q(*m_impl->db, "SELECT count(*) FROM event");
    q.step();
    return q.integer(0);
}

std::int64_t Store::pendingCount() const {
    sql::Statement q(*m_impl->db, "SELECT count(*) FROM event WHERE device = ?1 AND acked = 0");
    q.bind(1, nodeValue(*m_impl->db, "device"));
    q.step();
    return q.integer(0);
}

std::vector<Event> Store::events() const {
    std::vector<Event> out;
    sql::Statement q(*m_impl->db,
                        "SELECT " + std::string(kEventColumns) + " FROM event ORDER BY hlc, device, seq");
    while (q.step())
        out.push_back(readEvent(q));
    return out;
}

bool Store::isDistrict() const { return m_impl->district; }

std::string Store::setting(Setting key) const { return nodeValue(*m_impl->db, settingRow(key)); }

void Store::setSetting(Setting key, std::string_view value) { setNodeValue(*m_impl->db, settingRow(key), value); }

void Store::setClock(std::function<std::int64_t()> nowMillis) { m_impl->clock = std::move(nowMillis); }

}  // namespace shouxin
