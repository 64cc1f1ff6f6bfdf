#pragma once
// Text files as the import and export tests need them: UTF-8 turned into
// GB18030 (Chinese Excel's CSV), and a strict reader of the CSV that open
// data and `shouxin export` write.
#include <string>
#include <string_view>
#include <vector>

namespace shouxin::test {

/// `utf8` in GB18030 (glibc iconv); throws when it does not convert.
std::string toGb18030(const std::string& utf8);

/// The rows of CSV as Excel reads it: a UTF-8 BOM first, cells split by
/// commas, rows ended by CRLF (the last one too); a quoted cell may hold
/// commas, CR, LF and doubled quotes. Throws on anything else (no BOM, a
/// bare LF outside quotes, a quote inside a bare cell, an open quote).
std::vector<std::vector<std::string>> parseExcelCsv(std::string_view text);

}  // namespace shouxin::test
