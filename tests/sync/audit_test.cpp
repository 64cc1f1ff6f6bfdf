// The district's event log as open data: exported by the real
// `shouxin-district export-log` from a district that two offices' kiosks
// synced with (a clerk with a PIN, a complaint with a sealed phone number,
// a revision, a breach record, a district answer), then checked by
// auditLog() and the real `shouxin audit`. A byte changed, a line deleted,
// a device key swapped or the digest changed is named where it is.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "shared/audit.hpp"
#include "shared/crypto.hpp"
#include "shared/ticket.hpp"
#include "tests/support/process.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPhone = "13800138000";
constexpr const char* kPin = "135790";

RunResult district(const SyncWorld& world, std::vector<std::string> args) {
    auto argv = districtCommand(world.districtDb());
    argv.insert(argv.end(), args.begin(), args.end());
    return runProgram(argv);
}

std::vector<std::string> linesOf(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        out.push_back(line);
    return out;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines)
        out += l + "\n";
    return out;
}

// The index of the first line holding every one of `parts`.
std::size_t lineWith(const std::vector<std::string>& lines, std::initializer_list<std::string> parts) {
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (std::all_of(parts.begin(), parts.end(),
                        [&](const std::string& p) { return lines[i].find(p) != std::string::npos; }))
            return i;
    }
    FAIL("no line holds " << *parts.begin());
    return 0;
}

AuditReport audit(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    return auditLog(in, key);
}

bool names(const AuditReport& r, const std::string& messageId, std::size_t line,
           const std::string& eventId = {}, const std::string& device = {}) {
    return std::any_of(r.findings.begin(), r.findings.end(), [&](const AuditFinding& f) {
        return f.messageId == messageId && f.line == line && (eventId.empty() || f.eventId == eventId) &&
               (device.empty() || f.device == device);
    });
}

void writeFile(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Two offices' kiosks and the district, with every kind of record.
struct District {
    SyncWorld world;
    Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    Kiosk b = world.addKiosk(kOfficeB, "白水镇人民政府");
    std::string complaintEvent;  // the complaint.filed event's id
    std::string reportEvent;     // kiosk A's fulfilment report's id
    std::string key;             // the district's public key
    fs::path log;

    District() {
        REQUIRE(runProgram({SHOUXIN_CLI, "--db", a.db, "clerk", "add", "--name", "李䶮", "--role",
                            "supervisor", "--id", "li", "--pin-stdin"},
                           std::string(kPin) + "\n")
                    .exitCode == 0);
        std::string commitment;
        {
            Store store = a.open();
            Commitment c = sampleCommitment("路灯坏了48小时内修好", Date::today().plusDays(-30),
                                            Date::today().plusDays(-5));
            c.office = kOfficeA;
            REQUIRE(store.record(c, "clerk:li"));
            commitment = c.id;
            CommitmentRevised revised{c.id,
                                      c.title + "（含节假日）",
                                      c.detail,
                                      c.department,
                                      c.responsible,
                                      c.deadline,
                                      c.timeLimit,
                                      "明确节假日同样适用",
                                      Date::today().plusDays(-20)};
            REQUIRE(store.record(revised, "clerk:li"));
            FulfilmentReport broken;
            broken.commitment = c.id;
            broken.status = Status::broken;
            broken.note = "配件缺货，超期未修";
            broken.date = Date::today();
            const auto report = store.record(broken, "clerk:li");
            REQUIRE(report);
            reportEvent = report->id;
            Complaint k;
            k.id = newUuidV7();
            k.office = kOfficeA;
            k.ticket = newTicket(kOfficeA);
            k.commitment = c.id;
            k.text = "路灯坏了一周还没修";
            k.filed = Date::today();
            k.sealedContact = *sealToDistrict(kPhone, store.setting(Setting::districtKey));
            const auto filed = store.record(k, "resident");
            REQUIRE(filed);
            complaintEvent = filed->id;
        }
        REQUIRE(a.cli({"breach", "confirm", "--commitment", commitment, "--note", "超期五天未修复",
                       "--rectify-by", Date::today().plusDays(30).toString(), "--clerk", "li"})
                    .exitCode == 0);
        {
            Store store = b.open();
            Commitment c = sampleCommitment("低保申请五个工作日内办结");
            c.office = kOfficeB;
            REQUIRE(store.record(c, "clerk:zhang"));
            REQUIRE(store.record(sampleReport(c.id, Status::inProgress, 40), "clerk:zhang"));
        }
        world.sync(a);
        world.sync(b);
        const std::string ticket = a.open().complaints(kOfficeA, false, 10).at(0).ticket;
        REQUIRE(district(world, {"complaint", "answer", ticket, "--text", "已督促施工单位修复", "--operator",
                                 "wang"})
                    .exitCode == 0);
        world.sync(a);

        key = Store::open(world.districtDb()).node().publicKeyHex;
        log = world.dir() / "log.jsonl";
        // The command name first, --db after it, as an operator may type it.
        auto argv = districtCommand(world.districtDb());
        argv.insert(argv.begin() + 1, {"export-log", "--out", log.string()});
        const RunResult exported = runProgram(argv);
        INFO(exported.err);
        REQUIRE(exported.exitCode == 0);
    }
};

}  // namespace

TEST_CASE("a district's exported event log audits clean and names every alteration", "[sync][audit][postgresql]") {
    District d;
    const std::string text = readFile(d.log);
    const auto lines = linesOf(text);
    REQUIRE(lines.size() > 10);

    const AuditReport good = audit(text, d.key);
    INFO(describe(good));
    CHECK(good.ok());
    CHECK(good.digest == Store::open(d.world.districtDb()).digest(""));
    CHECK(good.refoldedDigest == good.digest);
    CHECK(good.events == d.world.districtCount("event") + d.world.districtCount("set_aside"));
    CHECK(good.devices == d.world.districtCount("device"));

    // Nothing readable that must stay sealed: the phone, a PIN or its verifier.
    CHECK(text.find(kPhone) == std::string::npos);
    CHECK(text.find("$argon2id$") == std::string::npos);
    CHECK(text.find(kPin) == std::string::npos);
    CHECK(text.find("\\\"pin_hash\\\":\\\"sealed:") != std::string::npos);
    CHECK(text.find("\\\"sealed_contact\\\":\\\"\\\"") == std::string::npos);

    SECTION("another district's key") {
        const AuditReport other = audit(text, newKeyPair().publicKeyHex);
        CHECK_FALSE(other.ok());
        CHECK(names(other, "audit.key", 1));
        CHECK(names(other, "audit.state_signature", lines.size()));
    }
    SECTION("one byte of one event's payload") {
        auto altered = lines;
        const std::size_t at = lineWith(altered, {d.complaintEvent});
        const auto pos = altered[at].find("路灯坏了一周");
        REQUIRE(pos != std::string::npos);
        // One byte of the second character: still valid UTF-8, another character.
        altered[at][pos + 5] = static_cast<char>(altered[at][pos + 5] ^ 0x01);
        const AuditReport r = audit(joined(altered), d.key);
        INFO(describe(r));
        CHECK_FALSE(r.ok());
        CHECK(names(r, "error.verify.hash", at + 1, d.complaintEvent));
        CHECK(names(r, "audit.digest", lines.size()));
    }
    SECTION("an event line deleted") {
        auto altered = lines;
        const std::size_t at = lineWith(altered, {d.reportEvent});
        altered.erase(altered.begin() + static_cast<std::ptrdiff_t>(at));
        const AuditReport r = audit(joined(altered), d.key);
        INFO(describe(r));
        CHECK_FALSE(r.ok());
        // The next event of the same chain, now at the deleted line's place.
        const auto gap = std::find_if(r.findings.begin(), r.findings.end(), [](const AuditFinding& f) {
            return f.messageId == "error.verify.gap";
        });
        REQUIRE(gap != r.findings.end());
        CHECK(gap->device == d.a.open().node().device);
        CHECK(gap->detail.find("missing seq") != std::string::npos);
        CHECK(names(r, "audit.count", lines.size() - 1));
    }
    SECTION("a device key swapped") {
        auto altered = lines;
        const std::string device = d.b.open().node().device;
        const std::string bKey = d.b.open().node().publicKeyHex;
        const std::size_t at = lineWith(altered, {"\"kind\":\"device\"", device});
        const auto k = altered[at].find(bKey);
        REQUIRE(k != std::string::npos);
        altered[at].replace(k, bKey.size(), newKeyPair().publicKeyHex);
        const AuditReport r = audit(joined(altered), d.key);
        INFO(describe(r));
        CHECK_FALSE(r.ok());
        CHECK(names(r, "audit.device_key", at + 1, "", device));
        CHECK(names(r, "error.verify.head_signature", at + 1, "", device));
    }
    SECTION("the state line's digest changed") {
        auto altered = lines;
        auto& state = altered.back();
        const auto at = state.find(good.digest);
        REQUIRE(at != std::string::npos);
        state.replace(at, good.digest.size(), sha256Hex("another state"));
        const AuditReport r = audit(joined(altered), d.key);
        INFO(describe(r));
        CHECK_FALSE(r.ok());
        CHECK(names(r, "audit.state_signature", lines.size()));
        CHECK(names(r, "audit.digest", lines.size()));
    }
}

TEST_CASE("shouxin audit exits 0 on the district's log, 1 naming an altered event, 2 on no log",
          "[sync][audit][cli][postgresql]") {
    District d;
    const RunResult good = runProgram({SHOUXIN_CLI, "audit", d.log.string(), "--district-key", d.key});
    INFO(good.out << good.err);
    CHECK(good.exitCode == 0);
    CHECK(good.out.find("Audit passed") != std::string::npos);

    auto lines = linesOf(readFile(d.log));
    const std::size_t at = lineWith(lines, {d.reportEvent});
    const auto note = lines[at].find("配件缺货");
    REQUIRE(note != std::string::npos);
    lines[at][note + 1] = static_cast<char>(lines[at][note + 1] ^ 0x01);
    const fs::path altered = d.log.parent_path() / "altered.jsonl";
    writeFile(altered, joined(lines));
    const RunResult bad = runProgram({SHOUXIN_CLI, "audit", altered.string(), "--district-key", d.key});
    INFO(bad.out << bad.err);
    CHECK(bad.exitCode == 1);
    CHECK(bad.out.find(d.reportEvent) != std::string::npos);
    CHECK(bad.out.find("line " + std::to_string(at + 1) + ":") != std::string::npos);
    CHECK(bad.out.find("Audit failed") != std::string::npos);

    const RunResult missing = runProgram(
        {SHOUXIN_CLI, "audit", (d.log.parent_path() / "none.jsonl").string(), "--district-key", d.key});
    CHECK(missing.exitCode == 2);
    CHECK(missing.err.find("cannot be read") != std::string::npos);
    const RunResult badKey = runProgram({SHOUXIN_CLI, "audit", d.log.string(), "--district-key", "xyz"});
    CHECK(badKey.exitCode == 2);
}
