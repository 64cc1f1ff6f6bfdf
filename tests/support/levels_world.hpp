#pragma once
// Three townships of two districts under one city, each level a real
// shouxin-district process, each township a real node (`shouxin`): the world
// the tests of levels (逐级归集) run in.
#include <filesystem>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "tests/support/process.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/temp_dir.hpp"

namespace shouxin::test {

inline constexpr const char* kCity = "3301";
inline constexpr const char* kDistrictA = "330110";  // 余杭区
inline constexpr const char* kDistrictB = "330106";  // 西湖区
inline constexpr const char* kTownA1 = "330110104";
inline constexpr const char* kTownA2 = "330110105";
inline constexpr const char* kTownB1 = "330106001";
/// The city-wide commitment publishCityWide() makes.
inline constexpr const char* kCityWideTitle = "全市每月举办一次招聘会";

/// A server at some level: its database and its process.
struct Level {
    std::filesystem::path db;
    std::string code;
    std::unique_ptr<ServerProcess> server;

    /// `location`: a PostgreSQL URL (postgres_cluster.hpp) to keep the
    /// level's database there; "" for a file in `dir`.
    Level(const TempDir& dir, const std::string& code, const std::string& name, const std::string& location = "");
    /// `shouxin-district --db DB ARGS...`.
    RunResult cli(std::vector<std::string> args) const;
    /// A one-time code for the office or region directly below.
    std::string enrolmentCode(const std::string& below) const;
    std::string digest(const std::string& scope) const;
    /// One round with the level above; REQUIREs success.
    void relay() const;
    /// SIGKILL (a cut, a power failure); start() brings it back on `port`.
    void stop() { server->kill(); }
    void start(int port) { server = std::make_unique<ServerProcess>(db, port); }
};

/// The city, its districts A and B, townships A1 and A2 of A and B1 of B,
/// every one enrolled (the districts at the city), nothing synced yet.
struct Province {
    TempDir dir;
    Level city;
    Level a{dir, kDistrictA, "余杭区"};
    Level b{dir, kDistrictB, "西湖区"};
    Kiosk a1 = township(a, kTownA1, "青山镇人民政府");
    Kiosk a2 = township(a, kTownA2, "溪口镇人民政府");
    Kiosk b1 = township(b, kTownB1, "北山街道办事处");

    /// `cityLocation`: as Level's (the city on PostgreSQL by one URL).
    explicit Province(const std::string& cityLocation = "");
    Kiosk township(const Level& district, const std::string& office, const std::string& name);
    /// `shouxin sync --once`; REQUIREs success.
    static void sync(const Kiosk& k);
    /// `demo` on each township, then a sync of each.
    void demoAndSync(std::initializer_list<const Kiosk*> townships);
    /// The city publishes a city-wide commitment (kCityWideTitle).
    void publishCityWide() const;
    const Level& districtOf(const Kiosk& k) const;
    /// Every township's digest is its own at its district and at the city,
    /// each district's the same at the city, and the city verifies.
    void convergedEverywhere() const;
};

}  // namespace shouxin::test
