#pragma once
// Damaged database files on purpose: garbage over chosen pages of a real
// SQLite file, as a failing disk leaves it, and where the damaged file was
// set aside afterwards. For the heal, integrity and restore tests.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace shouxin::test {

/// Everything in the main file (no WAL left), so that a page overwritten
/// there is what SQLite reads.
void checkpoint(const std::filesystem::path& db);
/// Garbage (0x5a) over page `page` (1-based) of the file.
void garblePage(const std::filesystem::path& db, std::int64_t page);
/// Garbage over the root page of `name` (a table or an index), after a
/// checkpoint.
void garbleRootPage(const std::filesystem::path& db, const std::string& name);
/// Garbage over the last page but one (records, not the schema): the file
/// opens, and only an integrity check sees it.
void garblePageNearEnd(const std::filesystem::path& db);
/// The pages of the file (1-based) whose bytes hold `needle`.
std::vector<std::int64_t> pagesHolding(const std::filesystem::path& db, const std::string& needle);
/// The damaged file set aside beside `db` (<db>.corrupt-<time>, not its
/// -wal or -shm), or "" when there is none.
std::string asideOf(const std::filesystem::path& db);

}  // namespace shouxin::test
