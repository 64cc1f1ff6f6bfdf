#pragma once
// Direct SQL on a node's file, for tests that tamper with or inspect it
// behind the store's back.
#include <filesystem>
#include <string>

namespace shouxin::test {

/// Runs `sql` on the database file; throws std::runtime_error on failure.
void rawExec(const std::filesystem::path& db, const std::string& sql);
/// First column of the first row of `sql`, as text ("" when no row).
std::string rawQuery(const std::filesystem::path& db, const std::string& sql);

}  // namespace shouxin::test
