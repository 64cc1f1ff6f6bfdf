#pragma once
// Open data: a township's or the district's commitments, their public
// history and the figures as CSV or JSON (docs/OPEN-DATA.md), and the
// township assessment (绩效考核) as CSV. Every writer streams to its
// ostream row by row, so a district of 100k commitments is never held in
// memory. Nothing private is written: no complainant's contact, clerk's
// PIN verifier, token or key, no complaint text, and of each actor only
// its role (as the kiosk shows).
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "shared/domain.hpp"
#include "shared/result.hpp"

namespace shouxin {

class Store;

enum class DataFormat { csv, json };
std::string_view idOf(DataFormat f);  // "csv", "json"
std::optional<DataFormat> parseDataFormat(std::string_view id);

/// The JSON document's "format" member.
inline constexpr const char* kOpenDataFormat = "shouxin-open-data/1";

/// How a CSV cell is written (RFC 4180 quoting for both).
enum class CellKind {
    text,    // may come from a person: neutralised against formula injection
    number,  // written by us (counts, rates, dates, ids): left as it is, so -1 stays a number
};
/// One CSV cell: a text cell that begins with =, +, -, @, tab or CR gets a
/// leading ' so that no spreadsheet runs it as a formula; a cell holding a
/// comma, quote, CR or LF is quoted, with quotes doubled.
std::string csvCell(std::string_view value, CellKind kind = CellKind::text);

/// One row per commitment in `scope` (an office code, a district code as a
/// prefix, "" for all held), with its status and whether it is overdue on
/// `today`.
void writeCommitments(const Store& store, std::string_view scope, Date today, DataFormat format,
                      std::ostream& out);
/// One row per public history entry of the commitments in `scope`: each
/// fulfilment report, revision, and breach record's confirmation and steps.
void writeHistory(const Store& store, std::string_view scope, Date today, DataFormat format,
                  std::ostream& out);
/// One row per office or region in `scope`, each counting its own records
/// alone and named by its level (domain.hpp levelOf), and a total row over
/// the scope when it is a region or "", with the fulfilment and voice
/// figures as of `today`, and their formulas.
void writeFigures(const Store& store, std::string_view scope, Date today, DataFormat format,
                  std::ostream& out);

/// An assessment period: a quarter ("2026-Q4"), a month ("2026-11") or a
/// year ("2026"), with its first and last day.
struct Period {
    std::string text;  // as written: "2026-Q4"
    Date from;         // inclusive
    Date to;           // inclusive
};
/// The period named by `text`; else a problem on "period"
/// (error.period, the offending text as detail).
Result<Period> readPeriod(std::string_view text);
/// readPeriod without the reason.
std::optional<Period> parsePeriod(std::string_view text);

/// The assessment of the district's townships (CSV): a title row, one row
/// per figure with its name and formula, the column header, then one row per
/// township of `districtScope` held here and a district total, with the
/// figures of commitments due in the period and the voice figures of the
/// period.
void writeAssessment(const Store& store, std::string_view districtScope, const Period& period, Date today,
                     std::ostream& out);

}  // namespace shouxin
