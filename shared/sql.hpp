#pragma once
// Thin RAII over two SQL engines for the store's implementation files
// (after SQLiteCpp's Database, Statement and Transaction): SQLite for files,
// PostgreSQL (libpq) for a postgresql:// URL. Not part of the store's
// interface: nothing outside shared/*.cpp and the district server's
// registry includes it.
//
// Statements are written once, in SQLite's dialect with ?N parameters. The
// PostgreSQL engine rewrites the few constructs the store uses that
// PostgreSQL spells otherwise (sql_postgres.cpp, toPostgres()); where a
// statement truly differs, the caller branches on Db::engine().
#include <sqlite3.h>  // SQLITE_OPEN_* flags, result and column type codes

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

#include "shared/store_error.hpp"

namespace shouxin::sql {

enum class Engine { sqlite, postgres };

/// Whether a database location is a PostgreSQL URL (postgresql:// or
/// postgres://) rather than a SQLite file path.
bool isUrl(std::string_view location);

/// A location fit for messages: a URL's password replaced by "***".
std::string redacted(std::string_view location);

/// Whether SQLite's result code says the file is damaged.
inline bool isCorruption(int code) {
    return (code & 0xFF) == SQLITE_CORRUPT || (code & 0xFF) == SQLITE_NOTADB;
}

/// A failed call, with SQLite's extended result code (SQLITE_ERROR for a
/// PostgreSQL failure, whose SQLSTATE is in state()). A StoreError, so that
/// callers outside the store see damage met by any statement as
/// "error.store.corrupt" (any other failure: "error.store.sql").
class Error : public StoreError {
public:
    Error(int code, const std::string& what, std::string state = {})
        : StoreError(isCorruption(code) ? "error.store.corrupt" : "error.store.sql", what),
          m_code(code),
          m_state(std::move(state)) {}
    int code() const { return m_code; }
    const std::string& state() const { return m_state; }

private:
    int m_code;
    std::string m_state;
};

class Statement;

namespace detail {

// One engine's statement: bound parameters in, rows out.
class Cursor {
public:
    virtual ~Cursor() = default;
    virtual void bindText(int index, std::string_view text) = 0;
    virtual void bindInteger(int index, std::int64_t value) = 0;
    virtual void bindNull(int index) = 0;
    virtual bool step() = 0;
    virtual void reset() = 0;
    virtual std::string text(int column) const = 0;
    virtual std::int64_t integer(int column) const = 0;
    virtual bool isNull(int column) const = 0;
    virtual int columnCount() const = 0;
    virtual int columnType(int column) const = 0;  // SQLITE_NULL, SQLITE_INTEGER, SQLITE_TEXT, ...
    virtual std::string_view blob(int column) const = 0;
};

// One engine's connection.
class Connection {
public:
    virtual ~Connection() = default;
    virtual Engine engine() const = 0;
    virtual void exec(const std::string& sql) = 0;
    virtual std::int64_t changes() const = 0;
    virtual std::unique_ptr<Cursor> prepare(std::string_view sql) = 0;
    /// Starts a writer's transaction: one writer at a time, across processes.
    virtual void beginWrite() = 0;
    /// Starts reads that see one committed state (nested: inside whatever
    /// transaction is open); endSnapshot() ends the innermost, never throwing.
    virtual void beginSnapshot() = 0;
    virtual void endSnapshot() noexcept = 0;
    virtual void commit() = 0;
    /// Never throws.
    virtual void rollback() noexcept = 0;
    /// sql::backupTo; only SQLite's engine can.
    virtual void backupTo(const std::string& dest, int pagesPerStep);
};

std::unique_ptr<Connection> openSqlite(const std::string& path, int flags);
std::unique_ptr<Connection> openPostgres(const std::string& url);

}  // namespace detail

class Db {
public:
    /// A SQLite file (opened with `flags`) or, for a URL, a PostgreSQL
    /// database (which must exist; `flags` do not apply).
    Db(const std::string& location, int flags);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    Engine engine() const { return m_conn->engine(); }
    detail::Connection& connection() const { return *m_conn; }
    void exec(const std::string& sql);
    std::int64_t changes() const { return m_conn->changes(); }

    /// A statement prepared once and kept for reuse; the handle resets it
    /// (ending any read it holds open) when it goes out of scope.
    class Cached {
    public:
        explicit Cached(Statement& s) : m_s(&s) {}
        ~Cached();
        Cached(const Cached&) = delete;
        Cached& operator=(const Cached&) = delete;
        Statement& operator*() const { return *m_s; }
        Statement* operator->() const { return m_s; }

    private:
        Statement* m_s;
    };
    Cached cached(const std::string& sql) const;

    /// Runs inside every Transaction, just before its COMMIT: work that is
    /// cheaper done once per transaction than once per statement.
    void setBeforeCommit(std::function<void()> work) { m_beforeCommit = std::move(work); }

private:
    friend class Transaction;
    friend class Statement;
    std::unique_ptr<detail::Connection> m_conn;
    std::function<void()> m_beforeCommit;
    mutable std::unordered_map<std::string, std::unique_ptr<Statement>> m_cache;
};

class Statement {
public:
    Statement(const Db& db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Binding, 1-based like SQLite. Chainable.
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, std::uint64_t value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bindNull(int index);
    Statement& bindOptional(int index, const std::optional<std::string>& text);

    /// Advances to the next row; false when done.
    bool step() { return m_cursor->step(); }
    /// Runs a statement that returns no rows.
    void run();
    void reset() { m_cursor->reset(); }

    // Columns, 0-based like SQLite.
    std::string text(int column) const { return m_cursor->text(column); }
    std::int64_t integer(int column) const { return m_cursor->integer(column); }
    bool isNull(int column) const { return m_cursor->isNull(column); }
    int columnCount() const { return m_cursor->columnCount(); }
    int columnType(int column) const { return m_cursor->columnType(column); }
    std::string_view blob(int column) const { return m_cursor->blob(column); }

private:
    std::unique_ptr<detail::Cursor> m_cursor;
};

/// Copies a SQLite database into the new file `dest` with SQLite's online
/// backup API while other connections and processes keep writing: from one
/// read snapshot of `source` (so the copy is one committed state and no
/// writer's commit restarts it), `pagesPerStep` pages at a time, waiting a
/// moment on SQLITE_BUSY or SQLITE_LOCKED. An existing `dest` is
/// overwritten. Throws Error (for a PostgreSQL `source` too).
void backupTo(const Db& source, const std::string& dest, int pagesPerStep = 256);

/// Reads that see one committed state and never block the writer: on
/// SQLite a savepoint (a deferred BEGIN when no transaction is open: the
/// first read fixes the snapshot), on PostgreSQL a REPEATABLE READ READ ONLY
/// transaction (a savepoint inside one already open). Ends when it goes out
/// of scope, never throwing.
class Snapshot {
public:
    explicit Snapshot(const Db& db) : m_db(db) { m_db.connection().beginSnapshot(); }
    ~Snapshot() { m_db.connection().endSnapshot(); }
    Snapshot(const Snapshot&) = delete;
    Snapshot& operator=(const Snapshot&) = delete;

private:
    const Db& m_db;
};

/// A writer's transaction: BEGIN IMMEDIATE on SQLite; on PostgreSQL BEGIN
/// and a transaction-scoped advisory lock, so writers take turns across
/// processes too. Rolls back in its destructor unless committed, and never
/// throws from the destructor.
class Transaction {
public:
    explicit Transaction(Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& m_db;
    bool m_done = false;
};

}  // namespace shouxin::sql
