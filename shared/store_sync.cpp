// A node's side of sync in the store: the district pinned at enrolment,
// receipts, pending events and their acknowledgement, pulled pages.
#include "shared/store.hpp"

#include <algorithm>
#include <sstream>

#include "shared/crypto.hpp"
#include "shared/store_impl.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

void Store::pinDistrict(std::string_view districtDevice, std::string_view districtKeyHex) {
    sql::Transaction tx(*m_impl->db);
    setSetting(Setting::districtDevice, districtDevice);
    setSetting(Setting::districtKey, districtKeyHex);
    tx.commit();
}

namespace {

// The node table's row of the regions above: one line a region,
// "code device key name" (a name has no line break: checkText).
constexpr const char* kRegionsRow = "regions_above";

}  // namespace

std::vector<wire::Region> store_detail::pinnedRegions(const sql::Db& db) {
    std::vector<wire::Region> out;
    std::istringstream lines(nodeValue(db, kRegionsRow));
    for (std::string line; std::getline(lines, line);) {
        std::istringstream fields(line);
        wire::Region r;
        fields >> r.code >> r.device >> r.publicKey;
        std::getline(fields >> std::ws, r.name);
        if (isRegionCode(r.code) && isUuid(r.device)) out.push_back(std::move(r));
    }
    return out;
}

std::vector<wire::Region> Store::regionsAbove() const { return pinnedRegions(*m_impl->db); }

void Store::pinRegionsAbove(const std::vector<wire::Region>& regions) {
    const std::string own = m_impl->district ? nodeValue(*m_impl->db, "office") : districtOf(node().office);
    const auto above = shouxin::regionsAbove(own);
    std::string text;
    for (const auto& r : regions) {
        const bool isAbove = std::find(above.begin(), above.end(), r.code) != above.end();
        const bool clean = r.name.find('\n') == std::string::npos && r.publicKey.find(' ') == std::string::npos;
        if (!isAbove || !isUuid(r.device) || !clean) continue;
        text += r.code + " " + r.device + " " + r.publicKey + " " + r.name + "\n";
    }
    setNodeValue(*m_impl->db, kRegionsRow, text);
}

namespace {

// The receipt's own device and the district's key are implied: kept as
// "seq head_hash dseq signature".
std::optional<wire::Receipt> parseReceipt(const std::string& text, const std::string& device) {
    wire::Receipt r;
    r.device = device;
    const auto a = text.find(' ');
    const auto b = text.find(' ', a + 1);
    const auto c = text.find(' ', b + 1);
    if (a == std::string::npos || b == std::string::npos || c == std::string::npos) return std::nullopt;
    try {
        r.seq = std::stoll(text.substr(0, a));
        r.dseq = std::stoll(text.substr(b + 1, c - b - 1));
    } catch (const std::exception&) {
        return std::nullopt;
    }
    r.headHash = text.substr(a + 1, b - a - 1);
    r.signature = text.substr(c + 1);
    return r;
}

}  // namespace

bool Store::keepReceipt(const wire::Receipt& r) {
    const NodeInfo me = node();
    const std::string key = setting(Setting::districtKey);
    if (key.empty() || r.device != me.device ||
        !verifySignature(key, receiptMessage(r.device, r.seq, r.headHash, r.dseq), r.signature)) {
        return false;
    }
    // It must speak of this device's chain as it is here. The read ends
    // before the write: a read left open while another process commits
    // could not become a write (SQLITE_BUSY_SNAPSHOT, no waiting).
    {
        auto q = m_impl->db->cached(
            "SELECT hash FROM event WHERE device = ?1 AND seq = ?2 UNION ALL "
            "SELECT hash FROM set_aside WHERE device = ?1 AND seq = ?2");
        q->bind(1, me.device).bind(2, r.seq);
        if (!q->step() || q->text(0) != r.headHash) return false;
    }
    setSetting(Setting::receipt, std::to_string(r.seq) + " " + r.headHash + " " + std::to_string(r.dseq) + " " +
                              r.signature);
    return true;
}

std::optional<wire::Receipt> Store::receipt() const {
    const std::string text = setting(Setting::receipt);
    if (text.empty()) return std::nullopt;
    return parseReceipt(text, node().device);
}

std::vector<Event> Store::pendingEvents(std::size_t limit) const {
    std::vector<Event> out;
    // Events of this device the district set aside go again when they lie
    // among those to send (after the district's new epoch, all are): the
    // chain runs through them, and a batch is consecutive. One kept only in
    // part (an oversize payload) cannot, and the district then answers
    // chain_gap behind it.
    const std::string columns(kEventColumns);
    sql::Statement q(*m_impl->db,
                     "SELECT " + columns + " FROM event WHERE device = ?1 AND acked = 0 UNION ALL SELECT " +
                         columns +
                         " FROM set_aside WHERE device = ?1 AND payload_bytes IS NULL AND seq > "
                         "(SELECT min(seq) FROM event WHERE device = ?1 AND acked = 0) ORDER BY seq LIMIT ?2");
    q.bind(1, nodeValue(*m_impl->db, "device")).bind(2, static_cast<std::int64_t>(limit));
    while (q.step())
        out.push_back(readEvent(q));
    return out;
}

std::int64_t Store::ownHeadSeq() const {
    auto q = m_impl->db->cached("SELECT head_seq FROM device WHERE id = ?1");
    q->bind(1, nodeValue(*m_impl->db, "device"));
    return q->step() ? q->integer(0) : 0;
}

void Store::acknowledge(const std::vector<Acknowledgement>& acks) {
    auto& db = *m_impl->db;
    sql::Transaction tx(db);
    // A number another event here holds already is not taken from a push
    // answer (a byte changed on the way): the event's own comes with a pull.
    auto mark = db.cached(
        "UPDATE event SET acked = 1, dseq = CASE WHEN EXISTS (SELECT 1 FROM event WHERE dseq = ?2 AND id != ?1) "
        "THEN NULL ELSE ?2 END WHERE id = ?1");
    for (const auto& ack : acks) {
        if (!ack.refused) {
            mark->bind(1, ack.eventId);
            if (ack.dseq > 0)
                mark->bind(2, ack.dseq);
            else
                mark->bindNull(2);
            mark->run();
            continue;
        }
        // Refused by the district: keep it aside, and fold its record
        // without it so this node agrees with the district.
        sql::Statement q(db,
                            "SELECT " + std::string(kEventColumns) + ", subject FROM event WHERE id = ?1");
        q.bind(1, ack.eventId);
        if (!q.step()) continue;
        const Event e = readEvent(q);
        const std::string subject = q.text(11);
        m_impl->setAsideRow(e, Problem{"", ack.reason, ack.detail});
        m_impl->fold->dropSubject(subject);
        sql::Statement(db, "DELETE FROM event WHERE id = ?1").bind(1, e.id).run();
        m_impl->fold->refold(subject);
    }
    tx.commit();
}

void Store::resendAfter(std::int64_t headSeq) {
    auto& db = *m_impl->db;
    sql::Statement(db, "UPDATE event SET acked = 0, dseq = NULL WHERE device = ?1 AND seq > ?2")
        .bind(1, nodeValue(db, "device"))
        .bind(2, headSeq)
        .run();
}

void Store::finishRepull() {
    if (setting(Setting::epochRepull).empty()) return;
    auto& db = *m_impl->db;
    sql::Transaction tx(db);
    // The district sent again every event of its own it still holds in
    // this node's scope, each with its new number: those held here without
    // one it lost with its restore (a suffix of its chain: it numbers its
    // own events in order).
    const std::string districtDevice = setting(Setting::districtDevice);
    if (!m_impl->district && !districtDevice.empty()) {
        std::optional<std::int64_t> from;
        {
            auto q = db.cached("SELECT min(seq) FROM event WHERE device = ?1 AND dseq IS NULL");
            q->bind(1, districtDevice);
            if (q->step() && !q->isNull(0)) from = q->integer(0);
        }
        if (from) m_impl->dropChainFrom(districtDevice, *from);
    }
    setNodeValue(db, settingRow(Setting::epochRepull), "");
    tx.commit();
}

bool Store::followEpoch(std::string_view epoch) {
    if (epoch.empty()) return false;  // an older server: nothing to compare
    const std::string seen = setting(Setting::epoch);
    if (seen == epoch) return false;
    auto& db = *m_impl->db;
    sql::Transaction tx(db);
    if (!seen.empty()) {
        if (m_impl->district) {
            // What went up goes again; the level above answers duplicates
            // for what it still holds.
            sql::Statement(db, "UPDATE device SET up_seq = 0 WHERE up_seq != 0").run();
        } else {
            // Pushed again; the district answers duplicate for what it
            // still holds and takes the rest. The receipt stays: it speaks
            // of this chain, which is unchanged, and the next push's
            // replaces it.
            sql::Statement(db, "UPDATE event SET acked = 0 WHERE device = ?1").bind(1, nodeValue(db, "device")).run();
            // The old numbers mean nothing now (the new incarnation hands
            // them out again, and they are unique here): each event gets
            // its new one as it is acknowledged or pulled again.
            sql::Statement(db, "UPDATE event SET dseq = NULL WHERE dseq IS NOT NULL").run();
        }
        setNodeValue(db, settingRow(Setting::cursor), "0");
        setNodeValue(db, settingRow(Setting::epochRepull), "1");
    }
    setNodeValue(db, settingRow(Setting::epoch), epoch);
    tx.commit();
    return !seen.empty();
}

void Store::Impl::dropChainFrom(const std::string& device, std::int64_t seq) {
    std::vector<std::string> subjects;
    {
        sql::Statement q(*db, "SELECT DISTINCT subject FROM event WHERE device = ?1 AND seq >= ?2");
        q.bind(1, device).bind(2, seq);
        while (q.step())
            subjects.push_back(q.text(0));
    }
    for (const auto& subject : subjects)
        fold->dropSubject(subject);
    sql::Statement(*db, "DELETE FROM event WHERE device = ?1 AND seq >= ?2").bind(1, device).bind(2, seq).run();
    sql::Statement(*db, "DELETE FROM set_aside WHERE device = ?1 AND seq >= ?2").bind(1, device).bind(2, seq).run();
    std::int64_t headSeq = 0;
    std::string headHash = kGenesisHash;
    {
        sql::Statement q(*db,
                         "SELECT seq, hash FROM event WHERE device = ?1 AND seq < ?2 UNION ALL "
                         "SELECT seq, hash FROM set_aside WHERE device = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT 1");
        q.bind(1, device).bind(2, seq);
        if (q.step()) {
            headSeq = q.integer(0);
            headHash = q.text(1);
        }
    }
    sql::Statement(*db, "UPDATE device SET head_seq = ?2, head_hash = ?3 WHERE id = ?1")
        .bind(1, device)
        .bind(2, headSeq)
        .bind(3, headHash)
        .run();
    for (const auto& subject : subjects)
        fold->refold(subject);
}

std::vector<ApplyResult> Store::applyPulled(const std::vector<Event>& events,
                                            const std::vector<std::int64_t>& dseqs, std::int64_t cursor) {
    std::vector<ApplyResult> results;
    sql::Transaction tx(*m_impl->db);
    m_impl->lastDseq = -1;
    // Re-pulling after the district's new epoch: its own chain as it now
    // holds it wins over what it held before its restore.
    const bool follow = !m_impl->district && !setting(Setting::epochRepull).empty();
    const std::string districtDevice = follow ? setting(Setting::districtDevice) : std::string();
    for (std::size_t i = 0; i < events.size(); ++i) {
        InsertOptions options;
        options.allowGap = true;
        // A node keeps the district's numbers; a server numbers what comes
        // down from above itself, to pass it on below.
        options.dseq = !m_impl->district && i < dseqs.size() ? dseqs[i] : 0;
        ApplyResult r = m_impl->insert(events[i], options);
        if (follow && r.refusal == Refusal::chainFork && !districtDevice.empty() &&
            events[i].device == districtDevice) {
            m_impl->dropChainFrom(events[i].device, events[i].seq);
            r = m_impl->insert(events[i], options);
        }
        // Held already, and pulled again after a new epoch: its new number.
        if (r.outcome == ApplyResult::Outcome::duplicate && r.dseq == 0 && options.dseq > 0) {
            m_impl->db->cached("UPDATE event SET dseq = ?2 WHERE id = ?1 AND dseq IS NULL")
                ->bind(1, events[i].id)
                .bind(2, options.dseq)
                .run();
            r.dseq = options.dseq;
        }
        results.push_back(std::move(r));
    }
    setNodeValue(*m_impl->db, settingRow(Setting::cursor), std::to_string(cursor));
    tx.commit();
    return results;
}

}  // namespace shouxin
