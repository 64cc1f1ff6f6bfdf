#include <catch2/catch.hpp>

#include "tests/support/process.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin::test;

namespace {

// The `shouxin` binary on a database in a fresh directory.
struct Cli {
    TempDir dir;
    std::string db = (dir / "node.db").string();

    RunResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {SHOUXIN_CLI, "--db", db, "--today", "2026-11-29"});
        return runProgram(args);
    }
    RunResult init() const { return (*this)({"init", "--office", "330110104", "--name", "青山镇人民政府"}); }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string firstLine(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

TEST_CASE("init, demo, status, verify and digest work end to end", "[cli]") {
    Cli cli;
    const auto init = cli.init();
    REQUIRE(init.exitCode == 0);
    CHECK(contains(init.out, "青山镇人民政府"));

    const auto demo = cli({"demo"});
    REQUIRE(demo.exitCode == 0);
    CHECK(contains(demo.out, "44"));

    const auto status = cli({"status"});
    REQUIRE(status.exitCode == 0);
    for (const char* text : {"已兑现 Fulfilled", "未兑现 Broken", "已整改 Rectified", "已变更",
                             "逾期 Overdue", "养老 Elderly care", "便民服务", "兑现率 Fulfilment rate",
                             "按期兑现率 On-time rate", "待上报 Waiting to go up: 152"}) {
        INFO(text);
        CHECK(contains(status.out, text));
    }

    const auto verify = cli({"verify"});
    CHECK(verify.exitCode == 0);
    CHECK(contains(verify.out, "校验通过"));

    const auto digest1 = cli({"digest"});
    REQUIRE(digest1.exitCode == 0);
    CHECK(firstLine(digest1.out).size() == 64);
    const auto rebuild = cli({"rebuild"});
    REQUIRE(rebuild.exitCode == 0);
    CHECK(cli({"digest"}).out == digest1.out);
}

TEST_CASE("report appends a fulfilment report that status and list then show", "[cli]") {
    Cli cli;
    REQUIRE(cli.init().exitCode == 0);
    REQUIRE(cli({"demo"}).exitCode == 0);
    const auto overdue = cli({"list", "--status", "overdue"});
    REQUIRE(overdue.exitCode == 0);
    const std::string id = firstLine(overdue.out).substr(0, 36);
    REQUIRE(id.size() == 36);
    const auto before = cli({"digest"}).out;

    const auto report = cli({"report", "--commitment", id, "--status", "fulfilled", "--progress", "100",
                             "--note", "已全部办结，群众签字确认。", "--clerk", "wang"});
    INFO(report.err);
    REQUIRE(report.exitCode == 0);
    CHECK(contains(report.out, "已记录兑现情况报告"));
    CHECK(cli({"digest"}).out != before);
    CHECK_FALSE(contains(cli({"list", "--status", "overdue"}).out, id));
    CHECK(contains(cli({"list", "--status", "fulfilled"}).out, id));
    CHECK(cli({"verify"}).exitCode == 0);
}

TEST_CASE("bad command line input gets a clear message and changes nothing", "[cli]") {
    Cli cli;
    SECTION("init refuses an invalid division code") {
        const auto r = cli({"init", "--office", "33011010", "--name", "青山镇"});
        CHECK(r.exitCode == 1);
        CHECK(contains(r.err, "行政区划代码无效"));
        CHECK(contains(r.err, "Invalid division code"));
        CHECK_FALSE(std::filesystem::exists(cli.db));
    }
    SECTION("init refuses to overwrite a node") {
        REQUIRE(cli.init().exitCode == 0);
        const auto r = cli({"init", "--office", "330110105", "--name", "另一镇"});
        CHECK(r.exitCode == 1);
        CHECK(contains(r.err, "不会覆盖"));
        CHECK(contains(cli({"status"}).out, "330110104"));
    }
    SECTION("a command on a missing node says to run init") {
        const auto r = cli({"status"});
        CHECK(r.exitCode == 1);
        CHECK(contains(r.err, "run init first"));
    }
    SECTION("report refuses bad values and records nothing") {
        REQUIRE(cli.init().exitCode == 0);
        REQUIRE(cli({"demo"}).exitCode == 0);
        const std::string id = firstLine(cli({"list"}).out).substr(0, 36);
        const auto before = cli({"digest"}).out;
        const auto unknownStatus = cli({"report", "--commitment", id, "--status", "overdue", "--progress",
                                        "10", "--note", "x", "--clerk", "wang"});
        CHECK(unknownStatus.exitCode == 1);
        CHECK(contains(unknownStatus.err, "Unknown fulfilment status"));
        const auto badProgress = cli({"report", "--commitment", id, "--status", "in_progress", "--progress",
                                      "150", "--note", "x", "--clerk", "wang"});
        CHECK(badProgress.exitCode == 1);
        CHECK(contains(badProgress.err, "0 到 100"));
        const auto badUtf8 = cli({"report", "--commitment", id, "--status", "in_progress", "--progress", "10",
                                  "--note", "\xE9\xAB", "--clerk", "wang"});
        CHECK(badUtf8.exitCode == 1);
        CHECK(contains(badUtf8.err, "UTF-8"));
        const auto unknown =
            cli({"report", "--commitment", "01a2256e-29ff-7dc6-be77-88fcaca2ed9c", "--status", "in_progress",
                 "--progress", "10", "--note", "x", "--clerk", "wang"});
        CHECK(unknown.exitCode == 1);
        CHECK(contains(unknown.err, "找不到该承诺"));
        const auto missing = cli({"report", "--commitment", id});
        CHECK(missing.exitCode == 2);
        CHECK(cli({"digest"}).out == before);
    }
    SECTION("demo refuses a node that already has commitments") {
        REQUIRE(cli.init().exitCode == 0);
        REQUIRE(cli({"demo"}).exitCode == 0);
        const auto again = cli({"demo"});
        CHECK(again.exitCode == 1);
        CHECK(contains(again.err, "demo data only goes into an empty node"));
    }
    SECTION("an unknown command is a usage error") { CHECK(cli({"frobnicate"}).exitCode == 2); }
}

TEST_CASE("verify fails with a clear report when the log was tampered with", "[cli]") {
    Cli cli;
    REQUIRE(cli.init().exitCode == 0);
    REQUIRE(cli({"demo"}).exitCode == 0);
    const std::string victim = rawQuery(cli.db, "SELECT id FROM event WHERE seq = 20");
    rawExec(cli.db, "UPDATE event SET payload = replace(payload, '镇', '真') WHERE id = '" + victim + "'");
    const auto r = cli({"verify"});
    CHECK(r.exitCode == 1);
    CHECK(contains(r.out, "校验失败"));
    CHECK(contains(r.out, victim));
    CHECK(contains(r.out, "hash mismatch"));

    const std::string gone = rawQuery(cli.db, "SELECT id FROM event WHERE seq = 30");
    rawExec(cli.db, "PRAGMA foreign_keys = OFF; DELETE FROM event WHERE id = '" + gone + "'");
    const auto r2 = cli({"verify"});
    CHECK(r2.exitCode == 1);
    CHECK(contains(r2.out, "missing seq 30"));
}

TEST_CASE("clerk add, list and disable, reports then need an enabled clerk", "[cli]") {
    Cli cli;
    REQUIRE(cli.init().exitCode == 0);
    REQUIRE(cli({"demo"}).exitCode == 0);
    const auto add = runProgram({SHOUXIN_CLI, "--db", cli.db, "clerk", "add", "--name", "张明", "--role", "clerk",
                                 "--id", "zhang", "--pin-stdin"},
                                "123456\n");
    INFO(add.err);
    REQUIRE(add.exitCode == 0);
    const auto badPin = runProgram(
        {SHOUXIN_CLI, "--db", cli.db, "clerk", "add", "--name", "王五", "--role", "clerk", "--pin-stdin"}, "12ab56\n");
    CHECK(badPin.exitCode == 1);
    CHECK(contains(badPin.err, "A PIN is six digits"));
    const auto badRole = runProgram(
        {SHOUXIN_CLI, "--db", cli.db, "clerk", "add", "--name", "王五", "--role", "boss", "--pin-stdin"}, "123456\n");
    CHECK(badRole.exitCode == 1);
    const auto list = cli({"clerk", "list"});
    CHECK(contains(list.out, "zhang"));
    CHECK(contains(list.out, "办事员 Clerk"));
    CHECK_FALSE(contains(list.out, "王五"));
    CHECK_FALSE(contains(list.out, "123456"));

    const std::string id = firstLine(cli({"list", "--status", "in_progress"}).out).substr(0, 36);
    const auto byStranger = cli({"report", "--commitment", id, "--status", "in_progress", "--progress", "70",
                                 "--note", "x", "--clerk", "wang"});
    CHECK(byStranger.exitCode == 1);
    CHECK(contains(byStranger.err, "No such active clerk account"));
    CHECK(cli({"report", "--commitment", id, "--status", "in_progress", "--progress", "70", "--note", "已办理",
               "--clerk", "zhang"})
              .exitCode == 0);
    REQUIRE(cli({"clerk", "disable", "--id", "zhang", "--reason", "调岗"}).exitCode == 0);
    CHECK(contains(cli({"clerk", "list"}).out, "已停用"));
    CHECK(cli({"report", "--commitment", id, "--status", "in_progress", "--progress", "80", "--note", "x", "--clerk",
               "zhang"})
              .exitCode == 1);
    CHECK(cli({"verify"}).exitCode == 0);
}
