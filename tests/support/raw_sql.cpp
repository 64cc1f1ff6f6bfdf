#include "tests/support/raw_sql.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace shouxin::test {
namespace {

struct Connection {
    sqlite3* db = nullptr;
    explicit Connection(const std::filesystem::path& path) {
        if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) !=
            SQLITE_OK) {
            throw std::runtime_error("cannot open " + path.string());
        }
        // Tests read files that a running node or server writes (a WAL
        // recovery after a kill holds readers back for a moment).
        sqlite3_busy_timeout(db, 10000);
    }
    ~Connection() { sqlite3_close(db); }
};

}  // namespace

void rawExec(const std::filesystem::path& db, const std::string& sql) {
    Connection c(db);
    char* error = nullptr;
    if (sqlite3_exec(c.db, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
        const std::string message = error ? error : "unknown error";
        sqlite3_free(error);
        throw std::runtime_error(message);
    }
}

std::string rawQuery(const std::filesystem::path& db, const std::string& sql) {
    Connection c(db);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(c.db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
        throw std::runtime_error(sqlite3_errmsg(c.db));
    }
    std::string out;
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0)) {
        out = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    }
    sqlite3_finalize(stmt);
    return out;
}

}  // namespace shouxin::test
