// The programs' configuration files (/etc/shouxin/<program>.conf), read by
// the real binaries: the file gives what the command line leaves unset, the
// command line wins, and a wrong line stops the program before it does
// anything, naming the file and line.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <fstream>

#include "tests/support/process.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin::test;

namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

std::string write(const std::filesystem::path& file, const std::string& text) {
    std::ofstream(file) << text;
    return file.string();
}

}  // namespace

TEST_CASE("node.conf gives the node its database and the district's address for enrolment", "[config]") {
    SyncWorld world;
    const auto db = (world.dir() / "office.db").string();
    const auto conf = write(world.dir() / "node.conf", "# the office's kiosk\ndb = " + db + "\nurl = " +
                                                           world.server().url() + "\ninterval = 300\n");
    REQUIRE(runProgram({SHOUXIN_CLI, "--config", conf, "init", "--office", kOfficeA, "--name", "青山镇"}).exitCode ==
            0);
    const std::string code =
        runProgram({SHOUXIN_DISTRICT, "--db", world.districtDb().string(), "enroll-code", "--office", kOfficeA})
            .out.substr(0, 11);
    const auto enrolled = runProgram({SHOUXIN_CLI, "--config", conf, "enroll", code});
    INFO(enrolled.err);
    REQUIRE(enrolled.exitCode == 0);
    REQUIRE(runProgram({SHOUXIN_CLI, "--config", conf, "sync", "--once", "--retries", "0"}).exitCode == 0);
    CHECK(Kiosk{db, kOfficeA}.digest() == world.districtDigest(kOfficeA));

    // The command line wins: --db names another file.
    const auto other = (world.dir() / "other.db").string();
    REQUIRE(runProgram({SHOUXIN_CLI, "--config", conf, "--db", other, "init", "--office", kOfficeB, "--name", "x"})
                .exitCode == 0);
    CHECK(std::filesystem::exists(other));
}

TEST_CASE("a wrong line in a configuration file stops each program before it touches anything", "[config]") {
    TempDir dir;
    const auto db = (dir / "office.db").string();
    const auto conf = write(dir / "node.conf", "db = " + db + "\n\ninterval = soon\n");
    // Each program checks the settings of what it runs: here sync's.
    const auto node = runProgram({SHOUXIN_CLI, "--config", conf, "sync", "--once"});
    CHECK(node.exitCode == 2);
    CHECK(contains(node.err, conf + ":3"));
    CHECK(contains(node.err, "interval = soon"));
    CHECK_FALSE(std::filesystem::exists(db));

    const auto districtConf = write(dir / "district.conf", "db = " + (dir / "d.db").string() +
                                                                "\nlisten = 0.0.0.0\nrelay-every = 300\n");
    const auto district = runProgram({SHOUXIN_DISTRICT, "--config", districtConf, "serve"});
    CHECK(district.exitCode == 2);
    CHECK(contains(district.err, districtConf + ":2"));
    CHECK(contains(district.err, "HOST:PORT"));

    const auto kioskConf = write(dir / "kiosk.conf", "db = " + db + "\nidle-seconds = 90\nspeech-voice = robot\n");
    const auto kiosk = runProgram({SHOUXIN_KIOSK, "--config", kioskConf});
    CHECK(kiosk.exitCode == 2);
    CHECK(contains(kiosk.err, kioskConf + ":3"));
    CHECK(contains(kiosk.err, "speech-voice = robot"));

    const auto unknown = runProgram({SHOUXIN_CLI, "--config", write(dir / "typo.conf", "intervall = 60\n"), "status"});
    CHECK(unknown.exitCode == 2);
    CHECK(contains(unknown.err, "typo.conf:1"));
    CHECK(contains(unknown.err, "intervall"));

    const auto missing = runProgram({SHOUXIN_CLI, "--config", (dir / "none.conf").string(), "status"});
    CHECK(missing.exitCode == 2);
    CHECK(contains(missing.err, "none.conf"));
}

TEST_CASE("root is refused a database in a folder of another user's, and makes no file there", "[config]") {
    if (geteuid() != 0) return;  // only root can be refused this
    TempDir dir;
    const auto data = dir.path() / "shouxin";
    std::filesystem::create_directory(data);
    REQUIRE(chown(data.c_str(), 65534, 65534) == 0);  // as the packages' /var/lib/shouxin is shouxin's
    const auto db = (data / "office.db").string();
    const auto node = runProgram({SHOUXIN_CLI, "--db", db, "init", "--office", kOfficeA, "--name", "x"});
    CHECK(node.exitCode == 1);
    CHECK(contains(node.err, "runuser -u "));
    const auto district = runProgram({SHOUXIN_DISTRICT, "--db", (data / "d.db").string(), "init", "--district",
                                      kDistrict, "--name", "余杭区"});
    CHECK(district.exitCode == 1);
    CHECK(contains(district.err, "runuser -u "));
    CHECK(std::filesystem::is_empty(data));
}
