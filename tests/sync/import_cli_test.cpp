#include <catch2/catch.hpp>

#include <fstream>
#include <set>

#include "shared/store.hpp"
#include "tests/support/process.hpp"
#include "tests/support/csv_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

// The `shouxin` binary on a fresh node, with files to import beside it.
struct Cli {
    TempDir dir;
    std::string db = (dir / "node.db").string();

    Cli() { REQUIRE((*this)({"init", "--office", "330110104", "--name", "青山镇人民政府"}).exitCode == 0); }
    RunResult operator()(std::vector<std::string> args, const std::string& input = "") const {
        args.insert(args.begin(), {SHOUXIN_CLI, "--db", db, "--today", "2026-11-29"});
        return runProgram(args, input);
    }
    std::string file(const char* name, const std::string& bytes) const {
        const std::string path = (dir / name).string();
        std::ofstream(path, std::ios::binary) << bytes;
        return path;
    }
    RunResult import(const std::string& path, bool apply, const char* clerk = "li") const {
        std::vector<std::string> args{"import", path, "--clerk", clerk};
        if (apply) args.emplace_back("--apply");
        return (*this)(args);
    }
    std::int64_t events() const { return Store::open(db).eventCount(); }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

const std::string kList =
    "服务领域,承诺类型,承诺事项,承诺内容,责任部门,责任人,完成时限\n"
    "养老,服务质量承诺,高龄津贴按月发放,每月10日前发放到本人社保卡,社会事务办,王主任,每月\n"
    "就业,期限承诺,就业困难人员认定,\"材料齐全的，10个工作日内完成认定，\n并告知结果\",劳动保障所,,"
    "10个工作日\n"
    "住房,保障承诺,危房改造补助,年底前完成改造,村镇建设办,,2026年12月31日\n";

}  // namespace

TEST_CASE("import reads UTF-8, UTF-8 with BOM and GB18030 files with Chinese headers", "[cli][import]") {
    for (const auto& bytes : {kList, "\xEF\xBB\xBF" + kList, toGb18030(kList)}) {
        Cli cli;
        const std::string path = cli.file("list.csv", bytes);
        const auto dry = cli.import(path, false);
        INFO(dry.out << dry.err);
        REQUIRE(dry.exitCode == 0);
        CHECK(contains(dry.out, "新增承诺 / New commitments: 3\n"));
        CHECK(contains(dry.out, "Dry run"));
        const auto before = cli.events();
        const auto applied = cli.import(path, true);
        REQUIRE(applied.exitCode == 0);
        CHECK(contains(applied.out, "已写入，记录数 / Written, events recorded: 3"));
        CHECK(cli.events() == before + 3);
        const auto list = cli({"list"});
        CHECK(contains(list.out, "高龄津贴按月发放"));
        CHECK(contains(list.out, "2026-12-31  危房改造补助"));
        CHECK(contains(list.out, "就业困难人员认定"));
    }
}

TEST_CASE("import of a file full of errors prints each row's problems and a summary", "[cli][import]") {
    Cli cli;
    const std::string path = cli.file("bad.csv",
                                      "服务领域,承诺类型,承诺事项,承诺内容,责任部门,完成时限,备注\n"
                                      "养老,服务质量承诺,高龄津贴按月发放,每月发放,社会事务办,每月,\n"
                                      "菜市场,期限承诺,摊位登记,当场办结,市场所,2026-02-30,\n"
                                      "就业,,困难认定,,劳动保障所,10个工作日,\n"
                                      "住房,保障承诺,危房改造,\"年底前完成,村镇建设办,2026-12-31,\n"
                                      "出行,保障承诺,公交站,增设站点,交通办\n"
                                      "停车,服务质量承诺," +
                                          std::string(61, 'x') +
                                          ",停车位,城管,2026.13.01,\n"
                                          "养老,服务质量承诺,高龄津贴按月发放,又一行,社会事务办,每月,\n");
    const auto dry = cli.import(path, false);
    CHECK(dry.exitCode == 1);
    CHECK(dry.out ==
          "第 3 行 / Row 3: 服务领域: 未知的服务领域 / Unknown service area (菜市场)\n"
          "第 3 行 / Row 3: 完成时限: 没有这一天 / No such date (2026-02-30)\n"
          "第 4 行 / Row 4: 承诺类型: 不能为空 / Must not be empty\n"
          "第 4 行 / Row 4: 承诺内容: 不能为空 / Must not be empty\n"
          "第 5 行 / Row 5: 引号不成对或位置不对 / Unbalanced or misplaced quote (unbalanced \")\n"
          "未识别、已忽略的列 / Unrecognised columns, ignored: 备注\n"
          "读取行数 / Rows read: 4\n"
          "无误 / Valid: 1\n"
          "新增承诺 / New commitments: 1\n"
          "修订承诺 / Revised commitments: 0\n"
          "未变 / Unchanged: 0\n"
          "兑现情况报告 / Fulfilment reports: 0\n"
          "有错误的行 / Rows with errors: 3\n"
          "文件有错误，未写入任何记录 / The file has errors: nothing was written\n");
}

TEST_CASE("import reports wrong column counts, over-long text and duplicate rows per row", "[cli][import]") {
    Cli cli;
    const std::string path = cli.file("bad.csv",
                                      "服务领域,承诺类型,承诺事项,承诺内容,责任部门,完成时限\n"
                                      "养老,服务质量承诺,高龄津贴按月发放,每月发放,社会事务办,每月\n"
                                      "出行,保障承诺,公交站,增设站点,交通办\n"
                                      "停车,服务质量承诺," +
                                          std::string(61, 'x') +
                                          ",停车位,城管,2026.13.01\n"
                                          "养老,服务质量承诺,高龄津贴按月发放,又一行,社会事务办,每月\n");
    const auto dry = cli.import(path, false);
    CHECK(dry.exitCode == 1);
    CHECK(dry.out ==
          "第 3 行 / Row 3: 列数与表头不一致（本行/表头） / The row's column count differs from the header's "
          "(row / "
          "header) (5 / 6)\n"
          "第 4 行 / Row 4: 承诺事项: 内容过长 / Too long (61 > 60)\n"
          "第 4 行 / Row 4: 完成时限: 没有这一天 / No such date (2026.13.01)\n"
          "第 5 行 / Row 5: 承诺事项: 与前面某行是同一条承诺 / Same commitment as an earlier row (row 2)\n"
          "读取行数 / Rows read: 4\n"
          "无误 / Valid: 1\n"
          "新增承诺 / New commitments: 1\n"
          "修订承诺 / Revised commitments: 0\n"
          "未变 / Unchanged: 0\n"
          "兑现情况报告 / Fulfilment reports: 0\n"
          "有错误的行 / Rows with errors: 3\n"
          "文件有错误，未写入任何记录 / The file has errors: nothing was written\n");
}

TEST_CASE("import --apply with one bad row writes nothing", "[cli][import]") {
    Cli cli;
    const auto before = cli.events();
    const std::string path =
        cli.file("list.csv", kList + "养老,服务质量承诺,助餐点,每日供餐,社会事务办,,2026-02-30\n");
    const auto applied = cli.import(path, true);
    CHECK(applied.exitCode == 1);
    CHECK(contains(applied.out, "第 5 行 / Row 5: 完成时限: 没有这一天 / No such date (2026-02-30)"));
    CHECK(contains(applied.out, "nothing was written"));
    CHECK(cli.events() == before);
}

TEST_CASE("import refuses a file mixing UTF-8 and GB18030 lines as a whole", "[cli][import]") {
    Cli cli;
    const std::string path = cli.file(
        "mixed.csv", kList + toGb18030("养老,服务质量承诺,助餐点,每日供餐,社会事务办,,2026-12-31\n"));
    const auto dry = cli.import(path, false);
    CHECK(dry.exitCode == 1);
    CHECK(contains(dry.out,
                   "无法导入此文件 / This file cannot be imported:\n"
                   "同一文件中混有 UTF-8 和 GBK 编码的行，请统一另存为一种编码 / The file mixes UTF-8 and "
                   "GBK lines: save it again in one encoding (UTF-8: line 1, GB18030: line 6)\n"));
    const auto xlsx = cli.import(cli.file("list.xlsx", std::string("PK\x03\x04", 4) + "zip"), false);
    CHECK(xlsx.exitCode == 1);
    CHECK(contains(xlsx.out, "另存为”CSV"));
}

TEST_CASE("re-importing the same file changes nothing, an edited one revises through a supervisor",
          "[cli][import]") {
    Cli cli;
    REQUIRE(cli({"clerk", "add", "--name", "李华", "--role", "supervisor", "--id", "li", "--pin-stdin"},
                "135790\n")
                .exitCode == 0);
    REQUIRE(
        cli({"clerk", "add", "--name", "张明", "--role", "clerk", "--id", "zhang", "--pin-stdin"}, "246801\n")
            .exitCode == 0);
    const std::string path = cli.file("list.csv", kList);
    REQUIRE(cli.import(path, true, "zhang").exitCode == 0);
    const auto afterFirst = cli.events();

    const auto again = cli.import(path, true, "zhang");
    REQUIRE(again.exitCode == 0);
    CHECK(contains(again.out, "未变 / Unchanged: 3\n"));
    CHECK(cli.events() == afterFirst);

    std::string edited = kList;
    edited.replace(edited.find("年底前完成改造"), std::string("年底前完成改造").size(), "十月底前完成改造");
    const std::string editedPath = cli.file("edited.csv", edited);
    const auto byClerk = cli.import(editedPath, true, "zhang");
    CHECK(byClerk.exitCode == 1);
    CHECK(contains(byClerk.out, "修改已发布的承诺须由负责人导入"));
    CHECK(cli.events() == afterFirst);

    const auto bySupervisor = cli.import(editedPath, true, "li");
    INFO(bySupervisor.out << bySupervisor.err);
    REQUIRE(bySupervisor.exitCode == 0);
    CHECK(contains(bySupervisor.out, "修订承诺 / Revised commitments: 1\n"));
    CHECK(contains(bySupervisor.out, "未变 / Unchanged: 2\n"));
    CHECK(cli.events() == afterFirst + 1);
    Store store = Store::open(cli.db);
    std::string revisedId;
    for (const auto& c : store.commitments())
        if (c.commitment.title == "危房改造补助") revisedId = c.commitment.id;
    const auto revisions = store.revisions(revisedId);
    REQUIRE(revisions.size() == 1);
    CHECK(revisions[0].actor == "clerk:li");
    CHECK(revisions[0].revision.detail == "十月底前完成改造");
    CHECK(revisions[0].revision.reason == "按导入的承诺清单修订");

    // Matched by the 编号 column, a new title is a revision too.
    const std::string byId =
        cli.file("by-id.csv", "编号,服务领域,承诺类型,承诺事项,承诺内容,责任部门,完成时限\n" + revisedId +
                                  ",住房,保障承诺,农村危房改造补助,十月底前完成改造,村镇建设办,"
                                  "2026-12-31\n");
    const auto renamed = cli.import(byId, true, "li");
    INFO(renamed.out);
    REQUIRE(renamed.exitCode == 0);
    CHECK(store.revisions(revisedId).size() == 2);
    CHECK(store.commitment(revisedId)->commitment.title == "农村危房改造补助");
}

TEST_CASE("an export imported into a fresh node gives the same commitments", "[cli][import][export]") {
    // The demo office, every status among its commitments, exported as CSV.
    TempDir dir;
    const std::string source = (dir / "source.db").string();
    const std::string csv = (dir / "commitments.csv").string();
    const auto run = [](const std::string& db, std::vector<std::string> args) {
        args.insert(args.begin(), {SHOUXIN_CLI, "--db", db});
        return runProgram(args);
    };
    REQUIRE(run(source, {"init", "--office", "330110104", "--name", "青山镇人民政府"}).exitCode == 0);
    REQUIRE(run(source, {"demo"}).exitCode == 0);
    REQUIRE(run(source, {"export", "--format", "csv", "--out", csv}).exitCode == 0);

    const std::string fresh = (dir / "fresh.db").string();
    REQUIRE(run(fresh, {"init", "--office", "330110104", "--name", "青山镇人民政府"}).exitCode == 0);
    const RunResult applied = run(fresh, {"import", csv, "--clerk", "li", "--apply"});
    INFO(applied.out << applied.err);
    REQUIRE(applied.exitCode == 0);

    // The same commitments: text, area, kind, dates, status and progress.
    const auto key = [](const CommitmentState& s) {
        const Commitment& c = s.commitment;
        return std::string(idOf(c.category)) + "|" + std::string(idOf(c.kind)) + "|" + c.title + "|" + c.detail + "|" +
               c.department + "|" + c.responsible + "|" + (c.deadline ? c.deadline->toString() : "") + "|" +
               c.timeLimit + "|" + c.published.toString() + "|" + std::string(idOf(s.status)) + "|" +
               std::to_string(s.progress) + "|" + s.amendReason + "|" + s.amendLegalBasis;
    };
    std::multiset<std::string> before, after;
    for (const CommitmentState& c : Store::open(source).commitments())
        before.insert(key(c));
    for (const CommitmentState& c : Store::open(fresh).commitments())
        after.insert(key(c));
    CHECK(before.size() == 44);
    CHECK(after == before);

    // And again: nothing changes.
    const std::int64_t events = Store::open(fresh).eventCount();
    REQUIRE(run(fresh, {"import", csv, "--clerk", "li", "--apply"}).exitCode == 0);
    CHECK(Store::open(fresh).eventCount() == events);
}
