// The published event log against a district store on real SQLite files:
// set-aside events appear with their content withheld and the chain runs
// through them, and hostile input (empty, cut, overlong, garbage) gets a
// clear finding and never a crash.
#include <catch2/catch.hpp>

#include <algorithm>
#include <sstream>

#include "shared/audit.hpp"
#include "shared/crypto.hpp"
#include "shared/hlc.hpp"
#include "shared/i18n.hpp"
#include "shared/pin.hpp"
#include "tests/support/forge.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

constexpr const char* kDistrictCode = "330110";

struct SmallDistrict {
    TempDir dir;
    Store store = Store::createDistrict(dir / "district.db", kDistrictCode, "余杭区");
    KeyPair key = *readKeyFile(keyFileFor(dir / "district.db"));
    std::string setAsideId;

    SmallDistrict() {
        Commitment c = sampleCommitment("全区公交换乘优惠");
        c.office = kDistrictCode;
        REQUIRE(store.record(c, "district:wang"));
        // A clerk whose PIN verifier arrives readable: set aside, the chain runs on.
        ClerkAdded added{"c9", "330110104", "张明", Role::clerk, pin::hash("135790")};
        const Event forged = nextOf(store, added, "system", "330110104");
        const auto results = store.applyBatch({forged});
        REQUIRE(results.size() == 1);
        REQUIRE(results[0].setAside);
        setAsideId = forged.id;
        Commitment later = sampleCommitment("全区养老服务热线");
        later.office = kDistrictCode;
        REQUIRE(store.record(later, "district:wang"));
    }
    std::string log() const {
        std::ostringstream out;
        writeAuditLog(store, key, out);
        return out.str();
    }
};

AuditReport audit(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    return auditLog(in, key);
}

bool has(const AuditReport& r, const std::string& messageId) {
    return std::any_of(r.findings.begin(), r.findings.end(),
                       [&](const AuditFinding& f) { return f.messageId == messageId; });
}

}  // namespace

TEST_CASE("a set-aside event is in the log with its content withheld and the log audits clean", "[audit]") {
    SmallDistrict d;
    const std::string text = d.log();
    const AuditReport r = audit(text, d.key.publicKeyHex);
    INFO(describe(r));
    CHECK(r.ok());
    CHECK(r.setAside == 1);
    CHECK(r.events == 4);  // office.named, two commitments, the set-aside clerk
    CHECK(r.digest == d.store.digest(""));
    CHECK(text.find("$argon2id$") == std::string::npos);
    const auto at = text.find(d.setAsideId);
    REQUIRE(at != std::string::npos);
    const std::string line =
        text.substr(text.rfind('\n', at) + 1, text.find('\n', at) - text.rfind('\n', at) - 1);
    CHECK(line.find("\"payload\":\"\"") != std::string::npos);
    CHECK(line.find("\"set_aside\":\"error.clerk.pin_unsealed\"") != std::string::npos);
    CHECK(line.find("\"dseq\":null") != std::string::npos);
    CHECK(line.find("\"withheld\":\"set_aside\"") != std::string::npos);
}

TEST_CASE("writeAuditLog refuses a key that is not the district's", "[audit]") {
    SmallDistrict d;
    std::ostringstream out;
    CHECK_THROWS_AS(writeAuditLog(d.store, newKeyPair(), out), std::invalid_argument);
}

TEST_CASE("hostile logs get a clear finding and no crash", "[audit]") {
    SmallDistrict d;
    const std::string good = d.log();
    const std::string key = d.key.publicKeyHex;
    const std::string header = good.substr(0, good.find('\n') + 1);

    SECTION("an empty file") {
        const AuditReport r = audit("", key);
        CHECK_FALSE(r.readable);
        CHECK(has(r, "audit.empty"));
        CHECK(describe(r).find("The log file is empty") != std::string::npos);
    }
    SECTION("a file cut in the middle of a line") {
        const AuditReport r = audit(good.substr(0, good.size() * 2 / 3), key);
        CHECK(r.readable);
        CHECK_FALSE(r.ok());
        CHECK(has(r, "audit.truncated"));
    }
    SECTION("a file cut at a line's end") {
        const std::string cut = good.substr(0, good.rfind('\n', good.size() - 2) + 1);
        const AuditReport r = audit(cut, key);
        CHECK_FALSE(r.ok());
        CHECK(has(r, "audit.truncated"));
    }
    SECTION("a line of 2 MiB") {
        const AuditReport r = audit(header + std::string(2u << 20, 'x') + "\n", key);
        CHECK_FALSE(r.readable);
        REQUIRE_FALSE(r.findings.empty());
        CHECK(r.findings.back().messageId == "audit.line_too_long");
        CHECK(r.findings.back().line == 2);
    }
    SECTION("garbage instead of a header") {
        const AuditReport r = audit("{\"kind\":\x01 not json\n", key);
        CHECK_FALSE(r.readable);
        CHECK(has(r, "audit.header"));
    }
    SECTION("a garbage line among the events") {
        std::string text = good;
        text.insert(header.size(), "[1,2,{\"a\":\n");
        const AuditReport r = audit(text, key);
        CHECK(r.readable);
        CHECK_FALSE(r.ok());
        REQUIRE(has(r, "audit.line"));
        CHECK(r.findings.front().line == 2);
    }
    SECTION("deep nesting and an unknown kind") {
        std::string text = good;
        text.insert(header.size(), std::string(5000, '[') + "\n{\"kind\":\"other\"}\n");
        const AuditReport r = audit(text, key);
        CHECK_FALSE(r.ok());
        CHECK(has(r, "audit.line"));
    }
}

TEST_CASE("a legacy readable PIN verifier the district accepted is withheld from the log and named", "[audit]") {
    SmallDistrict d;
    // As a district accepted it before verifiers were sealed: through apply(),
    // which does not ask for sealed verifiers as a push does.
    ClerkAdded added{"c7", "330110104", "王芳", Role::clerk, pin::hash("246810")};
    Event e;
    e.id = newUuidV7();
    e.office = "330110104";
    e.device = newUuidV7();
    e.seq = 1;
    e.hlc = hlc::pack(hlc::nowMillis(), 0);
    e.actor = "system";
    e.type = std::string(eventTypeOf(added));
    e.payload = encodePayload(added);
    e.prevHash = kGenesisHash;
    e.hash = computeHash(e);
    const ApplyResult applied = d.store.apply(e);
    INFO(describe(applied.problems));
    REQUIRE(applied.outcome == ApplyResult::Outcome::accepted);

    const std::string text = d.log();
    CHECK(text.find("$argon2id$") == std::string::npos);
    CHECK(text.find("\"withheld\":\"pin_verifier\"") != std::string::npos);
    const AuditReport r = audit(text, d.key.publicKeyHex);
    INFO(describe(r));
    CHECK_FALSE(r.ok());
    const auto named = std::find_if(r.findings.begin(), r.findings.end(),
                                    [](const AuditFinding& f) { return f.messageId == "audit.withheld"; });
    REQUIRE(named != r.findings.end());
    CHECK(named->eventId == e.id);
}
