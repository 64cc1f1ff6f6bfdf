#pragma once
// A throwaway PostgreSQL 15 cluster for this test process: started on first
// use (initdb and pg_ctl into a fresh temporary directory, reached only
// through a unix socket there, no TCP), stopped and removed when the process
// exits. Each test takes a database of its own. Where initdb is missing the
// tests that need it fail, saying how to install it: they never skip.
#include <filesystem>
#include <string>

namespace shouxin::test {

/// Whether this test process runs the district on PostgreSQL
/// (SHOUXIN_TEST_BACKEND=postgresql, as the "pg: " tests in CTest do).
bool districtOnPostgres();

/// A fresh, empty database in the cluster: its URL
/// (postgresql:///NAME?host=SOCKETDIR&user=postgres).
std::string newPostgresDatabase();

/// The directory kept for the key files of the district in `url` (made by
/// newPostgresDatabase): what `shouxin-district --keys` takes.
std::filesystem::path postgresKeysDir(const std::string& url);

/// Runs `sql` on the database at `url`; throws std::runtime_error on failure.
void postgresExec(const std::string& url, const std::string& sql);
/// First column of the first row of `sql`, as text ("" when no row).
std::string postgresQuery(const std::string& url, const std::string& sql);

}  // namespace shouxin::test
