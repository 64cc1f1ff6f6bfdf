#pragma once
// Writing a file so that no reader ever meets half of it: the bytes go to
// FILE.part beside it, which is renamed into place only once complete.
#include <filesystem>
#include <functional>
#include <ostream>

namespace shouxin {

/// Writes `file` through `write` into `file` + ".part", then renames it into
/// place. `write` may throw; on any failure (the stream failed, `write`
/// returned false or threw, the rename failed) the part file is removed,
/// an existing `file` is left as it was, and the answer is false (an
/// exception from `write` is rethrown after the clean-up).
bool writeFileAtomically(const std::filesystem::path& file, const std::function<bool(std::ostream&)>& write);

}  // namespace shouxin
