#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "shared/crypto.hpp"
#include "shared/pin.hpp"
#include "shared/store.hpp"
#include "tests/support/forge.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/scenario.hpp"

using namespace shouxin;
using namespace shouxin::test;
using Outcome = ApplyResult::Outcome;

namespace {

bool hasProblem(const Problems& problems, std::string_view field, std::string_view message) {
    for (const auto& p : problems) {
        if (p.field == field && p.message == message) return true;
    }
    return false;
}

// The whole observable state of a node, to show that nothing changed.
struct Snapshot {
    std::int64_t events;
    std::string digest;
    bool operator==(const Snapshot&) const = default;
};
Snapshot snapshot(const Store& s) { return {s.eventCount(), s.digest("")}; }

}  // namespace

TEST_CASE("init creates a node with its key file readable by the owner only", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    const NodeInfo node = store.node();
    CHECK(node.office == kOffice);
    CHECK(node.officeName == kOfficeName);
    CHECK(isUuid(node.device));
    struct stat st {};
    REQUIRE(::stat((dir / "node.db.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    const auto keys = readKeyFile(dir / "node.db.key");
    REQUIRE(keys);
    CHECK(keys->publicKeyHex == node.publicKeyHex);
    CHECK(store.eventCount() == 1);  // office.named
    CHECK(store.pendingCount() == 1);
}

TEST_CASE("init refuses an invalid office code and an existing node", "[store]") {
    TempDir dir;
    CHECK_THROWS_AS(Store::create(dir / "a.db", "330110400", kOfficeName), StoreError);
    CHECK_THROWS_AS(Store::create(dir / "a.db", "12345", kOfficeName), StoreError);
    CHECK_FALSE(std::filesystem::exists(dir / "a.db"));
    CHECK_FALSE(std::filesystem::exists(dir / "a.db.key"));

    Store::create(dir / "b.db", kOffice, kOfficeName);
    try {
        Store::create(dir / "b.db", kOffice, "另一个镇");
        FAIL("overwrote an existing node");
    } catch (const StoreError& e) {
        CHECK(e.messageId() == "error.store.exists");
    }
    CHECK(Store::open(dir / "b.db").node().officeName == kOfficeName);
}

TEST_CASE("init cut short before its node was whole starts over and leaves no half-made node", "[store]") {
    TempDir dir;
    // What a power cut during an earlier init leaves: the node half-made
    // under its building name, and perhaps its key files.
    {
        std::ofstream half(dir / "node.db.creating");
        half << "SQLite format 3";
        std::ofstream wal(dir / "node.db.creating-wal");
        wal << "partial";
        std::ofstream key(dir / "node.db.key");
        key << "not a key\n";
    }
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    CHECK(store.node().officeName == kOfficeName);
    CHECK(store.integrityReport().empty());
    CHECK(readKeyFile(dir / "node.db.key")->publicKeyHex == store.node().publicKeyHex);
    for (const char* left : {"node.db.creating", "node.db.creating-wal", "node.db.creating-shm"})
        CHECK_FALSE(std::filesystem::exists(dir / left));

    // A key file with no creation under way is another node's: refused.
    {
        std::ofstream key(dir / "other.db.key");
        key << "not a key\n";
    }
    try {
        Store::create(dir / "other.db", kOffice, kOfficeName);
        FAIL("overwrote a key file");
    } catch (const StoreError& e) {
        CHECK(e.messageId() == "error.store.key_exists");
    }
    CHECK_FALSE(std::filesystem::exists(dir / "other.db"));
}

TEST_CASE("open refuses a missing file and a file that is not a node", "[store]") {
    TempDir dir;
    CHECK_THROWS_AS(Store::open(dir / "missing.db"), StoreError);
    {
        std::ofstream junk(dir / "junk.db");
        junk << "this is not a database, just text that happens to be here\n";
    }
    try {
        Store::open(dir / "junk.db");
        FAIL("opened junk");
    } catch (const std::exception&) {
        SUCCEED();
    }
}

TEST_CASE("bad input is rejected with a clear problem and nothing is written", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    const Commitment good = sampleCommitment("高龄津贴十个工作日内发放");
    REQUIRE(store.record(good, "clerk:wang"));
    const Snapshot before = snapshot(store);

    SECTION("invalid UTF-8 in a title") {
        Commitment c = sampleCommitment("abc");
        c.title = "\xE9\xAB\x98\xFF";
        const auto r = store.record(c, "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "title", "error.text.utf8"));
    }
    SECTION("an over-long detail") {
        Commitment c = sampleCommitment("高龄津贴");
        c.detail.clear();
        for (std::size_t i = 0; i <= Limits::kDetail; ++i)
            c.detail += "长";
        const auto r = store.record(c, "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "detail", "error.text.long"));
    }
    SECTION("an invalid division code") {
        Commitment c = sampleCommitment("高龄津贴");
        c.office = "330110000";
        const auto r = store.record(c, "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "office", "error.office_code"));
    }
    SECTION("another office's commitment") {
        Commitment c = sampleCommitment("高龄津贴");
        c.office = "330110105";
        const auto r = store.record(c, "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "office", "error.office.not_ours"));
    }
    SECTION("progress out of range") {
        const auto r = store.record(sampleReport(good.id, Status::inProgress, 101), "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "progress", "error.progress"));
    }
    SECTION("a report on an unknown commitment") {
        const auto r = store.record(sampleReport(newUuidV7(), Status::inProgress, 10), "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "commitment", "error.commitment.unknown"));
    }
    SECTION("rectified without a breach") {
        const auto r = store.record(sampleReport(good.id, Status::rectified, 100), "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "status", "error.status.rectify_needs_breach"));
    }
    SECTION("amended without a reason") {
        auto report = sampleReport(good.id, Status::amended, 0);
        report.reason.clear();
        const auto r = store.record(report, "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "reason", "error.text.empty"));
    }
    SECTION("a report dated before the commitment was published") {
        const auto r = store.record(
            sampleReport(good.id, Status::inProgress, 10, Date::fromCivil(2025, 1, 1)), "clerk:wang");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "date", "error.date.before_published"));
    }
    SECTION("a malformed actor") {
        const auto r = store.record(sampleReport(good.id, Status::inProgress, 10), "clerk:王 五");
        REQUIRE_FALSE(r);
        CHECK(hasProblem(r.problems(), "actor", "error.actor"));
    }
    CHECK(snapshot(store) == before);
}

TEST_CASE("events offered from elsewhere are checked before they are stored", "[store]") {
    TempDir dir;
    Store source = Store::create(dir / "source.db", kOffice, kOfficeName);
    REQUIRE(source.record(sampleCommitment("路灯故障48小时内修复"), "clerk:li"));
    const auto events = source.events();
    REQUIRE(events.size() == 2);
    Store target = Store::create(dir / "target.db", kOffice, kOfficeName);
    const Snapshot before = snapshot(target);

    SECTION("a changed payload no longer matches its hash") {
        Event e = events[0];
        e.payload[10] = 'X';
        const auto r = target.apply(e);
        CHECK(r.outcome == Outcome::rejected);
        CHECK(hasProblem(r.problems, "hash", "error.event.hash"));
    }
    SECTION("a gap in the device's chain") {
        const auto r = target.apply(events[1]);
        CHECK(r.outcome == Outcome::rejected);
        CHECK(hasProblem(r.problems, "seq", "error.chain.gap"));
    }
    SECTION("a link to the wrong previous event") {
        REQUIRE(target.apply(events[0]).outcome == Outcome::accepted);
        Event e = events[1];
        e.prevHash = std::string(64, 'a');
        e.hash = computeHash(e);
        const auto r = target.apply(e);
        CHECK(r.outcome == Outcome::rejected);
        CHECK(hasProblem(r.problems, "prev_hash", "error.chain.prev"));
        CHECK(target.eventCount() == before.events + 1);
        return;
    }
    SECTION("the same id with different bytes is a conflict") {
        REQUIRE(target.apply(events[0]).outcome == Outcome::accepted);
        const Snapshot after = snapshot(target);
        Event e = events[0];
        e.actor = "clerk:forged";
        e.hash = computeHash(e);
        const auto r = target.apply(e);
        CHECK(r.outcome == Outcome::conflict);
        CHECK(snapshot(target) == after);
        return;
    }
    SECTION("a payload that does not say what its type says") {
        Event e = events[0];
        e.type = "fulfilment.reported";
        e.hash = computeHash(e);
        const auto r = target.apply(e);
        CHECK(r.outcome == Outcome::rejected);
        CHECK_FALSE(r.problems.empty());
    }
    CHECK(snapshot(target) == before);
}

TEST_CASE("search finds commitments by Chinese text of any length", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    Commitment lamp = sampleCommitment("路灯故障48小时内修复");
    lamp.detail = "居民报修路灯后，城建办在48小时内派人修复。";
    lamp.department = "城建办";
    REQUIRE(store.record(lamp, "clerk:li"));
    const Commitment pension = sampleCommitment("高龄津贴十个工作日内发放");
    REQUIRE(store.record(pension, "clerk:li"));

    CHECK(store.search("路灯故障") == std::vector<std::string>{lamp.id});  // trigram
    CHECK(store.search("路灯") == std::vector<std::string>{lamp.id});      // two characters
    CHECK(store.search("灯") == std::vector<std::string>{lamp.id});        // one character
    CHECK(store.search("城建办") == std::vector<std::string>{lamp.id});    // department
    CHECK(store.search("社会事务") == std::vector<std::string>{pension.id});
    CHECK(store.search("内").size() == 2);
    CHECK(store.search("养猪场").empty());
    CHECK(store.search("%").empty());
    CHECK(store.search("\"").empty());
    CHECK(store.search("\xFF\xFE").empty());
}

TEST_CASE("a refused event's oversize payload is kept aside as a prefix and the chain still verifies",
          "[store]") {
    TempDir dir;
    Store district = Store::createDistrict(dir / "district.db", "330110", "余杭区");
    Store kiosk = Store::create(dir / "kiosk.db", kOffice, kOfficeName);
    std::vector<Event> batch = kiosk.events();
    const Event& head = batch.back();
    // A type this build does not know, with a 60 KB payload, then an
    // ordinary event chained after it.
    const Event big = chainAfter(head, "commitment.split", "{\"text\":\"" + std::string(60000, 'x') + "\"}", "system");
    const Event after = chainAfter(big, "office.named", encodePayload(OfficeNamed{kOffice, kOfficeName}), "system");
    batch.push_back(big);
    batch.push_back(after);

    const auto results = district.applyBatch(batch);
    REQUIRE(results.size() == batch.size());
    CHECK(results[results.size() - 2].setAside);
    CHECK(results.back().outcome == Outcome::accepted);
    const auto aside = district.setAside();
    REQUIRE(aside.size() == 1);
    CHECK(aside.front().event.payload.size() == 16 * 1024);
    CHECK(aside.front().event.hash == big.hash);
    const auto report = district.verify();
    INFO(describe(report));
    CHECK(report.ok());
}

TEST_CASE("a node takes district-level acts only from the district device it pinned", "[store]") {
    TempDir dir;
    Store district = Store::createDistrict(dir / "district.db", "330110", "余杭区");
    Store impostor = Store::createDistrict(dir / "impostor.db", "330110", "余杭区");
    Commitment wide = sampleCommitment("全区每季度举办一场招聘会");
    wide.office = "330110";
    REQUIRE(district.record(wide, "district:ops"));
    Commitment fake = sampleCommitment("伪造的全区承诺");
    fake.office = "330110";
    REQUIRE(impostor.record(fake, "district:ops"));

    Store node = Store::create(dir / "node.db", kOffice, kOfficeName);
    node.pinDistrict(district.node().device, district.node().publicKeyHex);
    std::vector<Event> pulled = district.events();
    const std::vector<Event> forged = impostor.events();
    pulled.insert(pulled.end(), forged.begin(), forged.end());
    node.applyPulled(pulled, {}, 1);
    CHECK(node.commitment(wide.id));
    CHECK_FALSE(node.commitment(fake.id));
    REQUIRE(node.setAside().size() == forged.size());
    for (const auto& aside : node.setAside()) {
        INFO(aside.event.type << " by " << aside.event.actor);
        CHECK((aside.reason == "error.auth.district_only" || aside.reason == "error.auth.district_actor"));
    }
}

TEST_CASE("recordAll writes every payload in one transaction or none", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    const auto before = store.eventCount();
    Commitment bad = sampleCommitment("第二条");
    bad.title.clear();
    const auto refused = store.recordAll({sampleCommitment("第一条"), bad}, "clerk:li");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.problems()[0].field == "#2 title");
    CHECK(store.eventCount() == before);

    const Commitment first = sampleCommitment("第一条");
    const auto written =
        store.recordAll({first, sampleReport(first.id, Status::inProgress, 30, Date::fromCivil(2026, 3, 2))}, "clerk:li");
    REQUIRE(written.ok());
    CHECK(*written == 2);
    CHECK(store.eventCount() == before + 2);
    CHECK(store.commitment(first.id)->progress == 30);
}

namespace {

// FTS5's own check of the index against the commitments, and nothing left
// waiting to be indexed once a transaction is committed.
bool searchIndexConsistent(const std::filesystem::path& db) {
    rawExec(db, "INSERT INTO commitment_search(commitment_search) VALUES('integrity-check')");
    return rawQuery(db, "SELECT count(*) FROM commitment_search_pending") == "0";
}

}  // namespace

TEST_CASE("the search index follows a revision, a rebuild and a replica", "[store]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    REQUIRE(store.record(ClerkAdded{"li", kOffice, "李华", Role::supervisor, pin::hash("654321")}, "system"));
    const Commitment lamp = sampleCommitment("路灯故障四十八小时内修复");
    const Commitment pension = sampleCommitment("养老金十个工作日内发放");
    REQUIRE(store.recordAll({lamp, pension}, "clerk:li"));
    CHECK(store.search("四十八小时") == std::vector<std::string>{lamp.id});
    CHECK(searchIndexConsistent(dir / "node.db"));

    CommitmentRevised revised;
    revised.commitment = lamp.id;
    revised.title = "路灯故障二十四小时内修复";
    revised.detail = lamp.detail;
    revised.department = "城建办";
    revised.deadline = lamp.deadline;
    revised.reason = "维修队伍扩充，时限缩短";
    revised.date = Date::fromCivil(2026, 4, 1);
    REQUIRE(store.record(revised, "clerk:li"));
    const auto searchesRight = [&](const Store& s) {
        CHECK(s.search("四十八小时").empty());
        CHECK(s.search("二十四小时") == std::vector<std::string>{lamp.id});
        CHECK(s.search("城建办") == std::vector<std::string>{lamp.id});
        CHECK(s.search("养老金") == std::vector<std::string>{pension.id});
    };
    searchesRight(store);
    CHECK(searchIndexConsistent(dir / "node.db"));

    store.rebuild();  // every commitment deleted and folded again in one transaction
    searchesRight(store);
    CHECK(searchIndexConsistent(dir / "node.db"));

    Store replica = Store::create(dir / "replica.db", kOffice, kOfficeName);
    exchange(store, replica);
    searchesRight(replica);
    CHECK(searchIndexConsistent(dir / "replica.db"));
}

TEST_CASE("several devices' batches share one commit; a refused one leaves no trace and no gap in the numbers",
          "[store]") {
    TempDir dir;
    Store district = Store::createDistrict(dir / "district.db", "330110", "余杭区");
    std::vector<std::vector<Event>> pushed;
    for (const char* office : {"330110104", "330110105", "330110106"}) {
        Store kiosk = Store::create(dir.path() / (std::string(office) + ".db"), office, "某镇人民政府");
        Commitment c = sampleCommitment("路灯故障四十八小时内修复");
        c.office = office;
        REQUIRE(kiosk.record(c, "clerk:zhang"));
        pushed.push_back(kiosk.events());
    }
    pushed[1].erase(pushed[1].begin());  // a gap: the chain cannot start at seq 2

    std::int64_t last = 0;
    const auto results = district.applyBatches(
        {{&pushed[0], "", nullptr, {}}, {&pushed[1], "", nullptr, {}}, {&pushed[2], "", nullptr, {}}}, &last);
    REQUIRE(results.size() == 3);
    for (const auto& r : results[0]) CHECK(r.outcome == Outcome::accepted);
    CHECK(results[1].back().refused());
    CHECK(results[1].back().refusal == Refusal::chainGap);
    for (const auto& r : results[2]) CHECK(r.outcome == Outcome::accepted);
    // Numbers 1..N, none lost to the refused batch; nothing of it stored.
    CHECK(last == district.lastDistrictSeq());
    CHECK(last == district.eventCount());
    CHECK(district.eventCount() == 1 + static_cast<std::int64_t>(pushed[0].size() + pushed[2].size()));
    CHECK(results[2].back().dseq == last);
    for (const auto& head : district.deviceHeads()) CHECK(head.device != pushed[1].front().device);
    CHECK(district.verify().ok());
}

TEST_CASE("a new district epoch marks every own event unsent and rewinds the pull, once", "[store][sync]") {
    TempDir dir;
    Store store = Store::create(dir / "node.db", kOffice, kOfficeName);
    const Commitment c = sampleCommitment("高龄津贴十个工作日内发放");
    REQUIRE(store.record(c, "clerk:wang"));
    REQUIRE(store.record(sampleReport(c.id, Status::inProgress, 10), "clerk:wang"));
    std::vector<Store::Acknowledgement> acks;
    std::int64_t dseq = 0;
    for (const Event& e : store.pendingEvents(100))
        acks.push_back({e.id, ++dseq, false, "", ""});
    store.acknowledge(acks);
    store.setSetting(Setting::cursor, "42");
    REQUIRE(store.pendingCount() == 0);

    const std::string first(32, 'a');
    const std::string second(32, 'b');
    // An older server sends none; the first one seen is only kept.
    CHECK_FALSE(store.followEpoch(""));
    CHECK(store.setting(Setting::epoch).empty());
    CHECK_FALSE(store.followEpoch(first));
    CHECK(store.setting(Setting::epoch) == first);
    CHECK(store.pendingCount() == 0);
    CHECK(store.setting(Setting::cursor) == "42");
    CHECK(store.setting(Setting::epochRepull).empty());

    // Another one: the district was restored.
    const auto receipt = store.setting(Setting::receipt);
    CHECK(store.followEpoch(second));
    CHECK(store.setting(Setting::epoch) == second);
    CHECK(store.pendingCount() == store.eventCount());
    CHECK(store.pendingEvents(100).size() == static_cast<std::size_t>(store.eventCount()));
    CHECK(store.setting(Setting::cursor) == "0");
    CHECK(store.setting(Setting::epochRepull) == "1");
    CHECK(store.setting(Setting::receipt) == receipt);
    CHECK(rawQuery(dir / "node.db", "SELECT count(*) FROM event WHERE dseq IS NOT NULL") == "0");
    // The same one again changes nothing.
    store.acknowledge(acks);
    CHECK_FALSE(store.followEpoch(second));
    CHECK(store.pendingCount() == 0);
}
