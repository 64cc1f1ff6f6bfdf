#include "shared/atomic_file.hpp"

#include <fstream>

namespace shouxin {

bool writeFileAtomically(const std::filesystem::path& file, const std::function<bool(std::ostream&)>& write) {
    namespace fs = std::filesystem;
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
    std::error_code ec;
    fs::rename(temp, file, ec);
    if (ec) return discard();
    return true;
}

}  // namespace shouxin
