#include <catch2/catch.hpp>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "shared/config_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using shouxin::test::TempDir;

namespace {

// A program shaped as ours: a top-level --db, commands with their own
// options, a required option, a repeatable one and a flag.
struct Program {
    CLI::App app{"test"};
    std::string db;
    std::string url;
    std::string code;
    std::vector<std::string> pins;
    int interval = 300;
    bool fullscreen = false;
    std::string listen;
    CLI::App* sync = nullptr;
    CLI::App* serve = nullptr;

    Program() {
        app.add_option("--db", db)->required();
        sync = app.add_subcommand("sync");
        sync->add_option("--url", url);
        sync->add_option("--pin", pins)->expected(0, 2)->check(checkTlsPin);
        sync->add_option("--interval", interval)->check(CLI::Range(1, 86400));
        sync->add_flag("--fullscreen", fullscreen);
        serve = app.add_subcommand("serve");
        serve->add_option("--listen", listen)->check(checkListenAddress);
        serve->add_option("--code", code)->required();
    }

    // Runs prepare, parse and apply as the programs do; the problems of
    // whichever step failed, as text.
    std::string run(const std::filesystem::path& file, std::vector<std::string> args) {
        args.insert(args.begin(), {"test", "--config", file.string()});
        std::vector<const char*> argv;
        for (const auto& a : args) argv.push_back(a.c_str());
        const int argc = static_cast<int>(argv.size());
        auto config = ProgramConfig::prepare(app, argc, argv.data(), "test");
        if (!config) return text(config.problems());
        try {
            app.parse(argc, argv.data());
        } catch (const CLI::ParseError& e) {
            return std::string("parse: ") + e.what();
        }
        return text(config->apply(app));
    }

    static std::string text(const Problems& problems) {
        std::string out;
        for (const auto& p : problems) out += p.field + " " + p.message + " " + p.detail + "\n";
        return out;
    }
};

std::filesystem::path write(const TempDir& dir, const std::string& text) {
    const auto path = dir.path() / "test.conf";
    std::ofstream(path) << text;
    return path;
}

const std::string kPin = "sha256//" + std::string(44, 'A');

}  // namespace

TEST_CASE("a configuration file is read line by line, comments and blank lines skipped", "[config]") {
    const auto f = parseConfigFile("a.conf", "# settings\n\ndb = /var/lib/shouxin/office.db\n  interval=60  \n"
                                             "public-url = \"https://x.example\"\r\n");
    REQUIRE(f);
    REQUIRE(f->lines.size() == 3);
    CHECK(f->lines[0].name == "db");
    CHECK(f->lines[0].value == "/var/lib/shouxin/office.db");
    CHECK(f->lines[0].line == 3);
    CHECK(f->lines[1].value == "60");
    CHECK(f->lines[1].line == 4);
    CHECK(f->lines[2].value == "https://x.example");
}

TEST_CASE("a line that is not name = value is refused with its file and line", "[config]") {
    const auto f = parseConfigFile("/etc/shouxin/node.conf", "db = x\n[serve]\nInterval = 3\n= 5\nurl =\n");
    REQUIRE_FALSE(f);
    const auto& p = f.problems();
    REQUIRE(p.size() == 4);
    CHECK(p[0].field == "/etc/shouxin/node.conf:2");
    CHECK(p[0].message == "error.config.syntax");
    CHECK(p[1].field == "/etc/shouxin/node.conf:3");
    CHECK(p[2].field == "/etc/shouxin/node.conf:4");
    CHECK(p[3].field == "/etc/shouxin/node.conf:5");
    CHECK(p[3].message == "error.config.empty");
}

TEST_CASE("a missing or oversized configuration file named by --config is refused", "[config]") {
    TempDir dir;
    CHECK(readConfigFile(dir.path() / "none.conf").problems().at(0).message == "error.config.open");
    const auto big = dir.path() / "big.conf";
    std::ofstream(big) << std::string(kMaxConfigBytes + 1, '#');
    CHECK(readConfigFile(big).problems().at(0).message == "error.config.too_long");
    Program p;
    CHECK(p.run(dir.path() / "none.conf", {"--db", "x", "sync"}).find("error.config.open") != std::string::npos);
}

TEST_CASE("the file gives what the command line leaves unset, and the command line wins", "[config]") {
    TempDir dir;
    const auto file = write(dir, "db = from-file.db\ninterval = 60\nurl = https://d.example\npin = " + kPin +
                                     "\nfullscreen = true\nlisten = 0.0.0.0:8443\n");
    Program p;
    REQUIRE(p.run(file, {"sync", "--interval", "30"}) == "");
    CHECK(p.db == "from-file.db");  // a required option, given by the file
    CHECK(p.interval == 30);
    CHECK(p.url == "https://d.example");
    CHECK(p.pins == std::vector<std::string>{kPin});
    CHECK(p.fullscreen);
    CHECK(p.listen.empty());  // serve's setting, serve not run
}

TEST_CASE("a repeated setting adds values up to what the option takes", "[config]") {
    TempDir dir;
    Program two;
    REQUIRE(two.run(write(dir, "pin = " + kPin + "\npin = " + kPin + "\n"), {"--db", "x", "sync"}) == "");
    CHECK(two.pins.size() == 2);
    Program three;
    const auto out = three.run(write(dir, "pin = " + kPin + "\npin = " + kPin + "\npin = " + kPin + "\n"),
                               {"--db", "x", "sync"});
    CHECK(out.find(":3 error.config.value pin = ") != std::string::npos);
}

TEST_CASE("a wrong value names its line and the check it failed", "[config]") {
    TempDir dir;
    Program p;
    const auto out = p.run(write(dir, "db = x\ninterval = 0\npin = sha256//short\nfullscreen = maybe\nnosuch = 1\n"),
                           {"sync"});
    CHECK(out.find(":2 error.config.value interval = 0: --interval: Value 0 not in range 1 to 86400") !=
          std::string::npos);
    CHECK(out.find(":3 error.config.value pin = sha256//short") != std::string::npos);
    CHECK(out.find(":4 error.config.value fullscreen = maybe") != std::string::npos);
    CHECK(out.find(":5 error.config.unknown nosuch") != std::string::npos);
}

TEST_CASE("a wrong value for the command run is caught, and a command line value spares the file's", "[config]") {
    TempDir dir;
    const auto file = write(dir, "db = x\nlisten = 0.0.0.0:http\n");
    Program wrong;
    CHECK(wrong.run(file, {"serve", "--code", "c"}).find(":2 error.config.value listen") != std::string::npos);
    Program overridden;
    CHECK(overridden.run(file, {"serve", "--code", "c", "--listen", "127.0.0.1:0"}) == "");
    CHECK(overridden.listen == "127.0.0.1:0");
}

TEST_CASE("a required option the file names is still required of the command that needs it", "[config]") {
    TempDir dir;
    Program p;
    // code is serve's, required there; the file gives it for serve only.
    REQUIRE(p.run(write(dir, "db = x\ncode = abc\n"), {"serve"}) == "");
    CHECK(p.code == "abc");
    Program without;
    CHECK(without.run(write(dir, "interval = 5\n"), {"sync"}).starts_with("parse: --db is required"));
}

TEST_CASE("checks shared by the programs' settings", "[config]") {
    CHECK(checkTlsPin(kPin).empty());
    CHECK_FALSE(checkTlsPin("sha256//abc").empty());
    CHECK_FALSE(checkTlsPin("sha1//" + std::string(46, 'A')).empty());
    CHECK(checkListenAddress("0.0.0.0:8443").empty());
    CHECK(checkListenAddress("[::1]:0").empty());
    CHECK_FALSE(checkListenAddress("8443").empty());
    CHECK_FALSE(checkListenAddress(":8443").empty());
    CHECK_FALSE(checkListenAddress("host:99999").empty());
    CHECK_FALSE(checkListenAddress("host:").empty());
}
