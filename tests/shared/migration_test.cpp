#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "shared/store.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

// Builds a database file from a fixture's SQL dump.
std::filesystem::path fromFixture(const TempDir& dir, const char* fixture) {
    std::ifstream in(std::filesystem::path(SHOUXIN_FIXTURES) / fixture);
    REQUIRE(in);
    std::stringstream sql;
    sql << in.rdbuf();
    const auto db = dir / "node.db";
    rawExec(db, sql.str());
    return db;
}

// The digest of the fixture's office as version 1 computed it when the
// fixture was made: an upgrade must not change the folded state.
constexpr const char* kV1Digest = "dd95b44ae88740d2ffaf465fc54ba672f7b7163b7b5ea8126a243f183cb55763";

}  // namespace

TEST_CASE("a version 1 node is upgraded to the current schema with its records intact",
          "[store][migration]") {
    TempDir dir;
    const auto db = fromFixture(dir, "node_v1.sql");
    REQUIRE(rawQuery(db, "PRAGMA user_version") == "1");

    Store store = Store::open(db);
    CHECK(rawQuery(db, "PRAGMA user_version") == std::to_string(Store::schemaVersion()));
    CHECK(store.node().office == "330110104");
    CHECK(store.eventCount() == 152);
    CHECK(store.commitments().size() == 44);
    CHECK(store.digest("330110104") == kV1Digest);
    CHECK(store.verify().ok());
    // Version 2's search index is filled from the commitments already held.
    CHECK_FALSE(store.search("养老").empty());
    CHECK_FALSE(store.search("就业困难人员").empty());
}

TEST_CASE("an upgraded node keeps recording and folding", "[store][migration]") {
    TempDir dir;
    const auto db = fromFixture(dir, "node_v1.sql");
    Store store = Store::open(db);
    const auto first = store.commitments().front();
    FulfilmentReport r;
    r.commitment = first.commitment.id;
    r.status = first.status == Status::amended ? Status::amended : Status::inProgress;
    r.progress = 50;
    r.note = "升级后继续记录";
    r.date = Date::fromCivil(2026, 6, 2);
    if (first.status == Status::amended) return;  // takes no further reports
    REQUIRE(store.record(r, "clerk:wang"));
    CHECK(store.verify().ok());
}

TEST_CASE("a node from a newer program is refused, not damaged", "[store][migration]") {
    TempDir dir;
    const auto db = fromFixture(dir, "node_v1.sql");
    rawExec(db, "PRAGMA user_version = 99");
    try {
        Store::open(db);
        FAIL("opened a newer schema");
    } catch (const StoreError& e) {
        CHECK(e.messageId() == "error.store.newer_schema");
    }
    CHECK(rawQuery(db, "PRAGMA user_version") == "99");
}

namespace {

// The names in `dir` that start with `prefix`.
int filesStartingWith(const std::filesystem::path& dir, const std::string& prefix) {
    int n = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
        n += entry.path().filename().string().rfind(prefix, 0) == 0 ? 1 : 0;
    return n;
}

}  // namespace

TEST_CASE("a damaged file fails the integrity check asked for at open and stays where it is",
          "[store][migration]") {
    TempDir dir;
    const auto db = fromFixture(dir, "node_v1.sql");
    {
        // Overwrite a page in the middle of the file with garbage.
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(4096 * 3);
        const std::string garbage(4096, '\x5a');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    Store::OpenOptions checked;
    checked.checkIntegrity = true;
    try {
        Store::open(db, checked);
        FAIL("opened a damaged file");
    } catch (const StoreError& e) {
        CHECK(e.corrupt());
    }
    CHECK(filesStartingWith(dir.path(), "node.db.corrupt-") == 0);
    CHECK(std::filesystem::exists(db));
}

TEST_CASE("opening does not run the integrity check, integrityReport finds damage, and the file can be moved aside",
          "[store][migration]") {
    TempDir dir;
    const auto db = dir / "node.db";
    {
        Store store = Store::create(db, kOffice, kOfficeName);
        for (int i = 0; i < 200; ++i)
            REQUIRE(store.record(sampleCommitment("为独居老人上门服务第" + std::to_string(i) + "项"), "clerk:wang"));
    }
    {
        Store intact = Store::open(db);
        CHECK(intact.integrityReport().empty());
    }
    {
        // Garbage over a page near the end: the event log, not the schema.
        const auto size = std::filesystem::file_size(db);
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>((size / 4096 - 2) * 4096));
        const std::string garbage(4096, '\x5a');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    std::string report;
    {
        Store damaged = Store::open(db);  // opens: nothing read the page yet
        report = damaged.integrityReport();
    }
    CHECK_FALSE(report.empty());
    const auto aside = Store::moveAside(db);
    CHECK(std::filesystem::exists(aside));
    CHECK(aside.filename().string().rfind("node.db.corrupt-", 0) == 0);
    CHECK_FALSE(std::filesystem::exists(db));
}

TEST_CASE("damage a statement meets is a typed corrupt StoreError and the file stays where it is",
          "[store][migration]") {
    TempDir dir;
    const auto db = dir / "node.db";
    { Store::create(db, kOffice, kOfficeName); }
    // Garbage over the node table's page: opening reads it (device, role).
    rawExec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    const auto root = std::stoll(rawQuery(db, "SELECT rootpage FROM sqlite_master WHERE name = 'node'"));
    const auto pageSize = std::stoll(rawQuery(db, "PRAGMA page_size"));
    {
        std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>((root - 1) * pageSize));
        const std::string garbage(static_cast<std::size_t>(pageSize), '\x5a');
        f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
    try {
        Store::open(db);
        FAIL("opened a damaged file");
    } catch (const StoreError& e) {
        CHECK(e.messageId() == std::string("error.store.corrupt"));
    }
    CHECK(filesStartingWith(dir.path(), "node.db.corrupt-") == 0);
    CHECK(std::filesystem::exists(db));
}

TEST_CASE("a version 3 node that has synced keeps its sync state through the upgrade", "[store][migration]") {
    // Made at version 3 (commit 74aa2cb): demo office enrolled and synced,
    // then one report recorded offline, not yet acknowledged.
    constexpr const char* kV3Digest = "ba9ba1c05d95ac87e5b80690fcb08b25c768bba379abe2eeda3a19ad0c240ffb";
    TempDir dir;
    const auto db = fromFixture(dir, "node_v3.sql");
    REQUIRE(rawQuery(db, "PRAGMA user_version") == "3");
    Store store = Store::open(db);
    CHECK(rawQuery(db, "PRAGMA user_version") == std::to_string(Store::schemaVersion()));
    CHECK(store.digest("330110104") == kV3Digest);
    CHECK(store.pendingCount() == 1);
    CHECK(store.pendingEvents(10).size() == 1);
    CHECK(store.setting(Setting::cursor) == "1");
    CHECK(store.setting(Setting::serverUrl).rfind("http://127.0.0.1:", 0) == 0);
    CHECK(store.verify().ok());
    CHECK(store.clerks().empty());
    CHECK_FALSE(store.search("养老服务").empty());
}

TEST_CASE("a version 6 node gains the service areas' index and lists each area as before",
          "[store][migration]") {
    // Made at version 6 (commit c9613a1): init + demo (2026-06-01).
    constexpr const char* kV6Digest = "fe017d544403990c4c8acb7b49ee619909037eb98c2ea56ef56da17a2234d15b";
    TempDir dir;
    const auto db = fromFixture(dir, "node_v6.sql");
    REQUIRE(rawQuery(db, "PRAGMA user_version") == "6");
    // What an area listed before the upgrade: the table's rows of it.
    const std::string before =
        rawQuery(db,
                 "SELECT group_concat(id || status || progress || coalesce(deadline, '-'), ',') FROM "
                 "(SELECT * FROM commitment WHERE category = 'elderly_care' ORDER BY id)");
    REQUIRE_FALSE(before.empty());

    Store store = Store::open(db);
    CHECK(rawQuery(db, "PRAGMA user_version") == std::to_string(Store::schemaVersion()));
    CHECK(store.digest("330110104") == kV6Digest);
    CHECK(store.verify().ok());
    CHECK(rawQuery(db,
                   "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name = 'commitment_area'") ==
          "1");
    CHECK(rawQuery(db, "PRAGMA integrity_check") == "ok");

    // The area's summaries now come from the index, with the same values.
    std::vector<CommitmentState> listed;
    store.forEachCommitmentSummary(Category::elderlyCare,
                                   [&](const CommitmentState& c) { listed.push_back(c); });
    REQUIRE(listed.size() == 4);
    std::sort(listed.begin(), listed.end(), [](const CommitmentState& a, const CommitmentState& b) {
        return a.commitment.id < b.commitment.id;
    });
    std::string after;
    for (const CommitmentState& c : listed) {
        if (!after.empty()) after += ',';
        after += c.commitment.id + std::string(idOf(c.status)) + std::to_string(c.progress) +
                 (c.commitment.deadline ? c.commitment.deadline->toString() : "-");
        const auto full = store.commitment(c.commitment.id);
        REQUIRE(full);
        CHECK(c.commitment.title == full->commitment.title);
        CHECK(c.commitment.department == full->commitment.department);
        CHECK(c.commitment.kind == full->commitment.kind);
        CHECK(c.commitment.published == full->commitment.published);
        CHECK(c.statusDate == full->statusDate);
        CHECK(c.reportCount == full->reportCount);
        CHECK(c.lastReport == full->lastReport);
        CHECK(c.commitment.detail.empty());  // a summary: no long text
    }
    CHECK(after == before);

    // A report after the upgrade keeps the index in step with the table.
    const auto openOne = std::find_if(listed.begin(), listed.end(),
                                      [](const CommitmentState& c) { return !isClosed(c.status); });
    REQUIRE(openOne != listed.end());
    {
        FulfilmentReport r =
            sampleReport(openOne->commitment.id, Status::inProgress, 60, Date::fromCivil(2026, 6, 1));
        r.basedOn = openOne->lastReport;
        REQUIRE(store.record(r, "clerk:wang"));
        int progress = -1;
        store.forEachCommitmentSummary(Category::elderlyCare, [&](const CommitmentState& c) {
            if (c.commitment.id == openOne->commitment.id) progress = c.progress;
        });
        CHECK(progress == 60);
    }
    CHECK(rawQuery(db, "PRAGMA integrity_check") == "ok");
}
