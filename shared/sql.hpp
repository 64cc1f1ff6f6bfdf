#pragma once
// Thin RAII over the SQLite C API for the store's implementation files
// (after SQLiteCpp's Database, Statement and Transaction). Not part of the
// store's interface: nothing outside shared/*.cpp includes it.
#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

namespace shouxin::sql {

/// A failed SQLite call, with SQLite's extended result code.
class Error : public std::runtime_error {
public:
    Error(int code, const std::string& what) : std::runtime_error(what), m_code(code) {}
    int code() const { return m_code; }

private:
    int m_code;
};

class Statement;

class Db {
public:
    Db(const std::string& path, int flags);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(const std::string& sql);
    sqlite3* handle() const { return m_db; }
    std::int64_t changes() const { return sqlite3_changes64(m_db); }
    [[noreturn]] void fail(int code, std::string_view context) const;

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
    sqlite3* m_db = nullptr;
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
    bool step();
    /// Runs a statement that returns no rows.
    void run();
    void reset();

    // Columns, 0-based like SQLite.
    std::string text(int column) const;
    std::int64_t integer(int column) const;
    bool isNull(int column) const;
    int columnCount() const;
    int columnType(int column) const;
    std::string_view blob(int column) const;

private:
    const Db& m_db;
    sqlite3_stmt* m_stmt = nullptr;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back in its destructor unless committed,
/// and never throws from the destructor.
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
