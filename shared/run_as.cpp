#include "shared/run_as.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

namespace shouxin {

std::optional<Problem> refuseRootInOthersDirectory(const std::filesystem::path& db) {
    if (geteuid() != 0) return std::nullopt;
    const std::filesystem::path dir = db.has_parent_path() ? db.parent_path() : std::filesystem::path(".");
    struct stat st {};
    if (::stat(dir.c_str(), &st) != 0 || st.st_uid == 0) return std::nullopt;
    const passwd* owner = ::getpwuid(st.st_uid);
    const std::string name = owner ? owner->pw_name : std::to_string(st.st_uid);
    return Problem{"--db", "error.run_as_owner", "runuser -u " + name + " -- …"};
}

}  // namespace shouxin
