// The PostgreSQL engine of the SQL layer (sql.hpp), on libpq.
//
// Statements arrive in SQLite's dialect and are rewritten once
// (toPostgres), then prepared on the server once per connection and SQL
// text, with the parameter types of their first execution (integers as
// bigint, text and NULL left for the server to infer). Parameters travel as
// text; rows come back as text and integer()/text() parse them. A result is
// fetched whole when the statement first steps.
//
// Transactions. A writer's transaction takes a transaction-scoped advisory
// lock right after BEGIN, so writers take turns across processes (two
// district servers on one database): the district's numbers (dseq), handed
// out inside the writer's transaction, are then committed in number order.
// A Snapshot (Store::readConsistently) is a REPEATABLE READ READ ONLY
// transaction: one snapshot for every read in it, which never blocks the
// writer. A savepoint opened outside any transaction (SQLite's BEGIN
// DEFERRED, as Store::verify's refold uses it) begins a REPEATABLE READ
// transaction; releasing that savepoint commits it. Commits are durable before they return
// (synchronous_commit = on for every connection, whatever the server's
// default).
#include <libpq-fe.h>

#include <cstdlib>
#include <vector>

#include "shared/sql.hpp"

namespace shouxin::sql::detail {

namespace {

// The writers' advisory lock: any constant, the same in every process.
constexpr const char* kWriterLock = "SELECT pg_advisory_xact_lock(7370517834624512)";

// PostgreSQL's type OIDs (pg_type.h) of the columns read as integers.
constexpr Oid kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700, kBytea = 17;

bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// The end of a quoted run starting at `at` (the quote), past its closing quote.
std::size_t skipQuoted(std::string_view sql, std::size_t at) {
    const char quote = sql[at];
    std::size_t i = at + 1;
    while (i < sql.size()) {
        if (sql[i] == quote) {
            if (i + 1 < sql.size() && sql[i + 1] == quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        ++i;
    }
    return i;
}

std::size_t skipSpace(std::string_view sql, std::size_t i) {
    while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t'))
        ++i;
    return i;
}

std::size_t wordEnd(std::string_view sql, std::size_t i) {
    while (i < sql.size() && isWordChar(sql[i]))
        ++i;
    return i;
}

// Whether the call whose '(' is at `open` has more than one argument.
bool hasSeveralArguments(std::string_view sql, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < sql.size();) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            i = skipQuoted(sql, i);
            continue;
        }
        if (c == '(') ++depth;
        if (c == ')' && --depth == 0) return false;
        if (c == ',' && depth == 1) return true;
        ++i;
    }
    return false;
}

}  // namespace

// SQLite's dialect as the store writes it, in PostgreSQL's: ?N parameters
// become $N; ifnull → coalesce; group_concat → string_agg; the scalar
// max(a, b) / min(a, b) → GREATEST / LEAST; INDEXED BY hints go; INSERT OR
// IGNORE → INSERT ... ON CONFLICT DO NOTHING; "WHERE 1" → "WHERE TRUE".
// (INSERT OR REPLACE has no general equivalent and the store does not use
// it: write ON CONFLICT ... DO UPDATE, which both engines take.)
std::string toPostgres(std::string_view sql, int& parameters) {
    std::string out;
    out.reserve(sql.size() + 16);
    parameters = 0;
    bool ignoreConflicts = false;
    for (std::size_t i = 0; i < sql.size();) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            const std::size_t end = skipQuoted(sql, i);
            out.append(sql.substr(i, end - i));
            i = end;
            continue;
        }
        if (c == '?') {
            std::size_t end = i + 1;
            while (end < sql.size() && sql[end] >= '0' && sql[end] <= '9')
                ++end;
            const int n = end > i + 1 ? std::atoi(std::string(sql.substr(i + 1, end - i - 1)).c_str()) : ++parameters;
            if (n > parameters) parameters = n;
            out += '$' + std::to_string(n);
            i = end;
            continue;
        }
        if (!isWordChar(c) || (i > 0 && isWordChar(sql[i - 1]))) {
            out += c;
            ++i;
            continue;
        }
        const std::size_t end = wordEnd(sql, i);
        const std::string word = lower(sql.substr(i, end - i));
        const std::size_t next = skipSpace(sql, end);
        if (word == "ifnull" && next < sql.size() && sql[next] == '(') {
            out += "coalesce";
        } else if (word == "group_concat" && next < sql.size() && sql[next] == '(') {
            out += "string_agg";
        } else if ((word == "max" || word == "min") && next < sql.size() && sql[next] == '(' &&
                   hasSeveralArguments(sql, next)) {
            out += word == "max" ? "GREATEST" : "LEAST";
        } else if (word == "indexed" && lower(sql.substr(next, 2)) == "by") {
            // INDEXED BY <index>: a SQLite planner hint; PostgreSQL plans alone.
            i = wordEnd(sql, skipSpace(sql, next + 2));
            continue;
        } else if (word == "insert" && lower(sql.substr(next, 2)) == "or") {
            const std::size_t what = skipSpace(sql, next + 2);
            const std::size_t whatEnd = wordEnd(sql, what);
            if (lower(sql.substr(what, whatEnd - what)) != "ignore")
                throw Error(SQLITE_ERROR, "no PostgreSQL form of: " + std::string(sql.substr(0, 120)));
            out += "INSERT";
            ignoreConflicts = true;
            i = whatEnd;
            continue;
        } else if (word == "where" && next < sql.size() && sql[next] == '1' &&
                   (next + 1 == sql.size() || !isWordChar(sql[next + 1]))) {
            out += "WHERE TRUE";
            i = next + 1;
            continue;
        } else {
            out.append(sql.substr(i, end - i));
        }
        i = end;
    }
    if (ignoreConflicts) out += " ON CONFLICT DO NOTHING";
    return out;
}

namespace {

class PgConnection;

class PgCursor final : public Cursor {
public:
    PgCursor(PgConnection& conn, std::string_view sql) : m_conn(conn) {
        int parameters = 0;
        m_sql = toPostgres(sql, parameters);
        m_values.resize(static_cast<std::size_t>(parameters));
        m_types.assign(static_cast<std::size_t>(parameters), 0);
    }
    ~PgCursor() override { PQclear(m_result); }

    void bindText(int index, std::string_view text) override { slot(index, 0) = std::string(text); }
    void bindInteger(int index, std::int64_t value) override { slot(index, kInt8) = std::to_string(value); }
    void bindNull(int index) override { slot(index, 0).reset(); }
    bool step() override;
    void reset() override {
        PQclear(m_result);
        m_result = nullptr;
        m_row = -1;
        for (auto& v : m_values)
            v.reset();
    }
    std::string text(int column) const override {
        return std::string(PQgetvalue(m_result, m_row, column),
                           static_cast<std::size_t>(PQgetlength(m_result, m_row, column)));
    }
    std::int64_t integer(int column) const override {
        if (isNull(column)) return 0;
        const char* v = PQgetvalue(m_result, m_row, column);
        if (v[0] == 't') return 1;
        if (v[0] == 'f') return 0;
        return std::strtoll(v, nullptr, 10);
    }
    bool isNull(int column) const override { return PQgetisnull(m_result, m_row, column) != 0; }
    int columnCount() const override { return m_result ? PQnfields(m_result) : 0; }
    int columnType(int column) const override {
        if (isNull(column)) return SQLITE_NULL;
        switch (PQftype(m_result, column)) {
            case kBool:
            case kInt2:
            case kInt4:
            case kInt8:
            case kOid:
                return SQLITE_INTEGER;
            case kFloat4:
            case kFloat8:
            case kNumeric:
                return SQLITE_FLOAT;
            case kBytea:
                return SQLITE_BLOB;
            default:
                return SQLITE_TEXT;
        }
    }
    std::string_view blob(int column) const override {
        return {PQgetvalue(m_result, m_row, column), static_cast<std::size_t>(PQgetlength(m_result, m_row, column))};
    }

private:
    std::optional<std::string>& slot(int index, Oid type) {
        if (index < 1 || static_cast<std::size_t>(index) > m_values.size())
            throw Error(SQLITE_RANGE, "parameter " + std::to_string(index) + " out of range in: " + m_sql.substr(0, 120));
        if (type != 0) m_types[static_cast<std::size_t>(index - 1)] = type;
        return m_values[static_cast<std::size_t>(index - 1)];
    }

    PgConnection& m_conn;
    std::string m_sql;
    std::vector<std::optional<std::string>> m_values;
    std::vector<Oid> m_types;
    PGresult* m_result = nullptr;
    int m_row = -1;
};

class PgConnection final : public Connection {
public:
    explicit PgConnection(const std::string& url) : m_conn(PQconnectdb(url.c_str())) {
        if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
            const std::string message = m_conn ? PQerrorMessage(m_conn) : "out of memory";
            PQfinish(m_conn);
            m_conn = nullptr;
            throw Error(SQLITE_CANTOPEN, "cannot connect to " + redacted(url) + ": " + trimmed(message));
        }
        configure();
    }
    ~PgConnection() override { PQfinish(m_conn); }

    Engine engine() const override { return Engine::postgres; }

    void exec(const std::string& sql) override {
        // A savepoint outside a transaction begins one, as in SQLite.
        const bool outer = sql.rfind("SAVEPOINT ", 0) == 0 && PQtransactionStatus(m_conn) == PQTRANS_IDLE;
        if (outer) {
            run("BEGIN ISOLATION LEVEL REPEATABLE READ");
            m_outerSavepoint = sql.substr(10);
        }
        run(sql);
        if (!m_outerSavepoint.empty() && sql.find("RELEASE " + m_outerSavepoint) != std::string::npos) {
            m_outerSavepoint.clear();
            run("COMMIT");
        }
    }
    std::int64_t changes() const override { return m_changes; }
    std::unique_ptr<Cursor> prepare(std::string_view sql) override { return std::make_unique<PgCursor>(*this, sql); }
    void beginWrite() override {
        run("BEGIN");
        try {
            run(kWriterLock);
        } catch (...) {
            rollback();
            throw;
        }
    }
    void beginSnapshot() override {
        const bool outer = PQtransactionStatus(m_conn) == PQTRANS_IDLE;
        run(outer ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" : "SAVEPOINT snapshot");
        m_snapshots.push_back(outer);
    }
    void endSnapshot() noexcept override {
        if (m_snapshots.empty()) return;
        const bool outer = m_snapshots.back();
        m_snapshots.pop_back();
        // Only reads happened: ending it either way keeps nothing.
        if (outer)
            PQclear(PQexec(m_conn, "ROLLBACK"));
        else
            PQclear(PQexec(m_conn, "ROLLBACK TO snapshot; RELEASE snapshot"));
    }
    void commit() override { run("COMMIT"); }
    void rollback() noexcept override {
        m_outerSavepoint.clear();
        PQclear(PQexec(m_conn, "ROLLBACK"));
    }

    PGresult* execute(const std::string& sql, const std::vector<Oid>& types,
                      const std::vector<std::optional<std::string>>& values) {
        auto it = m_prepared.find(sql);
        if (it == m_prepared.end()) {
            const std::string name = "shouxin_" + std::to_string(m_prepared.size());
            check(PQprepare(m_conn, name.c_str(), sql.c_str(), static_cast<int>(types.size()), types.data()), sql);
            it = m_prepared.emplace(sql, name).first;
        }
        std::vector<const char*> params;
        params.reserve(values.size());
        for (const auto& v : values)
            params.push_back(v ? v->c_str() : nullptr);
        PGresult* r = PQexecPrepared(m_conn, it->second.c_str(), static_cast<int>(params.size()), params.data(),
                                     nullptr, nullptr, 0);
        return check(r, sql, true);
    }

private:
    void configure() {
        PQsetNoticeProcessor(m_conn, [](void*, const char*) {}, nullptr);
        run("SET client_encoding = 'UTF8'; SET synchronous_commit = on; SET client_min_messages = warning");
    }

    // After a lost connection (the server restarted, the backend was
    // terminated) the statement that met it fails; the connection is made
    // again, so that the next one works instead of failing forever.
    void recoverIfLost() noexcept {
        if (PQstatus(m_conn) != CONNECTION_BAD) return;
        m_prepared.clear();
        m_outerSavepoint.clear();
        m_snapshots.clear();
        PQreset(m_conn);
        if (PQstatus(m_conn) != CONNECTION_OK) return;
        try {
            configure();
        } catch (const Error&) {
        }
    }

    static std::string trimmed(std::string s) {
        while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
            s.pop_back();
        return s;
    }

    // `r` if it succeeded (kept when `keep`, else cleared and null); throws otherwise.
    PGresult* check(PGresult* r, const std::string& sql, bool keep = false) {
        const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
            std::string message = trimmed(r ? PQresultErrorMessage(r) : PQerrorMessage(m_conn));
            if (message.empty()) message = trimmed(PQerrorMessage(m_conn));
            const std::string code = state ? state : "";
            PQclear(r);
            recoverIfLost();
            throw Error(SQLITE_ERROR, message + " (in: " + sql.substr(0, 120) + ")", code);
        }
        const char* tuples = PQcmdTuples(r);
        m_changes = tuples && *tuples ? std::strtoll(tuples, nullptr, 10) : 0;
        if (keep) return r;
        PQclear(r);
        return nullptr;
    }

    void run(const std::string& sql) { check(PQexec(m_conn, sql.c_str()), sql); }

    PGconn* m_conn = nullptr;
    std::int64_t m_changes = 0;
    std::string m_outerSavepoint;  // the savepoint that began the open transaction
    std::vector<bool> m_snapshots;  // open snapshots, innermost last: true when it began the transaction
    std::unordered_map<std::string, std::string> m_prepared;  // SQL text -> prepared statement name
};

bool PgCursor::step() {
    if (!m_result) {
        m_result = m_conn.execute(m_sql, m_types, m_values);
        m_row = -1;
    }
    return ++m_row < PQntuples(m_result);
}

}  // namespace

std::unique_ptr<Connection> openPostgres(const std::string& url) { return std::make_unique<PgConnection>(url); }

}  // namespace shouxin::sql::detail
