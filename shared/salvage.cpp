#include "shared/salvage.hpp"

#include <algorithm>
#include <map>

#include "shared/domain.hpp"
#include "shared/fold.hpp"
#include "shared/settings.hpp"
#include "shared/sql.hpp"
#include "shared/sql_uri.hpp"

namespace shouxin::salvage {

namespace fs = std::filesystem;

namespace {

// Read-only, through SQLite's URI so that no byte of the file changes (a
// read-only connection never checkpoints its WAL nor deletes it).
std::unique_ptr<sql::Db> openReadOnly(const fs::path& file) {
    return std::make_unique<sql::Db>(sql::readOnlyUri(file, false), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
}

// Progress a node set up again starts afresh: it pulls from the start,
// and its next push brings a new receipt.
bool startsAgain(const std::string& key) {
    for (const Setting s : {Setting::cursor, Setting::lastSync, Setting::lastError, Setting::lastErrorDetail,
                            Setting::lastErrorAt, Setting::receipt, Setting::epochRepull, Setting::healFrom}) {
        if (key == "setting." + std::string(keyOf(s))) return true;
    }
    return false;
}

bool linksAndMatches(const Event& e, const std::string& device, std::int64_t seq, const std::string& prevHash) {
    return e.device == device && e.seq == seq && e.prevHash == prevHash && computeHash(e) == e.hash;
}

}  // namespace

std::optional<NodeIdentity> readIdentity(const fs::path& damaged) {
    std::map<std::string, std::string> rows;
    try {
        auto db = openReadOnly(damaged);
        sql::Statement q(*db, "SELECT key, value FROM node");
        while (q.step())
            rows[q.text(0)] = q.text(1);
    } catch (const std::exception&) {
        // A damaged page of the node table: what was read before it is
        // kept only when it names the node (below).
    }
    NodeIdentity id;
    id.office = rows["office"];
    id.device = rows["device"];
    id.publicKeyHex = rows["public_key"];
    id.district = !rows["role"].empty();
    if (!isOfficeCode(id.office) || !isUuid(id.device)) return std::nullopt;
    for (const auto& [key, value] : rows) {
        if (key == "role" || startsAgain(key)) continue;
        id.rows.emplace_back(key, value);
    }
    return id;
}

OwnEvents readOwnEvents(const fs::path& damaged, const std::string& device, std::int64_t afterSeq,
                        const std::string& afterHash) {
    OwnEvents out;
    std::unique_ptr<sql::Db> db;
    try {
        db = openReadOnly(damaged);
        sql::Statement head(*db, "SELECT head_seq FROM device WHERE id = ?1");
        head.bind(1, device);
        if (head.step()) out.headSeq = head.integer(0);
    } catch (const std::exception&) {
        if (!db) {
            out.stoppedAtDamage = true;
            return out;
        }
    }
    // Through the (device, seq) index first; when that index is what is
    // damaged, the table itself, newest rows first (this device's
    // unacknowledged events are among the last stored).
    std::map<std::int64_t, Event> found;
    const std::string columns(kEventColumns);
    try {
        sql::Statement q(*db, "SELECT " + columns + " FROM event WHERE device = ?1 AND seq > ?2 ORDER BY seq");
        q.bind(1, device).bind(2, afterSeq);
        while (q.step()) {
            Event e = readEvent(q);
            found.emplace(e.seq, std::move(e));
        }
    } catch (const std::exception&) {
        try {
            sql::Statement q(*db, "SELECT " + columns + " FROM event NOT INDEXED ORDER BY rowid DESC");
            while (q.step()) {
                Event e = readEvent(q);
                if (e.device != device) continue;
                if (e.seq <= afterSeq) break;  // older than anything wanted
                found.emplace(e.seq, std::move(e));
            }
        } catch (const std::exception&) {
            // What was read before the damaged page is all there is.
        }
    }
    std::string prev = afterHash;
    std::int64_t seq = afterSeq + 1;
    for (auto& [s, e] : found) {
        if (!linksAndMatches(e, device, seq, prev)) break;
        prev = e.hash;
        ++seq;
        out.events.push_back(std::move(e));
    }
    const std::int64_t reached = afterSeq + static_cast<std::int64_t>(out.events.size());
    out.stoppedAtDamage = out.headSeq < 0 || reached < out.headSeq;
    return out;
}

}  // namespace shouxin::salvage
