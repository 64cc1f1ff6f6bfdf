// `shouxin export` on a demo node: the CSV a spreadsheet opens and the
// event log as JSONL.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "shared/store.hpp"
#include "shared/wire.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kToday = "2026-11-29";

struct Cli {
    TempDir dir;
    std::string db = (dir / "node.db").string();

    RunResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {SHOUXIN_CLI, "--db", db, "--today", kToday});
        return runProgram(args);
    }
    void demo() const {
        REQUIRE((*this)({"init", "--office", "330110104", "--name", "青山镇人民政府"}).exitCode == 0);
        REQUIRE((*this)({"demo"}).exitCode == 0);
    }
};

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }


// RFC 4180 records (a quoted cell may hold line breaks), each a list of cells.
std::vector<std::vector<std::string>> csvRecords(std::string_view text) {
    std::vector<std::vector<std::string>> records(1);
    std::string cell;
    bool quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            records.back().push_back(std::move(cell));
            cell.clear();
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            records.back().push_back(std::move(cell));
            cell.clear();
            records.emplace_back();
            ++i;
        } else {
            cell += c;
        }
    }
    if (!cell.empty() || !records.back().empty()) records.back().push_back(cell);
    if (records.back().empty()) records.pop_back();
    return records;
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}


}  // namespace

TEST_CASE("export csv writes the office's commitments with a BOM and an id column", "[cli][export]") {
    Cli cli;
    cli.demo();
    const auto out = cli.dir / "commitments.csv";
    const auto run = cli({"export", "--format", "csv", "--out", out.string()});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    CHECK_FALSE(fs::exists(out.string() + ".part"));
    const std::string csv = readFile(out);
    REQUIRE(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    const auto records = csvRecords(std::string_view(csv).substr(3));
    REQUIRE(records.size() == 1 + 44);
    const auto& header = records.front();
    REQUIRE(header.size() > 10);
    CHECK(header[0] == "id");
    for (const char* column : {"title", "area", "area_zh", "kind_zh", "deadline", "status", "progress"}) {
        INFO(column);
        CHECK(std::find(header.begin(), header.end(), column) != header.end());
    }
    auto store = Store::open(cli.db);
    for (std::size_t i = 1; i < records.size(); ++i) {
        INFO(i);
        REQUIRE(records[i].size() == header.size());
        CHECK(store.commitment(records[i][0]).has_value());
    }
    // Without --out the same bytes go to standard output.
    const auto toStdout = cli({"export", "--format", "csv"});
    REQUIRE(toStdout.exitCode == 0);
    CHECK(toStdout.out == csv);
}

TEST_CASE("export jsonl writes every event in total order and each decodes to the same event", "[cli][export]") {
    Cli cli;
    cli.demo();
    const auto run = cli({"export", "--format", "jsonl"});
    REQUIRE(run.exitCode == 0);
    const auto lines = linesOf(run.out);
    const auto events = Store::open(cli.db).events();
    REQUIRE(lines.size() == events.size());
    REQUIRE(events.size() > 44);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const auto decoded = wire::decodeEvent(lines[i], 1 << 20);
        INFO(i << ": " << lines[i]);
        REQUIRE(decoded);
        CHECK(decoded->hash == events[i].hash);
        CHECK(computeHash(*decoded) == decoded->hash);
        CHECK(*decoded == events[i]);
    }
}

TEST_CASE("export refuses an unknown format and an unwritable file, leaving nothing behind", "[cli][export]") {
    Cli cli;
    cli.demo();
    CHECK(cli({"export", "--format", "xlsx"}).exitCode == 2);
    const auto out = cli.dir / "no-such-dir" / "x.csv";
    const auto run = cli({"export", "--format", "csv", "--out", out.string()});
    CHECK(run.exitCode == 1);
    CHECK(contains(run.err, "无法写入文件"));
    CHECK_FALSE(fs::exists(out));
}
