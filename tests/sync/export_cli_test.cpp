// `shouxin export` and `shouxin disclosure` on a demo node: the CSV a
// spreadsheet opens, the event log as JSONL, and the printed report as a
// PDF checked with poppler (pdftoppm, pdftotext, pdffonts).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "shared/store.hpp"
#include "shared/wire.hpp"
#include "tests/support/process.hpp"
#include "tests/support/csv_text.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kToday = "2026-11-29";
// poppler-utils (packaging/install-deps.sh test_pkgs); runProgram does not search PATH.
constexpr const char* kPdfToText = "/usr/bin/pdftotext";
constexpr const char* kPdfInfo = "/usr/bin/pdfinfo";
constexpr const char* kPdfFonts = "/usr/bin/pdffonts";
constexpr const char* kPdfToPpm = "/usr/bin/pdftoppm";

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

// Text without spaces: pdftotext keeps some of the spaces around "/" in
// "第 1 / 3 页" and not others.
std::string squeezed(std::string text) {
    std::erase(text, ' ');
    return text;
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    return lines;
}

// The share of dark pixels in a binary PGM (P5, 8 bits), as pdftoppm -gray writes it.
double darkShare(const std::string& pgm) {
    std::istringstream in(pgm);
    std::string magic;
    int width = 0;
    int height = 0;
    int max = 0;
    in >> magic >> width >> height >> max;
    in.get();
    if (magic != "P5" || width <= 0 || height <= 0) return -1;
    const std::size_t n = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
    const std::size_t start = static_cast<std::size_t>(in.tellg());
    if (pgm.size() < start + n) return -1;
    std::size_t dark = 0;
    for (std::size_t i = 0; i < n; ++i)
        if (static_cast<unsigned char>(pgm[start + i]) < 128) ++dark;
    return static_cast<double>(dark) / static_cast<double>(n);
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
    const auto records = parseExcelCsv(csv);
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

TEST_CASE("disclosure writes an A4 Chinese PDF with the figures, embedded CJK font and page numbers",
          "[cli][disclosure]") {
    Cli cli;
    cli.demo();
    const auto pdf = cli.dir / "report.pdf";
    const auto run = cli({"disclosure", "--period", "2026-Q4", "--out", pdf.string(), "--site",
                          "https://yuhang.example.gov.cn"});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    REQUIRE(fs::exists(pdf));
    CHECK_FALSE(fs::exists(pdf.string() + ".part"));
    CHECK(readFile(pdf).rfind("%PDF-", 0) == 0);

    // Text: the office, the period, a figure with its value, the sections.
    const auto text = runProgram({kPdfToText, "-layout", pdf.string(), "-"});
    REQUIRE(text.exitCode == 0);
    for (const char* part : {"青山镇人民政府", "承诺兑现情况公示", "2026-Q4", "2026-10-01", "2026-12-31",
                             "兑现率", "按期兑现率", "逾期", "各服务领域承诺", "逾期和未兑现承诺", "政务失信记录",
                             "投诉数", "https://yuhang.example.gov.cn/o/330110104"}) {
        INFO(part);
        CHECK(contains(text.out, part));
    }
    // Every glyph came out as text: no replacement character.
    CHECK_FALSE(contains(text.out, "\xEF\xBF\xBD"));
    // Every page says which of how many it is.
    const auto info = runProgram({kPdfInfo, pdf.string()});
    REQUIRE(info.exitCode == 0);
    CHECK(contains(info.out, "595.28 x 841.89 pts (A4)"));
    const auto pagesAt = info.out.find("Pages:");
    REQUIRE(pagesAt != std::string::npos);
    const int pages = std::stoi(info.out.substr(pagesAt + 6));
    CHECK(pages >= 2);
    for (int page = 1; page <= pages; ++page) {
        INFO(page);
        CHECK(contains(squeezed(text.out), "第" + std::to_string(page) + "/" + std::to_string(pages) + "页"));
    }

    // The CJK font is embedded (a subset), so it prints the same anywhere.
    const auto fonts = runProgram({kPdfFonts, pdf.string()});
    REQUIRE(fonts.exitCode == 0);
    INFO(fonts.out);
    CHECK(contains(fonts.out, "NotoSansCJK"));
    for (const auto& line : linesOf(fonts.out)) {
        if (!contains(line, "NotoSansCJK")) continue;
        CHECK(contains(line, " yes "));  // emb column
    }

    // The first page as a picture: drawn, neither blank nor all ink.
    const auto png = runProgram({kPdfToPpm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", pdf.string(),
                                 (cli.dir / "page").string()});
    REQUIRE(png.exitCode == 0);
    REQUIRE(fs::exists(cli.dir / "page.png"));
    CHECK(fs::file_size(cli.dir / "page.png") > 10'000);
    const auto gray = runProgram({kPdfToPpm, "-gray", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                                  pdf.string(), (cli.dir / "page").string()});
    REQUIRE(gray.exitCode == 0);
    const double share = darkShare(readFile(cli.dir / "page.pgm"));
    CHECK(share > 0.02);
    CHECK(share < 0.5);
}

TEST_CASE("disclosure of a period with nothing due still writes a report that says so", "[cli][disclosure]") {
    Cli cli;
    cli.demo();
    const auto pdf = cli.dir / "empty.pdf";
    const auto run = cli({"disclosure", "--period", "2019-Q1", "--out", pdf.string()});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    CHECK(contains(run.out, "本期内没有到期的承诺"));
    const auto text = runProgram({kPdfToText, pdf.string(), "-"});
    REQUIRE(text.exitCode == 0);
    CHECK(contains(text.out, "本期内没有到期的承诺"));
    CHECK(contains(text.out, "2019-Q1"));
    // Not enrolled and no --site: no QR code, and the report says why.
    CHECK(contains(text.out, "尚未登记到区县"));
    CHECK(contains(squeezed(text.out), "第1/1页"));
}

TEST_CASE("disclosure refuses a bad period with exit status 2 and writes no file", "[cli][disclosure]") {
    Cli cli;
    cli.demo();
    for (const char* period : {"2026-Q5", "2026-13", "26", "2026Q4", ""}) {
        INFO(period);
        const auto pdf = cli.dir / "bad.pdf";
        const auto run = cli({"disclosure", "--period", period, "--out", pdf.string()});
        CHECK(run.exitCode == 2);
        CHECK(contains(run.err, "考核期无效"));
        CHECK_FALSE(fs::exists(pdf));
        CHECK_FALSE(fs::exists(pdf.string() + ".part"));
    }
}

TEST_CASE("disclosure lists a breach record of the period with its note and steps", "[cli][disclosure]") {
    Cli cli;
    cli.demo();
    REQUIRE(runProgram({SHOUXIN_CLI, "--db", cli.db, "clerk", "add", "--name", "李䶮", "--role", "supervisor", "--id",
                        "li", "--pin-stdin"},
                       "654321\n")
                .exitCode == 0);
    const auto broken = cli({"list", "--status", "broken"});
    REQUIRE(broken.exitCode == 0);
    const std::string id = broken.out.substr(0, 36);
    const auto confirm = cli({"breach", "confirm", "--commitment", id, "--note", "未按期足额发放，24人受影响",
                              "--rectify-by", "2099-12-20", "--clerk", "li"});
    INFO(confirm.err);
    REQUIRE(confirm.exitCode == 0);
    // The breach is confirmed on the machine's today: report that year.
    const std::string year = Date::today().toString().substr(0, 4);
    const auto pdf = cli.dir / "breach.pdf";
    REQUIRE(cli({"disclosure", "--period", year, "--out", pdf.string()}).exitCode == 0);
    const auto text = runProgram({kPdfToText, pdf.string(), "-"});
    REQUIRE(text.exitCode == 0);
    CHECK(contains(text.out, "未按期足额发放，24人受影响"));
    CHECK(contains(text.out, "已认定失信"));
    CHECK(contains(text.out, "2099-12-20"));
    CHECK_FALSE(contains(text.out, "本期没有政务失信记录"));
}
