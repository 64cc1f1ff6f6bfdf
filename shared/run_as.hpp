#pragma once
// Who may run a command on a database. The packages keep the databases in
// /var/lib/shouxin, owned by the system user shouxin, and the store makes
// every file it creates owner-only: a file that root made there (an
// administrator forgetting `runuser -u shouxin --`) would lock the kiosk
// and the services out of their own data.
#include <filesystem>
#include <optional>

#include "shared/result.hpp"

namespace shouxin {

/// A problem when this process runs as root and `db` lies in a directory
/// that belongs to another user; its detail is the command to use instead.
std::optional<Problem> refuseRootInOthersDirectory(const std::filesystem::path& db);

}  // namespace shouxin
