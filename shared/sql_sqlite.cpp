// The SQLite engine of the SQL layer (sql.hpp).
#include "shared/sql.hpp"

#include <chrono>
#include <thread>

namespace shouxin::sql::detail {

namespace {

class SqliteConnection;

class SqliteCursor final : public Cursor {
public:
    SqliteCursor(const SqliteConnection& conn, std::string_view sql);
    ~SqliteCursor() override { sqlite3_finalize(m_stmt); }

    void bindText(int index, std::string_view text) override {
        check(sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT));
    }
    void bindInteger(int index, std::int64_t value) override { check(sqlite3_bind_int64(m_stmt, index, value)); }
    void bindNull(int index) override { check(sqlite3_bind_null(m_stmt, index)); }
    bool step() override;
    void reset() override {
        sqlite3_reset(m_stmt);
        sqlite3_clear_bindings(m_stmt);
    }
    std::string text(int column) const override {
        const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
        return p ? std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                 : std::string();
    }
    std::int64_t integer(int column) const override { return sqlite3_column_int64(m_stmt, column); }
    bool isNull(int column) const override { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }
    int columnCount() const override { return sqlite3_column_count(m_stmt); }
    int columnType(int column) const override { return sqlite3_column_type(m_stmt, column); }
    std::string_view blob(int column) const override {
        const auto* p = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
        return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(m_stmt, column)))
                 : std::string_view();
    }

private:
    void check(int rc) const;
    const SqliteConnection& m_conn;
    sqlite3_stmt* m_stmt = nullptr;
};

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const std::string& path, int flags) {
        const int rc = sqlite3_open_v2(path.c_str(), &m_db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
        if (rc != SQLITE_OK) {
            const std::string message = m_db ? sqlite3_errmsg(m_db) : sqlite3_errstr(rc);
            sqlite3_close(m_db);
            m_db = nullptr;
            throw Error(rc, "cannot open " + path + ": " + message);
        }
        sqlite3_extended_result_codes(m_db, 1);
        sqlite3_busy_timeout(m_db, 5000);
    }
    ~SqliteConnection() override { sqlite3_close_v2(m_db); }

    Engine engine() const override { return Engine::sqlite; }

    void exec(const std::string& sql) override {
        char* message = nullptr;
        const int rc = sqlite3_exec(m_db, sql.c_str(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            const std::string text = message ? message : sqlite3_errstr(rc);
            sqlite3_free(message);
            throw Error(rc, text + " (in: " + sql.substr(0, 120) + ")");
        }
    }
    std::int64_t changes() const override { return sqlite3_changes64(m_db); }
    std::unique_ptr<Cursor> prepare(std::string_view sql) override {
        return std::make_unique<SqliteCursor>(*this, sql);
    }
    void beginWrite() override { exec("BEGIN IMMEDIATE"); }
    void beginSnapshot() override { exec("SAVEPOINT snapshot"); }
    void endSnapshot() noexcept override { sqlite3_exec(m_db, "RELEASE snapshot", nullptr, nullptr, nullptr); }
    void commit() override { exec("COMMIT"); }
    void rollback() noexcept override { sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr); }

    void backupTo(const std::string& dest, int pagesPerStep) override;

    [[noreturn]] void fail(int code, std::string_view context) const {
        throw Error(code,
                    std::string(sqlite3_errmsg(m_db)) + " (in: " + std::string(context.substr(0, 120)) + ")");
    }
    sqlite3* handle() const { return m_db; }

private:
    sqlite3* m_db = nullptr;
};

SqliteCursor::SqliteCursor(const SqliteConnection& conn, std::string_view sql) : m_conn(conn) {
    const int rc =
        sqlite3_prepare_v2(conn.handle(), sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr);
    if (rc != SQLITE_OK) conn.fail(rc, sql);
}

void SqliteCursor::check(int rc) const {
    if (rc != SQLITE_OK) m_conn.fail(rc, sqlite3_sql(m_stmt));
}

bool SqliteCursor::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    m_conn.fail(rc, sqlite3_sql(m_stmt));
}

void SqliteConnection::backupTo(const std::string& dest, int pagesPerStep) {
    sqlite3* out = nullptr;
    int rc = sqlite3_open_v2(dest.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    const auto closeOut = [&] { sqlite3_close_v2(out); };
    if (rc != SQLITE_OK) {
        const std::string message = out ? sqlite3_errmsg(out) : sqlite3_errstr(rc);
        closeOut();
        throw Error(rc, "cannot open " + dest + ": " + message);
    }
    // One read snapshot for the whole copy: in WAL mode it never blocks the
    // writer, and the backup sees no commit of another connection, which
    // would otherwise restart it from the first page.
    beginSnapshot();
    try {
        exec("SELECT count(*) FROM sqlite_schema");
    } catch (...) {
        endSnapshot();
        closeOut();
        throw;
    }
    sqlite3_backup* backup = sqlite3_backup_init(out, "main", m_db, "main");
    if (!backup) {
        const std::string message = sqlite3_errmsg(out);
        endSnapshot();
        closeOut();
        throw Error(sqlite3_errcode(out), "cannot back up into " + dest + ": " + message);
    }
    do {
        rc = sqlite3_backup_step(backup, pagesPerStep);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    endSnapshot();
    const int finished = sqlite3_errcode(out);
    const std::string message = sqlite3_errmsg(out);
    closeOut();
    if (rc != SQLITE_DONE) throw Error(rc, "backup into " + dest + " failed: " + sqlite3_errstr(rc));
    if (finished != SQLITE_OK) throw Error(finished, "backup into " + dest + " failed: " + message);
}

}  // namespace

std::unique_ptr<Connection> openSqlite(const std::string& path, int flags) {
    return std::make_unique<SqliteConnection>(path, flags);
}

}  // namespace shouxin::sql::detail
