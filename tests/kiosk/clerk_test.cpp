// Clerk mode without a window: dashboard counts, form validation with
// translated messages and nothing written, and role gating.
#include <catch2/catch.hpp>

#include <algorithm>

#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/clerk.hpp"
#include "shared/crypto.hpp"
#include "shared/pin.hpp"
#include "shared/rules.hpp"
#include "shared/store.hpp"
#include "shared/ticket.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;
using shouxin::test::TempDir;

namespace {

const Date kToday = Date::fromCivil(2026, 6, 10);

const ClerkSession kClerk{"zhang", "张明", Role::clerk};
const ClerkSession kSupervisor{"li", "李䶮", Role::supervisor};

Commitment dueOn(Store& store, const std::string& title, std::optional<Date> deadline) {
    Commitment c = test::sampleCommitment(title, Date::fromCivil(2026, 3, 1), deadline);
    c.office = store.node().office;
    REQUIRE(store.record(c, "system"));
    return c;
}

void addClerks(Store& store) {
    REQUIRE(store.record(ClerkAdded{"zhang", store.node().office, "张明", Role::clerk, pin::hash("246810")},
                         "system"));
    REQUIRE(store.record(ClerkAdded{"li", store.node().office, "李䶮", Role::supervisor, pin::hash("135790")},
                         "system"));
}

}  // namespace

TEST_CASE("the dashboard counts overdue, due within 7 days, broken and unanswered complaints",
          "[ui][clerk]") {
    TempDir dir;
    Store store = Store::create(dir / "office.db", "330110104", "青山镇人民政府");
    dueOn(store, "已逾期一", kToday.plusDays(-3));
    dueOn(store, "已逾期二", kToday.plusDays(-30));
    dueOn(store, "今天到期", kToday);
    dueOn(store, "七天后到期", kToday.plusDays(7));
    dueOn(store, "八天后到期", kToday.plusDays(8));
    dueOn(store, "无期限", std::nullopt);
    const Commitment broken = dueOn(store, "未兑现的", kToday.plusDays(-1));
    REQUIRE(store.record(test::sampleReport(broken.id, Status::broken, 40, kToday), "clerk:x"));
    const Commitment done = dueOn(store, "已兑现的", kToday.plusDays(2));
    REQUIRE(store.record(test::sampleReport(done.id, Status::fulfilled, 100, kToday), "clerk:x"));
    std::string waiting;
    for (int i = 0; i < 2; ++i) {
        Complaint c;
        c.id = newUuidV7();
        c.office = store.node().office;
        c.ticket = newTicket(c.office);
        if (i == 0) waiting = c.ticket;
        c.text = "路灯坏了没人修";
        c.filed = kToday;
        REQUIRE(store.record(c, "resident"));
        if (i == 1) REQUIRE(store.record(ComplaintAnswer{c.id, "已修复", kToday}, "clerk:x"));
    }

    const DashboardData d = loadDashboard(store, kToday);
    CHECK_FALSE(d.loading);
    REQUIRE(d.overdue.size() == 2);
    CHECK(d.overdue[0].title == "已逾期二");  // longest overdue first
    REQUIRE(d.dueSoon.size() == 2);
    CHECK(d.dueSoon[0].title == "今天到期");
    CHECK(d.dueSoon[1].title == "七天后到期");
    REQUIRE(d.broken.size() == 1);
    CHECK(d.broken[0].title == "未兑现的");
    CHECK(d.complaintCount == 1);
    // Listed on their own screen, with the answer form.
    const ComplaintsData open = loadComplaints(store);
    REQUIRE(open.open.size() == 1);
    CHECK(open.open[0].ticket == waiting);
}

TEST_CASE("report form problems come back translated and nothing is written", "[ui][clerk]") {
    TempDir dir;
    Store store = Store::create(dir / "office.db", "330110104", "青山镇人民政府");
    addClerks(store);
    const Commitment c = dueOn(store, "高龄津贴按月发放", kToday.plusDays(20));
    const CommitmentState seen = *store.commitment(c.id);
    const auto events = store.eventCount();

    ReportForm form;
    form.status = Status::inProgress;
    form.progress = 140;
    form.note = "已入户核查";
    auto r = buildReport(form, seen, kToday, kClerk);
    REQUIRE_FALSE(r.ok());
    CHECK(describeProblems(r.problems(), Lang::zh) == "进度：进度应在 0 到 100 之间");
    CHECK(describeProblems(r.problems(), Lang::en) == "Progress: Progress must be between 0 and 100");

    form.progress = 50;
    form.note.clear();
    r = buildReport(form, seen, kToday, kClerk);
    REQUIRE_FALSE(r.ok());
    CHECK(describeProblems(r.problems(), Lang::zh) == "情况说明：不能为空");

    // Amended: reason and legal basis are required (a supervisor's form).
    form.note = "因政策调整撤回";
    form.status = Status::amended;
    r = buildReport(form, seen, kToday, kSupervisor);
    REQUIRE_FALSE(r.ok());
    const std::string zh = describeProblems(r.problems(), Lang::zh);
    CHECK(zh.find("法律依据：不能为空") != std::string::npos);

    form.status = Status::fulfilled;
    form.progress = 80;
    r = buildReport(form, seen, kToday, kClerk);
    REQUIRE_FALSE(r.ok());
    CHECK(describeProblems(r.problems(), Lang::zh).find("已兑现时进度应为 100") != std::string::npos);
    CHECK(store.eventCount() == events);  // nothing half-written

    // A good one: dated today, based on the report the clerk saw.
    form.status = Status::inProgress;
    form.progress = 60;
    r = buildReport(form, seen, kToday, kClerk);
    REQUIRE(r.ok());
    CHECK(r->date == kToday);
    CHECK(r->basedOn == seen.lastReport);
    REQUIRE(store.record(*r, kClerk.actor()));
    CHECK(store.commitment(c.id)->progress == 60);
}

TEST_CASE("publish and revise forms validate every field with translated messages", "[ui][clerk]") {
    CommitmentForm form;
    form.kind = Kind::timeLimit;
    auto c = buildCommitment(form, "330110104", kToday, kClerk);
    REQUIRE_FALSE(c.ok());
    const std::string zh = describeProblems(c.problems(), Lang::zh);
    CHECK(zh.find("标题：不能为空") != std::string::npos);
    CHECK(zh.find("责任部门：不能为空") != std::string::npos);
    CHECK(zh.find("期限承诺须填写办结期限或时限") != std::string::npos);

    form.title = "低保申请10个工作日内办结";
    form.detail = "材料齐全的，10个工作日内办结。";
    form.department = "社会事务办";
    form.deadline = "2026-13-40";
    c = buildCommitment(form, "330110104", kToday, kClerk);
    REQUIRE_FALSE(c.ok());
    CHECK(describeProblems(c.problems(), Lang::en).find("Invalid date") != std::string::npos);

    form.deadline = kToday.plusDays(30).toString();
    c = buildCommitment(form, "330110104", kToday, kClerk);
    REQUIRE(c.ok());
    CHECK(c->published == kToday);
    CHECK(c->deadline == kToday.plusDays(30));
    const CommitmentState preview = previewOf(form, "330110104", kToday);
    CHECK(preview.commitment.title == form.title);

    // Revision: a reason is required, and something must change.
    CommitmentForm rev = formOf(*c);
    auto r = buildRevision(rev, *c, kToday, kSupervisor);
    REQUIRE_FALSE(r.ok());
    CHECK(describeProblems(r.problems(), Lang::zh).find("修改理由") != std::string::npos);
    rev.reason = "上级要求缩短时限";
    r = buildRevision(rev, *c, kToday, kSupervisor);
    REQUIRE_FALSE(r.ok());
    CHECK(describeProblems(r.problems(), Lang::zh) == "内容没有改动");
    rev.title = "低保申请7个工作日内办结";
    r = buildRevision(rev, *c, kToday, kSupervisor);
    REQUIRE(r.ok());
    CHECK(r->reason == "上级要求缩短时限");
}

TEST_CASE("a clerk session offers no revise, amend or disable, and resident mode offers nothing",
          "[ui][clerk]") {
    // Resident mode: no session, no action at all.
    CHECK(actionsFor(std::nullopt).empty());
    CHECK(reportStatuses(std::nullopt).empty());
    CHECK_FALSE(buildReport(ReportForm{}, CommitmentState{}, kToday, std::nullopt).ok());
    CHECK_FALSE(buildCommitment(CommitmentForm{}, "330110104", kToday, std::nullopt).ok());

    CHECK(may(kClerk, ClerkAction::report));
    CHECK(may(kClerk, ClerkAction::publish));
    CHECK(may(kClerk, ClerkAction::syncNow));
    CHECK_FALSE(may(kClerk, ClerkAction::revise));
    CHECK_FALSE(may(kClerk, ClerkAction::amend));
    CHECK_FALSE(may(kClerk, ClerkAction::disableClerk));
    CHECK_FALSE(may(kClerk, ClerkAction::setAside));
    const auto statuses = reportStatuses(kClerk);
    CHECK(std::find(statuses.begin(), statuses.end(), Status::amended) == statuses.end());

    for (const ClerkAction a :
         {ClerkAction::revise, ClerkAction::amend, ClerkAction::disableClerk, ClerkAction::setAside})
        CHECK(may(kSupervisor, a));
    const auto all = reportStatuses(kSupervisor);
    CHECK(std::find(all.begin(), all.end(), Status::amended) != all.end());

    // A clerk's forged amendment or revision is refused by the form...
    ReportForm amend;
    amend.status = Status::amended;
    amend.note = "撤回";
    amend.reason = "政策调整";
    amend.legalBasis = "某某条例第三条";
    CommitmentState seen;
    seen.commitment = test::sampleCommitment("t");
    CHECK_FALSE(buildReport(amend, seen, kToday, kClerk).ok());
    CHECK(buildReport(amend, seen, kToday, kSupervisor).ok());
    CommitmentForm rev = formOf(seen.commitment);
    rev.title = "新标题";
    rev.reason = "理由";
    CHECK_FALSE(buildRevision(rev, seen.commitment, kToday, kClerk).ok());

    // ... and by the store, whatever the UI did.
    TempDir dir;
    Store store = Store::create(dir / "office.db", "330110104", "青山镇人民政府");
    addClerks(store);
    const Commitment c = dueOn(store, "高龄津贴按月发放", kToday.plusDays(20));
    CommitmentRevised forged{c.id, "新标题", c.detail, c.department, "", c.deadline, "", "理由", kToday};
    CHECK_FALSE(store.record(forged, kClerk.actor()).ok());
    CHECK(store.record(forged, kSupervisor.actor()).ok());

    // Clerk screens are clerk views: the app refuses them without a session.
    CHECK(isClerkView(View::dashboard));
    CHECK(isClerkView(View::report));
    CHECK(isClerkView(View::publish));
    CHECK(isClerkView(View::revise));
    for (const View v : {View::home, View::area, View::detail, View::figures, View::search, View::login})
        CHECK_FALSE(isClerkView(v));
}

TEST_CASE("a fresh report form starts at a status the rulebook lets follow the current one",
          "[ui][clerk]") {
    for (const auto& session : {kClerk, kSupervisor})
        for (const Status current : rules::kAllStatuses) {
            INFO(idOf(current));
            const Status start = initialReportStatus(session, current, false);
            const auto offered = reportStatuses(session, current);
            if (!offered.empty())
                CHECK(std::find(offered.begin(), offered.end(), start) != offered.end());
        }
    CHECK(initialReportStatus(kClerk, Status::notStarted, false) == Status::inProgress);
    CHECK(initialReportStatus(kClerk, Status::broken, false) == Status::broken);
    // Rectified may not follow rectified: the form starts in progress.
    CHECK(initialReportStatus(kClerk, Status::rectified, false) == Status::inProgress);
    CHECK(initialReportStatus(kSupervisor, Status::fulfilled, true) == Status::amended);
}

TEST_CASE("sync state reads in plain words", "[ui][clerk]") {
    SyncInfo s;
    CHECK(syncStateText(s, Lang::zh).empty());  // no sync running: the old footer
    s.running = true;
    CHECK(syncStateText(s, Lang::zh) == "本终端尚未登记到区县");
    s.enrolled = true;
    s.syncing = true;
    CHECK(syncStateText(s, Lang::zh) == "正在与区县同步……");
    s.syncing = false;
    s.lastSuccess = 1'780'000'000'000;
    CHECK(syncStateText(s, Lang::en) == "Up to date with the district at " + clockTime(s.lastSuccess));
    s.lastError = "timeout";
    s.offlineSince = 1'780'000'600'000;
    CHECK(syncStateText(s, Lang::zh) ==
          "自 " + clockTime(s.offlineSince) + " 起未能同步：连接区县服务器超时，稍后重试");
}

TEST_CASE("a fullscreen kiosk closes only for a logged-in clerk", "[kiosk][clerk]") {
    const std::optional<ClerkSession> nobody;
    const std::optional<ClerkSession> clerk = ClerkSession{"zhang", "张明", Role::clerk};
    const std::optional<ClerkSession> supervisor = ClerkSession{"li", "李䶮", Role::supervisor};
    CHECK(closeAllowed(false, nobody));       // a window on a desk closes as windows do
    CHECK_FALSE(closeAllowed(true, nobody));  // kiosk use: residents have no way out
    CHECK(closeAllowed(true, clerk));
    CHECK(closeAllowed(true, supervisor));
    CHECK_FALSE(may(nobody, ClerkAction::closeKiosk));
}

TEST_CASE("the complaints list shows the oldest ones and says when more are waiting", "[ui][clerk]") {
    TempDir dir;
    Store store = Store::create(dir / "office.db", "330110104", "青山镇人民政府");
    const auto file = [&](int day) {
        Complaint c;
        c.id = newUuidV7();
        c.office = store.node().office;
        c.ticket = newTicket(c.office);
        c.text = "路灯坏了没人修";
        c.filed = kToday.plusDays(-day);
        REQUIRE(store.record(c, "resident"));
        return c.ticket;
    };
    const std::string oldest = file(static_cast<int>(kComplaintsShown));
    for (int day = 0; day < static_cast<int>(kComplaintsShown) - 1; ++day)
        file(day);
    ComplaintsData d = loadComplaints(store);
    CHECK(d.open.size() == kComplaintsShown);
    CHECK_FALSE(d.more);
    file(0);
    d = loadComplaints(store);
    CHECK(d.open.size() == kComplaintsShown);
    CHECK(d.more);
    CHECK(d.open.front().ticket == oldest);
}
