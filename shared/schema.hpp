#pragma once
// The store's migrations: an ordered list, entry i takes a database from
// version i to i+1 (SQLite: PRAGMA user_version; PostgreSQL: the table
// shouxin_schema). Never edit a shipped entry; append a new one, with the
// same change written for each engine.
#include <string_view>
#include <vector>

namespace shouxin::schema {

struct Migration {
    std::string_view sqlite;
    std::string_view postgres;  // "": nothing to do on PostgreSQL for this version
};

const std::vector<Migration>& migrations();

}  // namespace shouxin::schema
