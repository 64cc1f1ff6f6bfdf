// The district's side of sync in the store: a device's batch stored with
// district numbers, pages of events after a cursor, and what was set aside.
#include "shared/store.hpp"

#include "shared/crypto.hpp"
#include "shared/store_impl.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

std::int64_t Store::lastDistrictSeq() const {
    // Written so that the partial index on dseq answers it from its last entry.
    auto q = m_impl->db->cached("SELECT dseq FROM event WHERE dseq IS NOT NULL ORDER BY dseq DESC LIMIT 1");
    return q->step() ? q->integer(0) : 0;
}

namespace {
// The node table's row of a server's own incarnation (Setting::epoch is
// the level above's, as this server last saw it).
constexpr const char* kEpochRow = "epoch";
}  // namespace

std::string Store::epoch() const { return nodeValue(*m_impl->db, kEpochRow); }

std::string Store::renewEpoch() {
    // 128 random bits as 32 lower-case hex characters (wire::isEpoch).
    const std::string epoch = sha256Hex(randomBytes(32)).substr(0, wire::kEpochBytes);
    setNodeValue(*m_impl->db, kEpochRow, epoch);
    return epoch;
}

std::vector<ApplyResult> Store::applyBatch(const std::vector<Event>& events, std::string_view headSignature) {
    return applyBatches({PushedBatch{&events, std::string(headSignature), nullptr, {}}}).front();
}

std::vector<std::vector<ApplyResult>> Store::applyBatches(const std::vector<PushedBatch>& batches,
                                                          std::int64_t* lastDseq) {
    std::vector<std::vector<ApplyResult>> out;
    auto& db = *m_impl->db;
    sql::Transaction tx(db);
    m_impl->lastDseq = -1;
    InsertOptions options;
    options.sealedPinsOnly = true;
    for (const PushedBatch& batch : batches) {
        // Each batch under its own savepoint: a refused one leaves no trace,
        // and its numbers are handed out again to the batches after it.
        db.exec("SAVEPOINT batch");
        std::vector<ApplyResult>& results = out.emplace_back();
        bool refused = false;
        for (std::size_t i = 0; i < batch.events->size(); ++i) {
            const Event& e = (*batch.events)[i];
            options.decoded = batch.decoded && i < batch.decoded->size() && (*batch.decoded)[i]
                                  ? &*(*batch.decoded)[i]
                                  : nullptr;
            ApplyResult r = m_impl->insert(e, options);
            refused = r.refused();
            results.push_back(std::move(r));
            if (refused) break;
        }
        if (refused) {
            db.exec("ROLLBACK TO batch; RELEASE batch");
            m_impl->lastDseq = -1;
            continue;
        }
        // The signature rides in the same durable commit as the events it signs.
        // Every signed head is kept: the events go further up in runs that
        // end at one (Store::relayBatch).
        if (!batch.events->empty() && !batch.headSignature.empty()) {
            const Event& head = batch.events->back();
            // Only the chain's head: a batch held already (a device restored
            // from a backup sends what the district has) may end below it.
            db.cached("UPDATE device SET head_signature = ?2 WHERE id = ?1 AND head_seq = ?3")
                ->bind(1, head.device)
                .bind(2, batch.headSignature)
                .bind(3, head.seq)
                .run();
            db.cached("INSERT INTO signed_head(device, seq, hash, signature, receipt) VALUES(?1, ?2, ?3, ?4, ?5) "
                      "ON CONFLICT(device, seq) DO NOTHING")
                ->bind(1, head.device)
                .bind(2, head.seq)
                .bind(3, head.hash)
                .bind(4, batch.headSignature)
                .bind(5, batch.receipt)
                .run();
        }
        db.exec("RELEASE batch");
    }
    tx.commit();
    if (lastDseq) *lastDseq = this->lastDistrictSeq();
    return out;
}

std::vector<std::optional<Payload>> Store::prechecked(const std::vector<Event>& events) {
    std::vector<std::optional<Payload>> out;
    out.reserve(events.size());
    for (const Event& e : events) {
        auto& slot = out.emplace_back();
        if (computeHash(e) != e.hash) continue;  // the store refuses it, with the reason
        if (auto payload = decodePayload(e.type, e.payloadVersion, e.payload)) slot = std::move(*payload);
    }
    return out;
}

Store::Page Store::eventsAfter(std::string_view office, std::string_view excludeDevice, std::int64_t cursor,
                               std::size_t limit, std::int64_t ownAfter) const {
    Page page;
    // An office's scope: its own records and the region-wide ones above it.
    // A region's (a district pulling from its city): those above it only;
    // what is below it came from it.
    std::vector<std::string> codes = shouxin::regionsAbove(office);
    if (!isRegionCode(office)) codes.insert(codes.begin(), std::string(office));
    codes.resize(4);
    auto q = m_impl->db->cached("SELECT " + std::string(kEventColumns) +
                                ", dseq FROM event WHERE dseq > ?1 AND office IN (?4, ?5, ?6, ?7) "
                                "AND (device != ?2 OR seq > ?8) ORDER BY dseq LIMIT ?3");
    q->bind(1, cursor).bind(2, excludeDevice).bind(3, static_cast<std::int64_t>(limit)).bind(8, ownAfter);
    for (std::size_t i = 0; i < codes.size(); ++i)
        q->bind(static_cast<int>(4 + i), codes[i]);
    while (q->step()) {
        page.events.push_back(readEvent(*q));
        page.dseqs.push_back(q->integer(11));
    }
    return page;
}

std::vector<Store::SetAside> Store::setAside() const {
    std::vector<SetAside> out;
    sql::Statement q(*m_impl->db, "SELECT " + std::string(kEventColumns) +
                                         ", reason, detail FROM set_aside ORDER BY device, seq");
    while (q.step())
        out.push_back({readEvent(q), q.text(11), q.text(12)});
    return out;
}

void Store::forEachLoggedEvent(const std::function<void(const LoggedEvent&)>& visit) const {
    LoggedEvent logged;
    {
        sql::Statement q(*m_impl->db, "SELECT " + std::string(kEventColumns) +
                                             ", dseq FROM event WHERE dseq IS NOT NULL ORDER BY dseq");
        while (q.step()) {
            logged.event = readEvent(q);
            logged.dseq = q.integer(11);
            visit(logged);
        }
    }
    logged.dseq = 0;
    logged.setAside = true;
    sql::Statement q(
        *m_impl->db, "SELECT " + std::string(kEventColumns) + ", reason FROM set_aside ORDER BY device, seq");
    while (q.step()) {
        logged.event = readEvent(q);
        logged.reason = q.text(11);
        visit(logged);
    }
}

std::vector<Store::DeviceHead> Store::deviceHeads() const {
    std::vector<DeviceHead> out;
    sql::Statement q(
        *m_impl->db,
        "SELECT id, office, public_key, head_seq, head_hash, head_signature FROM device ORDER BY id");
    while (q.step())
        out.push_back({q.text(0), q.text(1), q.text(2), q.integer(3), q.text(4), q.text(5)});
    return out;
}

void Store::readConsistently(const std::function<void()>& read) const {
    // SQLite: the first read fixes the snapshot every later one sees;
    // PostgreSQL: a REPEATABLE READ READ ONLY transaction (sql::Snapshot).
    const sql::Snapshot snapshot(*m_impl->db);
    read();
}

}  // namespace shouxin
