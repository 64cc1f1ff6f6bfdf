// Open data (docs/OPEN-DATA.md): commitments, public history and figures
// as CSV or JSON, and the township assessment. One table writer serves
// every export: the same column names head the CSV and key the JSON items.
#include "shared/open_data.hpp"

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>
#include <span>
#include <variant>
#include <vector>

#include "shared/figures.hpp"
#include "shared/i18n.hpp"
#include "shared/store.hpp"
#include "shared/text.hpp"

namespace shouxin {

std::string_view idOf(DataFormat f) { return f == DataFormat::csv ? "csv" : "json"; }

std::optional<DataFormat> parseDataFormat(std::string_view id) {
    if (id == "csv") return DataFormat::csv;
    if (id == "json") return DataFormat::json;
    return std::nullopt;
}

std::string csvCell(std::string_view value, CellKind kind) {
    std::string cell;
    // A spreadsheet runs a cell that begins with one of these as a formula
    // (CSV injection); a leading ' makes it text and shows as nothing.
    if (kind == CellKind::text && !value.empty() &&
        (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@' || value[0] == '\t' ||
         value[0] == '\r'))
        cell = "'";
    cell += value;
    if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
    std::string quoted = "\"";
    for (const char c : cell) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

namespace {

constexpr const char* kBom = "\xEF\xBB\xBF";
constexpr const char* kCrLf = "\r\n";

// A cell's value: null, text, an integer, a number (rates: rounded to 4
// places), a yes/no, a date, or a list of texts (evidence).
using Value =
    std::variant<std::monostate, std::string, std::int64_t, double, bool, Date, std::vector<std::string>>;

Value optionalDate(const std::optional<Date>& d) { return d ? Value{*d} : Value{}; }
Value optionalNumber(const std::optional<double>& x) { return x ? Value{*x} : Value{}; }
Value count(int n) { return Value{static_cast<std::int64_t>(n)}; }
Value textOf(std::string_view s) { return Value{std::string(s)}; }

double rounded(double x) { return std::round(x * 10000.0) / 10000.0; }

std::string numberText(double x) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.4f", rounded(x));
    std::string s = buf;
    while (!s.empty() && s.back() == '0')
        s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

std::string nowUtc() {
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return formatTime(now.count(), "%Y-%m-%dT%H:%M:%SZ", Clock::utc);
}

// A figure: its column, catalogue name and the catalogue id of its formula.
struct FigureDef {
    const char* column;
    const char* nameId;
    const char* formulaId;
};

constexpr const char* kByStatusFormula = "figures.formula.by_status";

constexpr FigureDef kFigureDefs[] = {
    {"total", "figures.total", "figures.formula.total"},
    {"not_started", "status.not_started", kByStatusFormula},
    {"in_progress", "status.in_progress", kByStatusFormula},
    {"fulfilled", "status.fulfilled", kByStatusFormula},
    {"broken", "status.broken", kByStatusFormula},
    {"rectified", "status.rectified", kByStatusFormula},
    {"amended", "status.amended", kByStatusFormula},
    {"overdue", "figures.overdue", kOverdueFormula},
    {"assessed", "figures.assessed", "figures.formula.assessed"},
    {"fulfilled_with_deadline", "figures.fulfilled_with_deadline", kOnTimeRateFormula},
    {"fulfilled_on_time", "figures.fulfilled_on_time", kOnTimeRateFormula},
    {"fulfilment_rate", "figures.fulfilment_rate", kFulfilmentRateFormula},
    {"on_time_rate", "figures.on_time_rate", kOnTimeRateFormula},
    {"complaints", "figures.complaints", kComplaintsFormula},
    {"answered", "figures.answered", kComplaintsFormula},
    {"median_answer_days", "figures.median_answer", kMedianAnswerFormula},
    {"ratings", "figures.ratings", kMeanRatingFormula},
    {"mean_rating", "figures.mean_rating", kMeanRatingFormula},
    {"open_breaches", "figures.open_breaches", kBreachesFormula},
    {"repaired_breaches", "figures.repaired_breaches", kBreachesFormula},
};

// The figures' cells in kFigureDefs order.
void appendFigures(std::vector<Value>& row, const Figures& f, const VoiceFigures& v) {
    row.push_back(count(f.total));
    for (const Status s : kStatuses)
        row.push_back(count(f.count(s)));
    row.push_back(count(f.overdue));
    row.push_back(count(f.assessed()));
    row.push_back(count(f.fulfilledWithDeadline));
    row.push_back(count(f.fulfilledOnTime));
    row.push_back(optionalNumber(f.fulfilmentRate()));
    row.push_back(optionalNumber(f.onTimeRate()));
    row.push_back(count(v.complaints));
    row.push_back(count(v.answered));
    row.push_back(optionalNumber(v.medianAnswerDays));
    row.push_back(count(v.ratings));
    row.push_back(optionalNumber(v.meanRating));
    row.push_back(count(v.openBreaches));
    row.push_back(count(v.repairedBreaches));
}

// Rows of one export, as CSV (BOM, header row, CRLF) or as one JSON
// document whose items are objects keyed by the same column names. Rows go
// to the stream as they come.
class Table {
public:
    Table(std::ostream& out, DataFormat format, std::vector<std::string> columns)
        : m_out(out), m_format(format), m_columns(std::move(columns)), m_stream(out), m_json(m_stream) {
        if (m_format == DataFormat::csv) m_out << kBom;
    }

    /// CSV only: a row above the column header (title, formulas).
    void preamble(const std::vector<std::string>& cells) {
        if (m_format != DataFormat::csv) return;
        for (std::size_t i = 0; i < cells.size(); ++i)
            m_out << (i ? "," : "") << csvCell(cells[i]);
        m_out << kCrLf;
    }

    /// The header: the CSV column names, or the JSON document's opening
    /// members (with the formulas of `figures`, when given) up to "items".
    void begin(std::string_view scope, Date today, std::span<const FigureDef> figures = {}) {
        if (m_format == DataFormat::csv) {
            for (std::size_t i = 0; i < m_columns.size(); ++i)
                m_out << (i ? "," : "") << csvCell(m_columns[i], CellKind::number);
            m_out << kCrLf;
            return;
        }
        m_json.StartObject();
        key("format");
        string(kOpenDataFormat);
        key("scope");
        string(scope);
        key("generatedAt");
        string(nowUtc());
        key("today");
        string(today.toString());
        if (!figures.empty()) {
            key("formulas");
            m_json.StartObject();
            for (const FigureDef& f : figures) {
                key(f.column);
                m_json.StartObject();
                key("name_zh");
                string(tr(f.nameId, Lang::zh));
                key("name_en");
                string(tr(f.nameId, Lang::en));
                key("formula_zh");
                string(tr(f.formulaId, Lang::zh));
                key("formula_en");
                string(tr(f.formulaId, Lang::en));
                m_json.EndObject();
            }
            m_json.EndObject();
        }
        key("items");
        m_json.StartArray();
    }

    void row(const std::vector<Value>& cells) {
        if (m_format == DataFormat::csv) {
            for (std::size_t i = 0; i < cells.size(); ++i)
                m_out << (i ? "," : "") << csvOf(cells[i]);
            m_out << kCrLf;
            return;
        }
        m_json.StartObject();
        for (std::size_t i = 0; i < cells.size() && i < m_columns.size(); ++i) {
            key(m_columns[i]);
            jsonOf(cells[i]);
        }
        m_json.EndObject();
    }

    void end() {
        if (m_format == DataFormat::json) {
            m_json.EndArray();
            m_json.EndObject();
            m_stream.Flush();
            m_out << "\n";
        }
        m_out.flush();
    }

private:
    void key(std::string_view k) { m_json.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
    void string(std::string_view s) { m_json.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }

    static std::string csvOf(const Value& v) {
        if (const auto* s = std::get_if<std::string>(&v)) return csvCell(*s, CellKind::text);
        if (const auto* n = std::get_if<std::int64_t>(&v))
            return csvCell(std::to_string(*n), CellKind::number);
        if (const auto* x = std::get_if<double>(&v)) return csvCell(numberText(*x), CellKind::number);
        if (const auto* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
        if (const auto* d = std::get_if<Date>(&v)) return csvCell(d->toString(), CellKind::number);
        if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
            std::string joined;  // one item a line, inside one quoted cell
            for (const auto& item : *list)
                joined += (joined.empty() ? "" : "\n") + item;
            return csvCell(joined, CellKind::text);
        }
        return "";
    }

    void jsonOf(const Value& v) {
        if (const auto* s = std::get_if<std::string>(&v))
            string(*s);
        else if (const auto* n = std::get_if<std::int64_t>(&v))
            m_json.Int64(*n);
        else if (const auto* x = std::get_if<double>(&v))
            m_json.Double(rounded(*x));
        else if (const auto* b = std::get_if<bool>(&v))
            m_json.Bool(*b);
        else if (const auto* d = std::get_if<Date>(&v))
            string(d->toString());
        else if (const auto* list = std::get_if<std::vector<std::string>>(&v)) {
            m_json.StartArray();
            for (const auto& item : *list)
                string(item);
            m_json.EndArray();
        } else
            m_json.Null();
    }

    std::ostream& m_out;
    DataFormat m_format;
    std::vector<std::string> m_columns;
    rapidjson::OStreamWrapper m_stream;
    rapidjson::Writer<rapidjson::OStreamWrapper> m_json;
};

std::string zh(std::string_view id) { return std::string(tr(id, Lang::zh)); }

// Office code -> name, for the offices named here in `scope`.
std::map<std::string, std::string> officeNames(const Store& store, std::string_view scope) {
    std::map<std::string, std::string> names;
    for (auto& o : store.offices(scope))
        names.emplace(std::move(o.code), std::move(o.name));
    return names;
}

std::string nameOf(const std::map<std::string, std::string>& names, const std::string& code) {
    const auto it = names.find(code);
    return it == names.end() ? std::string() : it->second;
}

// Who acted, by role only: "clerk", "district", "resident", "system". The
// kiosk shows no more of a report's author, so neither does open data.
std::string roleOf(std::string_view actor) { return std::string(actor.substr(0, actor.find(':'))); }

// Figures over one commitment, added up: computeFigures' own definition.
void add(Figures& sum, const CommitmentState& c, Date today) {
    const Figures one = computeFigures(std::span<const CommitmentState>(&c, 1), {}, today);
    sum.total += one.total;
    for (std::size_t i = 0; i < kStatusCount; ++i)
        sum.byStatus[i] += one.byStatus[i];
    sum.overdue += one.overdue;
    sum.fulfilledWithDeadline += one.fulfilledWithDeadline;
    sum.fulfilledOnTime += one.fulfilledOnTime;
}

// The voice facts of exactly one office (a district's own records, not its
// offices'), so that each row counts its office alone.
VoiceFacts onlyOffice(const VoiceFacts& facts, const std::string& office) {
    VoiceFacts out;
    for (const auto& c : facts.complaints)
        if (c.office == office) out.complaints.push_back(c);
    for (const auto& r : facts.ratings)
        if (r.office == office) out.ratings.push_back(r);
    for (const auto& b : facts.breaches)
        if (b.office == office) out.breaches.push_back(b);
    return out;
}

std::vector<std::string> figureColumns(std::vector<std::string> leading) {
    for (const FigureDef& f : kFigureDefs)
        leading.emplace_back(f.column);
    return leading;
}

}  // namespace

void writeCommitments(const Store& store, std::string_view scope, Date today, DataFormat format,
                      std::ostream& out) {
    const auto names = officeNames(store, scope);
    Table table(
        out, format,
        {"id",          "office",       "office_name", "area",         "area_zh",      "kind",
         "kind_zh",     "title",        "detail",      "department",   "responsible",  "time_limit",
         "published",   "deadline",     "status",      "status_zh",    "overdue",      "progress",
         "status_date", "fulfilled_on", "on_time",     "report_count", "amend_reason", "amend_legal_basis"});
    table.begin(scope, today);
    store.forEachCommitment(scope, [&](const CommitmentState& s) {
        const Commitment& c = s.commitment;
        Value onTime;
        if (s.status == Status::fulfilled && c.deadline) onTime = isOnTime(s);
        table.row({textOf(c.id),
                   textOf(c.office),
                   nameOf(names, c.office),
                   textOf(idOf(c.category)),
                   zh(messageIdOf(c.category)),
                   textOf(idOf(c.kind)),
                   zh(messageIdOf(c.kind)),
                   c.title,
                   c.detail,
                   c.department,
                   c.responsible,
                   c.timeLimit,
                   c.published,
                   optionalDate(c.deadline),
                   textOf(idOf(s.status)),
                   zh(messageIdOf(s.status)),
                   isOverdue(s, today),
                   count(s.progress),
                   optionalDate(s.statusDate),
                   optionalDate(s.fulfilledOn),
                   onTime,
                   count(s.reportCount),
                   s.amendReason,
                   s.amendLegalBasis});
    });
    table.end();
}

void writeHistory(const Store& store, std::string_view scope, Date today, DataFormat format,
                  std::ostream& out) {
    // entry: report (fulfilment report), revision (a supervisor's new text),
    // breach (a breach record confirmed), breach_step (its later steps).
    const std::vector<std::string> columns = {
        "commitment",  "office",    "entry",      "date",       "event",     "breach",
        "status",      "status_zh", "progress",   "note",       "evidence",  "reason",
        "legal_basis", "title",     "detail",     "department", "deadline",  "step",
        "step_zh",     "object_by", "rectify_by", "actor_role", "concurrent"};
    Table table(out, format, columns);
    table.begin(scope, today);
    struct Entry {
        Date date;
        std::vector<Value> cells;
    };
    std::vector<Entry> entries;  // of one commitment at a time
    const auto entry = [&](const CommitmentState& s, const char* kind, Date date) -> std::vector<Value>& {
        std::vector<Value> cells(columns.size());
        cells[0] = s.commitment.id;
        cells[1] = s.commitment.office;
        cells[2] = textOf(kind);
        cells[3] = date;
        entries.push_back({date, std::move(cells)});
        return entries.back().cells;
    };
    store.forEachCommitment(scope, [&](const CommitmentState& s) {
        entries.clear();
        for (const FulfilmentRecord& f : store.history(s.commitment.id)) {
            auto& row = entry(s, "report", f.report.date);
            row[4] = f.eventId;
            row[6] = textOf(idOf(f.report.status));
            row[7] = zh(messageIdOf(f.report.status));
            row[8] = count(f.report.progress);
            row[9] = f.report.note;
            row[10] = f.report.evidence;
            row[11] = f.report.reason;
            row[12] = f.report.legalBasis;
            row[21] = roleOf(f.actor);
            row[22] = f.concurrent;
        }
        for (const Store::Revision& r : store.revisions(s.commitment.id)) {
            auto& row = entry(s, "revision", r.revision.date);
            row[4] = r.eventId;
            row[11] = r.revision.reason;
            row[13] = r.revision.title;
            row[14] = r.revision.detail;
            row[15] = r.revision.department;
            row[16] = optionalDate(r.revision.deadline);
            row[21] = roleOf(r.actor);
        }
        for (const Store::BreachRecord& b : store.breachesOf(s.commitment.id)) {
            auto& confirmed = entry(s, "breach", b.breach.confirmed);
            confirmed[5] = b.breach.id;
            confirmed[9] = b.breach.note;
            confirmed[17] = textOf("confirmed");
            confirmed[18] = zh("breach.stage.confirmed");
            confirmed[19] = b.breach.objectBy;
            confirmed[20] = b.breach.rectifyBy;
            confirmed[21] = roleOf(b.actor);
            for (const auto& step : b.steps) {
                auto& row = entry(s, "breach_step", step.step.date);
                row[4] = step.eventId;
                row[5] = b.breach.id;
                row[9] = step.step.note;
                row[17] = textOf(idOf(step.step.step));
                row[18] = zh(messageIdOf(step.step.step));
                row[21] = roleOf(step.actor);
            }
        }
        // By date; on one day in the order the store keeps each kind.
        std::stable_sort(entries.begin(), entries.end(),
                         [](const Entry& a, const Entry& b) { return a.date < b.date; });
        for (const Entry& e : entries)
            table.row(e.cells);
    });
    table.end();
}

void writeFigures(const Store& store, std::string_view scope, Date today, DataFormat format,
                  std::ostream& out) {
    auto names = officeNames(store, scope);
    std::map<std::string, Figures> byOffice;
    for (const auto& [code, name] : names)
        byOffice[code];
    Figures total;
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        if (!scope.empty() && !inScope(scope, c.commitment.office)) return;
        add(byOffice[c.commitment.office], c, today);
        add(total, c, today);
    });
    const VoiceFacts facts = store.voiceFacts(scope);
    for (const auto& c : facts.complaints)
        byOffice[c.office];
    for (const auto& r : facts.ratings)
        byOffice[r.office];
    for (const auto& b : facts.breaches)
        byOffice[b.office];

    Table table(out, format, figureColumns({"row", "code", "name"}));
    table.preamble({zh("opendata.title.figures"), std::string(tr("opendata.title.figures", Lang::en)),
                    std::string(scope), nameOf(names, std::string(scope)), zh("cli.today"),
                    today.toString()});
    for (const FigureDef& f : kFigureDefs)
        table.preamble({f.column, zh(f.nameId), std::string(tr(f.nameId, Lang::en)), zh(f.formulaId),
                        std::string(tr(f.formulaId, Lang::en))});
    table.begin(scope, today, kFigureDefs);
    for (const auto& [code, figures] : byOffice) {
        const std::string_view level = levelOf(code);
        std::vector<Value> row{textOf(level.empty() ? "office" : level), code, nameOf(names, code)};
        const FiguresFilter filter{code, std::nullopt, std::nullopt, std::nullopt};
        appendFigures(row, figures, computeVoiceFigures(onlyOffice(facts, code), filter));
        table.row(row);
    }
    if (scope.empty() || isRegionCode(scope)) {
        std::vector<Value> row{textOf("total"), textOf(scope), zh("opendata.row.total")};
        const FiguresFilter filter{std::string(scope), std::nullopt, std::nullopt, std::nullopt};
        appendFigures(row, total, computeVoiceFigures(facts, filter));
        table.row(row);
    }
    table.end();
}

// ---- Assessment ---------------------------------------------------------------

Result<Period> readPeriod(std::string_view text) {
    const Problem bad{"period", "error.period", std::string(text)};
    const auto digits = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (text.size() < 4 || !digits(text.substr(0, 4))) return bad;
    const int year = std::stoi(std::string(text.substr(0, 4)));
    if (year < 1970) return bad;
    const auto lastDayOf = [&](unsigned month) {
        return month == 12 ? Date::fromCivil(year + 1, 1, 1).plusDays(-1)
                           : Date::fromCivil(year, month + 1, 1).plusDays(-1);
    };
    Period p{std::string(text), {}, {}};
    const std::string_view rest = text.substr(4);
    if (rest.empty()) {
        p.from = Date::fromCivil(year, 1, 1);
        p.to = Date::fromCivil(year, 12, 31);
        return p;
    }
    if (rest.size() == 3 && rest[0] == '-' && rest[1] == 'Q' && rest[2] >= '1' && rest[2] <= '4') {
        const unsigned quarter = static_cast<unsigned>(rest[2] - '0');
        p.from = Date::fromCivil(year, quarter * 3 - 2, 1);
        p.to = lastDayOf(quarter * 3);
        return p;
    }
    if (rest.size() == 3 && rest[0] == '-' && digits(rest.substr(1))) {
        const unsigned month = static_cast<unsigned>(std::stoi(std::string(rest.substr(1))));
        if (month < 1 || month > 12) return bad;
        p.from = Date::fromCivil(year, month, 1);
        p.to = lastDayOf(month);
        return p;
    }
    return bad;
}

std::optional<Period> parsePeriod(std::string_view text) {
    auto p = readPeriod(text);
    if (!p) return std::nullopt;
    return std::move(p).value();
}

void writeAssessment(const Store& store, std::string_view districtScope, const Period& period, Date today,
                     std::ostream& out) {
    const auto names = officeNames(store, districtScope);
    const std::string district(districtScope);
    std::map<std::string, Figures> byTownship;
    for (const auto& [code, name] : names)
        if (isOfficeCode(code)) byTownship[code];
    Figures total;
    const FiguresFilter inPeriod{district, std::nullopt, period.from, period.to};
    store.forEachCommitmentSummary(std::nullopt, [&](const CommitmentState& c) {
        if (!matches(inPeriod, c)) return;
        if (isOfficeCode(c.commitment.office)) add(byTownship[c.commitment.office], c, today);
        add(total, c, today);
    });
    const VoiceFacts facts = store.voiceFacts(districtScope);
    for (const auto& c : facts.complaints)
        if (isOfficeCode(c.office)) byTownship[c.office];

    Table table(out, DataFormat::csv, figureColumns({"row", "code", "name"}));
    table.preamble({zh("opendata.title.assessment"), std::string(tr("opendata.title.assessment", Lang::en)),
                    district, nameOf(names, district), period.text, period.from.toString(),
                    period.to.toString(), zh("cli.today"), today.toString()});
    for (const FigureDef& f : kFigureDefs)
        table.preamble({f.column, zh(f.nameId), std::string(tr(f.nameId, Lang::en)), zh(f.formulaId),
                        std::string(tr(f.formulaId, Lang::en))});
    table.begin(districtScope, today);
    for (const auto& [code, figures] : byTownship) {
        std::vector<Value> row{textOf("office"), code, nameOf(names, code)};
        appendFigures(row, figures,
                      computeVoiceFigures(facts, FiguresFilter{code, std::nullopt, period.from, period.to}));
        table.row(row);
    }
    std::vector<Value> row{textOf("total"), district, zh("opendata.row.total")};
    appendFigures(row, total, computeVoiceFigures(facts, inPeriod));
    table.row(row);
    table.end();
}

}  // namespace shouxin
