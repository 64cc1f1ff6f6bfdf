// Residents' voice and breach records across two kiosks of one office and
// the real district server: a complaint answered by the district and rated
// at the other kiosk; a breach confirmed, objected to, the objection
// dismissed, rectified and repaired. Every step reaches every replica, the
// digests agree, and the complainant's phone number exists only sealed.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "shared/crypto.hpp"
#include "shared/rules.hpp"
#include "shared/ticket.hpp"
#include "tests/support/process.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPhone = "13800138000";

/// `shouxin-district --db DISTRICT ARGS...`.
RunResult district(const SyncWorld& world, std::vector<std::string> args) {
    auto argv = districtCommand(world.districtDb());
    argv.insert(argv.end(), args.begin(), args.end());
    return runProgram(argv);
}

/// The text after "LABEL: " on the first line that has it.
std::string after(const std::string& out, const std::string& label) {
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (const auto at = line.find(label); at != std::string::npos) return line.substr(at + label.size());
    return {};
}

bool fileHolds(const fs::path& file, std::string_view bytes) {
    if (!fs::exists(file)) return false;
    std::ifstream in(file, std::ios::binary);
    const std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return all.find(bytes) != std::string::npos;
}

struct Office {
    SyncWorld world;
    Kiosk a = world.addKiosk(kOfficeA, "青山镇人民政府");
    Kiosk b = world.addKiosk(kOfficeA, "青山镇人民政府");
    std::string commitment;

    Office() {
        // A supervisor, and a commitment reported broken, on kiosk A.
        const RunResult added = runProgram({SHOUXIN_CLI, "--db", a.db, "clerk", "add", "--name", "李䶮",
                                            "--role", "supervisor", "--id", "li", "--pin-stdin"},
                                           "135790\n");
        REQUIRE(added.exitCode == 0);
        Store store = a.open();
        Commitment c =
            sampleCommitment("路灯坏了48小时内修好", Date::today().plusDays(-30), Date::today().plusDays(-5));
        c.office = kOfficeA;
        REQUIRE(store.record(c, "clerk:li"));
        commitment = c.id;
        FulfilmentReport broken;
        broken.commitment = c.id;
        broken.status = Status::broken;
        broken.note = "配件缺货，超期未修";
        broken.date = Date::today();
        REQUIRE(store.record(broken, "clerk:li"));
    }
    void syncAll() {
        world.sync(a);
        world.sync(b);
        world.sync(a);
    }
};

}  // namespace

TEST_CASE("a complaint is sealed, answered by the district, rated at the other kiosk and closed everywhere",
          "[sync][voice][postgresql]") {
    Office o;
    Complaint k;
    k.id = newUuidV7();
    k.office = kOfficeA;
    k.ticket = newTicket(kOfficeA);
    k.commitment = o.commitment;
    k.reason = ComplaintReason::late;
    k.text = "路灯坏了一周还没修";
    k.filed = Date::today();
    {
        Store store = o.a.open();
        const std::string districtKey = store.setting(Setting::districtKey);
        REQUIRE_FALSE(districtKey.empty());  // pinned at enrolment
        k.sealedContact = *sealToDistrict(kPhone, districtKey);
        REQUIRE(store.record(k, "resident"));
    }
    // The office's kiosk never holds the number readable, in the file or its log.
    CHECK_FALSE(fileHolds(o.a.db, kPhone));
    CHECK_FALSE(fileHolds(o.a.db + "-wal", kPhone));
    o.syncAll();

    // The district answers; an unknown ticket is refused by name.
    const RunResult unknown =
        district(o.world, {"complaint", "answer", newTicket(kOfficeB), "--text", "x", "--operator", "wang"});
    CHECK(unknown.exitCode == 1);
    CHECK(unknown.err.find("error.complaint.unknown") == std::string::npos);  // said in words, not ids
    const RunResult answered = district(o.world, {"complaint", "answer", k.ticket, "--text",
                                                  "已督促施工单位，三日内修复", "--operator", "wang"});
    INFO(answered.err);
    REQUIRE(answered.exitCode == 0);
    // Reading the contact is itself on the record, before the number is shown.
    const RunResult contact = district(
        o.world, {"complaint", "contact", k.ticket, "--operator", "wang", "--purpose", "回访投诉人"});
    INFO(contact.err);
    REQUIRE(contact.exitCode == 0);
    CHECK(contact.out.find(kPhone) != std::string::npos);
    o.syncAll();

    // Kiosk B: answered; the resident rates the answer, which closes it.
    {
        Store store = o.b.open();
        const auto seen = store.complaintByTicket(k.ticket);
        REQUIRE(seen);
        CHECK(seen->status == ComplaintStatus::answered);
        CHECK(seen->answer == "已督促施工单位，三日内修复");
        CHECK(seen->answeredBy == "district:wang");
        CHECK(seen->contactSealed);
        Rating rating;
        rating.complaint = k.id;
        rating.score = 4;
        rating.date = Date::today();
        REQUIRE(store.record(rating, "resident"));
        // Closed: no further answer, no second rating of it.
        CHECK_FALSE(store.record(ComplaintAnswer{k.id, "补充答复", Date::today()}, "clerk:li"));
        CHECK_FALSE(store.record(rating, "resident"));
    }
    o.syncAll();
    for (const Kiosk* kiosk : {&o.a, &o.b}) {
        const auto seen = kiosk->open().complaintByTicket(k.ticket);
        REQUIRE(seen);
        CHECK(seen->status == ComplaintStatus::closed);
        CHECK(seen->answerRating == 4);
    }
    CHECK(o.world.districtCount("complaint_step WHERE step = 'contact_read'") == 1);
    CHECK(o.a.digest() == o.b.digest());
    CHECK(o.a.digest() == o.world.districtDigest(kOfficeA));
    CHECK_FALSE(fileHolds(o.a.db, kPhone));
    CHECK_FALSE(fileHolds(o.b.db, kPhone));

    // The figures count it the same on the kiosk's command line and the district's.
    const RunResult node = o.a.cli({"figures"});
    const RunResult atDistrict = district(o.world, {"figures", "--office", kOfficeA});
    REQUIRE(node.exitCode == 0);
    REQUIRE(atDistrict.exitCode == 0);
    CHECK(node.out == atDistrict.out);
    CHECK(after(node.out, "Mean rating: ") == "4.0 (1)");
}

TEST_CASE("a breach is confirmed, objected to, dismissed, rectified and repaired, the same on every replica",
          "[sync][voice][postgresql]") {
    Office o;
    // Confirmed by the office's supervisor on kiosk A.
    const RunResult confirmed =
        o.a.cli({"breach", "confirm", "--commitment", o.commitment, "--note", "超期五天未修复",
                 "--rectify-by", Date::today().plusDays(30).toString(), "--clerk", "li"});
    INFO(confirmed.err);
    REQUIRE(confirmed.exitCode == 0);
    const std::string id = o.a.open().breachesOf(o.commitment).at(0).breach.id;
    o.syncAll();

    // Repair before rectification: refused at the district, nothing stored.
    const std::string before = o.world.districtDigest(kOfficeA);
    const RunResult early =
        district(o.world, {"breach", "repair", id, "--note", "提前修复", "--operator", "wang"});
    CHECK(early.exitCode == 1);
    CHECK(o.world.districtDigest(kOfficeA) == before);
    // A ruling is the district's: the office cannot rule on its own objection.
    {
        Store store = o.b.open();
        CHECK_FALSE(
            store.record(BreachStep{id, BreachStepKind::dismissed, "自行裁定", Date::today()}, "clerk:li"));
        // An objection after its last day is refused with the reason.
        const auto late = store.record(BreachStep{id, BreachStepKind::objected, "迟到的异议",
                                                  Date::today().plusDays(rules::kObjectionDays + 1)},
                                       "clerk:li");
        REQUIRE_FALSE(late);
        CHECK(late.problems().front().message == "error.breach.objection_window");
    }

    // Kiosk B objects in time; the district dismisses the objection.
    REQUIRE(o.b.cli({"breach", "object", id, "--note", "配件由上级统一采购，非本单位原因", "--clerk", "li"})
                .exitCode == 0);
    o.syncAll();
    const RunResult dismissed = district(o.world, {"breach", "rule", id, "--dismiss", "--note",
                                                   "采购延误不影响临时修复", "--operator", "wang"});
    INFO(dismissed.err);
    REQUIRE(dismissed.exitCode == 0);
    o.syncAll();

    // Kiosk A rectifies; the district repairs the office's credit.
    REQUIRE(
        o.a.cli({"breach", "rectify", id, "--note", "已更换路灯并建立备件库", "--clerk", "li"}).exitCode ==
        0);
    o.syncAll();
    const RunResult repaired =
        district(o.world, {"breach", "repair", id, "--note", "整改到位，予以信用修复", "--operator", "wang"});
    INFO(repaired.err);
    REQUIRE(repaired.exitCode == 0);
    o.syncAll();

    for (const Kiosk* kiosk : {&o.a, &o.b}) {
        const auto record = kiosk->open().breach(id);
        REQUIRE(record);
        CHECK(record->stage == BreachStage::repaired);
        REQUIRE(record->steps.size() == 4);
        CHECK(record->steps[0].step.step == BreachStepKind::objected);
        CHECK(record->steps[1].step.step == BreachStepKind::dismissed);
        CHECK(record->steps[1].actor == "district:wang");
        CHECK(record->steps[2].step.step == BreachStepKind::rectified);
        CHECK(record->steps[3].step.step == BreachStepKind::repaired);
        // Repaired: still in the history, no longer an open breach.
        const VoiceFigures figures = computeVoiceFigures(kiosk->open().voiceFacts(kOfficeA), FiguresFilter{});
        CHECK(figures.openBreaches == 0);
        CHECK(figures.repairedBreaches == 1);
    }
    CHECK(o.a.digest() == o.b.digest());
    CHECK(o.a.digest() == o.world.districtDigest(kOfficeA));
    const RunResult verified = district(o.world, {"verify"});
    CHECK(verified.exitCode == 0);
}
