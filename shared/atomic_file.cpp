#include "shared/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

namespace shouxin {

namespace fs = std::filesystem;

namespace {

bool syncOpened(const fs::path& path, int flags) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | flags);
    if (fd < 0) return false;
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    return synced;
}

}  // namespace

bool syncFile(const fs::path& path) { return syncOpened(path, 0); }

bool syncDirectoryOf(const fs::path& path) {
    return syncOpened(path.parent_path().empty() ? fs::path(".") : path.parent_path(), O_DIRECTORY);
}

bool writeFileAtomically(const fs::path& file, const std::function<bool(std::ostream&)>& write) {
    fs::path temp = file;
    temp += ".part";
    const auto discard = [&] {
        std::error_code ignored;
        fs::remove(temp, ignored);
        return false;
    };
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) return false;
        bool written = false;
        try {
            written = write(out);
        } catch (...) {
            out.close();
            discard();
            throw;
        }
        out.close();
        if (!written || !out) return discard();
    }
    // Without the sync a power cut after the rename can leave `file`
    // empty or short: the rename may reach the disk before the bytes.
    if (!syncFile(temp)) return discard();
    std::error_code ec;
    fs::rename(temp, file, ec);
    if (ec) return discard();
    syncDirectoryOf(file);  // the new name; the bytes are safe either way
    return true;
}

}  // namespace shouxin
