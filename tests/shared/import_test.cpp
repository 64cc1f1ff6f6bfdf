#include <catch2/catch.hpp>

#include <map>
#include <sstream>

#include "shared/import.hpp"
#include "shared/store.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/csv_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

std::vector<CsvRow> readAll(const std::string& bytes) {
    std::istringstream in(bytes);
    const auto encoding = detectCsvEncoding(in);
    REQUIRE(encoding.ok());
    CsvReader reader(in, *encoding);
    std::vector<CsvRow> rows;
    CsvRow row;
    while (reader.next(row))
        rows.push_back(row);
    return rows;
}

const std::string kHeader = "服务领域,承诺类型,承诺事项,承诺内容,责任部门,责任人,完成时限\n";

ImportOptions optionsFor(bool keep = false) {
    ImportOptions o;
    o.clerk = "li";
    o.today = Date::fromCivil(2026, 11, 29);
    o.keepPayloads = keep;
    return o;
}

ImportPlan plan(const Store& store, const std::string& bytes, bool keep = false) {
    std::istringstream in(bytes);
    return planImport(in, store, optionsFor(keep));
}

}  // namespace

TEST_CASE("import: UTF-8, UTF-8 with BOM and GB18030 are told apart by their bytes", "[import]") {
    const std::string text = kHeader + "养老,服务质量承诺,高龄津贴,按月发放,社会事务办,,每月\n";
    for (const auto& [bytes, expected] :
         {std::pair{text, CsvEncoding::utf8}, std::pair{"\xEF\xBB\xBF" + text, CsvEncoding::utf8Bom},
          std::pair{toGb18030(text), CsvEncoding::gb18030}}) {
        std::istringstream in(bytes);
        const auto encoding = detectCsvEncoding(in);
        REQUIRE(encoding.ok());
        CHECK(*encoding == expected);
        const auto rows = readAll(bytes);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].cells[0] == "服务领域");  // the BOM is not part of the first header
        CHECK(rows[1].cells[2] == "高龄津贴");
    }
}

TEST_CASE("import: a file mixing UTF-8 and GB18030 lines, or a workbook, is refused whole", "[import]") {
    const std::string mixed = kHeader + toGb18030("养老,服务质量承诺,高龄津贴,按月发放,社会事务办,,每月\n");
    std::istringstream in(mixed);
    const auto encoding = detectCsvEncoding(in);
    REQUIRE_FALSE(encoding.ok());
    CHECK(encoding.problems()[0].message == "error.import.mixed_encoding");
    CHECK(encoding.problems()[0].detail == "UTF-8: line 1, GB18030: line 2");

    std::istringstream xlsx(std::string("PK\x03\x04rest of a zip", 17));
    const auto refused = detectCsvEncoding(xlsx);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.problems()[0].message == "error.import.spreadsheet");
}

TEST_CASE("import: RFC 4180 quoting, line breaks in cells, CRLF and malformed rows", "[import]") {
    const auto rows =
        readAll("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n\r\n1,2\"3,4\n\"open,5,6\n");
    REQUIRE(rows.size() == 4);
    CHECK(rows[1].cells == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
    CHECK_FALSE(rows[1].problem);
    CHECK(rows[2].number == 3);  // blank lines are not rows
    REQUIRE(rows[2].problem);
    CHECK(rows[2].problem->message == "error.import.quote");
    REQUIRE(rows[3].problem);
    CHECK(rows[3].problem->detail == "unbalanced \"");
}

TEST_CASE("import: deadlines as dates in four forms, Excel serials, time limits and no such day",
          "[import]") {
    const Date end = Date::fromCivil(2026, 12, 31);
    for (const char* text :
         {"2026-12-31", "2026/12/31", "2026.12.31", "2026年12月31日", "46387", "46387.0"}) {
        INFO(text);
        const auto cell = parseDeadlineCell(text);
        REQUIRE(cell.ok());
        CHECK(cell->date == end);
        CHECK(cell->timeLimit.empty());
    }
    CHECK(parseDeadlineCell("2026/3/5")->date == Date::fromCivil(2026, 3, 5));
    CHECK(parseDeadlineCell("10个工作日")->timeLimit == "10个工作日");
    CHECK(parseDeadlineCell("每月")->timeLimit == "每月");
    CHECK_FALSE(parseDeadlineCell("")->date);
    CHECK(parseDeadlineCell("2026-02-30").problems()[0].message == "error.import.no_such_date");
    CHECK(parseDeadlineCell("2028-02-29").ok());
    CHECK(parseDeadlineCell("2026-13-01").problems()[0].message == "error.import.no_such_date");
    CHECK(parseDeadlineCell("2026-12").problems()[0].message == "error.import.date");
    CHECK(parseDeadlineCell("30").problems()[0].message == "error.import.deadline");
}

TEST_CASE("import: headers, areas, kinds and statuses by Chinese or English name", "[import]") {
    CHECK(importColumnOf("承诺事项") == ImportColumn::title);
    CHECK(importColumnOf(" Title ") == ImportColumn::title);
    CHECK(importColumnOf("编号") == ImportColumn::id);
    CHECK_FALSE(importColumnOf("备注"));
    CHECK(categoryByName("养老") == Category::elderlyCare);
    CHECK(categoryByName("elderly care") == Category::elderlyCare);
    CHECK(categoryByName("elderly_care") == Category::elderlyCare);
    CHECK(kindByName("期限承诺") == Kind::timeLimit);
    CHECK(kindByName("期限") == Kind::timeLimit);
    CHECK(kindByName("Guarantee") == Kind::guarantee);
    CHECK(statusByName("已兑现") == Status::fulfilled);
    CHECK(statusByName("in_progress") == Status::inProgress);
    CHECK_FALSE(statusByName("逾期"));
}

TEST_CASE("import: a plan maps rows to new commitments, a time limit and an Excel serial date", "[import]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    const auto p = plan(store,
                        kHeader +
                            "养老,服务质量承诺,高龄津贴,按月发放,社会事务办,王主任,每月\n"
                            "就业,期限承诺,困难认定,十个工作日内认定,劳动保障所,,10个工作日\n"
                            "住房,保障承诺,危房改造,年底前完成,村镇建设办,,46387\n",
                        true);
    INFO(describe(p));
    REQUIRE(p.ok());
    CHECK(p.created == 3);
    REQUIRE(applyImport(store, p, optionsFor()).ok());
    std::map<std::string, CommitmentState> byTitle;
    for (const auto& c : store.commitments())
        byTitle[c.commitment.title] = c;
    CHECK(byTitle.at("困难认定").commitment.timeLimit == "10个工作日");
    CHECK_FALSE(byTitle.at("困难认定").commitment.deadline);
    CHECK(byTitle.at("危房改造").commitment.deadline == Date::fromCivil(2026, 12, 31));
    CHECK(byTitle.at("高龄津贴").commitment.responsible == "王主任");
    CHECK(byTitle.at("高龄津贴").commitment.published == Date::fromCivil(2026, 11, 29));
}

TEST_CASE("import: status columns become fulfilment reports held to the rulebook", "[import]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    const std::string header =
        "服务领域,承诺类型,承诺事项,承诺内容,责任部门,完成时限,兑现状态,进度,情况说明\n";
    auto p = plan(
        store, header + "养老,服务质量承诺,高龄津贴,按月发放,社会事务办,每月,办理中,40,已发放十月\n", true);
    REQUIRE(p.ok());
    CHECK(p.reports == 1);
    REQUIRE(applyImport(store, p, optionsFor()).ok());
    CHECK(store.commitments().at(0).progress == 40);

    // The same state again is no report; rectified before broken is refused.
    CHECK(plan(store, header + "养老,服务质量承诺,高龄津贴,按月发放,社会事务办,每月,办理中,40,已发放十月\n")
              .unchanged == 1);
    p = plan(store, header + "养老,服务质量承诺,高龄津贴,按月发放,社会事务办,每月,已整改,100,\n");
    REQUIRE(p.rowProblems.size() == 1);
    CHECK(p.rowProblems[0].problem.message == "error.status.rectify_needs_breach");
}
