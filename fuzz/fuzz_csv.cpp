// A CSV file a clerk imports, any bytes at all: the encoding is decided
// or refused, the reader hands out records in order, each cell of a
// well-formed record is UTF-8 and no longer than the record cap, and a
// 完成时限 cell parses to a date, a time limit or a problem.
#include <sstream>

#include "fuzz/fuzz.hpp"
#include "shared/import.hpp"
#include "shared/text.hpp"

using namespace shouxin;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::istringstream in{std::string(fuzz::text(data, size))};
    const auto encoding = detectCsvEncoding(in);
    if (!encoding) return 0;
    CsvReader reader(in, *encoding);
    CsvRow row;
    std::size_t last = 0;
    while (reader.next(row)) {
        fuzz::check(row.number == last + 1, "records are numbered in order");
        last = row.number;
        if (row.problem) continue;
        for (const auto& cell : row.cells) {
            fuzz::check(cell.size() <= CsvReader::kMaxRecordBytes, "a cell stays under the record cap");
            fuzz::check(isValidUtf8(cell), "a cell of a well-formed record is UTF-8");
            const auto deadline = parseDeadlineCell(cell);
            fuzz::check(!deadline || !deadline->date || deadline->timeLimit.empty(),
                        "a deadline cell is a date or a time limit, not both");
        }
    }
    return 0;
}
