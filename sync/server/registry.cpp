#include "sync/server/registry.hpp"

#include <cctype>

#include "shared/crypto.hpp"
#include "shared/domain.hpp"
#include "shared/hlc.hpp"
#include "shared/sql.hpp"
#include "shared/text.hpp"

namespace shouxin::server {
namespace {

constexpr std::string_view kCodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
constexpr std::size_t kCodeLength = 10;

std::int64_t nowSeconds() { return hlc::nowMillis() / 1000; }

}  // namespace

std::string normaliseCode(std::string_view code) {
    std::string out;
    for (const char c : code) {
        if (c == '-' || c == ' ') continue;
        const char upper = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (kCodeAlphabet.find(upper) == std::string_view::npos) return {};
        out += upper;
    }
    return out.size() == kCodeLength ? out : std::string();
}

struct Registry::Impl {
    sql::Db db;
    std::string region;  // this server's own code: devices enrol only directly below it
    // A file or a PostgreSQL URL (sql.hpp), as the district's store.
    explicit Impl(const std::filesystem::path& path) : db(path.string(), SQLITE_OPEN_READWRITE) {
        if (db.engine() == sql::Engine::sqlite)
            db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
        sql::Statement q(db, "SELECT value FROM node WHERE key = 'office'");
        if (q.step()) region = q.text(0);
    }
};

Registry::Registry(const std::filesystem::path& db) : m_impl(std::make_unique<Impl>(db)) {}
Registry::~Registry() = default;

std::string Registry::addEnrolmentCode(std::string_view office, std::int64_t ttlSeconds) {
    const std::string random = randomBytes(kCodeLength);
    std::string code;
    for (const char b : random)
        code += kCodeAlphabet[static_cast<unsigned char>(b) % kCodeAlphabet.size()];
    sql::Statement(m_impl->db, "INSERT INTO enrolment(code_hash, office, expires_at) VALUES(?1, ?2, ?3)")
        .bind(1, sha256Hex(code))
        .bind(2, office)
        .bind(3, nowSeconds() + ttlSeconds)
        .run();
    return code.substr(0, 5) + "-" + code.substr(5);
}

Enrolment Registry::enrol(std::string_view code, std::string_view device, std::string_view office,
                                    std::string_view publicKey) {
    auto& db = m_impl->db;
    const auto refused = [](EnrolRefusal why, std::string field, std::string detail) {
        return Enrolment{std::nullopt, why, std::move(field), std::move(detail)};
    };
    if (!isUuid(device)) return refused(EnrolRefusal::malformed, "device", "device id");
    if (!isChildOf(m_impl->region, office))
        return refused(EnrolRefusal::malformed, "office", "not a code directly below " + m_impl->region);
    const auto key = fromHex(publicKey);
    if (!key || key->size() != 32) return refused(EnrolRefusal::malformed, "public_key", "public key");
    const std::string normal = normaliseCode(code);
    sql::Transaction tx(db);
    // Unknown, used, expired, or another office's: one answer, which tells
    // a guesser nothing about which codes exist or whose they are.
    const Enrolment badCode =
        refused(EnrolRefusal::enrolmentCode, "code", "unknown, used, expired or not this office's");
    sql::Statement q(db, "SELECT office, expires_at, used_by FROM enrolment WHERE code_hash = ?1");
    q.bind(1, sha256Hex(normal));
    if (normal.empty() || !q.step()) return badCode;
    if (!q.isNull(2) || q.integer(1) < nowSeconds() || q.text(0) != office) return badCode;
    // A device is new or it is nobody: an id the district has seen (enrolled
    // or not, its own included) can never be taken over with a code.
    sql::Statement seen(
        db, "SELECT 1 FROM device WHERE id = ?1 UNION ALL SELECT 1 FROM node WHERE key = 'device' AND value = ?1");
    seen.bind(1, device);
    if (seen.step()) return refused(EnrolRefusal::deviceExists, "device", std::string(device));
    const std::string token = toHex(randomBytes(32));
    sql::Statement(db,
                      "INSERT INTO device(id, office, public_key, head_seq, head_hash, token_hash, enrolled_at) "
                      "VALUES(?1, ?2, ?3, 0, ?4, ?5, ?6)")
        .bind(1, device)
        .bind(2, office)
        .bind(3, publicKey)
        .bind(4, std::string(64, '0'))
        .bind(5, sha256Hex(token))
        .bind(6, nowSeconds())
        .run();
    sql::Statement(db, "UPDATE enrolment SET used_by = ?2, used_at = ?3 WHERE code_hash = ?1")
        .bind(1, sha256Hex(normal))
        .bind(2, device)
        .bind(3, nowSeconds())
        .run();
    tx.commit();
    return Enrolment{token, EnrolRefusal::malformed, "", ""};
}

std::optional<Device> Registry::authenticate(std::string_view token) const {
    if (token.size() != 64) return std::nullopt;
    // Only the token's hash is kept. The index finds candidates by the
    // hash's first 16 hex digits; the whole hash is then compared in
    // constant time, so response timing says nothing about a stored hash.
    const std::string hash = sha256Hex(token);
    const std::string prefix = hash.substr(0, 16);
    sql::Statement q(m_impl->db,
                        "SELECT id, office, public_key, head_seq, revoked_at IS NOT NULL, token_hash, head_hash FROM device "
                        "WHERE token_hash >= ?1 AND token_hash < ?2");
    q.bind(1, prefix).bind(2, prefix + "~");
    while (q.step()) {
        const std::string stored = q.text(5);
        if (stored.size() == hash.size() && equalConstantTime(stored, hash)) {
            return Device{q.text(0), q.text(1), q.text(2), q.integer(3), q.text(6), q.integer(4) != 0};
        }
    }
    return std::nullopt;
}

std::string Registry::vouch(const Device& by, std::string_view device, std::string_view office,
                            std::string_view key) {
    if (!isUuid(device)) return "device id";
    const auto bytes = fromHex(key);
    if (!bytes || bytes->size() != 32) return "public key";
    // Below the relaying region: an office, or a region further down (a
    // city relays its districts' own devices); the relaying region's own
    // code only for its own device.
    const bool below = (isOfficeCode(office) || isRegionCode(office)) && inScope(by.office, office);
    if (!below || (office == by.office && device != by.id)) return std::string(office) + " is not below " + by.office;
    auto& db = m_impl->db;
    sql::Transaction tx(db);
    sql::Statement known(db, "SELECT office, public_key FROM device WHERE id = ?1");
    known.bind(1, device);
    if (known.step()) {
        if (known.text(0) != office) return std::string(device) + " belongs to " + known.text(0);
        if (known.text(1) != key) return std::string(device) + " has another key here";
        return {};
    }
    if (isRegionCode(office)) {
        sql::Statement taken(db, "SELECT id FROM device WHERE office = ?1");
        taken.bind(1, office);
        if (taken.step()) return std::string(office) + " already speaks through " + taken.text(0);
    }
    sql::Statement(db, "INSERT INTO device(id, office, public_key, head_seq, head_hash) VALUES(?1, ?2, ?3, 0, ?4)")
        .bind(1, device)
        .bind(2, office)
        .bind(3, key)
        .bind(4, std::string(64, '0'))
        .run();
    tx.commit();
    return {};
}

std::int64_t Registry::headSeq(std::string_view device) const {
    sql::Statement q(m_impl->db, "SELECT head_seq FROM device WHERE id = ?1");
    q.bind(1, device);
    return q.step() ? q.integer(0) : 0;
}

bool Registry::revoke(std::string_view device) {
    sql::Statement(m_impl->db,
                      "UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND token_hash IS NOT NULL")
        .bind(1, device)
        .bind(2, nowSeconds())
        .run();
    return m_impl->db.changes() > 0;
}

}  // namespace shouxin::server
