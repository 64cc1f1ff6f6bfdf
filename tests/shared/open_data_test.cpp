// Open data and the assessment, written from a real district database with
// two townships' records (tests/support/district_data.hpp), read back with
// an RFC 4180 parser written here and with the project's JSON parser.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "shared/i18n.hpp"
#include "shared/json.hpp"
#include "shared/open_data.hpp"
#include "shared/store.hpp"
#include "tests/support/csv_text.hpp"
#include "tests/support/district_data.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
using D = DistrictData;

namespace {

const Date kToday = Date::fromCivil(2026, 12, 1);
constexpr const char* kBom = "\xEF\xBB\xBF";

using Row = std::vector<std::string>;

// Open data's CSV as Excel reads it (csv_text.hpp: BOM, CRLF, quoting).
std::vector<Row> parseCsv(std::string_view text) { return parseExcelCsv(text); }

// The rows below the header row (the first whose first cell is `first`),
// each as column name -> cell.
std::vector<std::map<std::string, std::string>> records(const std::vector<Row>& rows,
                                                        const std::string& first) {
    std::vector<std::map<std::string, std::string>> out;
    auto header =
        std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return !r.empty() && r[0] == first; });
    REQUIRE(header != rows.end());
    for (auto it = header + 1; it != rows.end(); ++it) {
        REQUIRE(it->size() == header->size());
        std::map<std::string, std::string> m;
        for (std::size_t i = 0; i < header->size(); ++i)
            m[(*header)[i]] = (*it)[i];
        out.push_back(std::move(m));
    }
    return out;
}

std::map<std::string, std::string> byId(const std::vector<std::map<std::string, std::string>>& rows,
                                        const std::string& key, const std::string& id) {
    for (const auto& r : rows)
        if (r.at(key) == id) return r;
    FAIL("no row with " << key << " = " << id);
    return {};
}

rapidjson::Document parseJson(const std::string& text) {
    json::Limits limits;
    limits.maxDepth = 6;
    limits.maxMembers = 64;
    limits.maxItems = 10000;
    limits.maxStringBytes = 64 * 1024;
    rapidjson::Document doc;
    const Problems problems = json::parseObject(text, "export", limits, doc);
    INFO(describe(problems));
    REQUIRE(problems.empty());
    return doc;
}

struct World {
    TempDir dir;
    DistrictData data = makeDistrictData(dir.path());
    Store store = Store::open(data.db);

    std::string write(void (*writer)(const Store&, std::string_view, Date, DataFormat, std::ostream&),
                      std::string_view scope, DataFormat format, Date today = kToday) const {
        std::ostringstream out;
        writer(store, scope, today, format, out);
        return out.str();
    }
    std::vector<CommitmentState> inScope(std::string_view scope) const {
        std::vector<CommitmentState> out;
        for (auto& c : store.commitments())
            if (shouxin::inScope(scope, c.commitment.office)) out.push_back(std::move(c));
        return out;
    }
};

std::string fixed4(std::optional<double> x) {
    if (!x) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", *x);
    return buf;
}

// A CSV rate cell ("0.5", "1", "") at 4 places.
std::string fixed4(const std::string& cell) {
    if (cell.empty()) return "";
    return fixed4(std::stod(cell));
}

}  // namespace

TEST_CASE("csvCell quotes commas, quotes and line ends and neutralises formula text", "[opendata]") {
    CHECK(csvCell("plain") == "plain");
    CHECK(csvCell("a,b") == "\"a,b\"");
    CHECK(csvCell("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(csvCell("two\nlines") == "\"two\nlines\"");
    CHECK(csvCell("cr\rhere") == "\"cr\rhere\"");
    CHECK(csvCell("=1+1") == "'=1+1");
    CHECK(csvCell("+86") == "'+86");
    CHECK(csvCell("-x") == "'-x");
    CHECK(csvCell("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csvCell("\tx") == "'\tx");
    CHECK(csvCell("\rx") == "\"'\rx\"");
    CHECK(csvCell("=a,b") == "\"'=a,b\"");
    CHECK(csvCell("守信") == "守信");
    CHECK(csvCell("") == "");
    // Numbers we write stay numbers: a negative count is not text.
    CHECK(csvCell("-3", CellKind::number) == "-3");
    CHECK(csvCell("-3") == "'-3");
}

TEST_CASE("commitments CSV has a BOM, CRLF rows, neutralised titles and Chinese intact", "[opendata]") {
    World w;
    const std::string csv = w.write(writeCommitments, D::kDistrict, DataFormat::csv);
    CHECK(csv.substr(0, 3) == kBom);
    const auto rows = records(parseCsv(csv), "id");
    CHECK(rows.size() == w.inScope(D::kDistrict).size());
    CHECK(rows.size() == 9);

    const auto onTime = byId(rows, "id", w.data.onTime);
    CHECK(onTime.at("title") == std::string("'") + D::kInjection);
    CHECK(onTime.at("office") == D::kTownA);
    CHECK(onTime.at("office_name") == D::kTownAName);
    CHECK(onTime.at("area") == "employment");
    CHECK(onTime.at("area_zh") == "就业");
    CHECK(onTime.at("kind") == "time_limit");
    CHECK(onTime.at("kind_zh") == "期限承诺");
    CHECK(onTime.at("status") == "fulfilled");
    CHECK(onTime.at("status_zh") == "已兑现");
    CHECK(onTime.at("deadline") == "2026-10-15");
    CHECK(onTime.at("fulfilled_on") == "2026-10-10");
    CHECK(onTime.at("on_time") == "true");
    CHECK(onTime.at("overdue") == "false");
    CHECK(onTime.at("progress") == "100");
    CHECK(onTime.at("report_count") == "1");
    CHECK(onTime.at("responsible") == "李䶮");

    CHECK(byId(rows, "id", w.data.overdue).at("title") == "'+加号开头的承诺");
    CHECK(byId(rows, "id", w.data.broken).at("title") == "'-减号开头的承诺");
    CHECK(byId(rows, "id", w.data.nextYear).at("title") == "'@at开头的承诺");
    CHECK(byId(rows, "id", w.data.late).at("on_time") == "false");
    CHECK(byId(rows, "id", w.data.noDeadline).at("deadline").empty());
    CHECK(byId(rows, "id", w.data.noDeadline).at("on_time").empty());
    const auto amended = byId(rows, "id", w.data.amended);
    CHECK(amended.at("status") == "amended");
    CHECK(amended.at("title") == "村道路灯年底前更换一半");  // as revised
    CHECK(amended.at("amend_reason") == "上级政策调整，改由县级统一办理");
    CHECK(amended.at("amend_legal_basis") == "《中华人民共和国行政许可法》第八条");
    CHECK(byId(rows, "id", w.data.districtWide).at("office_name") == D::kDistrictName);

    // A township's scope holds its own commitments only.
    const auto townB = records(parseCsv(w.write(writeCommitments, D::kTownB, DataFormat::csv)), "id");
    CHECK(townB.size() == 3);
    for (const auto& r : townB)
        CHECK(r.at("office") == D::kTownB);
}

TEST_CASE("overdue in the export is derived from the day it is written for", "[opendata]") {
    World w;
    const auto before = records(
        parseCsv(w.write(writeCommitments, D::kTownA, DataFormat::csv, Date::fromCivil(2026, 11, 20))), "id");
    const auto after = records(
        parseCsv(w.write(writeCommitments, D::kTownA, DataFormat::csv, Date::fromCivil(2026, 11, 21))), "id");
    CHECK(byId(before, "id", w.data.overdue).at("overdue") == "false");
    CHECK(byId(after, "id", w.data.overdue).at("overdue") == "true");
    // Closed ones are never overdue, however late the day.
    CHECK(byId(after, "id", w.data.broken).at("overdue") == "false");
    CHECK(byId(after, "id", w.data.amended).at("overdue") == "false");
}

TEST_CASE("commitments JSON parses back with the store's count, typed values and nulls", "[opendata]") {
    World w;
    const std::string text = w.write(writeCommitments, D::kDistrict, DataFormat::json);
    const auto doc = parseJson(text);
    CHECK(std::string(doc["format"].GetString()) == kOpenDataFormat);
    CHECK(std::string(doc["scope"].GetString()) == D::kDistrict);
    CHECK(std::string(doc["today"].GetString()) == "2026-12-01");
    CHECK(std::string(doc["generatedAt"].GetString()).size() == 20);
    const auto& items = doc["items"];
    REQUIRE(items.IsArray());
    CHECK(items.Size() == w.inScope(D::kDistrict).size());
    bool seen = false;
    for (const auto& item : items.GetArray()) {
        if (std::string(item["id"].GetString()) != w.data.onTime) continue;
        seen = true;
        CHECK(std::string(item["title"].GetString()) == D::kInjection);  // JSON is not a spreadsheet
        CHECK(item["progress"].IsInt64());
        CHECK(item["progress"].GetInt64() == 100);
        CHECK(item["overdue"].IsBool());
        CHECK(item["on_time"].GetBool());
        CHECK(std::string(item["office_name"].GetString()) == D::kTownAName);
        CHECK(item["amend_reason"].IsString());
    }
    CHECK(seen);
    for (const auto& item : items.GetArray()) {
        if (std::string(item["id"].GetString()) != w.data.noDeadline) continue;
        CHECK(item["deadline"].IsNull());
        CHECK(item["on_time"].IsNull());
        CHECK(item["status_date"].IsNull());
    }
}

TEST_CASE("history holds every report, revision and breach step, with notes that round-trip", "[opendata]") {
    World w;
    std::size_t expected = 0;
    for (const auto& c : w.inScope(D::kDistrict)) {
        expected += w.store.history(c.commitment.id).size() + w.store.revisions(c.commitment.id).size();
        for (const auto& b : w.store.breachesOf(c.commitment.id))
            expected += 1 + b.steps.size();
    }
    CHECK(expected == 10);

    const auto rows = records(parseCsv(w.write(writeHistory, D::kDistrict, DataFormat::csv)), "commitment");
    CHECK(rows.size() == expected);
    const auto report = byId(rows, "commitment", w.data.onTime);
    CHECK(report.at("entry") == "report");
    CHECK(report.at("note") == D::kTrickyNote);  // comma, quotes and a line end, intact
    CHECK(report.at("evidence") == "档案-001\n照片,2张");
    CHECK(report.at("status_zh") == "已兑现");
    CHECK(report.at("actor_role") == "clerk");
    CHECK(report.at("date") == "2026-10-10");

    std::vector<std::string> brokenEntries;
    for (const auto& r : rows)
        if (r.at("commitment") == w.data.broken) brokenEntries.push_back(r.at("entry") + ":" + r.at("step"));
    CHECK(brokenEntries == std::vector<std::string>{"report:", "breach:confirmed", "breach_step:rectified",
                                                    "breach_step:repaired"});
    for (const auto& r : rows) {
        if (r.at("entry") == "breach_step" && r.at("step") == "repaired") {
            CHECK(r.at("actor_role") == "district");
            CHECK(r.at("breach") == w.data.breach);
            CHECK(r.at("step_zh") == "信用修复");
        }
        if (r.at("entry") == "revision") {
            CHECK(r.at("reason") == "预算调整");
            CHECK(r.at("title") == "村道路灯年底前更换一半");
        }
        if (r.at("entry") == "report" && r.at("status") == "amended") {
            CHECK(r.at("legal_basis") == "《中华人民共和国行政许可法》第八条");
        }
        // Of an actor, only the role: never a clerk's id.
        CHECK(r.at("actor_role").find(':') == std::string::npos);
        CHECK(r.at("actor_role").find("li") == std::string::npos);
    }

    const auto doc = parseJson(w.write(writeHistory, D::kDistrict, DataFormat::json));
    CHECK(doc["items"].Size() == expected);
    for (const auto& item : doc["items"].GetArray()) {
        // A list for every report (maybe empty), null where it means nothing.
        CHECK(item["evidence"].IsArray() == (std::string(item["entry"].GetString()) == "report"));
        if (std::string(item["commitment"].GetString()) == w.data.onTime) {
            CHECK(std::string(item["note"].GetString()) == D::kTrickyNote);
            CHECK(item["evidence"].Size() == 2);
        }
    }
}

TEST_CASE("figures rows equal computeFigures and the voice figures for the same scope", "[opendata]") {
    World w;
    const auto all = w.store.commitments();
    const auto csvRows = parseCsv(w.write(writeFigures, D::kDistrict, DataFormat::csv));
    // Formula rows above the header, from the catalogue.
    bool formula = false;
    for (const auto& r : csvRows)
        if (r.size() == 5 && r[0] == "fulfilment_rate") formula = r[3].find("兑现率 =") == 0;
    CHECK(formula);
    const auto rows = records(csvRows, "row");
    REQUIRE(rows.size() == 4);  // the district's own, two townships, the total

    const auto check = [&](const std::map<std::string, std::string>& row, const std::string& scope) {
        INFO(row.at("row") << " " << scope);
        const Figures f = computeFigures(all, FiguresFilter{scope, {}, {}, {}}, kToday);
        CHECK(row.at("total") == std::to_string(f.total));
        CHECK(row.at("fulfilled") == std::to_string(f.count(Status::fulfilled)));
        CHECK(row.at("broken") == std::to_string(f.count(Status::broken)));
        CHECK(row.at("not_started") == std::to_string(f.count(Status::notStarted)));
        CHECK(row.at("overdue") == std::to_string(f.overdue));
        CHECK(row.at("assessed") == std::to_string(f.assessed()));
        CHECK(fixed4(row.at("fulfilment_rate")) == fixed4(f.fulfilmentRate()));
        CHECK(fixed4(row.at("on_time_rate")) == fixed4(f.onTimeRate()));
        const VoiceFigures v =
            computeVoiceFigures(w.store.voiceFacts(scope), FiguresFilter{scope, {}, {}, {}});
        CHECK(row.at("complaints") == std::to_string(v.complaints));
        CHECK(row.at("answered") == std::to_string(v.answered));
        CHECK(fixed4(row.at("median_answer_days")) == fixed4(v.medianAnswerDays));
        CHECK(row.at("ratings") == std::to_string(v.ratings));
        CHECK(fixed4(row.at("mean_rating")) == fixed4(v.meanRating));
        CHECK(row.at("open_breaches") == std::to_string(v.openBreaches));
        CHECK(row.at("repaired_breaches") == std::to_string(v.repairedBreaches));
    };
    const auto a = byId(rows, "code", D::kTownA);
    CHECK(a.at("row") == "office");
    CHECK(a.at("name") == D::kTownAName);
    check(a, D::kTownA);
    CHECK(a.at("complaints") == "1");
    CHECK(a.at("repaired_breaches") == "1");
    check(byId(rows, "code", D::kTownB), D::kTownB);
    const auto total = byId(rows, "row", "total");
    CHECK(total.at("code") == D::kDistrict);
    check(total, D::kDistrict);
    CHECK(total.at("total") == "9");
    CHECK(byId(rows, "row", "district").at("total") == "1");

    // JSON: the same rows, numbers as numbers, and the formulas.
    const auto doc = parseJson(w.write(writeFigures, D::kDistrict, DataFormat::json));
    CHECK(doc["items"].Size() == 4);
    CHECK(
        std::string(doc["formulas"]["fulfilment_rate"]["formula_en"].GetString()).find("Fulfilment rate =") ==
        0);
    CHECK(doc["formulas"]["mean_rating"]["name_zh"].IsString());
    for (const auto& item : doc["items"].GetArray()) {
        if (std::string(item["code"].GetString()) != D::kTownA) continue;
        const Figures f = computeFigures(all, FiguresFilter{D::kTownA, {}, {}, {}}, kToday);
        CHECK(item["total"].GetInt64() == f.total);
        REQUIRE(item["fulfilment_rate"].IsNumber());
        CHECK(item["fulfilment_rate"].GetDouble() == Approx(*f.fulfilmentRate()).margin(1e-4));
    }
    // A township's figures: its row only, no total.
    CHECK(records(parseCsv(w.write(writeFigures, D::kTownB, DataFormat::csv)), "row").size() == 1);
}

TEST_CASE("no export holds the complainant's phone, the sealed box or the complaint text", "[opendata]") {
    World w;
    const auto contains = [](const std::string& hay, std::string_view needle) {
        return hay.find(needle) != std::string::npos;
    };
    REQUIRE(w.data.sealedContact.size() > 20);
    for (const auto format : {DataFormat::csv, DataFormat::json}) {
        for (const auto writer : {writeCommitments, writeHistory, writeFigures}) {
            for (const char* scope : {D::kDistrict, D::kTownA, ""}) {
                const std::string out = w.write(writer, scope, format);
                INFO(idOf(format) << " " << scope);
                CHECK_FALSE(contains(out, D::kPhone));
                CHECK_FALSE(contains(out, w.data.sealedContact));
                CHECK_FALSE(contains(out, w.data.sealedContact.substr(0, 16)));
                CHECK_FALSE(contains(out, D::kComplaintText));
                CHECK_FALSE(contains(out, "$argon2id$"));
                CHECK_FALSE(contains(out, "sealed:"));
                CHECK_FALSE(contains(out, w.store.node().publicKeyHex));
            }
        }
    }
    std::ostringstream assessment;
    writeAssessment(w.store, D::kDistrict, *parsePeriod("2026-Q4"), kToday, assessment);
    CHECK_FALSE(contains(assessment.str(), D::kPhone));
    CHECK_FALSE(contains(assessment.str(), w.data.sealedContact));
}

TEST_CASE("periods: quarters, months and years, and nothing else", "[opendata]") {
    struct Case {
        const char* text;
        int fromY;
        unsigned fromM, fromD;
        int toY;
        unsigned toM, toD;
    };
    const Case good[] = {
        {"2026-Q1", 2026, 1, 1, 2026, 3, 31},   {"2026-Q2", 2026, 4, 1, 2026, 6, 30},
        {"2026-Q3", 2026, 7, 1, 2026, 9, 30},   {"2026-Q4", 2026, 10, 1, 2026, 12, 31},
        {"2026-11", 2026, 11, 1, 2026, 11, 30}, {"2026-12", 2026, 12, 1, 2026, 12, 31},
        {"2028-02", 2028, 2, 1, 2028, 2, 29},   {"2026-02", 2026, 2, 1, 2026, 2, 28},
        {"2026", 2026, 1, 1, 2026, 12, 31},
    };
    for (const Case& c : good) {
        INFO(c.text);
        const auto p = parsePeriod(c.text);
        REQUIRE(p);
        CHECK(p->text == c.text);
        CHECK(p->from == Date::fromCivil(c.fromY, c.fromM, c.fromD));
        CHECK(p->to == Date::fromCivil(c.toY, c.toM, c.toD));
    }
    for (const char* bad : {"", "2026-Q0", "2026-Q5", "2026-q4", "2026-13", "2026-00", "2026-1", "2026-011",
                            "26-Q4", "2026Q4", "2026-Q4 ", " 2026", "2026-", "abcd", "2026-11-01", "1969"}) {
        INFO("'" << bad << "'");
        CHECK_FALSE(parsePeriod(bad));
        const auto r = readPeriod(bad);
        REQUIRE_FALSE(r);
        CHECK(r.problems().front().field == "period");
        CHECK(r.problems().front().message == "error.period");
        CHECK(r.problems().front().detail == bad);
    }
}

TEST_CASE("the Q4 assessment counts only commitments due in October to December", "[opendata]") {
    World w;
    const Period q4 = *parsePeriod("2026-Q4");
    std::ostringstream out;
    writeAssessment(w.store, D::kDistrict, q4, kToday, out);
    const auto all = parseCsv(out.str());
    REQUIRE(all.size() > 3);
    // Title row: what, district, period; then a row per figure with its formula.
    CHECK(all[0][0] == "乡镇（街道）守信践诺绩效考核");
    CHECK(std::find(all[0].begin(), all[0].end(), "2026-Q4") != all[0].end());
    CHECK(std::find(all[0].begin(), all[0].end(), D::kDistrictName) != all[0].end());
    CHECK(std::find(all[0].begin(), all[0].end(), "2026-10-01") != all[0].end());
    CHECK(std::find(all[0].begin(), all[0].end(), "2026-12-31") != all[0].end());
    std::map<std::string, Row> formulas;
    for (std::size_t i = 1; i < all.size() && all[i][0] != "row"; ++i)
        formulas[all[i][0]] = all[i];
    REQUIRE(formulas.count("fulfilment_rate") == 1);
    CHECK(formulas["fulfilment_rate"][1] == "兑现率");
    CHECK(formulas["fulfilment_rate"][2] == "Fulfilment rate");
    CHECK(formulas["fulfilment_rate"][3].find("已兑现 ÷") != std::string::npos);
    CHECK(formulas["on_time_rate"][4].find("On-time rate =") == 0);
    CHECK(formulas["median_answer_days"][3].find("中位数") != std::string::npos);
    CHECK(formulas.size() == 20);

    const auto rows = records(all, "row");
    REQUIRE(rows.size() == 3);  // two townships and the district total
    const auto all2 = w.store.commitments();
    const auto a = byId(rows, "code", D::kTownA);
    CHECK(a.at("name") == D::kTownAName);
    // Due 10-15, 11-20 and 12-31; not 09-30 nor 2027-01-15.
    CHECK(a.at("total") == "3");
    CHECK(a.at("fulfilled") == "1");
    CHECK(a.at("amended") == "1");
    CHECK(a.at("broken") == "0");
    CHECK(a.at("in_progress") == "0");
    CHECK(a.at("overdue") == "1");
    CHECK(a.at("fulfilment_rate") == "0.5");
    CHECK(a.at("complaints") == "1");
    CHECK(a.at("median_answer_days") == "2");
    CHECK(a.at("mean_rating") == "5");
    CHECK(a.at("repaired_breaches") == "1");
    const auto b = byId(rows, "code", D::kTownB);
    // Due 10-31 (fulfilled late) and published 11-10 without a deadline; not 03-31.
    CHECK(b.at("total") == "2");
    CHECK(b.at("fulfilled") == "1");
    CHECK(b.at("on_time_rate") == "0");
    CHECK(b.at("fulfilment_rate") == "1");
    for (const auto& [code, row] :
         {std::pair{std::string(D::kTownA), a}, std::pair{std::string(D::kTownB), b}}) {
        const Figures f = computeFigures(all2, FiguresFilter{code, {}, q4.from, q4.to}, kToday);
        CHECK(row.at("total") == std::to_string(f.total));
        CHECK(row.at("assessed") == std::to_string(f.assessed()));
    }
    const auto total = byId(rows, "row", "total");
    CHECK(total.at("total") == "6");  // with the district-wide one due 12-15
    CHECK(total.at("name") == "合计");

    // A month: only November's.
    std::ostringstream nov;
    writeAssessment(w.store, D::kDistrict, *parsePeriod("2026-11"), kToday, nov);
    const auto novRows = records(parseCsv(nov.str()), "row");
    CHECK(byId(novRows, "code", D::kTownA).at("total") == "1");
    CHECK(byId(novRows, "code", D::kTownB).at("total") == "1");
    CHECK(byId(novRows, "code", D::kTownA).at("complaints") == "1");
    CHECK(byId(novRows, "code", D::kTownA).at("ratings") == "0");  // rated in October
}
