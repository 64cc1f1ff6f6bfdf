// `shouxin-district assessment` and `export`, the real binary on a real
// district database: files are written whole or not at all, bad input is
// refused with a clear message and the usage exit status.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/support/district_data.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

std::string readAll(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct District {
    TempDir dir;
    DistrictData data = makeDistrictData(dir.path());

    RunResult operator()(std::vector<std::string> args) const {
        args.insert(args.begin(), {SHOUXIN_DISTRICT, "--db", data.db.string()});
        return runProgram(args);
    }
};

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("district assessment writes the period's CSV and refuses a bad period", "[cli][opendata]") {
    District district;
    const fs::path out = district.dir / "q4.csv";
    const RunResult good =
        district({"assessment", "--period", "2026-Q4", "--out", out.string(), "--today", "2026-12-01"});
    INFO(good.err);
    REQUIRE(good.exitCode == 0);
    CHECK(contains(good.out, "已写出绩效考核表"));
    const std::string csv = readAll(out);
    CHECK(csv.rfind("\xEF\xBB\xBF", 0) == 0);
    CHECK(contains(csv, "乡镇（街道）守信践诺绩效考核"));
    CHECK(contains(csv, "2026-Q4"));
    CHECK(contains(csv, DistrictData::kTownAName));
    CHECK(contains(csv, DistrictData::kTownBName));
    CHECK(contains(csv, "兑现率 = "));
    CHECK_FALSE(fs::exists(out.string() + ".part"));

    for (const char* bad : {"2026-Q5", "2026-13", "Q4"}) {
        INFO(bad);
        const fs::path badOut = district.dir / "bad.csv";
        const RunResult refused = district({"assessment", "--period", bad, "--out", badOut.string()});
        CHECK(refused.exitCode == 2);
        CHECK(contains(refused.err, "考核期无效"));
        CHECK(contains(refused.err, "Invalid period"));
        CHECK(contains(refused.err, bad));
        CHECK_FALSE(fs::exists(badOut));
    }

    const RunResult unwritable = district(
        {"assessment", "--period", "2026", "--out", (district.dir / "no such dir" / "a.csv").string()});
    CHECK(unwritable.exitCode == 1);
    CHECK(contains(unwritable.err, "无法写入文件"));
}

TEST_CASE("district export writes open data for a township or the district, and refuses other scopes",
          "[cli][opendata]") {
    District district;
    const fs::path json = district.dir / "commitments.json";
    const RunResult ok = district({"export", "--scope", DistrictData::kTownA, "--what", "commitments",
                                   "--format", "json", "--out", json.string()});
    INFO(ok.err);
    REQUIRE(ok.exitCode == 0);
    const std::string text = readAll(json);
    CHECK(text.rfind("{\"format\":\"shouxin-open-data/1\"", 0) == 0);
    CHECK(contains(text, "青山镇人民政府"));
    CHECK_FALSE(contains(text, DistrictData::kPhone));

    const fs::path figures = district.dir / "figures.csv";
    REQUIRE(district({"export", "--scope", DistrictData::kDistrict, "--what", "figures", "--format", "csv",
                      "--out", figures.string()})
                .exitCode == 0);
    CHECK(contains(readAll(figures), "合计"));

    const fs::path other = district.dir / "other.csv";
    const RunResult foreign = district(
        {"export", "--scope", "330111104", "--what", "history", "--format", "csv", "--out", other.string()});
    CHECK(foreign.exitCode == 1);
    CHECK(contains(foreign.err, "范围"));
    CHECK_FALSE(fs::exists(other));
    CHECK(district({"export", "--scope", DistrictData::kDistrict, "--what", "complaints", "--format", "csv",
                    "--out", other.string()})
              .exitCode == 2);
    CHECK_FALSE(fs::exists(other));
}
