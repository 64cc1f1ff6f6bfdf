#include "shared/import.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <map>
#include <set>
#include <utility>

#include "shared/crypto.hpp"
#include "shared/i18n.hpp"
#include "shared/rules.hpp"
#include "shared/store.hpp"
#include "shared/text.hpp"

namespace shouxin {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

template <class T, std::size_t N>
std::optional<T> byName(std::string_view text, const std::array<T, N>& values) {
    const std::string wanted = lower(trim(text));
    if (wanted.empty()) return std::nullopt;
    for (const T v : values) {
        const std::string id = messageIdOf(v);
        if (wanted == lower(idOf(v)) || wanted == tr(id, Lang::zh) || wanted == lower(tr(id, Lang::en)))
            return v;
    }
    return std::nullopt;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned daysIn(int y, unsigned m) {
    static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

bool allDigits(std::string_view text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Reads a run of digits at `pos`; false when there is none.
bool digitsAt(std::string_view text, std::size_t& pos, int& value, std::size_t maxDigits) {
    const std::size_t start = pos;
    value = 0;
    while (pos < text.size() && pos - start < maxDigits && text[pos] >= '0' && text[pos] <= '9')
        value = value * 10 + (text[pos++] - '0');
    return pos > start;
}

// One of the separators a date may use at `pos`, consumed.
bool separatorAt(std::string_view text, std::size_t& pos, std::initializer_list<std::string_view> seps) {
    for (const std::string_view s : seps) {
        if (text.substr(pos, s.size()) == s) {
            pos += s.size();
            return true;
        }
    }
    return false;
}

// The fields of a payload's problems named by the file's headers.
struct Headers {
    std::map<ImportColumn, std::string> names;
    std::string of(ImportColumn c) const {
        const auto it = names.find(c);
        return it == names.end() ? std::string() : it->second;
    }
    void rename(Problems& problems) const {
        static const std::map<std::string, ImportColumn, std::less<>> kFields = {
            {"title", ImportColumn::title},
            {"detail", ImportColumn::detail},
            {"department", ImportColumn::department},
            {"responsible", ImportColumn::responsible},
            {"time_limit", ImportColumn::timeLimit},
            {"deadline", ImportColumn::deadline},
            {"status", ImportColumn::status},
            {"progress", ImportColumn::progress},
            {"note", ImportColumn::note},
            {"date", ImportColumn::deadline},
        };
        for (auto& p : problems) {
            const auto it = kFields.find(p.field);
            if (it != kFields.end() && names.count(it->second) != 0) p.field = names.at(it->second);
        }
    }
};

std::string columnLabel(ImportColumn c) {
    switch (c) {
        case ImportColumn::id:
            return "编号/id";
        case ImportColumn::area:
            return "服务领域/area";
        case ImportColumn::kind:
            return "承诺类型/kind";
        case ImportColumn::title:
            return "承诺事项/title";
        case ImportColumn::detail:
            return "承诺内容/detail";
        case ImportColumn::department:
            return "责任部门/department";
        case ImportColumn::responsible:
            return "责任人/responsible";
        case ImportColumn::deadline:
            return "完成时限/deadline";
        case ImportColumn::status:
            return "兑现状态/status";
        case ImportColumn::progress:
            return "进度/progress";
        case ImportColumn::note:
            return "情况说明/note";
        case ImportColumn::timeLimit:
            return "办理时限/time_limit";
        case ImportColumn::published:
            return "公布日期/published";
        case ImportColumn::amendReason:
            return "变更理由/amend_reason";
        case ImportColumn::legalBasis:
            return "法律依据/amend_legal_basis";
    }
    return {};
}

std::string matchKey(Category c, std::string_view title) {
    return std::string(idOf(c)) + "\t" + std::string(title);
}

}  // namespace

// ---- Values ------------------------------------------------------------------------

std::optional<ImportColumn> importColumnOf(std::string_view header) {
    static const std::map<std::string, ImportColumn, std::less<>> kNames = {
        {"编号", ImportColumn::id},
        {"id", ImportColumn::id},
        {"服务领域", ImportColumn::area},
        {"area", ImportColumn::area},
        {"承诺类型", ImportColumn::kind},
        {"kind", ImportColumn::kind},
        {"承诺事项", ImportColumn::title},
        {"title", ImportColumn::title},
        {"承诺内容", ImportColumn::detail},
        {"detail", ImportColumn::detail},
        {"责任部门", ImportColumn::department},
        {"department", ImportColumn::department},
        {"责任人", ImportColumn::responsible},
        {"responsible", ImportColumn::responsible},
        {"完成时限", ImportColumn::deadline},
        {"deadline", ImportColumn::deadline},
        {"兑现状态", ImportColumn::status},
        {"status", ImportColumn::status},
        {"进度", ImportColumn::progress},
        {"progress", ImportColumn::progress},
        {"情况说明", ImportColumn::note},
        {"note", ImportColumn::note},
        {"办理时限", ImportColumn::timeLimit},
        {"time_limit", ImportColumn::timeLimit},
        {"公布日期", ImportColumn::published},
        {"published", ImportColumn::published},
        {"变更理由", ImportColumn::amendReason},
        {"amend_reason", ImportColumn::amendReason},
        {"法律依据", ImportColumn::legalBasis},
        {"amend_legal_basis", ImportColumn::legalBasis},
    };
    const auto it = kNames.find(lower(trim(header)));
    if (it == kNames.end()) return std::nullopt;
    return it->second;
}

std::optional<Category> categoryByName(std::string_view text) { return byName(text, kCategories); }

std::optional<Kind> kindByName(std::string_view text) {
    if (const auto k = byName(text, kKinds)) return k;
    // "服务质量", "期限", "保障": the catalogue's names without 承诺.
    const std::string t = trim(text);
    for (const Kind k : kKinds) {
        std::string zh(tr(messageIdOf(k), Lang::zh));
        const std::string suffix = "承诺";
        if (zh.size() > suffix.size() && zh.substr(zh.size() - suffix.size()) == suffix) {
            zh.resize(zh.size() - suffix.size());
            if (t == zh) return k;
        }
    }
    return std::nullopt;
}

std::optional<Status> statusByName(std::string_view text) { return byName(text, kStatuses); }

Result<DeadlineCell> parseDeadlineCell(std::string_view raw) {
    const std::string text = trim(raw);
    DeadlineCell cell;
    if (text.empty()) return cell;

    // An Excel serial day number (days since 1899-12-30), maybe with a time.
    std::string_view whole = text;
    if (const auto dot = whole.find('.'); dot != std::string_view::npos && allDigits(whole.substr(0, dot)) &&
                                          allDigits(whole.substr(dot + 1))) {
        whole = whole.substr(0, dot);
    }
    if (allDigits(whole)) {
        if (whole.size() <= 6) {
            const int serial = std::stoi(std::string(whole));
            // 1954-10-03 to 2119-01-08: what a deadline may be; a smaller
            // number alone is neither a date nor a time limit.
            if (serial >= 20000 && serial <= 80000) {
                cell.date = Date{serial - 25569};
                return cell;
            }
        }
        return Problem{"", "error.import.deadline", text};
    }

    // 2026-12-31, 2026/12/31, 2026.12.31, 2026年12月31日 (one- or two-digit
    // month and day).
    std::size_t pos = 0;
    int year = 0;
    if (digitsAt(text, pos, year, 4) && pos == 4 && separatorAt(text, pos, {"-", "/", ".", "年"})) {
        int month = 0;
        int day = 0;
        bool shaped = digitsAt(text, pos, month, 2) && separatorAt(text, pos, {"-", "/", ".", "月"}) &&
                      digitsAt(text, pos, day, 2);
        if (shaped) separatorAt(text, pos, {"日", "号"});
        if (!shaped || pos != text.size()) return Problem{"", "error.import.date", text};
        if (month < 1 || month > 12 || day < 1 ||
            static_cast<unsigned>(day) > daysIn(year, static_cast<unsigned>(month))) {
            return Problem{"", "error.import.no_such_date", text};
        }
        cell.date = Date::fromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
        return cell;
    }

    // Anything else is a time limit: "每月", "10个工作日", "即时办结".
    if (auto p = checkText("", text, 0, Limits::kTimeLimit)) return *p;
    cell.timeLimit = text;
    return cell;
}

// ---- The plan ----------------------------------------------------------------------

ImportPlan planImport(std::istream& in, const Store& store, const ImportOptions& options) {
    ImportPlan plan;
    const auto encoding = detectCsvEncoding(in);
    if (!encoding) {
        plan.fileProblems = encoding.problems();
        return plan;
    }

    const NodeInfo node = store.node();
    const std::string actor = "clerk:" + options.clerk;
    bool supervisor = true;  // a node without accounts checks no roles (as Store::record)
    if (!isClerkId(options.clerk)) {
        plan.fileProblems.push_back({"--clerk", "error.actor", options.clerk});
        return plan;
    }
    if (!store.clerks().empty()) {
        const auto who = store.clerk(options.clerk);
        if (!who) {
            plan.fileProblems.push_back({"--clerk", "error.clerk.unknown", options.clerk});
        } else if (who->disabled) {
            plan.fileProblems.push_back({"--clerk", "error.clerk.disabled", options.clerk});
        } else {
            supervisor = rules::may(who->role, rules::Action::revise);
        }
        if (!plan.fileProblems.empty()) return plan;
    }
    const std::string reason =
        options.reason.empty() ? std::string(tr("import.reason", Lang::zh)) : options.reason;

    CsvReader reader(in, *encoding);
    CsvRow row;
    if (!reader.next(row)) {
        plan.fileProblems.push_back({"", "error.import.empty", ""});
        return plan;
    }
    if (row.problem) {
        Problem p = *row.problem;
        p.field = "header";
        plan.fileProblems.push_back(p);
        return plan;
    }
    Headers headers;
    std::vector<std::optional<ImportColumn>> columns;
    for (const auto& cell : row.cells) {
        const std::string name = trim(cell);
        const auto column = importColumnOf(name);
        columns.push_back(column);
        if (!column) {
            if (!name.empty()) plan.ignoredColumns.push_back(name);
            continue;
        }
        if (headers.names.count(*column) != 0) {
            plan.fileProblems.push_back({name, "error.import.duplicate_column", columnLabel(*column)});
        } else {
            headers.names[*column] = name;
        }
    }
    for (const ImportColumn required : {ImportColumn::area, ImportColumn::kind, ImportColumn::title,
                                        ImportColumn::detail, ImportColumn::department}) {
        if (headers.names.count(required) == 0)
            plan.fileProblems.push_back({"", "error.import.missing_column", columnLabel(required)});
    }
    if (!plan.fileProblems.empty()) return plan;
    if (options.progress) options.progress(0);

    // This office's commitments by service area and current title.
    std::map<std::string, std::vector<std::string>> byKey;
    for (const auto& c : store.commitments()) {
        if (c.commitment.office == node.office)
            byKey[matchKey(c.commitment.category, c.commitment.title)].push_back(c.commitment.id);
    }
    std::map<std::string, std::size_t> seen;  // matched id or new key -> row

    while (reader.next(row)) {
        ++plan.rows;
        if (options.progress) options.progress(plan.rows);
        Problems problems;
        const auto finish = [&] {
            for (auto& p : problems)
                plan.rowProblems.push_back({row.number, std::move(p)});
            ++plan.errors;
        };
        if (row.problem) {
            problems.push_back(*row.problem);
            finish();
            continue;
        }
        const bool extraEmpty =
            row.cells.size() > columns.size() &&
            std::all_of(row.cells.begin() + static_cast<std::ptrdiff_t>(columns.size()), row.cells.end(),
                        [](const std::string& c) { return trim(c).empty(); });
        if (row.cells.size() != columns.size() && !extraEmpty) {
            problems.push_back({"", "error.import.columns",
                                std::to_string(row.cells.size()) + " / " + std::to_string(columns.size())});
            finish();
            continue;
        }
        std::map<ImportColumn, std::string> v;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (!columns[i]) continue;
            std::string cell = trim(row.cells[i]);
            // The quote an export puts before a cell a spreadsheet would run
            // as a formula (csvCell) is not part of the text.
            if (cell.size() > 1 && cell[0] == '\'' && std::string_view("=+-@\t\r").find(cell[1]) != std::string_view::npos)
                cell.erase(0, 1);
            v[*columns[i]] = std::move(cell);
        }
        const auto cellOf = [&](ImportColumn c) { return v.count(c) != 0 ? v.at(c) : std::string(); };

        const auto requireEnum = [&](ImportColumn c, auto parse, const char* message) {
            const std::string text = cellOf(c);
            auto value = parse(text);
            if (text.empty()) {
                problems.push_back({headers.of(c), "error.text.empty", ""});
            } else if (!value) {
                problems.push_back({headers.of(c), message, text});
            }
            return value;
        };
        const auto category = requireEnum(ImportColumn::area, categoryByName, "error.category");
        const auto kind = requireEnum(ImportColumn::kind, kindByName, "error.kind");
        // The text cells' bounds (Limits), each named by its header.
        const auto text = [&](ImportColumn c, std::size_t min, std::size_t max, bool multiline) {
            if (min > 0 && cellOf(c).empty()) {
                problems.push_back({headers.of(c), "error.text.empty", ""});
            } else if (auto p = checkText(headers.of(c), cellOf(c), min, max, multiline)) {
                problems.push_back(*p);
            }
        };
        text(ImportColumn::title, 1, Limits::kTitle, false);
        text(ImportColumn::detail, 1, Limits::kDetail, true);
        text(ImportColumn::department, 1, Limits::kDepartment, false);
        text(ImportColumn::responsible, 0, Limits::kResponsible, false);
        text(ImportColumn::note, 0, Limits::kNote, true);
        DeadlineCell deadline;
        if (auto d = parseDeadlineCell(cellOf(ImportColumn::deadline))) {
            deadline = *d;
        } else {
            for (Problem p : d.problems()) {
                p.field = headers.of(ImportColumn::deadline);
                problems.push_back(std::move(p));
            }
        }
        text(ImportColumn::timeLimit, 0, Limits::kTimeLimit, false);
        if (headers.names.count(ImportColumn::timeLimit) && !cellOf(ImportColumn::timeLimit).empty())
            deadline.timeLimit = cellOf(ImportColumn::timeLimit);
        Date published = options.today;
        if (const std::string when = cellOf(ImportColumn::published); !when.empty()) {
            const auto d = parseDeadlineCell(when);
            if (!d || !d->date || *d->date > options.today)
                problems.push_back({headers.of(ImportColumn::published), "error.date", when});
            else
                published = *d->date;
        }
        const std::string amendReason = cellOf(ImportColumn::amendReason);
        const std::string legalBasis = cellOf(ImportColumn::legalBasis);
        const std::string id = cellOf(ImportColumn::id);
        if (!id.empty() && !isUuid(id))
            problems.push_back({headers.of(ImportColumn::id), "error.import.id", id});

        std::optional<Status> status;
        std::optional<int> progress;
        const std::string statusText = cellOf(ImportColumn::status);
        const std::string progressText = cellOf(ImportColumn::progress);
        const std::string note = cellOf(ImportColumn::note);
        if (!statusText.empty()) {
            status = statusByName(statusText);
            if (!status) problems.push_back({headers.of(ImportColumn::status), "error.status", statusText});
        }
        if (!progressText.empty()) {
            std::string digits = progressText;
            if (!digits.empty() && digits.back() == '%') digits.pop_back();
            if (allDigits(digits) && digits.size() <= 3 && std::stoi(digits) <= 100) {
                progress = std::stoi(digits);
            } else {
                problems.push_back({headers.of(ImportColumn::progress), "error.progress", progressText});
            }
        }

        // Which commitment the row is.
        std::optional<CommitmentState> current;
        if (!id.empty() && isUuid(id)) {
            current = store.commitment(id);
            if (current && current->commitment.office != node.office) {
                problems.push_back(
                    {headers.of(ImportColumn::id), "error.office.not_ours", current->commitment.office});
            }
        }
        // No 编号, or one this node does not hold (an export of another
        // node, imported into a fresh one): by area and title.
        if (!current && category && problems.empty()) {
            const auto it = byKey.find(matchKey(*category, cellOf(ImportColumn::title)));
            if (it != byKey.end() && it->second.size() > 1) {
                problems.push_back({headers.of(ImportColumn::title), "error.import.ambiguous",
                                    std::to_string(it->second.size())});
            } else if (it != byKey.end()) {
                current = store.commitment(it->second.front());
            }
        }
        const std::string key =
            current ? current->commitment.id
                    : matchKey(category.value_or(Category::convenience), cellOf(ImportColumn::title));
        if (const auto [it, fresh] = seen.emplace(key, row.number); !fresh) {
            problems.push_back({headers.of(ImportColumn::title), "error.import.duplicate_row",
                                "row " + std::to_string(it->second)});
        }
        if (!problems.empty()) {
            finish();
            continue;
        }

        std::vector<Payload> payloads;
        CommitmentState before;
        bool revised = false;
        if (current) {
            before = *current;
            const Commitment& c = current->commitment;
            if (*category != c.category)
                problems.push_back(
                    {headers.of(ImportColumn::area), "error.import.area_fixed", cellOf(ImportColumn::area)});
            if (*kind != c.kind)
                problems.push_back(
                    {headers.of(ImportColumn::kind), "error.import.kind_fixed", cellOf(ImportColumn::kind)});
            CommitmentRevised r;
            r.commitment = c.id;
            r.title = cellOf(ImportColumn::title);
            r.detail = cellOf(ImportColumn::detail);
            r.department = cellOf(ImportColumn::department);
            r.responsible = headers.names.count(ImportColumn::responsible) ? cellOf(ImportColumn::responsible)
                                                                           : c.responsible;
            r.deadline = headers.names.count(ImportColumn::deadline) ? deadline.date : c.deadline;
            r.timeLimit = headers.names.count(ImportColumn::deadline) || headers.names.count(ImportColumn::timeLimit)
                              ? deadline.timeLimit
                              : c.timeLimit;
            r.reason = reason;
            r.date = options.today;
            revised = r.title != c.title || r.detail != c.detail || r.department != c.department ||
                      r.responsible != c.responsible || r.deadline != c.deadline ||
                      r.timeLimit != c.timeLimit;
            if (revised) {
                Problems p = validate(r);
                headers.rename(p);
                problems.insert(problems.end(), p.begin(), p.end());
                if (current->status == Status::amended)
                    problems.push_back({headers.of(ImportColumn::title), "error.status.after_amended", c.id});
                if (!supervisor)
                    problems.push_back({headers.of(ImportColumn::title),
                                        "error.import.revise_needs_supervisor", "clerk:" + options.clerk});
                if (r.deadline && *r.deadline < c.published)
                    problems.push_back({headers.of(ImportColumn::deadline), "error.deadline_before_published",
                                        r.deadline->toString()});
                before.commitment.title = r.title;
                payloads.emplace_back(std::move(r));
            }
        } else {
            Commitment c;
            c.id = newUuidV7();
            c.office = node.office;
            c.category = *category;
            c.kind = *kind;
            c.title = cellOf(ImportColumn::title);
            c.detail = cellOf(ImportColumn::detail);
            c.department = cellOf(ImportColumn::department);
            c.responsible = cellOf(ImportColumn::responsible);
            c.deadline = deadline.date;
            c.timeLimit = deadline.timeLimit;
            c.published = published;
            Problems p = validate(c);
            headers.rename(p);
            problems.insert(problems.end(), p.begin(), p.end());
            before.commitment = c;
            payloads.emplace_back(std::move(c));
        }

        // A status, progress or note that differs from the current state
        // is a fulfilment report, held to the rulebook's transitions.
        bool reported = false;
        if (status || progress || !note.empty()) {
            FulfilmentReport r;
            r.commitment = before.commitment.id;
            r.status = status.value_or(before.status);
            r.progress = progress.value_or(r.status == Status::fulfilled    ? 100
                                           : r.status == Status::notStarted ? 0
                                                                            : before.progress);
            // A report needs words: the file's 情况说明, else the import's.
            r.note = note.empty() ? std::string(tr("import.status_note", Lang::zh)) : note;
            r.date = options.today;
            r.basedOn = before.lastReport;
            if (r.status == Status::amended) {
                r.reason = amendReason;
                r.legalBasis = legalBasis;
            }
            std::string lastNote;
            if (current && current->reportCount > 0) {
                const auto history = store.history(current->commitment.id);
                if (!history.empty()) lastNote = history.back().report.note;
            }
            if (r.status != before.status || r.progress != before.progress ||
                (!note.empty() && note != lastNote)) {
                // Rectified says it was broken first: a commitment new to
                // this node (an export imported afresh) records both.
                if (!current && r.status == Status::rectified && !rules::mayMove(before.status, r.status)) {
                    FulfilmentReport broke = r;
                    broke.status = Status::broken;
                    payloads.emplace_back(broke);
                    before.status = Status::broken;
                }
                Problems p = validate(r);
                const Problems q = rules::checkReport(r, before);
                p.insert(p.end(), q.begin(), q.end());
                if (!supervisor && r.status == Status::amended)
                    p.push_back({"status", "error.role.supervisor_only", actor});
                headers.rename(p);
                problems.insert(problems.end(), p.begin(), p.end());
                payloads.emplace_back(std::move(r));
                reported = true;
            }
        }

        if (!problems.empty()) {
            finish();
            continue;
        }
        ++plan.valid;
        if (!current) {
            ++plan.created;
        } else if (revised) {
            ++plan.revised;
        } else if (!reported) {
            ++plan.unchanged;
        }
        if (reported) ++plan.reports;
        if (options.keepPayloads)
            plan.payloads.insert(plan.payloads.end(), std::make_move_iterator(payloads.begin()),
                                 std::make_move_iterator(payloads.end()));
    }
    return plan;
}

std::string describe(const ImportPlan& plan) {
    std::string out;
    if (!plan.fileProblems.empty()) {
        out += bilingual("import.refused") + ":\n" + describe(plan.fileProblems) + "\n";
        return out;
    }
    for (const auto& rp : plan.rowProblems) {
        const std::string n = std::to_string(rp.row);
        out += format("import.row", Lang::zh, {n}) + " / " + format("import.row", Lang::en, {n}) + ": " +
               describe(rp.problem) + "\n";
    }
    if (!plan.ignoredColumns.empty()) {
        out += bilingual("import.ignored_columns") + ":";
        for (const auto& c : plan.ignoredColumns)
            out += " " + c;
        out += "\n";
    }
    const auto line = [&](std::string_view id, std::size_t n) {
        out += bilingual(id) + ": " + std::to_string(n) + "\n";
    };
    line("import.rows", plan.rows);
    line("import.valid", plan.valid);
    line("import.created", plan.created);
    line("import.revised", plan.revised);
    line("import.unchanged", plan.unchanged);
    line("import.reports", plan.reports);
    line("import.errors", plan.errors);
    return out;
}

Result<std::size_t> applyImport(Store& store, const ImportPlan& plan, const ImportOptions& options) {
    if (!plan.ok()) return Problem{"", "error.import.has_errors", std::to_string(plan.errors)};
    return store.recordAll(plan.payloads, "clerk:" + options.clerk);
}

}  // namespace shouxin
