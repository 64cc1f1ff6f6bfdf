#include "tests/support/levels_world.hpp"

#include <catch2/catch.hpp>

namespace shouxin::test {

Level::Level(const TempDir& dir, const std::string& c, const std::string& name, const std::string& location)
    : db(location.empty() ? dir.path() / (c + ".db") : std::filesystem::path(location)), code(c) {
    districtCli(db, {"init", "--district", code, "--name", name});
    server = std::make_unique<ServerProcess>(db);
}

RunResult Level::cli(std::vector<std::string> args) const {
    const auto command = districtCommand(db);
    args.insert(args.begin(), command.begin(), command.end());
    return runProgram(args);
}

std::string Level::enrolmentCode(const std::string& below) const {
    const RunResult r = cli({"enroll-code", "--office", below});
    REQUIRE(r.exitCode == 0);
    return r.out.substr(0, 11);
}

std::string Level::digest(const std::string& scope) const {
    return districtCli(db, {"digest", "--office", scope}).substr(0, 64);
}

void Level::relay() const {
    const RunResult r = cli({"relay"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
}

Province::Province(const std::string& cityLocation) : city(dir, kCity, "杭州市", cityLocation) {
    for (const Level* d : {&a, &b}) {
        const RunResult r = d->cli({"upstream", city.server->url(), city.enrolmentCode(d->code)});
        INFO(r.out << r.err);
        REQUIRE(r.exitCode == 0);
    }
}

Kiosk Province::township(const Level& d, const std::string& office, const std::string& name) {
    Kiosk k{(dir.path() / (office + ".db")).string(), office};
    REQUIRE(k.cli({"init", "--office", office, "--name", name}).exitCode == 0);
    REQUIRE(k.cli({"enroll", d.server->url(), d.enrolmentCode(office)}).exitCode == 0);
    return k;
}

void Province::sync(const Kiosk& k) {
    const RunResult r = k.cli({"sync", "--once", "--retries", "0"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
}

void Province::demoAndSync(std::initializer_list<const Kiosk*> townships) {
    for (const Kiosk* k : townships) {
        REQUIRE(k->cli({"demo"}).exitCode == 0);
        sync(*k);
    }
}

void Province::publishCityWide() const {
    const RunResult r = city.cli({"publish", "--category", "employment", "--kind", "service_quality", "--title",
                                  kCityWideTitle, "--detail", "每月第一个周六在市人才市场举办。", "--department",
                                  "市人力社保局", "--operator", "ops-city"});
    INFO(r.out << r.err);
    REQUIRE(r.exitCode == 0);
}

const Level& Province::districtOf(const Kiosk& k) const { return k.office.rfind(kDistrictA, 0) == 0 ? a : b; }

void Province::convergedEverywhere() const {
    for (const Kiosk* k : {&a1, &a2, &b1}) {
        INFO(k->office);
        const std::string own = k->digest();
        CHECK(districtOf(*k).digest(k->office) == own);
        CHECK(city.digest(k->office) == own);
    }
    CHECK(city.digest(kDistrictA) == a.digest(kDistrictA));
    CHECK(city.digest(kDistrictB) == b.digest(kDistrictB));
    const RunResult verified = city.cli({"verify"});
    INFO(verified.out << verified.err);
    CHECK(verified.exitCode == 0);
}

}  // namespace shouxin::test
