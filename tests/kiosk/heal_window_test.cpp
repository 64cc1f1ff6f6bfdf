// The real kiosk on a damaged node file with a real district: it shows
// residents the restoring screen while it heals from the district (retrying
// while the district is out of reach), and Home comes back with the
// district's records.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "shared/store.hpp"
#include "kiosk/app/controller.hpp"
#include "tests/support/damage.hpp"
#include "tests/kiosk/controller_support.hpp"
#include "tests/kiosk/kiosk_support.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

// Lines of a trace file from the last `line` on ("" when none).
std::string traceFrom(const fs::path& trace, const std::string& line) {
    const std::string text = readText(trace);
    const auto at = text.rfind(line + "\n");
    return at == std::string::npos ? std::string() : text.substr(at);
}

}  // namespace

TEST_CASE("a kiosk on a damaged file shows the restoring screen, heals from the district and returns to Home",
          "[ui][window][heal]") {
    Xvfb x;
    REQUIRE(x.ok());
    SyncWorld world;
    const Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(a.cli({"demo"}).exitCode == 0);
    world.sync(a);
    // The office's other kiosk adds records the district holds and this
    // one never pulled.
    const Kiosk b = world.addKiosk(kOfficeA, "青山镇人民政府");
    world.sync(b);
    const auto listed = b.cli({"list", "--status", "in_progress"});
    REQUIRE(listed.exitCode == 0);
    const auto reported = b.cli({"report", "--commitment", listed.out.substr(0, 36), "--status", "in_progress",
                                 "--progress", "60", "--note", "二号机补记进度", "--clerk", "zhang"});
    INFO(reported.err);
    REQUIRE(reported.exitCode == 0);
    world.sync(b);
    const std::string districtDigest = world.districtDigest(kOfficeA);
    REQUIRE(a.digest() != districtDigest);
    const std::string device = a.open().node().device;

    // Garbage over an index's page: the kiosk opens and shows Home, and
    // its integrity check after the first frame finds the damage.
    garbleRootPage(a.db, "event_subject");
    // The district is out of reach at first: the kiosk keeps trying.
    world.server().stop();

    const fs::path trace = world.dir() / "trace.txt";
    Background kiosk({SHOUXIN_KIOSK, "--db", a.db, "--trace-file", trace.string(), "--sync-interval", "2"});
    REQUIRE(waitFor([&] { return countLines(trace, "restoring") == 1; }, 30));
    // A few attempts fail; the kiosk runs on behind its screen.
    std::this_thread::sleep_for(std::chrono::seconds(3));
    CHECK(kiosk.running());
    const fs::path shot = world.dir() / "restoring.png";
    REQUIRE(runProgram({"/usr/bin/import", "-window", "root", shot.string()}).exitCode == 0);
    if (const char* keep = std::getenv("SHOUXIN_KEEP_SCREENSHOT")) fs::copy_file(shot, keep, fs::copy_options::overwrite_existing);
    const ImageStats stats = imageStats(shot);
    CHECK(stats.width == 1280);
    CHECK(stats.distinctColours > 2);  // text drawn on it
    CHECK(countLines(trace, "restored") == 0);

    // The district back: Home returns, with the district's records.
    world.restartServer();
    REQUIRE(waitFor([&] { return countLines(trace, "restored") == 1; }, 60));
    CHECK(waitFor([&] { return traceFrom(trace, "restored").find("\nhome\n") != std::string::npos; }, 20));
    CHECK(kiosk.running());
    INFO(readText(trace));
    CHECK(kiosk.terminate(10) == 0);

    const Store healed = a.open();
    CHECK(healed.node().device == device);
    CHECK(a.digest() == districtDigest);
    CHECK(healed.verify().ok());
    CHECK_FALSE(asideOf(a.db).empty());
}

TEST_CASE("a damaged file of a node never enrolled keeps the restoring screen with the re-enrol message",
          "[kiosk][controller][heal]") {
    TempDir dir;
    kiosk::Options options;
    options.db = dir / "office.db";
    options.syncIntervalSeconds = 0;
    const Date today = Date::fromCivil(2026, 6, 10);
    makeClerkOffice(options.db, today);
    garbleRootPage(options.db, "event_subject");
    auto controller = startController(options, today, {});
    controller->startIntegrityCheck();
    controller->waitForData();
    REQUIRE(controller->damaged());
    controller->startHealing();
    CHECK(controller->restoring());
    CHECK(controller->state().restoring.active);
    // The heal runs on its own thread; the controller only reads its status.
    REQUIRE(waitFor(
        [&] {
            controller->drain();
            return controller->state().restoring.attempts > 0;
        },
        20));
    CHECK(controller->restoring());
    CHECK(controller->state().restoring.problemId == "heal.reenrol");
    // The damaged file went aside, kept; nothing was set up in its place.
    CHECK_FALSE(fs::exists(options.db));
    CHECK_FALSE(asideOf(options.db).empty());
    controller->stop();
}

TEST_CASE("damage met on opening shows the restoring screen from the start instead of ending the kiosk",
          "[kiosk][controller][heal]") {
    TempDir dir;
    kiosk::Options options;
    options.db = dir / "office.db";
    options.syncIntervalSeconds = 0;
    const Date today = Date::fromCivil(2026, 6, 10);
    makeClerkOffice(options.db, today);
    // The node table: every connection meets it on opening, and with it
    // goes who this kiosk is.
    garbleRootPage(options.db, "node");
    auto controller = std::make_unique<kiosk::Controller>(options, today);
    controller->start();
    CHECK(controller->damaged());
    CHECK(controller->restoring());
    controller->startHealing();
    REQUIRE(waitFor(
        [&] {
            controller->drain();
            return controller->state().restoring.attempts > 0;
        },
        20));
    CHECK(controller->restoring());
    CHECK(controller->state().restoring.problemId == "heal.reenrol");
    controller->stop();
}
