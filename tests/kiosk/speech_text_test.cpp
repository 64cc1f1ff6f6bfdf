// What the read-out says: numbers, dates and percentages as a person says
// them, and the text of a commitment and of the figures.
#include <catch2/catch.hpp>

#include <string>

#include "kiosk/ui/speech_text.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;

TEST_CASE("whole numbers read as quantities, the way a person counts", "[speech]") {
    CHECK(chineseQuantity("0") == "零");
    CHECK(chineseQuantity("7") == "七");
    CHECK(chineseQuantity("10") == "十");
    CHECK(chineseQuantity("15") == "十五");
    CHECK(chineseQuantity("20") == "二十");
    CHECK(chineseQuantity("48") == "四十八");
    CHECK(chineseQuantity("100") == "一百");
    CHECK(chineseQuantity("110") == "一百一十");
    CHECK(chineseQuantity("105") == "一百零五");
    CHECK(chineseQuantity("222") == "二百二十二");
    CHECK(chineseQuantity("1005") == "一千零五");
    CHECK(chineseQuantity("1050") == "一千零五十");
    CHECK(chineseQuantity("2026") == "两千零二十六");
    CHECK(chineseQuantity("2000") == "两千");
    CHECK(chineseQuantity("10000") == "一万");
    CHECK(chineseQuantity("10500") == "一万零五百");
    CHECK(chineseQuantity("12000") == "一万两千");
    CHECK(chineseQuantity("20000") == "两万");
    CHECK(chineseQuantity("100010") == "十万零一十");
    CHECK(chineseQuantity("200000") == "二十万");
    CHECK(chineseQuantity("100000000") == "一亿");
    CHECK(chineseQuantity("200000000") == "两亿");
    CHECK(chineseQuantity("100000001") == "一亿零一");
    CHECK(chineseQuantity("007") == "七");
}

TEST_CASE("years and codes read digit by digit, zero as 〇", "[speech]") {
    CHECK(chineseDigits("2026") == "二〇二六");
    CHECK(chineseDigits("1900") == "一九〇〇");
    CHECK(speakableText("2026年", Lang::zh) == "二〇二六年");
    CHECK(speakableText("2026年11月", Lang::zh) == "二〇二六年十一月");
    CHECK(speakableText("2026个", Lang::zh) == "两千零二十六个");
    CHECK(speakableText("拨打0571", Lang::zh) == "拨打〇五七一");
}

TEST_CASE("dates, percentages and counts read as a person says them", "[speech]") {
    CHECK(speakableText("2026-11-11", Lang::zh) == "二〇二六年十一月十一日");
    CHECK(speakableText("2026-03-01", Lang::zh) == "二〇二六年三月一日");
    CHECK(speakableText("2026/6/10", Lang::zh) == "二〇二六年六月十日");
    CHECK(speakableText("80%", Lang::zh) == "百分之八十");
    CHECK(speakableText("100%", Lang::zh) == "百分之一百");
    CHECK(speakableText("0%", Lang::zh) == "百分之零");
    CHECK(speakableText("52.4%", Lang::zh) == "百分之五十二点四");
    CHECK(speakableText("52.4％", Lang::zh) == "百分之五十二点四");
    CHECK(speakableText("0.5", Lang::zh) == "零点五");
    CHECK(speakableText("10个工作日", Lang::zh) == "十个工作日");
    CHECK(speakableText("48", Lang::zh) == "四十八");
    CHECK(speakableText("3-5天", Lang::zh) == "三至五天");
    CHECK(speakableText("09:30", Lang::zh) == "九点三十分");
    CHECK(speakableText("14:00办结", Lang::zh) == "十四点整办结");
    // Mixed, as the read-out of a commitment puts them.
    CHECK(speakableText("期限：2026-06-07，已逾期 3 天。进度80%。", Lang::zh) ==
          "期限：二〇二六年六月七日，已逾期 三 天。进度百分之八十。");
    // Text without numbers is left alone, every byte.
    CHECK(speakableText("高龄津贴按月发放（㵘、䶮）", Lang::zh) == "高龄津贴按月发放（㵘、䶮）");
    CHECK(speakableText("", Lang::zh).empty());
}

TEST_CASE("English reads dates in words and leaves the other numbers to the English voice", "[speech]") {
    CHECK(speakableText("Due: 2026-11-11.", Lang::en) == "Due: 11 November 2026.");
    CHECK(speakableText("80% in 10 working days", Lang::en) == "80% in 10 working days");
}

TEST_CASE("a commitment reads its title, status, deadline, department and latest report", "[speech]") {
    DetailData d;
    d.loading = false;
    d.found = true;
    Commitment& c = d.state.commitment;
    c.title = "高龄津贴按月发放";
    c.department = "社会事务办公室";
    c.responsible = "李䶮";
    c.deadline = Date::fromCivil(2026, 6, 7);
    c.timeLimit = "10个工作日";
    d.badge = Badge::overdue;
    d.daysLeft = -3;
    const std::string none = readoutText(d, Lang::zh);
    CHECK(none.find("高龄津贴按月发放。") == 0);
    CHECK(none.find("逾期") != std::string::npos);
    CHECK(none.find("2026-06-07，已逾期 3 天") != std::string::npos);
    CHECK(none.find("办理时限：10个工作日。") != std::string::npos);
    CHECK(none.find("责任部门：社会事务办公室，李䶮。") != std::string::npos);
    CHECK(none.find("尚无兑现记录") != std::string::npos);

    FulfilmentRecord r;
    r.report.status = Status::inProgress;
    r.report.progress = 60;
    r.report.date = Date::fromCivil(2026, 6, 1);
    r.report.note = "已受理38份申请";
    d.history.push_back(r);
    const std::string text = readoutText(d, Lang::zh);
    CHECK(text.find("最新进展：2026-06-01，办理中，进度60%。已受理38份申请。") != std::string::npos);
    CHECK(speakableText(text, Lang::zh).find("二〇二六年六月一日，办理中，进度百分之六十。已受理三十八份申请") !=
          std::string::npos);

    const std::string en = readoutText(d, Lang::en);
    CHECK(en.find("Latest progress: 2026-06-01, In progress, Progress 60%.") != std::string::npos);
    CHECK(speakableText(en, Lang::en).find("1 June 2026") != std::string::npos);
}

TEST_CASE("the figures read each rate with its name", "[speech]") {
    FiguresData f;
    f.loading = false;
    f.overall.byStatus[static_cast<int>(Status::fulfilled)] = 4;
    f.overall.byStatus[static_cast<int>(Status::broken)] = 1;
    const std::string text = readoutText(f, Lang::zh);
    CHECK(text.find("兑现率：80%。") == 0);
    CHECK(text.find("未兑现：1。") != std::string::npos);
    CHECK(text.find("逾期数：0。") != std::string::npos);
    const std::string spoken = speakableText(text, Lang::zh);
    CHECK(spoken.find("兑现率：百分之八十。") == 0);
    CHECK(spoken.find('%') == std::string::npos);
}
