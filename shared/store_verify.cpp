// Checking a replica against itself: every device's chain (gapless, each
// hash recomputed, each link), the district's countersigned receipt and the
// devices' signed heads, and that a refold gives the same state.

#include "shared/crypto.hpp"
#include "shared/fold.hpp"
#include "shared/i18n.hpp"
#include "shared/store.hpp"
#include "shared/store_impl.hpp"

namespace shouxin {

using namespace store_detail;

VerifyReport Store::verify() const {
    auto& db = *m_impl->db;
    VerifyReport report;
    // Every device's chain: gapless from 1, each hash recomputed, each link
    // pointing at the hash before it, and the head where the device says.
    std::string device;
    std::int64_t expectSeq = 1;
    std::string expectPrev;
    const auto endDevice = [&] {
        if (device.empty()) return;
        sql::Statement h(db, "SELECT head_seq FROM device WHERE id = ?1");
        h.bind(1, device);
        if (h.step() && h.integer(0) != expectSeq - 1) {
            report.findings.push_back(
                {device, h.integer(0), "", "error.verify.head",
                 "head " + std::to_string(h.integer(0)) + ", log ends at " + std::to_string(expectSeq - 1)});
        }
    };
    {
        // Set-aside events are links of their chain too (they have no
        // subject). A chain held in part (pulled, partial = 1) may have gaps
        // but must link wherever two events are consecutive.
        sql::Statement q(
            db,
            "SELECT e.id, e.office, e.device, e.seq, e.hlc, e.actor, e.type, e.payload_version, "
            "e.payload, e.prev_hash, e.hash, e.subject, d.partial, e.cut FROM (SELECT " +
                std::string(kEventColumns) + ", subject, 0 AS cut FROM event UNION ALL SELECT " +
                std::string(kEventColumns) +
                ", NULL, CASE WHEN payload_bytes IS NULL THEN 0 ELSE 1 END FROM set_aside) e LEFT JOIN device d ON d.id = e.device "
                "ORDER BY e.device, e.seq");
        while (q.step()) {
            const Event e = readEvent(q);
            const bool partial = q.integer(12) != 0;
            ++report.events;
            if (e.device != device) {
                endDevice();
                device = e.device;
                ++report.devices;
                expectSeq = 1;
                expectPrev = kGenesisHash;
            }
            const auto finding = [&](const char* messageId, std::string detail) {
                report.findings.push_back({e.device, e.seq, e.id, messageId, std::move(detail)});
            };
            const bool consecutive = e.seq == expectSeq;
            if (!consecutive && !partial) {
                finding("error.verify.gap",
                        "missing seq " + std::to_string(expectSeq) +
                            (e.seq > expectSeq + 1 ? "-" + std::to_string(e.seq - 1) : ""));
            }
            // A set-aside payload kept only in part cannot be hashed again;
            // its links on both sides still are checked.
            const bool cut = q.integer(13) != 0;
            if (!cut && computeHash(e) != e.hash) finding("error.verify.hash", "content does not match its hash");
            if ((consecutive || !partial) && e.prevHash != expectPrev) {
                finding("error.verify.prev", "does not link to the event before it");
            }
            if (!q.isNull(11)) {
                const auto payload = decodePayload(e.type, e.payloadVersion, e.payload);
                if (!payload) {
                    finding("error.verify.payload", describe(payload.problems()));
                } else if (subjectOf(*payload, e.id) != q.text(11)) {
                    finding("error.verify.subject", q.text(11));
                }
            }
            expectSeq = e.seq + 1;
            expectPrev = e.hash;
        }
    }
    endDevice();
    verifySignatures(report);

    // The stored state must be what the events fold to.
    report.digest = stateDigest(db, "");
    db.exec("SAVEPOINT verify_refold");
    try {
        m_impl->fold->rebuildAll();
        report.refoldedDigest = stateDigest(db, "");
    } catch (...) {
        db.exec("ROLLBACK TO verify_refold; RELEASE verify_refold");
        throw;
    }
    db.exec("ROLLBACK TO verify_refold; RELEASE verify_refold");
    return report;
}

void Store::verifySignatures(VerifyReport& report) const {
    auto& db = *m_impl->db;
    // Every chain head a device signed with its push (the district keeps
    // them) must verify against the key it enrolled with.
    sql::Statement heads(db,
                            "SELECT id, head_seq, head_hash, public_key, head_signature FROM device "
                            "WHERE head_signature != '' AND public_key != ''");
    while (heads.step()) {
        const std::string device = heads.text(0);
        if (!verifySignature(heads.text(3), chainHeadMessage(device, heads.integer(1), heads.text(2)),
                             heads.text(4))) {
            report.findings.push_back({device, heads.integer(1), "", "error.verify.head_signature",
                                       "the signed chain head does not verify"});
        }
    }
    // This device's chain must still be what the district countersigned: a
    // past rewritten here, hashes and all, no longer matches the receipt.
    const auto kept = receipt();
    if (!setting(Setting::receipt).empty() && !kept) {
        report.findings.push_back({"", 0, "", "error.verify.receipt", "the kept receipt is unreadable"});
        return;
    }
    if (!kept) return;
    const std::string key = setting(Setting::districtKey);
    if (!verifySignature(key, receiptMessage(kept->device, kept->seq, kept->headHash, kept->dseq), kept->signature)) {
        report.findings.push_back({kept->device, kept->seq, "", "error.verify.receipt",
                                   "the district's signature on the receipt does not verify"});
        return;
    }
    sql::Statement q(db,
                        "SELECT hash FROM event WHERE device = ?1 AND seq = ?2 UNION ALL "
                        "SELECT hash FROM set_aside WHERE device = ?1 AND seq = ?2");
    q.bind(1, kept->device).bind(2, kept->seq);
    if (!q.step() || q.text(0) != kept->headHash) {
        report.findings.push_back({kept->device, kept->seq, "", "error.verify.receipt",
                                   "the chain here differs from what the district accepted at seq " +
                                       std::to_string(kept->seq)});
    }
}

std::string describe(const VerifyReport& report) {
    std::string out;
    for (const auto& f : report.findings) {
        out += std::string(bilingual(f.messageId)) + ": device " + f.device + " seq " + std::to_string(f.seq) +
               (f.eventId.empty() ? "" : " event " + f.eventId) + " — " + f.detail + "\n";
    }
    if (report.digest != report.refoldedDigest) {
        out += std::string(bilingual("cli.verify_digest_mismatch")) + ": " + report.digest +
               " != " + report.refoldedDigest + "\n";
    }
    if (!report.ok()) {
        return out + std::string(bilingual("cli.verify_failed")) + " (" + std::to_string(report.findings.size()) + ")\n";
    }
    return out + std::string(bilingual("cli.verify_ok")) + "\n" + std::string(bilingual("cli.events")) + ": " +
           std::to_string(report.events) + ", devices: " + std::to_string(report.devices) +
           ", digest: " + report.digest + "\n";
}

}  // namespace shouxin
