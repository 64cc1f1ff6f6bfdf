#include "tests/support/damage.hpp"

#include <fstream>
#include <sstream>

#include "tests/support/raw_sql.hpp"

namespace shouxin::test {

namespace fs = std::filesystem;

namespace {

std::int64_t pageSize(const fs::path& db) { return std::stoll(rawQuery(db, "PRAGMA page_size")); }

std::string readBytes(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

}  // namespace

void checkpoint(const fs::path& db) { rawExec(db, "PRAGMA wal_checkpoint(TRUNCATE)"); }

void garblePage(const fs::path& db, std::int64_t page) {
    const std::int64_t size = pageSize(db);
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>((page - 1) * size));
    const std::string garbage(static_cast<std::size_t>(size), '\x5a');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
}

void garbleRootPage(const fs::path& db, const std::string& name) {
    checkpoint(db);
    garblePage(db, std::stoll(rawQuery(db, "SELECT rootpage FROM sqlite_master WHERE name = '" + name + "'")));
}

void garblePageNearEnd(const fs::path& db) {
    checkpoint(db);
    const auto pages = static_cast<std::int64_t>(fs::file_size(db)) / pageSize(db);
    garblePage(db, pages - 1);
}

std::vector<std::int64_t> pagesHolding(const fs::path& db, const std::string& needle) {
    const std::string bytes = readBytes(db);
    const auto size = static_cast<std::size_t>(pageSize(db));
    std::vector<std::int64_t> pages;
    for (auto at = bytes.find(needle); at != std::string::npos; at = bytes.find(needle, at + 1)) {
        const auto page = static_cast<std::int64_t>(at / size) + 1;
        if (pages.empty() || pages.back() != page) pages.push_back(page);
    }
    return pages;
}

std::string asideOf(const fs::path& db) {
    for (const auto& entry : fs::directory_iterator(db.parent_path())) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(db.filename().string() + ".corrupt-", 0) == 0 && name.find("-wal") == std::string::npos &&
            name.find("-shm") == std::string::npos)
            return entry.path().string();
    }
    return {};
}

}  // namespace shouxin::test
