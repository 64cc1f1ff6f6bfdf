#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "shared/crypto.hpp"
#include "shared/event.hpp"
#include "shared/hlc.hpp"
#include "shared/i18n.hpp"

using namespace shouxin;

namespace {

constexpr const char* kCommitmentId = "01920000-0000-7000-8000-000000000001";
constexpr const char* kComplaintId = "01920000-0000-7000-8000-000000000002";
constexpr const char* kReportEventId = "01920000-0000-7000-8000-000000000003";

// Replaces the one occurrence of `from` in `text` by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(text.find(from, at + 1) == std::string::npos);
    return text.replace(at, from.size(), to);
}

bool hasProblem(const Problems& problems, const std::string& field, const std::string& message) {
    for (const auto& p : problems) {
        if (p.field == field && p.message == message) return true;
    }
    return false;
}

// Decoding fails with (at least) this problem.
void requireRejected(std::string_view type, int version, std::string_view json, const std::string& field,
                     const std::string& message) {
    const auto r = decodePayload(type, version, json);
    INFO(type << " v" << version << " " << json);
    REQUIRE_FALSE(r.ok());
    INFO(describe(r.problems()));
    CHECK(hasProblem(r.problems(), field, message));
}

OfficeNamed sampleOffice() { return {"330110104", "青山镇人民政府"}; }

Commitment sampleCommitment() {
    Commitment c;
    c.id = kCommitmentId;
    c.office = "330110104";
    c.category = Category::elderlyCare;
    c.kind = Kind::timeLimit;
    c.title = "老年人助餐点\"每周\"供餐五天 \\ 𠀀";
    c.detail = "在社区服务中心设立助餐点。\n\t工作日供应午餐，价格不高于 8 元。";
    c.department = "社会事务办";
    c.responsible = "王丽（副主任）";
    c.deadline = Date::fromCivil(2026, 6, 30);
    c.timeLimit = "10个工作日";
    c.published = Date::fromCivil(2026, 3, 1);
    return c;
}

FulfilmentReport sampleReport() {
    FulfilmentReport r;
    r.commitment = kCommitmentId;
    r.status = Status::inProgress;
    r.progress = 40;
    r.note = "已完成选址。\n下周装修。";
    r.date = Date::fromCivil(2026, 4, 1);
    r.evidence = {"照片-001.jpg", "档案 2026-17"};
    r.basedOn = kReportEventId;
    return r;
}

FulfilmentReport sampleAmendment() {
    FulfilmentReport r;
    r.commitment = kCommitmentId;
    r.status = Status::amended;
    r.progress = 0;
    r.date = Date::fromCivil(2026, 5, 1);
    r.reason = "上级政策调整，助餐点并入街道中心。";
    r.legalBasis = "《某某市养老服务条例》第十条";
    return r;
}

Complaint sampleComplaint() {
    Complaint c;
    c.id = kComplaintId;
    c.office = "330110104";
    c.ticket = "Q7K3-9MPD";
    c.commitment = kCommitmentId;
    c.text = "助餐点周三没有开门。";
    c.sealedContact = *sealToDistrict("13800138000", newKeyPair().publicKeyHex);
    c.filed = Date::fromCivil(2026, 4, 2);
    return c;
}

ComplaintAnswer sampleAnswer() {
    return {kComplaintId, "已核实，周三起恢复供餐。", Date::fromCivil(2026, 4, 5)};
}

Rating sampleRating() {
    Rating r;
    r.complaint = kComplaintId;
    r.score = 4;
    r.date = Date::fromCivil(2026, 4, 6);
    return r;
}

std::vector<Payload> samplePayloads() {
    Commitment noDeadline = sampleCommitment();
    noDeadline.deadline.reset();
    noDeadline.responsible = "";
    Rating ofCommitment = sampleRating();
    ofCommitment.complaint = "";
    ofCommitment.commitment = kCommitmentId;
    const ClerkAdded clerk{"zhang", "330110104", "张明", Role::supervisor,
                           "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"};
    const ClerkDisabled disabled{"zhang", "330110104", "调岗"};
    CommitmentRevised revised;
    revised.commitment = kCommitmentId;
    revised.title = "高龄津贴七个工作日内发放";
    revised.detail = "申请后7个工作日内核定发放。";
    revised.department = "社会事务办公室";
    revised.deadline = Date::fromCivil(2026, 6, 15);
    revised.reason = "县里简化审批流程";
    revised.date = Date::fromCivil(2026, 4, 1);
    CommitmentRevised openEnded = revised;
    openEnded.deadline.reset();
    Complaint late = sampleComplaint();
    late.reason = ComplaintReason::late;
    late.sealedContact = "";
    const ComplaintStep handling{kComplaintId, ComplaintStepKind::handling, "", Date::fromCivil(2026, 4, 3)};
    const ComplaintStep read{kComplaintId, ComplaintStepKind::contactRead, "回访投诉人",
                             Date::fromCivil(2026, 4, 4)};
    const Breach breach{"01920000-0000-7000-8000-000000000003",
                        "330110104",
                        kCommitmentId,
                        "逾期两个月未发放",
                        Date::fromCivil(2026, 5, 1),
                        Date::fromCivil(2026, 5, 16),
                        Date::fromCivil(2026, 6, 30)};
    const BreachStep objected{breach.id, BreachStepKind::objected, "材料不全，非本单位原因",
                              Date::fromCivil(2026, 5, 10)};
    return {sampleOffice(),
            sampleCommitment(),
            noDeadline,
            sampleReport(),
            sampleAmendment(),
            sampleComplaint(),
            sampleAnswer(),
            sampleRating(),
            ofCommitment,
            clerk,
            disabled,
            revised,
            openEnded,
            late,
            handling,
            read,
            breach,
            objected};
}

Event sampleEvent() {
    Event e;
    e.id = "01920000-0000-7000-8000-0000000000e1";
    e.office = "330110104";
    e.device = "01920000-0000-7000-8000-0000000000d1";
    e.seq = 1;
    e.hlc = hlc::pack(1767225600000, 0);
    e.actor = "clerk:wangli";
    const Payload p = sampleCommitment();
    e.type = std::string(eventTypeOf(p));
    e.payload = encodePayload(p);
    e.prevHash = kGenesisHash;
    e.hash = computeHash(e);
    return e;
}

// The canonical byte form spelled out independently of event.cpp.
std::string lengthPrefixed(std::string_view bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    std::string out;
    out.push_back(static_cast<char>((n >> 24) & 0xFFu));
    out.push_back(static_cast<char>((n >> 16) & 0xFFu));
    out.push_back(static_cast<char>((n >> 8) & 0xFFu));
    out.push_back(static_cast<char>(n & 0xFFu));
    out.append(bytes);
    return out;
}

}  // namespace

// ---- Payloads ---------------------------------------------------------------

TEST_CASE("every payload alternative survives encode, decode and encode byte for byte", "[event]") {
    const auto payloads = samplePayloads();
    std::vector<std::size_t> kinds;
    for (const Payload& p : payloads) {
        const std::string json = encodePayload(p);
        INFO(json);
        const auto decoded = decodePayload(eventTypeOf(p), kPayloadVersion, json);
        INFO((decoded.ok() ? std::string() : describe(decoded.problems())));
        REQUIRE(decoded.ok());
        CHECK(decoded->index() == p.index());
        CHECK(eventTypeOf(*decoded) == eventTypeOf(p));
        CHECK(encodePayload(*decoded) == json);
        kinds.push_back(p.index());
    }
    for (std::size_t i = 0; i < std::variant_size_v<Payload>; ++i) {
        INFO("alternative " << i);
        CHECK(std::find(kinds.begin(), kinds.end(), i) != kinds.end());
    }
}

TEST_CASE("a complaint written before reasons existed decodes with the reason other", "[event]") {
    std::string json = encodePayload(sampleComplaint());
    const auto at = json.find(",\"reason\":\"other\"");
    REQUIRE(at != std::string::npos);
    json.erase(at, std::string(",\"reason\":\"other\"").size());
    const auto decoded = decodePayload(event_type::kComplaintFiled, kPayloadVersion, json);
    REQUIRE(decoded.ok());
    CHECK(std::get<Complaint>(*decoded).reason == ComplaintReason::other);
    // An unknown reason is refused, like any enumeration.
    json.insert(json.size() - 1, ",\"reason\":\"bored\"");
    CHECK_FALSE(decodePayload(event_type::kComplaintFiled, kPayloadVersion, json).ok());
}

TEST_CASE("a complaint's contact must be a sealed box", "[event]") {
    Complaint c = sampleComplaint();
    c.sealedContact = "13800138000";
    CHECK_FALSE(validate(c).empty());
    c.sealedContact = "c2VhbGVkIGJveA==";  // base64, but far too short for a sealed box
    CHECK_FALSE(validate(c).empty());
    const KeyPair district = newKeyPair();
    c.sealedContact = *sealToDistrict("13800138000", district.publicKeyHex);
    CHECK(validate(c).empty());
    CHECK(openSealed(c.sealedContact, district) == "13800138000");
    CHECK_FALSE(openSealed(c.sealedContact, newKeyPair()).has_value());
    CHECK_FALSE(sealToDistrict("x", "not a key").has_value());
}

TEST_CASE("decoded payloads carry every field", "[event]") {
    const auto decoded =
        decodePayload(event_type::kCommitmentPublished, kPayloadVersion, encodePayload(sampleCommitment()));
    REQUIRE(decoded.ok());
    const auto& c = std::get<Commitment>(*decoded);
    const Commitment expected = sampleCommitment();
    CHECK(c.id == expected.id);
    CHECK(c.office == expected.office);
    CHECK(c.category == expected.category);
    CHECK(c.kind == expected.kind);
    CHECK(c.title == expected.title);
    CHECK(c.detail == expected.detail);
    CHECK(c.department == expected.department);
    CHECK(c.responsible == expected.responsible);
    REQUIRE(c.deadline.has_value());
    CHECK(c.deadline->days == expected.deadline->days);
    CHECK(c.timeLimit == expected.timeLimit);
    CHECK(c.published.days == expected.published.days);

    const auto report =
        decodePayload(event_type::kFulfilmentReported, kPayloadVersion, encodePayload(sampleReport()));
    REQUIRE(report.ok());
    const auto& r = std::get<FulfilmentReport>(*report);
    CHECK(r.status == Status::inProgress);
    CHECK(r.progress == 40);
    CHECK(r.evidence == sampleReport().evidence);
    CHECK(r.basedOn == kReportEventId);
}

TEST_CASE("payload JSON is canonical: fixed key order, no white space, every field present", "[event]") {
    CHECK(encodePayload(sampleOffice()) == R"({"code":"330110104","name":"青山镇人民政府"})");
    CHECK(
        encodePayload(sampleRating()) ==
        R"({"commitment":"","complaint":"01920000-0000-7000-8000-000000000002","score":4,"date":"2026-04-06"})");
    Commitment noDeadline = sampleCommitment();
    noDeadline.deadline.reset();
    CHECK(encodePayload(noDeadline).find(R"("deadline":null,)") != std::string::npos);
    CHECK(eventTypeOf(sampleOffice()) == event_type::kOfficeNamed);
    CHECK(eventTypeOf(sampleCommitment()) == event_type::kCommitmentPublished);
    CHECK(eventTypeOf(sampleReport()) == event_type::kFulfilmentReported);
    CHECK(eventTypeOf(sampleComplaint()) == event_type::kComplaintFiled);
    CHECK(eventTypeOf(sampleAnswer()) == event_type::kComplaintAnswered);
    CHECK(eventTypeOf(sampleRating()) == event_type::kRatingGiven);
}

TEST_CASE("decodePayload rejects malformed JSON", "[event]") {
    const auto office = event_type::kOfficeNamed;
    requireRejected(office, 1, "", "payload", "error.json.syntax");
    requireRejected(office, 1, R"({"code":"330110104","name":"x")", "payload", "error.json.syntax");
    requireRejected(office, 1, R"({"code":"330110104","name":"x"} {})", "payload", "error.json.syntax");
    requireRejected(office, 1, R"({code:"330110104","name":"x"})", "payload", "error.json.syntax");
    requireRejected(office, 1, R"({"code":"330110104","name":"x",})", "payload", "error.json.syntax");
}

TEST_CASE("decodePayload rejects JSON that is not an object", "[event]") {
    for (const char* json : {"[]", R"(["330110104","x"])", R"("x")", "42", "null", "true"}) {
        requireRejected(event_type::kOfficeNamed, 1, json, "payload", "error.json.type");
    }
}

TEST_CASE("decodePayload rejects a missing field", "[event]") {
    requireRejected(event_type::kOfficeNamed, 1, R"({"code":"330110104"})", "name",
                    "error.json.missing_field");
    const std::string commitment = encodePayload(sampleCommitment());
    requireRejected(event_type::kCommitmentPublished, 1,
                    replaced(commitment, R"("deadline":"2026-06-30",)", ""), "deadline",
                    "error.json.missing_field");
    requireRejected(event_type::kCommitmentPublished, 1,
                    replaced(commitment, R"("category":"elderly_care",)", ""), "category",
                    "error.json.missing_field");
    const std::string rating = encodePayload(sampleRating());
    requireRejected(event_type::kRatingGiven, 1, replaced(rating, R"(,"date":"2026-04-06")", ""), "date",
                    "error.json.missing_field");
    requireRejected(event_type::kRatingGiven, 1, "{}", "score", "error.json.missing_field");
}

TEST_CASE("decodePayload rejects an unknown extra field", "[event]") {
    requireRejected(event_type::kOfficeNamed, 1, R"({"code":"330110104","name":"x","extra":1})", "extra",
                    "error.json.unknown_field");
    requireRejected(event_type::kRatingGiven, 1,
                    replaced(encodePayload(sampleRating()), R"("score":4)", R"("score":4,"Score":5)"),
                    "Score", "error.json.unknown_field");
}

// One stored payload must not be readable two ways: with a repeated key the
// first value would silently win and re-encode to different bytes.
TEST_CASE("decodePayload rejects a key that appears twice", "[event]") {
    requireRejected(event_type::kOfficeNamed, kPayloadVersion,
                    R"({"code":"330110104","name":"A","name":"B"})", "name", "error.json.duplicate_field");
}

TEST_CASE("decodePayload rejects a field of the wrong type", "[event]") {
    const std::string rating = encodePayload(sampleRating());
    requireRejected(event_type::kRatingGiven, 1, replaced(rating, R"("score":4)", R"("score":"4")"), "score",
                    "error.json.type");
    requireRejected(event_type::kRatingGiven, 1, replaced(rating, R"("score":4)", R"("score":4.0)"), "score",
                    "error.json.type");
    requireRejected(event_type::kRatingGiven, 1, replaced(rating, R"("score":4)", R"("score":4294967300)"),
                    "score", "error.json.type");
    requireRejected(event_type::kRatingGiven, 1,
                    replaced(rating, R"("commitment":"")", R"("commitment":null)"), "commitment",
                    "error.json.type");
    const std::string report = encodePayload(sampleReport());
    requireRejected(event_type::kFulfilmentReported, 1,
                    replaced(report, R"("progress":40)", R"("progress":true)"), "progress",
                    "error.json.type");
    requireRejected(event_type::kFulfilmentReported, 1,
                    replaced(report, R"(["照片-001.jpg","档案 2026-17"])", R"("照片-001.jpg")"), "evidence",
                    "error.json.type");
    requireRejected(event_type::kFulfilmentReported, 1,
                    replaced(report, R"(["照片-001.jpg","档案 2026-17"])", R"(["照片-001.jpg",17])"),
                    "evidence", "error.json.type");
    requireRejected(
        event_type::kCommitmentPublished, 1,
        replaced(encodePayload(sampleCommitment()), R"("deadline":"2026-06-30")", R"("deadline":20260630)"),
        "deadline", "error.json.type");
    requireRejected(event_type::kOfficeNamed, 1, R"({"code":330110104,"name":"x"})", "code",
                    "error.json.type");
}

TEST_CASE("decodePayload rejects unknown status, category and kind ids", "[event]") {
    const std::string report = encodePayload(sampleReport());
    requireRejected(event_type::kFulfilmentReported, 1,
                    replaced(report, R"("status":"in_progress")", R"("status":"overdue")"), "status",
                    "error.status");
    requireRejected(event_type::kFulfilmentReported, 1,
                    replaced(report, R"("status":"in_progress")", R"("status":"In_Progress")"), "status",
                    "error.status");
    const std::string commitment = encodePayload(sampleCommitment());
    requireRejected(event_type::kCommitmentPublished, 1,
                    replaced(commitment, R"("category":"elderly_care")", R"("category":"sports")"),
                    "category", "error.category");
    requireRejected(event_type::kCommitmentPublished, 1,
                    replaced(commitment, R"("kind":"time_limit")", R"("kind":"promise")"), "kind",
                    "error.kind");
}

TEST_CASE("decodePayload rejects bad dates", "[event]") {
    const std::string rating = encodePayload(sampleRating());
    requireRejected(event_type::kRatingGiven, 1, replaced(rating, "2026-04-06", "2026-02-30"), "date",
                    "error.date");
    requireRejected(event_type::kRatingGiven, 1, replaced(rating, "2026-04-06", "2026-4-06"), "date",
                    "error.date");
    requireRejected(event_type::kRatingGiven, 1, replaced(rating, R"("2026-04-06")", R"("")"), "date",
                    "error.date");
    const std::string commitment = encodePayload(sampleCommitment());
    requireRejected(event_type::kCommitmentPublished, 1, replaced(commitment, "2026-06-30", "2026-13-01"),
                    "deadline", "error.date");
    requireRejected(event_type::kCommitmentPublished, 1, replaced(commitment, "2026-03-01", "yesterday!"),
                    "published", "error.date");
}

TEST_CASE("decodePayload rejects any payload version but the current one", "[event]") {
    const std::string json = encodePayload(sampleOffice());
    REQUIRE(decodePayload(event_type::kOfficeNamed, kPayloadVersion, json).ok());
    for (const int version : {0, -1, kPayloadVersion + 1, 100}) {
        requireRejected(event_type::kOfficeNamed, version, json, "payload_version", "error.payload_version");
    }
}

TEST_CASE("decodePayload rejects invalid UTF-8 inside a JSON string", "[event]") {
    requireRejected(event_type::kOfficeNamed, 1, "{\"code\":\"330110104\",\"name\":\"\xC0\xAF\"}", "payload",
                    "error.text.utf8");
    requireRejected(event_type::kOfficeNamed, 1, "{\"code\":\"330110104\",\"name\":\"\xED\xA0\x80\"}",
                    "payload", "error.text.utf8");
    requireRejected(event_type::kOfficeNamed, 1, "{\"code\":\"330110104\",\"name\":\"\xE9\x9D\"}", "payload",
                    "error.text.utf8");
    // Escapes that would decode to a lone surrogate or a control character.
    CHECK_FALSE(decodePayload(event_type::kOfficeNamed, 1, R"({"code":"330110104","name":"\ud800"})").ok());
    CHECK_FALSE(decodePayload(event_type::kOfficeNamed, 1, R"({"code":"330110104","name":"\udc00"})").ok());
    requireRejected(event_type::kOfficeNamed, 1, R"({"code":"330110104","name":"a\u0001"})", "name",
                    "error.text.control");
    // A well-formed escape of a supplementary character is fine.
    const auto ok =
        decodePayload(event_type::kOfficeNamed, 1, R"({"code":"330110104","name":"\ud840\udc00"})");
    REQUIRE(ok.ok());
    CHECK(std::get<OfficeNamed>(*ok).name == "𠀀");
}

TEST_CASE("decodePayload rejects an unknown event type", "[event]") {
    const std::string json = encodePayload(sampleOffice());
    for (const char* type : {"office.renamed", "", "OFFICE.NAMED", "commitment.overdue"}) {
        requireRejected(type, 1, json, "type", "error.event_type");
    }
}

TEST_CASE("decodePayload applies domain validation after the JSON checks", "[event]") {
    requireRejected(event_type::kRatingGiven, 1,
                    replaced(encodePayload(sampleRating()), R"("score":4)", R"("score":9)"), "score",
                    "error.score");
    requireRejected(event_type::kOfficeNamed, 1, R"({"code":"330110000","name":"x"})", "office",
                    "error.office_code");
    requireRejected(event_type::kComplaintFiled, 1,
                    replaced(encodePayload(sampleComplaint()), "Q7K3-9MPD", "Q7K3-9MPO"), "ticket",
                    "error.ticket");
}

// ---- Envelope, hash and signature -------------------------------------------

TEST_CASE("canonicalBytes is the domain tag and every envelope field but the hash, length-prefixed",
          "[event]") {
    const Event e = sampleEvent();
    const std::string expected = lengthPrefixed("shouxin.event.v1") + lengthPrefixed(e.id) +
                                 lengthPrefixed(e.office) + lengthPrefixed(e.device) + lengthPrefixed("1") +
                                 lengthPrefixed(std::to_string(e.hlc)) + lengthPrefixed(e.actor) +
                                 lengthPrefixed(e.type) + lengthPrefixed("1") + lengthPrefixed(e.payload) +
                                 lengthPrefixed(e.prevHash);
    CHECK(canonicalBytes(e) == expected);
    CHECK(computeHash(e) == sha256Hex(expected));
    CHECK(sha256Hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST_CASE("changing any single envelope field changes the hash", "[event]") {
    const Event original = sampleEvent();
    const std::string hash = computeHash(original);
    REQUIRE(hash.size() == 64);
    const std::vector<std::pair<const char*, std::function<void(Event&)>>> changes = {
        {"id", [](Event& e) { e.id.back() = '2'; }},
        {"office", [](Event& e) { e.office = "330110105"; }},
        {"device", [](Event& e) { e.device.back() = '2'; }},
        {"seq", [](Event& e) { e.seq = 2; }},
        {"hlc", [](Event& e) { e.hlc += 1; }},
        {"actor", [](Event& e) { e.actor = "clerk:wangl"; }},
        {"type", [](Event& e) { e.type = std::string(event_type::kFulfilmentReported); }},
        {"payload version", [](Event& e) { e.payloadVersion = 2; }},
        {"payload", [](Event& e) { e.payload = replaced(e.payload, "五天", "六天"); }},
        {"payload by one byte", [](Event& e) { e.payload += " "; }},
        {"prev hash", [](Event& e) { e.prevHash.back() = '1'; }},
    };
    for (const auto& [name, change] : changes) {
        Event e = original;
        change(e);
        INFO(name);
        CHECK(computeHash(e) != hash);
    }
    Event rehashed = original;
    rehashed.hash = std::string(64, 'f');
    CHECK(computeHash(rehashed) == hash);  // the hash does not cover itself
}

TEST_CASE("length prefixes keep bytes from moving between adjacent fields unnoticed", "[event]") {
    Event a = sampleEvent();
    Event b = a;
    a.actor = "clerk:ab";
    a.type = "c.d";
    b.actor = "clerk:a";
    b.type = "bc.d";
    CHECK(canonicalBytes(a) != canonicalBytes(b));
    CHECK(computeHash(a) != computeHash(b));
    Event c = sampleEvent();
    Event d = c;
    c.seq = 11;
    c.hlc = 1;
    d.seq = 1;
    d.hlc = 11;
    CHECK(computeHash(c) != computeHash(d));
}

TEST_CASE("checkEnvelope accepts a well-formed envelope and names each bad field", "[event]") {
    const Event good = sampleEvent();
    INFO(describe(checkEnvelope(good)));
    CHECK(checkEnvelope(good).empty());
    Event district = good;
    district.office = "330110";
    CHECK(checkEnvelope(district).empty());
    Event resident = good;
    resident.actor = "resident";
    CHECK(checkEnvelope(resident).empty());

    struct Case {
        const char* name;
        std::function<void(Event&)> change;
        const char* field;
        const char* message;
    };
    const std::vector<Case> cases = {
        {"empty id", [](Event& e) { e.id = ""; }, "id", "error.id"},
        {"upper-case id", [](Event& e) { e.id = "01920000-0000-7000-8000-0000000000E1"; }, "id", "error.id"},
        {"version 4 id", [](Event& e) { e.id = "01920000-0000-4000-8000-0000000000e1"; }, "id", "error.id"},
        {"short office", [](Event& e) { e.office = "33011010"; }, "office", "error.office_code"},
        {"prefecture office", [](Event& e) { e.office = "330100"; }, "office", "error.office_code"},
        {"device", [](Event& e) { e.device = "kiosk-1"; }, "device", "error.id"},
        {"seq 0", [](Event& e) { e.seq = 0; }, "seq", "error.seq"},
        {"negative seq", [](Event& e) { e.seq = -3; }, "seq", "error.seq"},
        {"actor", [](Event& e) { e.actor = "root"; }, "actor", "error.actor"},
        {"actor with space", [](Event& e) { e.actor = "clerk:wang li"; }, "actor", "error.actor"},
        {"short prev hash", [](Event& e) { e.prevHash.pop_back(); }, "prev_hash", "error.hash"},
        {"upper-case prev hash", [](Event& e) { e.prevHash = std::string(64, 'A'); }, "prev_hash",
         "error.hash"},
        {"empty hash", [](Event& e) { e.hash = ""; }, "hash", "error.hash"},
        {"non-hex hash", [](Event& e) { e.hash.back() = 'g'; }, "hash", "error.hash"},
        {"long hash", [](Event& e) { e.hash += "0"; }, "hash", "error.hash"},
    };
    for (const Case& c : cases) {
        Event e = good;
        c.change(e);
        const Problems problems = checkEnvelope(e);
        INFO(c.name << ": " << describe(problems));
        REQUIRE(problems.size() == 1);
        CHECK(problems.front().field == c.field);
        CHECK(problems.front().message == c.message);
    }
}

TEST_CASE("newUuidV7 makes valid ids that carry their millisecond", "[event]") {
    for (int i = 0; i < 200; ++i) {
        const std::string id = newUuidV7();
        INFO(id);
        REQUIRE(isUuid(id));
        const char variant = id[19];
        CHECK((variant == '8' || variant == '9' || variant == 'a' || variant == 'b'));
    }
    const std::int64_t ms = 0x0192'3456'789A;
    const std::string id = newUuidV7(ms);
    CHECK(isUuid(id));
    CHECK(id.substr(0, 13) == "01923456-789a");
    CHECK(newUuidV7(ms) != newUuidV7(ms));  // random bits
}

TEST_CASE("newUuidV7 text sorts by creation time across milliseconds", "[event]") {
    std::vector<std::int64_t> times;
    const std::int64_t base = 1767225600000;  // 2026-01-01
    for (std::int64_t k = 0; k < 300; ++k)
        times.push_back(base + k);
    for (const std::int64_t jump : {0xFFLL, 0x100LL, 0xFFFFLL, 0x10000LL, 0xFFFFFFLL, 1LL << 40}) {
        times.push_back(base + jump);
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    std::string previousMax;
    for (const std::int64_t t : times) {
        std::string lo = "~";
        std::string hi;
        for (int i = 0; i < 4; ++i) {
            const std::string id = newUuidV7(t);
            lo = std::min(lo, id);
            hi = std::max(hi, id);
        }
        INFO(t << " " << lo << " after " << previousMax);
        CHECK(previousMax < lo);
        previousMax = hi;
    }

    const std::string earlier = newUuidV7();
    std::this_thread::sleep_for(std::chrono::milliseconds(3));
    const std::string later = newUuidV7();
    CHECK(earlier < later);
}

TEST_CASE("hlc::tick is strictly increasing even when the wall clock goes backwards", "[event]") {
    const std::int64_t walls[] = {1000, 1000, 1000, 1001, 999, 500, 500, 1001, 1002, 0, -5, 1002, 2000};
    std::uint64_t last = 0;
    for (const std::int64_t wall : walls) {
        const std::uint64_t next = hlc::tick(last, wall);
        INFO("wall " << wall << " last " << last << " next " << next);
        CHECK(next > last);
        CHECK(hlc::millisOf(next) >= hlc::millisOf(last));
        last = next;
    }
    CHECK(hlc::tick(hlc::pack(1000, 7), 2000) == hlc::pack(2000, 0));  // a later wall clock wins
    CHECK(hlc::tick(hlc::pack(1000, 7), 900) == hlc::pack(1000, 8));   // otherwise count on
    // A full counter carries into the milliseconds and still rises.
    const std::uint64_t full = hlc::pack(1000, 0xFFFF);
    CHECK(hlc::tick(full, 1000) > full);
    CHECK(hlc::millisOf(hlc::tick(full, 1000)) == 1001);
}

TEST_CASE("hlc::receive never goes behind a remote stamp", "[event]") {
    const std::uint64_t remote = hlc::pack(5000, 3);
    for (const std::uint64_t local : {std::uint64_t{0}, hlc::pack(4000, 9), hlc::pack(5000, 2),
                                      hlc::pack(5000, 3), hlc::pack(5000, 4), hlc::pack(9000, 0)}) {
        const std::uint64_t after = hlc::receive(local, remote);
        INFO("local " << local);
        CHECK(after >= remote);
        CHECK(after >= local);
        // The next local event, even with a lagging wall clock, comes after the remote one.
        CHECK(hlc::tick(after, 1000) > remote);
    }
}

TEST_CASE("a signed chain head verifies only with its key and its exact message", "[event]") {
    const KeyPair keys = newKeyPair();
    CHECK(keys.publicKeyHex.size() == 64);
    CHECK(keys.secretKeyHex.size() == 128);
    const std::string device = newUuidV7();
    const std::string head = sampleEvent().hash;
    const std::string message = chainHeadMessage(device, 42, head);
    const std::string signature = signHex(keys, message);
    CHECK(signature.size() == 128);
    CHECK(verifySignature(keys.publicKeyHex, message, signature));

    const KeyPair other = newKeyPair();
    CHECK_FALSE(verifySignature(other.publicKeyHex, message, signature));
    CHECK_FALSE(verifySignature(keys.publicKeyHex, chainHeadMessage(device, 43, head), signature));
    CHECK_FALSE(verifySignature(keys.publicKeyHex, chainHeadMessage(newUuidV7(), 42, head), signature));
    CHECK_FALSE(verifySignature(keys.publicKeyHex, chainHeadMessage(device, 42, kGenesisHash), signature));
    CHECK_FALSE(verifySignature(keys.publicKeyHex, message + "\n", signature));

    std::string tampered = signature;
    tampered[10] = tampered[10] == '0' ? '1' : '0';
    CHECK_FALSE(verifySignature(keys.publicKeyHex, message, tampered));
    CHECK_FALSE(verifySignature(keys.publicKeyHex, message, signature.substr(0, 126)));
    CHECK_FALSE(verifySignature(keys.publicKeyHex, message, ""));
    CHECK_FALSE(verifySignature("zz", message, signature));
    CHECK_FALSE(verifySignature(keys.publicKeyHex.substr(2), message, signature));
}
