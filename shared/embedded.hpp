#pragma once
// Asset files compiled into the library (generated from embedded.cpp.in), so
// the programs need no data directory to find their own text.
#include <string_view>

namespace shouxin::embedded {

extern const std::string_view kMessagesTsv;    // assets/i18n/messages.tsv
extern const std::string_view kDemoOfficeTsv;  // assets/demo/office.tsv

}  // namespace shouxin::embedded
