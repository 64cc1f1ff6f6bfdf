#pragma once
// Files that no reader meets half-written and that survive a power cut:
// the bytes go to FILE.part beside it, are synced to the disk, and only
// then renamed into place; the rename is made durable by syncing the
// directory. The two fsync steps are here for every other writer too.
#include <filesystem>
#include <functional>
#include <ostream>

namespace shouxin {

/// Writes `file` through `write` into `file` + ".part", syncs it, then
/// renames it into place and syncs the directory. `write` may throw; on
/// any failure (the stream failed, `write` returned false or threw, the
/// sync or the rename failed) the part file is removed, an existing `file`
/// is left as it was, and the answer is false (an exception from `write`
/// is rethrown after the clean-up).
bool writeFileAtomically(const std::filesystem::path& file, const std::function<bool(std::ostream&)>& write);

/// fsync(2) of the file at `path`: its bytes are on the disk once this
/// answers true; false when it cannot be opened or synced.
bool syncFile(const std::filesystem::path& path);

/// fsync(2) of the directory holding `path`, so that a file created,
/// renamed or removed there stays so after a power cut. False on failure.
bool syncDirectoryOf(const std::filesystem::path& path);

}  // namespace shouxin
