#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

#include "shared/domain.hpp"
#include "shared/i18n.hpp"
#include "shared/text.hpp"

using namespace shouxin;

namespace {

constexpr const char* kId = "01920000-0000-7000-8000-000000000001";
constexpr const char* kOtherId = "01920000-0000-7000-8000-000000000002";

// `n` copies of `unit`.
std::string repeat(std::string_view unit, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += unit;
    return out;
}

// Exactly one problem, with this field and catalogue message.
void requireOnly(const Problems& problems, const std::string& field, const std::string& message) {
    INFO(describe(problems));
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().field == field);
    CHECK(problems.front().message == message);
}

Commitment validCommitment() {
    Commitment c;
    c.id = kId;
    c.office = "330110104";
    c.category = Category::elderlyCare;
    c.kind = Kind::timeLimit;
    c.title = "老年人助餐点每周供餐五天";
    c.detail = "在社区服务中心设立助餐点。\n工作日供应午餐。";
    c.department = "社会事务办";
    c.responsible = "";
    c.deadline = Date::fromCivil(2026, 6, 30);
    c.timeLimit = "";
    c.published = Date::fromCivil(2026, 3, 1);
    return c;
}

FulfilmentReport validReport() {
    FulfilmentReport r;
    r.commitment = kId;
    r.status = Status::inProgress;
    r.progress = 40;
    r.note = "已完成选址";
    r.date = Date::fromCivil(2026, 4, 1);
    return r;
}

Complaint validComplaint() {
    Complaint c;
    c.id = kId;
    c.office = "330110104";
    c.ticket = "Q7K3-9MPD";
    c.commitment = kOtherId;
    c.text = "助餐点周三没有开门。";
    c.filed = Date::fromCivil(2026, 4, 2);
    return c;
}

Rating validRating() {
    Rating r;
    r.commitment = kId;
    r.score = 4;
    r.date = Date::fromCivil(2026, 4, 3);
    return r;
}

}  // namespace

// ---- Offices and scope ------------------------------------------------------

TEST_CASE("office codes are a county code plus a street, town or township number", "[domain]") {
    for (const char* code : {"330110001", "330110099", "330110100", "330110104", "330110199", "330110200",
                             "330110399", "110101001", "820001001"}) {
        INFO(code);
        CHECK(isOfficeCode(code));
    }
    CHECK(isDistrictCode("330110"));
    CHECK(isDistrictCode("110101"));
}

TEST_CASE("malformed office codes are rejected", "[domain]") {
    const char* bad[] = {
        "",          "33011010",   "3301101040", "330110",     // wrong length
        "33011010A", "3301１0104", "33O110104",  " 33011010",  // letters, non-ASCII, spaces
        "330110000", "330110400",  "330110999",                // township part 000 or 400+
        "990110104", "000110104",  "100110104",                // unknown province
        "330100104", "330000104",                              // prefecture / province code
    };
    for (const char* code : bad) {
        INFO(code);
        CHECK_FALSE(isOfficeCode(code));
    }
    for (const char* code : {"", "33011", "3301100", "990110", "330100", "330000", "33011a"}) {
        INFO(code);
        CHECK_FALSE(isDistrictCode(code));
    }
}

TEST_CASE("officeKind tells street, town and township apart by the last three digits", "[domain]") {
    CHECK(officeKind("330110001") == OfficeKind::street);
    CHECK(officeKind("330110099") == OfficeKind::street);
    CHECK(officeKind("330110100") == OfficeKind::town);
    CHECK(officeKind("330110104") == OfficeKind::town);
    CHECK(officeKind("330110199") == OfficeKind::town);
    CHECK(officeKind("330110200") == OfficeKind::township);
    CHECK(officeKind("330110399") == OfficeKind::township);
    CHECK_FALSE(officeKind("330110000").has_value());
    CHECK_FALSE(officeKind("330110400").has_value());
    CHECK_FALSE(officeKind("330110").has_value());
    CHECK_FALSE(officeKind("33011010x").has_value());
}

TEST_CASE("a scope covers the records whose office code it prefixes", "[domain]") {
    CHECK(inScope("330110", "330110104"));     // district covers its offices
    CHECK(inScope("330110104", "330110104"));  // an office covers itself
    CHECK(inScope("330110", "330110"));        // and district-wide records
    CHECK_FALSE(inScope("330110104", "330110105"));
    CHECK_FALSE(inScope("330111", "330110104"));
    CHECK_FALSE(inScope("330110104", "330110"));  // an office does not cover its district
    CHECK(districtOf("330110104") == "330110");
    CHECK(inScope(districtOf("330110104"), "330110399"));
}

// ---- Unified social credit code (GB 32100) ----------------------------------

TEST_CASE("the GB 32100 example credit code passes its check character", "[domain]") {
    CHECK(isCreditCode("91350100M000100Y43"));
}

TEST_CASE("credit codes with a wrong check character, length, case or letter fail", "[domain]") {
    CHECK_FALSE(isCreditCode("91350100M000100Y4Z"));  // the standard's negative example
    CHECK_FALSE(isCreditCode("91350100M000100Y44"));  // check character off by one
    CHECK_FALSE(isCreditCode("91350100M000100Y4"));   // 17 characters
    CHECK_FALSE(isCreditCode("91350100M000100Y433"));
    CHECK_FALSE(isCreditCode(""));
    CHECK_FALSE(isCreditCode("91350100m000100y43"));  // lower case
    for (const char letter : {'I', 'O', 'S', 'V', 'Z'}) {
        std::string code = "91350100M000100Y43";
        code[8] = letter;  // M -> a letter outside the alphabet
        INFO(code);
        CHECK_FALSE(isCreditCode(code));
    }
}

// ---- UTF-8 and text fields --------------------------------------------------

TEST_CASE("isValidUtf8 accepts Chinese including extension A and B characters", "[domain]") {
    CHECK(isValidUtf8(""));
    CHECK(isValidUtf8("plain ASCII"));
    CHECK(isValidUtf8("青山镇人民政府"));
    CHECK(isValidUtf8("䶮"));                // U+4DAE, extension A
    CHECK(isValidUtf8("㵘"));                // U+3D58, extension A
    CHECK(isValidUtf8("𠀀"));                // U+20000, extension B (4 bytes)
    CHECK(isValidUtf8("\xF4\x8F\xBF\xBF"));  // U+10FFFF, the last code point
    CHECK(isValidUtf8("\xEF\xBF\xBD"));      // U+FFFD
}

TEST_CASE("isValidUtf8 rejects overlongs, surrogates, truncation and code points above U+10FFFF",
          "[domain]") {
    const char* bad[] = {
        "\xC0\xAF",          // overlong '/'
        "\xC1\xBF",          // overlong
        "\xE0\x80\xAF",      // overlong, 3 bytes
        "\xF0\x80\x80\xAF",  // overlong, 4 bytes
        "\xED\xA0\x80",      // U+D800, a surrogate
        "\xED\xBF\xBF",      // U+DFFF
        "\xE4\xB8",          // truncated 中
        "\xF0\xA0\x80",      // truncated 𠀀
        "abc\xE4",           // truncated at the end
        "\x80",              // lone continuation byte
        "\xE4\x41\xAD",      // continuation replaced by ASCII
        "\xF4\x90\x80\x80",  // U+110000
        "\xF5\x80\x80\x80",  // lead byte beyond the range
        "\xFF",
    };
    for (const char* text : bad) {
        INFO(toHex(text));
        CHECK_FALSE(isValidUtf8(text));
    }
}

TEST_CASE("codePointCount counts code points, not bytes", "[domain]") {
    CHECK(codePointCount("") == 0);
    CHECK(codePointCount("abc") == 3);
    CHECK(codePointCount("青山镇") == 3);
    CHECK(codePointCount("a䶮㵘𠀀") == 4);
    CHECK(std::string_view("a䶮㵘𠀀").size() == 11);
}

TEST_CASE("checkText rejects control characters, newline and tab only when multiline", "[domain]") {
    CHECK_FALSE(checkText("note", "第一行", 0, 10).has_value());
    for (const char* text : {"a\x01"
                             "b",
                             "a\x7F", "a\xC2\x85" /* U+0085 */, "a\rb", "\x1B[0m"}) {
        INFO(toHex(text));
        const auto single = checkText("note", text, 0, 10);
        REQUIRE(single.has_value());
        CHECK(single->field == "note");
        CHECK(single->message == "error.text.control");
        const auto multi = checkText("note", text, 0, 10, true);
        REQUIRE(multi.has_value());
        CHECK(multi->message == "error.text.control");
    }
    const auto newline = checkText("title", "第一行\n第二行", 0, 10);
    REQUIRE(newline.has_value());
    CHECK(newline->field == "title");
    CHECK(newline->message == "error.text.control");
    CHECK_FALSE(checkText("detail", "第一行\n第二行", 0, 10, true).has_value());
    REQUIRE(checkText("title", "a\tb", 0, 10).has_value());
    CHECK_FALSE(checkText("detail", "a\tb", 0, 10, true).has_value());
}

TEST_CASE("checkText bounds are in code points, not bytes", "[domain]") {
    CHECK_FALSE(checkText("title", repeat("青", 60), 1, 60).has_value());  // 180 bytes
    CHECK_FALSE(checkText("title", repeat("𠀀", 60), 1, 60).has_value());  // 240 bytes
    const auto tooLong = checkText("title", repeat("青", 61), 1, 60);
    REQUIRE(tooLong.has_value());
    CHECK(tooLong->field == "title");
    CHECK(tooLong->message == "error.text.long");

    const auto empty = checkText("title", "", 1, 60);
    REQUIRE(empty.has_value());
    CHECK(empty->message == "error.text.empty");
    const auto tooShort = checkText("name", "青", 2, 40);  // 3 bytes, 1 code point
    REQUIRE(tooShort.has_value());
    CHECK(tooShort->message == "error.text.short");
    CHECK_FALSE(checkText("name", "青山", 2, 2).has_value());
    CHECK_FALSE(checkText("responsible", "", 0, 40).has_value());
}

TEST_CASE("checkText rejects invalid UTF-8 before anything else", "[domain]") {
    const auto p = checkText("text", "ab\xC0\xAF", 0, 100, true);
    REQUIRE(p.has_value());
    CHECK(p->field == "text");
    CHECK(p->message == "error.text.utf8");
}

// ---- Enumerations -----------------------------------------------------------

TEST_CASE("every category, kind and status round-trips through its id", "[domain]") {
    std::set<std::string_view> ids;
    REQUIRE(kCategories.size() == 14);
    for (const Category c : kCategories) {
        INFO(idOf(c));
        CHECK(parseCategory(idOf(c)) == c);
        CHECK(messageIdOf(c) == "category." + std::string(idOf(c)));
        ids.insert(idOf(c));
    }
    CHECK(ids.size() == 14);

    ids.clear();
    REQUIRE(kKinds.size() == 3);
    for (const Kind k : kKinds) {
        INFO(idOf(k));
        CHECK(parseKind(idOf(k)) == k);
        ids.insert(idOf(k));
    }
    CHECK(ids.size() == 3);

    ids.clear();
    REQUIRE(kStatuses.size() == 6);
    for (const Status s : kStatuses) {
        INFO(idOf(s));
        CHECK(parseStatus(idOf(s)) == s);
        ids.insert(idOf(s));
    }
    CHECK(ids.size() == 6);

    CHECK(idOf(Category::familyPlanning) == "family_planning");
    CHECK(idOf(Kind::timeLimit) == "time_limit");
    CHECK(idOf(Status::inProgress) == "in_progress");
    CHECK(messageIdOf(Status::broken) == "status.broken");
}

TEST_CASE("unknown ids parse to nothing, and overdue is not a stored status", "[domain]") {
    CHECK_FALSE(parseStatus("overdue").has_value());
    CHECK_FALSE(parseStatus("").has_value());
    CHECK_FALSE(parseStatus("Fulfilled").has_value());
    CHECK_FALSE(parseStatus("fulfilled ").has_value());
    CHECK_FALSE(parseStatus("in-progress").has_value());
    CHECK_FALSE(parseCategory("overdue").has_value());
    CHECK_FALSE(parseCategory("就业").has_value());
    CHECK_FALSE(parseCategory("category.employment").has_value());
    CHECK_FALSE(parseKind("timeLimit").has_value());
    CHECK_FALSE(parseKind("").has_value());
}

TEST_CASE("only not started and in progress are open statuses", "[domain]") {
    CHECK_FALSE(isClosed(Status::notStarted));
    CHECK_FALSE(isClosed(Status::inProgress));
    CHECK(isClosed(Status::fulfilled));
    CHECK(isClosed(Status::broken));
    CHECK(isClosed(Status::rectified));
    CHECK(isClosed(Status::amended));
}

// ---- Dates ------------------------------------------------------------------

TEST_CASE("Date::parse accepts real YYYY-MM-DD dates and round-trips through toString", "[domain]") {
    for (const char* text : {"1970-01-01", "2024-02-29", "2026-03-01", "2026-12-31", "2099-07-15"}) {
        INFO(text);
        const auto d = Date::parse(text);
        REQUIRE(d.has_value());
        CHECK(d->toString() == text);
    }
    CHECK(Date::parse("1970-01-01")->days == 0);
    CHECK(Date::parse("1970-01-02")->days == 1);
    CHECK(Date::parse("2024-02-29")->days == Date::fromCivil(2024, 2, 29).days);
    CHECK(Date::fromCivil(2026, 3, 1).toString() == "2026-03-01");
}

TEST_CASE("Date::parse rejects impossible dates and other forms", "[domain]") {
    for (const char* text :
         {"2026-02-30", "2023-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-01-00", "2026-1-01",
          "2026-01-1", "26-01-01", "2026/01/01", "2026-01-01 ", " 2026-01-01", "20260101", "2026-01-01T00:00",
          "garbage", "", "abcd-ef-gh", "2026-0a-01", "+026-01-01"}) {
        INFO(text);
        CHECK_FALSE(Date::parse(text).has_value());
    }
}

TEST_CASE("plusDays moves across month, leap day and year boundaries", "[domain]") {
    const Date d = Date::fromCivil(2024, 2, 28);
    CHECK(d.plusDays(1).toString() == "2024-02-29");
    CHECK(d.plusDays(2).toString() == "2024-03-01");
    CHECK(d.plusDays(0) == d);
    CHECK(Date::fromCivil(2025, 12, 31).plusDays(1).toString() == "2026-01-01");
    CHECK(Date::fromCivil(2026, 3, 1).plusDays(-1).toString() == "2026-02-28");
    CHECK(Date::fromCivil(2026, 1, 1).plusDays(365).toString() == "2027-01-01");
    CHECK(d < d.plusDays(1));
    CHECK(d.plusDays(-1) < d);
}

// ---- Validation -------------------------------------------------------------

TEST_CASE("a well-formed commitment validates", "[domain]") {
    CHECK(validate(validCommitment()).empty());
    Commitment districtWide = validCommitment();
    districtWide.office = "330110";
    CHECK(validate(districtWide).empty());
    Commitment noDeadline = validCommitment();
    noDeadline.deadline.reset();
    noDeadline.timeLimit = "10个工作日";
    CHECK(validate(noDeadline).empty());
    Commitment longTitle = validCommitment();
    longTitle.title = repeat("𠀀", Limits::kTitle);  // at the bound, in code points
    CHECK(validate(longTitle).empty());
}

TEST_CASE("commitment validation names the offending field", "[domain]") {
    Commitment c = validCommitment();
    SECTION("id") {
        c.id = "not-a-uuid";
        requireOnly(validate(c), "id", "error.id");
    }
    SECTION("id must be version 7") {
        c.id = "01920000-0000-4000-8000-000000000001";
        requireOnly(validate(c), "id", "error.id");
    }
    SECTION("office") {
        c.office = "330110400";
        requireOnly(validate(c), "office", "error.office_code");
    }
    SECTION("empty title") {
        c.title = "";
        requireOnly(validate(c), "title", "error.text.empty");
    }
    SECTION("title too long") {
        c.title = repeat("青", Limits::kTitle + 1);
        requireOnly(validate(c), "title", "error.text.long");
    }
    SECTION("newline in a one-line title") {
        c.title = "第一行\n第二行";
        requireOnly(validate(c), "title", "error.text.control");
    }
    SECTION("empty detail") {
        c.detail = "";
        requireOnly(validate(c), "detail", "error.text.empty");
    }
    SECTION("empty department") {
        c.department = "";
        requireOnly(validate(c), "department", "error.text.empty");
    }
    SECTION("responsible too long") {
        c.responsible = repeat("张", Limits::kResponsible + 1);
        requireOnly(validate(c), "responsible", "error.text.long");
    }
    SECTION("time limit too long") {
        c.timeLimit = repeat("日", Limits::kTimeLimit + 1);
        requireOnly(validate(c), "time_limit", "error.text.long");
    }
    SECTION("deadline before published") {
        c.deadline = c.published.plusDays(-1);
        requireOnly(validate(c), "deadline", "error.deadline_before_published");
    }
    SECTION("deadline on the published day is fine") {
        c.deadline = c.published;
        CHECK(validate(c).empty());
    }
}

TEST_CASE("fulfilment report validation", "[domain]") {
    FulfilmentReport r = validReport();
    CHECK(validate(r).empty());
    SECTION("progress 0 and 100 are in range") {
        r.progress = 0;
        CHECK(validate(r).empty());
        r.progress = 100;
        CHECK(validate(r).empty());
    }
    SECTION("progress below 0") {
        r.progress = -1;
        requireOnly(validate(r), "progress", "error.progress");
    }
    SECTION("progress above 100") {
        r.progress = 101;
        requireOnly(validate(r), "progress", "error.progress");
    }
    SECTION("amended without a reason") {
        r.status = Status::amended;
        r.legalBasis = "《某某条例》第十条";
        requireOnly(validate(r), "reason", "error.text.empty");
    }
    SECTION("amended without a legal basis") {
        r.status = Status::amended;
        r.reason = "上级政策调整";
        requireOnly(validate(r), "legal_basis", "error.text.empty");
    }
    SECTION("amended with reason and legal basis") {
        r.status = Status::amended;
        r.reason = "上级政策调整";
        r.legalBasis = "《某某条例》第十条";
        CHECK(validate(r).empty());
    }
    SECTION("note too long") {
        r.note = repeat("字", Limits::kNote + 1);
        requireOnly(validate(r), "note", "error.text.long");
    }
    SECTION("note at its bound, with newlines") {
        r.note = repeat("字", Limits::kNote - 1) + "\n";
        CHECK(validate(r).empty());
    }
    SECTION("commitment must be a UUIDv7") {
        r.commitment = "";
        requireOnly(validate(r), "commitment", "error.id");
    }
    SECTION("too many evidence references") {
        r.evidence.assign(Limits::kEvidenceCount + 1, "照片.jpg");
        requireOnly(validate(r), "evidence", "error.too_many");
    }
    SECTION("empty evidence reference") {
        r.evidence = {"档案 2026-17", ""};
        requireOnly(validate(r), "evidence", "error.text.empty");
    }
    SECTION("based_on must be a UUIDv7 when given") {
        r.basedOn = "xyz";
        requireOnly(validate(r), "based_on", "error.id");
    }
}

TEST_CASE("complaint tickets are 4 + '-' + 4 characters of the ticket alphabet", "[domain]") {
    Complaint c = validComplaint();
    CHECK(validate(c).empty());
    for (const char* ticket : {"2345-6789", "ABCD-EFGH", "JKMN-PQRS", "TUVW-XYZ2"}) {
        c.ticket = ticket;
        INFO(ticket);
        CHECK(validate(c).empty());
    }
    for (const char* ticket :
         {"", "Q7K3", "Q7K39MPD", "Q7K3-9MP", "Q7K3-9MPDX", "Q7K39-MPD", "Q7K3_9MPD", "q7k3-9mpd",
          "Q7K1-9MPD" /* 1 */, "Q7K0-9MPD" /* 0 */, "Q7KI-9MPD" /* I */, "Q7KL-9MPD" /* L */,
          "Q7KO-9MPD" /* O */, "Q7K3-9M-D", "-Q7K-9MPD", "Q7K3--MPD", "---------", "Q7K3-9MP中"}) {
        c.ticket = ticket;
        INFO(ticket);
        requireOnly(validate(c), "ticket", "error.ticket");
    }
}

TEST_CASE("complaint validation names the offending field", "[domain]") {
    Complaint c = validComplaint();
    SECTION("commitment is optional") {
        c.commitment = "";
        CHECK(validate(c).empty());
    }
    SECTION("commitment must be a UUIDv7 when given") {
        c.commitment = "42";
        requireOnly(validate(c), "commitment", "error.id");
    }
    SECTION("a complaint belongs to an office, not a district") {
        c.office = "330110";
        requireOnly(validate(c), "office", "error.office_code");
    }
    SECTION("empty text") {
        c.text = "";
        requireOnly(validate(c), "text", "error.text.empty");
    }
    SECTION("text too long") {
        c.text = repeat("投", Limits::kComplaintText + 1);
        requireOnly(validate(c), "text", "error.text.long");
    }
}

TEST_CASE("a rating has a score from 1 to 5 and exactly one target", "[domain]") {
    Rating r = validRating();
    CHECK(validate(r).empty());
    SECTION("scores 1 and 5 are in range, for an answer too") {
        r.commitment = "";
        r.complaint = kOtherId;
        r.score = 1;
        CHECK(validate(r).empty());
        r.score = 5;
        CHECK(validate(r).empty());
    }
    SECTION("score 0") {
        r.score = 0;
        requireOnly(validate(r), "score", "error.score");
    }
    SECTION("score 6") {
        r.score = 6;
        requireOnly(validate(r), "score", "error.score");
    }
    SECTION("no target") {
        r.commitment = "";
        requireOnly(validate(r), "target", "error.rating_target");
    }
    SECTION("two targets") {
        r.complaint = kOtherId;
        requireOnly(validate(r), "target", "error.rating_target");
    }
    SECTION("target must be a UUIDv7") {
        r.commitment = "commitment-1";
        requireOnly(validate(r), "commitment", "error.id");
    }
}

TEST_CASE("UUIDv7 text form and actors", "[domain]") {
    CHECK(isUuid(kId));
    CHECK_FALSE(isUuid("01920000-0000-4000-8000-000000000001"));  // version 4
    CHECK_FALSE(isUuid("01920000-0000-7000-8000-00000000000A"));  // upper case
    CHECK_FALSE(isUuid("0192000000007000800000000000000001"));
    CHECK_FALSE(isUuid(""));
    CHECK(isActor("resident"));
    CHECK(isActor("system"));
    CHECK(isActor("clerk:wang.li"));
    CHECK(isActor("district:ops-1"));
    CHECK_FALSE(isActor("clerk:"));
    CHECK_FALSE(isActor("clerk:王"));
    CHECK_FALSE(isActor("admin"));
    CHECK_FALSE(isActor("clerk:" + repeat("a", 33)));
}

TEST_CASE("a code's level is named as open data and the pages spell it", "[domain]") {
    CHECK(levelOf("33") == "province");
    CHECK(levelOf("3301") == "city");
    CHECK(levelOf("330110") == "district");
    CHECK(levelOf("330110104") == "office");
    CHECK(levelOf("").empty());
    CHECK(levelOf("3300").empty());
    CHECK(levelOf("330110999").empty());
}
