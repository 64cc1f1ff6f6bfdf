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
    sql::Statement q(*m_impl->db, "SELECT " + std::string(kEventColumns) +
                                         " FROM event WHERE device = ?1 AND acked = 0 ORDER BY seq LIMIT ?2");
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
    auto mark = db.cached("UPDATE event SET acked = 1, dseq = ?2 WHERE id = ?1");
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

void Store::acknowledgeThrough(std::int64_t headSeq) {
    auto& db = *m_impl->db;
    sql::Transaction tx(db);
    const std::string device = nodeValue(db, "device");
    sql::Statement(db, "UPDATE event SET acked = 1 WHERE device = ?1 AND seq <= ?2 AND acked = 0")
        .bind(1, device)
        .bind(2, headSeq)
        .run();
    sql::Statement(db, "UPDATE event SET acked = 0, dseq = NULL WHERE device = ?1 AND seq > ?2")
        .bind(1, device)
        .bind(2, headSeq)
        .run();
    tx.commit();
}

std::vector<ApplyResult> Store::applyPulled(const std::vector<Event>& events,
                                            const std::vector<std::int64_t>& dseqs, std::int64_t cursor) {
    std::vector<ApplyResult> results;
    sql::Transaction tx(*m_impl->db);
    m_impl->lastDseq = -1;
    for (std::size_t i = 0; i < events.size(); ++i) {
        InsertOptions options;
        options.allowGap = true;
        // A node keeps the district's numbers; a server numbers what comes
        // down from above itself, to pass it on below.
        options.dseq = !m_impl->district && i < dseqs.size() ? dseqs[i] : 0;
        results.push_back(m_impl->insert(events[i], options));
    }
    setNodeValue(*m_impl->db, settingRow(Setting::cursor), std::to_string(cursor));
    tx.commit();
    return results;
}

}  // namespace shouxin
