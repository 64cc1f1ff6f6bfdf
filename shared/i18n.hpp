#pragma once
// The translation catalogue: message id -> Chinese, English. One catalogue
// (assets/i18n/messages.tsv, compiled in) for every text a resident, clerk or
// operator sees, in the kiosk and on the command line alike.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "shared/result.hpp"

namespace shouxin {

enum class Lang { zh, en };

/// The text of `id` in `lang`; the id itself when the catalogue lacks it, so
/// a missing entry is visible rather than blank.
std::string_view tr(std::string_view id, Lang lang);

/// The text of `id` with "{0}", "{1}", ... replaced by `args` in order.
std::string format(std::string_view id, Lang lang, std::initializer_list<std::string> args);

/// "中文 / English" for output read by people of either language (CLI).
std::string bilingual(std::string_view id);

/// Every id in the catalogue, in file order.
std::vector<std::string_view> catalogueIds();

/// A problem as a bilingual sentence: "field: 中文 / English (detail)".
std::string describe(const Problem& problem);
std::string describe(const Problems& problems);

}  // namespace shouxin
