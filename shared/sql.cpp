// The engine-neutral half of the SQL layer: Db, Statement and Transaction
// over whichever engine the location names (sql_sqlite.cpp, sql_postgres.cpp).
#include "shared/sql.hpp"

namespace shouxin::sql {

bool isUrl(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

std::string redacted(std::string_view location) {
    std::string out(location);
    if (!isUrl(location)) return out;
    // scheme://user:password@host/...: the password goes.
    const auto from = out.find("://") + 3;
    const auto at = out.find('@', from);
    const auto slash = out.find('/', from);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return out;
    const auto colon = out.find(':', from);
    if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    return out;
}

void detail::Connection::backupTo(const std::string&, int) {
    throw Error(SQLITE_MISUSE, "only a SQLite database can be copied with the backup API");
}

void backupTo(const Db& source, const std::string& dest, int pagesPerStep) {
    source.connection().backupTo(dest, pagesPerStep);
}

Db::Db(const std::string& location, int flags)
    : m_conn(isUrl(location) ? detail::openPostgres(location) : detail::openSqlite(location, flags)) {}

Db::~Db() {
    m_cache.clear();  // finalize before closing
    m_conn.reset();
}

Db::Cached::~Cached() { m_s->reset(); }

Db::Cached Db::cached(const std::string& sql) const {
    auto& slot = m_cache[sql];
    if (!slot) slot = std::make_unique<Statement>(*this, sql);
    return Cached(*slot);
}

void Db::exec(const std::string& sql) { m_conn->exec(sql); }

Statement::Statement(const Db& db, std::string_view sql) : m_cursor(db.m_conn->prepare(sql)) {}

Statement::~Statement() = default;

Statement& Statement::bind(int index, std::string_view text) {
    m_cursor->bindText(index, text);
    return *this;
}

Statement& Statement::bind(int index, std::int64_t value) {
    m_cursor->bindInteger(index, value);
    return *this;
}

Statement& Statement::bindNull(int index) {
    m_cursor->bindNull(index);
    return *this;
}

Statement& Statement::bindOptional(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view(*text)) : bindNull(index);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

Transaction::Transaction(Db& db) : m_db(db) { m_db.m_conn->beginWrite(); }

Transaction::~Transaction() {
    if (!m_done) m_db.m_conn->rollback();
}

void Transaction::commit() {
    if (m_db.m_beforeCommit) m_db.m_beforeCommit();
    m_db.m_conn->commit();
    m_done = true;
}

}  // namespace shouxin::sql
