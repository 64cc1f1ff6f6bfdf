// The real kiosk under a private Xvfb: a screenshot of a missing commitment,
// bad usage, taps navigate, idle returns Home, a damaged file. Every view's
// picture in every mode is checked by the layout test.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "tests/support/damage.hpp"
#include "tests/kiosk/kiosk_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

RunResult screenshot(const fs::path& db, const fs::path& png, const std::string& view,
                     const std::vector<std::string>& extra) {
    std::vector<std::string> argv = {SHOUXIN_KIOSK, "--db",   db.string(), "--screenshot",
                                     png.string(),  "--view", view,        "--query",
                                     "补贴",        "--area", "property"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return runProgram(argv);
}

}  // namespace

TEST_CASE("a screenshot of an unknown commitment shows the not-found state and still exits 0",
          "[ui][window]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    makeDemoOffice(dir / "office.db");
    const RunResult r =
        screenshot(dir / "office.db", dir / "missing.png", "detail", {"--commitment", "nope"});
    CHECK(r.exitCode == 0);
    CHECK(imageStats(dir / "missing.png").width == 1280);
}

TEST_CASE("bad usage exits 2 and a missing database exits 1", "[ui]") {
    CHECK(runProgram({SHOUXIN_KIOSK, "--db", "/nonexistent/x.db", "--view", "nowhere"}).exitCode == 2);
    CHECK(runProgram({SHOUXIN_KIOSK}).exitCode == 2);
    Xvfb x;
    REQUIRE(x.ok());
    const RunResult r =
        runProgram({SHOUXIN_KIOSK, "--db", "/nonexistent/x.db", "--screenshot", "/tmp/never.png"});
    CHECK(r.exitCode == 1);
    CHECK_FALSE(r.err.empty());
    // A picture folder that cannot be made (a file stands in its way).
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    const fs::path file = dir / "a-file";
    REQUIRE(runProgram({"/usr/bin/touch", file.string()}).exitCode == 0);
    const RunResult d = runProgram({SHOUXIN_KIOSK, "--db", db.string(), "--screenshot-dir", (file / "shots").string(),
                                    "--views", "home", "--modes", "zh"});
    CHECK(d.exitCode == 1);
    CHECK(d.err.find("cannot make") != std::string::npos);
}

TEST_CASE("tapping a service area and a commitment navigates, and idle returns to Home",
          "[ui][window][input]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    const fs::path trace = dir / "trace.txt";
    makeDemoOffice(db);
    Background kiosk({SHOUXIN_KIOSK, "--db", db.string(), "--trace-file", trace.string(), "--idle-seconds",
                      "3", "--countdown-seconds", "2"});
    REQUIRE(waitFor([&] { return countLines(trace, "home") == 1; }, 20));
    auto tap = [](int px, int py) {
        return runProgram({"/usr/bin/xdotool", "mousemove", "--sync", std::to_string(px), std::to_string(py),
                           "click", "1"})
            .exitCode;
    };
    // The first service-area tile (employment, below the complaint buttons),
    // then the first row of its list.
    REQUIRE(tap(140, 500) == 0);
    REQUIRE(waitFor([&] { return countLines(trace, "area") == 1; }, 10));
    REQUIRE(tap(500, 415) == 0);
    REQUIRE(waitFor([&] { return countLines(trace, "detail") == 1; }, 10));
    // Hands off: countdown, then Home in Chinese with everything wiped.
    CHECK(waitFor([&] { return countLines(trace, "idle-reset") == 1; }, 15));
    CHECK(countLines(trace, "home") == 2);
    CHECK(kiosk.running());
    INFO(readText(trace));
    CHECK(readText(trace) == "home\narea\ndetail\nidle-reset\nhome\n");
}

TEST_CASE("a damaged database found by the check after the first frame is moved aside and the kiosk exits 1",
          "[ui][window]") {
    Xvfb x;
    REQUIRE(x.ok());
    TempDir dir;
    const fs::path db = dir / "office.db";
    makeDemoOffice(db);
    // Opening succeeds and only the integrity check sees it.
    garblePageNearEnd(db);
    const RunResult r = screenshot(db, dir / "damaged.png", "home", {});
    CHECK(r.exitCode == 1);
    CHECK_FALSE(fs::exists(db));
    CHECK_FALSE(asideOf(db).empty());
}
