#include "tests/support/district_data.hpp"

#include <stdexcept>

#include "shared/crypto.hpp"
#include "shared/rules.hpp"
#include "shared/ticket.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/scenario.hpp"

namespace shouxin::test {

namespace {

Date day(int y, unsigned m, unsigned d) { return Date::fromCivil(y, m, d); }

void must(bool ok, const char* what) {
    if (!ok) throw std::runtime_error(std::string("district data: ") + what);
}

template <class T>
void record(Store& store, const T& payload, const char* actor, const char* what) {
    const auto event = store.record(payload, actor);
    if (!event)
        throw std::runtime_error(std::string("district data: ") + what + ": " +
                                 event.problems().front().message);
}

std::string publish(Store& store, const char* office, std::string title, Date published,
                    std::optional<Date> deadline, Category area = Category::elderlyCare,
                    const char* actor = "clerk:li") {
    Commitment c = sampleCommitment(std::move(title), published, deadline);
    c.office = office;
    c.category = area;
    record(store, c, actor, "publish");
    return c.id;
}

void report(Store& store, const std::string& commitment, Status status, int progress, Date date,
            std::string note = "已受理12户申请，材料核验中。") {
    FulfilmentReport r = sampleReport(commitment, status, progress, date);
    r.note = std::move(note);
    record(store, r, "clerk:li", "report");
}

// As enrolment and a sync would: the town's device known by its key, its
// events stored with the signature of its chain head.
void push(Store& from, const std::filesystem::path& fromDb, Store& district, const std::filesystem::path& districtDb) {
    const auto events = from.events();
    const auto keys = readKeyFile(keyFileFor(fromDb));
    must(keys.has_value(), "the town's device key");
    const Event& last = events.back();
    const std::string head = signHex(*keys, chainHeadMessage(last.device, last.seq, last.hash));
    for (const auto& r : district.applyBatch(events, head))
        must(r.outcome == ApplyResult::Outcome::accepted || r.outcome == ApplyResult::Outcome::duplicate,
             "push to the district");
    rawExec(districtDb, "UPDATE device SET public_key = '" + keys->publicKeyHex + "' WHERE id = '" + last.device + "'");
}

}  // namespace

DistrictData makeDistrictData(const std::filesystem::path& dir) {
    using D = DistrictData;
    DistrictData data;
    data.db = dir / "district.db";
    Store district = Store::createDistrict(data.db, D::kDistrict, D::kDistrictName);
    Store a = Store::create(dir / "town_a.db", D::kTownA, D::kTownAName);
    Store b = Store::create(dir / "town_b.db", D::kTownB, D::kTownBName);
    a.pinDistrict(district.node().device, district.node().publicKeyHex);
    b.pinDistrict(district.node().device, district.node().publicKeyHex);

    // Town A.
    data.onTime =
        publish(a, D::kTownA, D::kInjection, day(2026, 9, 1), day(2026, 10, 15), Category::employment);
    FulfilmentReport done = sampleReport(data.onTime, Status::fulfilled, 100, day(2026, 10, 10));
    done.note = D::kTrickyNote;
    done.evidence = {"档案-001", "照片,2张"};
    record(a, done, "clerk:li", "fulfilled on time");
    data.overdue = publish(a, D::kTownA, "+加号开头的承诺", day(2026, 9, 1), day(2026, 11, 20));
    data.broken = publish(a, D::kTownA, "-减号开头的承诺", day(2026, 8, 1), day(2026, 9, 30));
    report(a, data.broken, Status::broken, 40, day(2026, 10, 2), "配件缺货，超期未修");
    const auto brokenState = a.commitment(data.broken);
    must(brokenState.has_value(), "broken commitment");
    const Breach breach =
        rules::confirmBreach(*brokenState, "超期未修复", day(2026, 10, 5), day(2026, 10, 31));
    data.breach = breach.id;
    record(a, breach, "clerk:li", "breach");
    record(a, BreachStep{breach.id, BreachStepKind::rectified, "已更换配件", day(2026, 10, 20)}, "clerk:li",
           "rectified");
    data.nextYear = publish(a, D::kTownA, "@at开头的承诺", day(2026, 10, 1), day(2027, 1, 15));
    report(a, data.nextYear, Status::inProgress, 30, day(2026, 11, 1));
    data.amended = publish(a, D::kTownA, "村道路灯年底前全部更换", day(2026, 9, 1), day(2026, 12, 31),
                           Category::transport);
    CommitmentRevised revised;
    revised.commitment = data.amended;
    revised.title = "村道路灯年底前更换一半";
    revised.detail = "先更换主干道的路灯。";
    revised.department = "城建办";
    revised.deadline = day(2026, 12, 31);
    revised.reason = "预算调整";
    revised.date = day(2026, 10, 1);
    record(a, revised, "clerk:li", "revision");
    report(a, data.amended, Status::amended, 0, day(2026, 11, 1), "依法变更");

    Complaint k;
    k.id = newUuidV7();
    k.office = D::kTownA;
    k.ticket = newTicket(D::kTownA);
    k.commitment = data.overdue;
    k.reason = ComplaintReason::late;
    k.text = D::kComplaintText;
    k.filed = day(2026, 11, 25);
    const auto sealed = sealToDistrict(D::kPhone, district.node().publicKeyHex);
    must(sealed.has_value(), "seal");
    k.sealedContact = *sealed;
    data.complaint = k.id;
    record(a, k, "resident", "complaint");
    record(a, ComplaintAnswer{k.id, "已督促施工单位，三日内修复", day(2026, 11, 27)}, "clerk:li", "answer");
    Rating rating;
    rating.commitment = data.onTime;
    rating.score = 5;
    rating.date = day(2026, 10, 12);
    record(a, rating, "resident", "rating");

    // Town B.
    data.late = publish(b, D::kTownB, "瓶窑镇老年食堂每日供餐", day(2026, 9, 1), day(2026, 10, 31));
    report(b, data.late, Status::fulfilled, 100, day(2026, 11, 5), "已开餐");
    data.noDeadline =
        publish(b, D::kTownB, "便民服务中心延时服务", day(2026, 11, 10), std::nullopt, Category::convenience);
    data.firstQuarter =
        publish(b, D::kTownB, "春季防火巡查", day(2026, 1, 10), day(2026, 3, 31), Category::fireTheft);
    report(b, data.firstQuarter, Status::fulfilled, 100, day(2026, 3, 1), "已完成");

    push(a, dir / "town_a.db", district, data.db);
    push(b, dir / "town_b.db", district, data.db);

    // The district's own acts: credit repair, a district-wide commitment.
    record(district, BreachStep{breach.id, BreachStepKind::repaired, "整改到位，信用修复", day(2026, 11, 1)},
           "district:ops", "repaired");
    data.districtWide = publish(district, D::kDistrict, "全区每季度举办一场招聘会", day(2026, 9, 1),
                                day(2026, 12, 15), Category::employment, "district:ops");
    data.sealedContact = district.sealedContact(k.id);
    must(!data.sealedContact.empty(), "sealed contact at the district");
    return data;
}

}  // namespace shouxin::test
