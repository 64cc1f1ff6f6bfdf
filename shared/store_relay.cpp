// Levels (逐级归集): what a server sends up to the server above. Each
// device's chain goes up in runs that end at a head the device signed, so
// the level above checks every chain with the device's own key, not on this
// server's word.
#include "shared/store.hpp"

#include "shared/store_impl.hpp"

namespace shouxin {

using namespace store_detail;

namespace {

// A device's events with seq in (after, through], set-aside ones included,
// in chain order.
std::vector<Event> chainRun(const sql::Db& db, std::string_view device, std::int64_t after,
                            std::int64_t through) {
    std::vector<Event> out;
    auto q = db.cached("SELECT " + std::string(kEventColumns) + " FROM event WHERE device = ?1 AND seq > ?2 AND seq <= ?3 "
                       "UNION ALL SELECT " + std::string(kEventColumns) +
                       " FROM set_aside WHERE device = ?1 AND seq > ?2 AND seq <= ?3 ORDER BY seq");
    q->bind(1, device).bind(2, after).bind(3, through);
    while (q->step())
        out.push_back(readEvent(*q));
    return out;
}

}  // namespace

std::vector<Store::RelayRun> Store::relayBatch(std::size_t maxEvents) const {
    const auto& db = *m_impl->db;
    const std::string region = nodeValue(db, "office");
    const std::string self = nodeValue(db, "device");
    std::vector<RelayRun> out;
    std::int64_t budget = static_cast<std::int64_t>(maxEvents);
    auto devices = db.cached(
        "SELECT id, office, public_key, head_seq, up_seq FROM device "
        "WHERE head_seq > up_seq AND substr(office, 1, length(?1)) = ?1 ORDER BY id");
    devices->bind(1, region);
    while (devices->step() && budget > 0) {
        RelayRun run{devices->text(0), devices->text(1), devices->text(2), {}, "", 0};
        const std::int64_t head = devices->integer(3);
        const std::int64_t up = devices->integer(4);
        std::int64_t through = 0;
        if (run.device == self) {
            through = std::min(head, up + budget);  // signed by the relay itself
        } else {
            // The furthest signed head within the budget; else, for the
            // batch's first run, the nearest, however far (a run must end
            // at a signature).
            auto within = db.cached(
                "SELECT seq, signature FROM signed_head WHERE device = ?1 AND seq > ?2 AND seq <= ?3 "
                "ORDER BY seq DESC LIMIT 1");
            within->bind(1, run.device).bind(2, up).bind(3, up + budget);
            if (within->step()) {
                through = within->integer(0);
                run.headSignature = within->text(1);
            } else if (out.empty()) {
                auto nearest = db.cached(
                    "SELECT seq, signature FROM signed_head WHERE device = ?1 AND seq > ?2 ORDER BY seq LIMIT 1");
                nearest->bind(1, run.device).bind(2, up);
                if (!nearest->step()) continue;  // nothing signed yet past what went up
                through = nearest->integer(0);
                run.headSignature = nearest->text(1);
            } else {
                continue;
            }
        }
        run.events = chainRun(db, run.device, up, through);
        if (run.events.empty() || run.events.back().seq != through) continue;  // not held whole here
        auto dseq = db.cached("SELECT COALESCE(dseq, 0) FROM event WHERE device = ?1 AND seq = ?2");
        dseq->bind(1, run.device).bind(2, through);
        run.headDseq = dseq->step() ? dseq->integer(0) : 0;
        budget -= static_cast<std::int64_t>(run.events.size());
        out.push_back(std::move(run));
    }
    return out;
}

void Store::markRelayed(std::string_view device, std::int64_t seq) {
    m_impl->db->cached("UPDATE device SET up_seq = ?2 WHERE id = ?1")->bind(1, device).bind(2, seq).run();
}

std::int64_t Store::relayPending() const {
    const auto& db = *m_impl->db;
    auto q = db.cached(
        "SELECT COALESCE(sum(head_seq - up_seq), 0) FROM device "
        "WHERE head_seq > up_seq AND substr(office, 1, length(?1)) = ?1");
    q->bind(1, nodeValue(db, "office"));
    q->step();
    return q->integer(0);
}

}  // namespace shouxin
