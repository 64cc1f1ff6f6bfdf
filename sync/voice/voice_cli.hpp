#pragma once
// Residents' complaints and breach records on the command line, for both
// sides: an office node's clerks (`shouxin complaint …`, `shouxin breach
// …`) and the district's operators (`shouxin-district complaint …`). One
// set of commands, each offered to the side the rulebook lets act: the
// office takes complaints up, answers and closes them, confirms, objects
// to and rectifies breaches; the district answers, reads a complainant's
// sealed contact (recorded first, publicly), confirms breaches, rules on
// objections and repairs credit.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <functional>
#include <string>

namespace shouxin {
class Store;
}

namespace shouxin::cli {

enum class Side { office, district };

/// Adds `complaint`, `breach` and `figures` to `app` for `side`. The
/// returned function runs whichever was parsed on `store` (`keyFile` is
/// its key file, which opens sealed contacts): 0 done, 1 refused, -1 none of
/// them parsed.
std::function<int(Store& store, const std::filesystem::path& keyFile)> addVoiceCommands(CLI::App& app, Side side);

}  // namespace shouxin::cli
