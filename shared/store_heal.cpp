// A damaged node file: kept aside, and the node's own events read back
// from it once the district has given the rest (sync/client/heal.hpp).
// Making the new file is Store::createHealed, beside Store::create.
#include <chrono>
#include <filesystem>

#include "shared/atomic_file.hpp"
#include "shared/store.hpp"
#include "shared/store_impl.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

fs::path Store::moveAside(const fs::path& path) {
    const auto stamp = std::chrono::system_clock::now().time_since_epoch() / std::chrono::seconds(1);
    fs::path aside = path;
    aside += ".corrupt-" + std::to_string(stamp);
    fs::rename(path, aside);
    for (const char* suffix : {"-wal", "-shm"}) {
        fs::path side = path;
        side += suffix;
        std::error_code ignored;
        if (fs::exists(side)) fs::rename(side, fs::path(aside.string() + suffix), ignored);
    }
    syncDirectoryOf(path);  // after a power cut the damaged file stays aside
    return aside;
}

std::size_t Store::recoverOwn(const std::vector<Event>& events) {
    sql::Transaction tx(*m_impl->db);
    m_impl->lastDseq = -1;
    const std::string device = nodeValue(*m_impl->db, "device");
    std::size_t stored = 0;
    for (const auto& e : events) {
        if (e.device != device) break;
        InsertOptions options;
        options.local = true;  // waits to be pushed, as when it was recorded
        const ApplyResult r = m_impl->insert(e, options);
        if (r.outcome != ApplyResult::Outcome::accepted) break;
        ++stored;
    }
    setNodeValue(*m_impl->db, settingRow(Setting::healFrom), "");
    tx.commit();
    return stored;
}

}  // namespace shouxin
