#pragma once
// Importing an office's commitment list from CSV (docs/IMPORT.md): the
// encoding detected from the bytes (UTF-8 with or without BOM, else
// GB18030/GBK through iconv), RFC 4180 rows read one at a time, Chinese or
// English headers mapped to the commitment's fields, and each row checked
// and matched against the store's commitments. The plan is a dry run: it
// says per row what is wrong or what would happen; applyImport() records
// the plan's payloads in one transaction through Store::recordAll.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "shared/domain.hpp"
#include "shared/event.hpp"
#include "shared/result.hpp"

namespace shouxin {

class Store;

enum class CsvEncoding : std::uint8_t { utf8, utf8Bom, gb18030 };

/// Reads the whole stream once, line by line (bounded memory), and decides
/// its encoding: valid UTF-8 (a BOM allowed) is UTF-8; otherwise every line
/// must convert cleanly from GB18030. A spreadsheet file (.xlsx, .xls: zip
/// or OLE bytes) is refused (error.import.spreadsheet); lines in UTF-8 and
/// lines in GB18030 in one file are refused (error.import.mixed_encoding,
/// detail naming a line of each). Rewinds the stream.
Result<CsvEncoding> detectCsvEncoding(std::istream& in);

/// One CSV record (RFC 4180) as UTF-8 cells. `number` counts records from
/// 1 (the header), as a spreadsheet numbers its rows; `problem` is set when
/// the record is malformed (error.import.quote: an unbalanced or stray
/// quote; error.import.row_long), and its cells are then not to be used.
struct CsvRow {
    std::size_t number = 0;
    std::vector<std::string> cells;
    std::optional<Problem> problem;
};

/// A streaming RFC 4180 reader: one record in memory at a time, each at
/// most kMaxRecordBytes. Quoted cells may hold commas, "" and line breaks;
/// CRLF and LF both end a record.
class CsvReader {
public:
    static constexpr std::size_t kMaxRecordBytes = 256 * 1024;
    CsvReader(std::istream& in, CsvEncoding encoding);
    /// The next record, false at the end of the input.
    bool next(CsvRow& row);

private:
    bool readLine(std::string& line);
    std::istream& m_in;
    CsvEncoding m_encoding;
    std::size_t m_records = 0;
    bool m_first = true;
};

/// The columns an import knows, by Chinese or English header.
enum class ImportColumn : std::uint8_t {
    id,
    area,
    kind,
    title,
    detail,
    department,
    responsible,
    deadline,
    status,
    progress,
    note,
    // What `shouxin export` writes besides (docs/OPEN-DATA.md), read so that
    // an export imports into a fresh node as the same commitments.
    timeLimit,    // 办理时限/time_limit: the time limit beside a dated deadline
    published,    // 公布日期/published: a new commitment's publication date
    amendReason,  // 变更理由/amend_reason: an amended status's reason
    legalBasis,   // 法律依据/amend_legal_basis: and its legal basis
};
/// 编号/id, 服务领域/area, 承诺类型/kind, 承诺事项/title, 承诺内容/detail,
/// 责任部门/department, 责任人/responsible, 完成时限/deadline, 兑现状态/status,
/// 进度/progress, 情况说明/note, 办理时限/time_limit, 公布日期/published,
/// 变更理由/amend_reason, 法律依据/amend_legal_basis (English
/// case-insensitive, spaces trimmed).
std::optional<ImportColumn> importColumnOf(std::string_view header);

/// A service area, kind or status by its Chinese or English name (the
/// catalogue's) or its id: "养老", "Elderly care", "elderly_care".
std::optional<Category> categoryByName(std::string_view text);
std::optional<Kind> kindByName(std::string_view text);
std::optional<Status> statusByName(std::string_view text);

/// A 完成时限 cell: a date (2026-12-31, 2026/12/31, 2026.12.31,
/// 2026年12月31日, or an Excel serial day number) or, when it holds no date,
/// a time limit ("每月", "10个工作日"). A date that does not exist is an
/// error (error.import.no_such_date), so is an over-long time limit.
struct DeadlineCell {
    std::optional<Date> date;
    std::string timeLimit;
};
Result<DeadlineCell> parseDeadlineCell(std::string_view text);

/// What an import does, and what it found.
struct ImportOptions {
    std::string clerk;   // the clerk id the events are recorded by ("clerk:<id>")
    Date today;          // published date of new commitments, date of revisions and reports
    std::string reason;  // a revision's reason; empty: "导入修订 / revised by import"
    /// Keep the payloads for applyImport (a dry run need not hold them).
    bool keepPayloads = false;
    /// Called after each record read, with the number read so far.
    std::function<void(std::size_t)> progress;
};

struct ImportRowProblem {
    std::size_t row = 0;
    Problem problem;  // field: the column's header as written in the file
};

struct ImportPlan {
    Problems fileProblems;  // the whole file refused (encoding, header): nothing else is read
    std::vector<ImportRowProblem> rowProblems;
    std::size_t rows = 0;  // data rows read (not the header, not blank lines)
    std::size_t valid = 0;
    std::size_t created = 0;
    std::size_t revised = 0;
    std::size_t unchanged = 0;
    std::size_t reports = 0;  // fulfilment reports a status column asks for
    std::size_t errors = 0;   // rows with at least one problem
    std::vector<std::string> ignoredColumns;
    std::vector<Payload> payloads;  // with keepPayloads, in the order to record
    bool ok() const { return fileProblems.empty() && errors == 0; }
};

/// Reads `in` and checks every row against the store's current state
/// without writing. How rows match existing commitments: by the 编号/id
/// column when the row has one, else by this office's commitment with the
/// same service area and the same current title (docs/IMPORT.md).
ImportPlan planImport(std::istream& in, const Store& store, const ImportOptions& options);

/// The per-row report and the summary, in Chinese and English.
std::string describe(const ImportPlan& plan);

/// Records a plan made with keepPayloads, all in one transaction or
/// nothing; refuses a plan with problems (error.import.has_errors).
Result<std::size_t> applyImport(Store& store, const ImportPlan& plan, const ImportOptions& options);

}  // namespace shouxin
