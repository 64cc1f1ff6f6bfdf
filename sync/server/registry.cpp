#include "sync/server/registry.hpp"

#include <cctype>

#include "shared/crypto.hpp"
#include "shared/domain.hpp"
#include "shared/hlc.hpp"
#include "shared/sqlite.hpp"
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
    sqlite::Db db;
    explicit Impl(const std::filesystem::path& path) : db(path.string(), SQLITE_OPEN_READWRITE) {
        db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON");
    }
};

Registry::Registry(const std::filesystem::path& db) : m_impl(std::make_unique<Impl>(db)) {}
Registry::~Registry() = default;

std::string Registry::addEnrolmentCode(std::string_view office, std::int64_t ttlSeconds) {
    const std::string random = randomBytes(kCodeLength);
    std::string code;
    for (const char b : random)
        code += kCodeAlphabet[static_cast<unsigned char>(b) % kCodeAlphabet.size()];
    sqlite::Statement(m_impl->db, "INSERT INTO enrolment(code_hash, office, expires_at) VALUES(?1, ?2, ?3)")
        .bind(1, sha256Hex(code))
        .bind(2, office)
        .bind(3, nowSeconds() + ttlSeconds)
        .run();
    return code.substr(0, 5) + "-" + code.substr(5);
}

Result<std::string> Registry::enrol(std::string_view code, std::string_view device, std::string_view office,
                                    std::string_view publicKey) {
    auto& db = m_impl->db;
    if (!isUuid(device)) return Problem{"device", "sync.reason.malformed", std::string(device)};
    const auto key = fromHex(publicKey);
    if (!key || key->size() != 32) return Problem{"public_key", "sync.reason.malformed", ""};
    const std::string normal = normaliseCode(code);
    sqlite::Transaction tx(db);
    sqlite::Statement q(db, "SELECT office, expires_at, used_by FROM enrolment WHERE code_hash = ?1");
    q.bind(1, sha256Hex(normal));
    if (normal.empty() || !q.step()) return Problem{"code", "sync.reason.enrolment_code", "unknown code"};
    const std::string codeOffice = q.text(0);
    if (!q.isNull(2)) return Problem{"code", "sync.reason.enrolment_code", "code already used"};
    if (q.integer(1) < nowSeconds()) return Problem{"code", "sync.reason.enrolment_code", "code expired"};
    if (codeOffice != office) {
        return Problem{"office", "sync.reason.scope",
                       "code is for " + codeOffice + ", device is " + std::string(office)};
    }
    sqlite::Statement existing(db, "SELECT public_key, token_hash FROM device WHERE id = ?1");
    existing.bind(1, device);
    if (existing.step() && !existing.isNull(1)) {
        return Problem{"device", "sync.reason.already_enrolled", std::string(device)};
    }
    const std::string token = toHex(randomBytes(32));
    sqlite::Statement(
        db,
        "INSERT INTO device(id, office, public_key, head_seq, head_hash, token_hash, enrolled_at) "
        "VALUES(?1, ?2, ?3, 0, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET public_key = "
        "excluded.public_key, token_hash = excluded.token_hash, enrolled_at = excluded.enrolled_at")
        .bind(1, device)
        .bind(2, office)
        .bind(3, publicKey)
        .bind(4, std::string(64, '0'))
        .bind(5, sha256Hex(token))
        .bind(6, nowSeconds())
        .run();
    sqlite::Statement(db, "UPDATE enrolment SET used_by = ?2, used_at = ?3 WHERE code_hash = ?1")
        .bind(1, sha256Hex(normal))
        .bind(2, device)
        .bind(3, nowSeconds())
        .run();
    tx.commit();
    return token;
}

std::optional<Device> Registry::authenticate(std::string_view token) const {
    if (token.size() != 64) return std::nullopt;
    sqlite::Statement q(m_impl->db,
                        "SELECT id, office, public_key, head_seq, revoked_at IS NOT NULL FROM device "
                        "WHERE token_hash = ?1");
    q.bind(1, sha256Hex(token));
    if (!q.step()) return std::nullopt;
    return Device{q.text(0), q.text(1), q.text(2), q.integer(3), q.integer(4) != 0};
}

bool Registry::revoke(std::string_view device) {
    sqlite::Statement(m_impl->db,
                      "UPDATE device SET revoked_at = ?2 WHERE id = ?1 AND token_hash IS NOT NULL")
        .bind(1, device)
        .bind(2, nowSeconds())
        .run();
    return m_impl->db.changes() > 0;
}

}  // namespace shouxin::server
