// The district's store on PostgreSQL against the same store on SQLite: the
// same events give the same state, digests, pages, search hits and checks.
#include <catch2/catch.hpp>

#include <algorithm>

#include "shared/crypto.hpp"
#include "shared/store.hpp"
#include "tests/support/district_data.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;
using D = DistrictData;

namespace {

// Both townships' events, as their kiosks would push them.
void pushTowns(const std::filesystem::path& dir, Store& district) {
    for (const char* town : {"town_a.db", "town_b.db"}) {
        const auto events = Store::open(dir / town).events();
        for (const auto& r : district.applyBatch(events)) REQUIRE(r.outcome == ApplyResult::Outcome::accepted);
    }
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

}  // namespace

TEST_CASE("a district on PostgreSQL folds the same events into the same digests as on SQLite",
          "[store][postgresql]") {
    TempDir dir;
    makeDistrictData(dir.path());  // the townships' nodes, with a bit of everything
    Store lite = Store::createDistrict(dir / "plain.db", D::kDistrict, D::kDistrictName);
    const std::string url = newPostgresDatabase();
    Store pg = Store::createDistrict(url, D::kDistrict, D::kDistrictName, districtKeyFile(url, postgresKeysDir(url)));
    pushTowns(dir.path(), lite);
    pushTowns(dir.path(), pg);

    CHECK(pg.isDistrict());
    CHECK(pg.eventCount() == lite.eventCount());
    CHECK(pg.lastDistrictSeq() == lite.lastDistrictSeq());
    CHECK(pg.digest("") == lite.digest(""));
    for (const char* scope : {D::kDistrict, D::kTownA, D::kTownB}) {
        INFO(scope);
        CHECK(pg.digest(scope) == lite.digest(scope));
    }
    // Pages of the log, a township's view of it (but for each district's
    // own office.named event, which differs by the district's device).
    const auto a = lite.eventsAfter(D::kTownA, lite.node().device, 0, 1000);
    const auto b = pg.eventsAfter(D::kTownA, pg.node().device, 0, 1000);
    CHECK(a.events.size() > 10);
    REQUIRE(a.events.size() == b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) CHECK(a.events[i].hash == b.events[i].hash);
    CHECK(a.dseqs == b.dseqs);
    // Search: the same hits (their order may differ: PostgreSQL has no bm25).
    for (const char* term : {"招聘", "食堂", "老年食堂每日", "防火", "=cmd", "%", "没有这个"}) {
        INFO(term);
        CHECK(sorted(pg.search(term, 50)) == sorted(lite.search(term, 50)));
    }
    CHECK(pg.integrityReport().empty());
    const auto report = pg.verify();
    INFO(describe(report));
    CHECK(report.ok());

    // Opened again: the same district, its schema already current.
    Store again = Store::open(url);
    CHECK(again.digest("") == lite.digest(""));
    CHECK(again.node().device == pg.node().device);
}

TEST_CASE("a PostgreSQL location that is not a district is refused with a clear error", "[store][postgresql]") {
    TempDir dir;
    const std::string url = newPostgresDatabase();
    // An empty database is not a district, and opening it writes nothing.
    CHECK_THROWS_AS(Store::open(url), StoreError);
    CHECK(postgresQuery(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0");
    // No key directory for a URL; a node refuses a URL.
    CHECK_THROWS_AS(Store::createDistrict(url, D::kDistrict, D::kDistrictName), StoreError);
    CHECK_THROWS_AS(Store::create(url, D::kTownA, D::kTownAName), StoreError);
    // A server that does not answer.
    const std::string nowhere = "postgresql:///nothing?host=" + (dir.path() / "no-socket").string();
    try {
        Store::open(nowhere);
        FAIL("opened a database that does not exist");
    } catch (const StoreError& e) {
        CHECK(e.messageId() == "error.store.connect");
    }
    // Created once; a second init on the same database is refused.
    Store::createDistrict(url, D::kDistrict, D::kDistrictName, districtKeyFile(url, postgresKeysDir(url)));
    CHECK_THROWS_AS(Store::createDistrict(url, D::kDistrict, D::kDistrictName, dir / "other.key"), StoreError);
}

TEST_CASE("a store whose PostgreSQL connection was cut fails one statement, then works again",
          "[store][postgresql]") {
    const std::string url = newPostgresDatabase();
    Store pg = Store::createDistrict(url, D::kDistrict, D::kDistrictName, districtKeyFile(url, postgresKeysDir(url)));
    const std::int64_t events = pg.eventCount();
    // What a restart of the database server does to every connection.
    postgresExec(url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid != pg_backend_pid()");
    CHECK_THROWS_AS(pg.eventCount(), std::exception);
    CHECK(pg.eventCount() == events);
    CHECK(pg.digest("") == pg.digest(""));
}
