// The district's side of sync in the store: a device's batch stored with
// district numbers, pages of events after a cursor, and what was set aside.
#include "shared/store.hpp"

#include "shared/store_impl.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

std::int64_t Store::lastDistrictSeq() const {
    sqlite::Statement q(*m_impl->db, "SELECT coalesce(max(dseq), 0) FROM event");
    q.step();
    return q.integer(0);
}

std::vector<ApplyResult> Store::applyBatch(const std::vector<Event>& events, std::string_view headSignature) {
    std::vector<ApplyResult> results;
    sqlite::Transaction tx(*m_impl->db);
    m_impl->lastDseq = -1;
    bool refused = false;
    InsertOptions options;
    options.sealedPinsOnly = true;
    for (const Event& e : events) {
        ApplyResult r = m_impl->insert(e, options);
        refused = r.refused();
        results.push_back(std::move(r));
        if (refused) break;
    }
    if (refused) return results;
    // The signature rides in the same durable commit as the events it signs.
    if (!events.empty() && !headSignature.empty()) {
        m_impl->db->cached("UPDATE device SET head_signature = ?2 WHERE id = ?1")
            ->bind(1, events.back().device)
            .bind(2, headSignature)
            .run();
    }
    tx.commit();
    return results;
}

Store::Page Store::eventsAfter(std::string_view office, std::string_view excludeDevice, std::int64_t cursor,
                               std::size_t limit) const {
    Page page;
    sqlite::Statement q(*m_impl->db,
                        "SELECT " + std::string(kEventColumns) +
                            ", dseq FROM event WHERE dseq > ?1 AND office IN (?2, substr(?2, 1, 6)) "
                            "AND device != ?3 ORDER BY dseq LIMIT ?4");
    q.bind(1, cursor).bind(2, office).bind(3, excludeDevice).bind(4, static_cast<std::int64_t>(limit));
    while (q.step()) {
        page.events.push_back(readEvent(q));
        page.dseqs.push_back(q.integer(11));
    }
    return page;
}

std::vector<Store::SetAside> Store::setAside() const {
    std::vector<SetAside> out;
    sqlite::Statement q(*m_impl->db, "SELECT " + std::string(kEventColumns) +
                                         ", reason, detail FROM set_aside ORDER BY device, seq");
    while (q.step())
        out.push_back({readEvent(q), q.text(11), q.text(12)});
    return out;
}

void Store::forEachLoggedEvent(const std::function<void(const LoggedEvent&)>& visit) const {
    LoggedEvent logged;
    {
        sqlite::Statement q(*m_impl->db, "SELECT " + std::string(kEventColumns) +
                                             ", dseq FROM event WHERE dseq IS NOT NULL ORDER BY dseq");
        while (q.step()) {
            logged.event = readEvent(q);
            logged.dseq = q.integer(11);
            visit(logged);
        }
    }
    logged.dseq = 0;
    logged.setAside = true;
    sqlite::Statement q(
        *m_impl->db, "SELECT " + std::string(kEventColumns) + ", reason FROM set_aside ORDER BY device, seq");
    while (q.step()) {
        logged.event = readEvent(q);
        logged.reason = q.text(11);
        visit(logged);
    }
}

std::vector<Store::DeviceHead> Store::deviceHeads() const {
    std::vector<DeviceHead> out;
    sqlite::Statement q(
        *m_impl->db,
        "SELECT id, office, public_key, head_seq, head_hash, head_signature FROM device ORDER BY id");
    while (q.step())
        out.push_back({q.text(0), q.text(1), q.text(2), q.integer(3), q.text(4), q.text(5)});
    return out;
}

void Store::readConsistently(const std::function<void()>& read) const {
    // A savepoint outside a transaction is BEGIN DEFERRED: the first read
    // fixes the snapshot every later one sees.
    auto& db = *m_impl->db;
    db.exec("SAVEPOINT read_consistently");
    try {
        read();
    } catch (...) {
        db.exec("ROLLBACK TO read_consistently; RELEASE read_consistently");
        throw;
    }
    db.exec("RELEASE read_consistently");
}

}  // namespace shouxin
