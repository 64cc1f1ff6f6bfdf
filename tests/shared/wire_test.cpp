#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "shared/event.hpp"
#include "shared/hlc.hpp"
#include "shared/i18n.hpp"
#include "shared/wire.hpp"

using namespace shouxin;

namespace {

constexpr const char* kDevice = "01920000-0000-7000-8000-0000000000d1";

// Replaces the one occurrence of `from` in `text` by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    REQUIRE(text.find(from, at + 1) == std::string::npos);
    return text.replace(at, from.size(), to);
}

template <class T>
void requireRefused(const Result<T>& r, const std::string& field, const std::string& message) {
    REQUIRE_FALSE(r.ok());
    INFO(describe(r.problems()));
    bool found = false;
    for (const auto& p : r.problems())
        found = found || (p.field == field && p.message == message);
    CHECK(found);
}

template <class T>
void requireOk(const Result<T>& r) {
    INFO((r.ok() ? std::string() : describe(r.problems())));
    REQUIRE(r.ok());
}

Event sampleEvent(std::int64_t seq = 1) {
    Event e;
    e.id = "01920000-0000-7000-8000-0000000000e" + std::to_string(seq % 10);
    e.office = "330110104";
    e.device = kDevice;
    e.seq = seq;
    e.hlc = hlc::pack(1767225600000, static_cast<std::uint32_t>(seq));
    e.actor = "clerk:wangli";
    const Payload p = OfficeNamed{"330110104", "青山镇人民政府\"\\\n"};
    e.type = std::string(eventTypeOf(p));
    e.payload = encodePayload(p);
    e.prevHash = kGenesisHash;
    e.hash = computeHash(e);
    return e;
}

wire::PushRequest samplePush() {
    wire::PushRequest p;
    p.events = {sampleEvent(1), sampleEvent(2)};
    p.head = {2, p.events.back().hash, std::string(128, 'a')};
    return p;
}

wire::PullResponse samplePull() {
    wire::PullResponse p;
    p.events = {sampleEvent(1), sampleEvent(2)};
    p.dseqs = {17, 18};
    p.next = 18;
    p.more = true;
    p.serverTime = 1795926125307;
    return p;
}

// One event's JSON as it appears in a push body.
std::string pushWithEventField(const std::string& from, const std::string& to) {
    wire::PushRequest p;
    p.events = {sampleEvent(1)};
    p.head = {1, p.events.back().hash, std::string(128, 'a')};
    return replaced(wire::encode(p), from, to);
}

std::string repeated(std::string_view unit, std::size_t n) {
    std::string out;
    out.reserve(unit.size() * n);
    for (std::size_t i = 0; i < n; ++i)
        out += unit;
    return out;
}

}  // namespace

// ---- Round trips -------------------------------------------------------------

TEST_CASE("valid push, pull and enrolment bodies survive encode and decode", "[wire]") {
    const auto push = samplePush();
    const auto decodedPush = wire::decodePushRequest(wire::encode(push));
    requireOk(decodedPush);
    CHECK(decodedPush->protocol == push.protocol);
    CHECK(decodedPush->head.seq == push.head.seq);
    CHECK(decodedPush->head.hash == push.head.hash);
    CHECK(decodedPush->head.signature == push.head.signature);
    CHECK(decodedPush->events == push.events);

    const auto pull = samplePull();
    const auto decodedPull = wire::decodePullResponse(wire::encode(pull));
    requireOk(decodedPull);
    CHECK(decodedPull->events == pull.events);
    CHECK(decodedPull->dseqs == pull.dseqs);
    CHECK(decodedPull->next == pull.next);
    CHECK(decodedPull->more == pull.more);
    CHECK(decodedPull->serverTime == pull.serverTime);

    const wire::EnrollRequest enroll{1, "EY3H7-Q4F98", kDevice, "330110104", std::string(64, 'f')};
    const auto decodedEnroll = wire::decodeEnrollRequest(wire::encode(enroll));
    requireOk(decodedEnroll);
    CHECK(decodedEnroll->protocol == enroll.protocol);
    CHECK(decodedEnroll->code == enroll.code);
    CHECK(decodedEnroll->device == enroll.device);
    CHECK(decodedEnroll->office == enroll.office);
    CHECK(decodedEnroll->publicKey == enroll.publicKey);

    const wire::EnrollResponse answer{std::string(64, 'b'), kDevice, "330110104", "330110", "余杭区", std::string(36, 'd'), std::string(64, 'e'), "https://shouxin.example.gov.cn"};
    const auto decodedAnswer = wire::decodeEnrollResponse(wire::encode(answer));
    requireOk(decodedAnswer);
    CHECK(decodedAnswer->token == answer.token);
    CHECK(decodedAnswer->districtName == answer.districtName);
    CHECK(decodedAnswer->publicSite == answer.publicSite);
    // An older district sends no public site: the answer still reads.
    wire::EnrollResponse older = answer;
    older.publicSite.clear();
    const std::string olderJson = wire::encode(older);
    CHECK(olderJson.find("public_site") == std::string::npos);
    const auto decodedOlder = wire::decodeEnrollResponse(olderJson);
    requireOk(decodedOlder);
    CHECK(decodedOlder->publicSite.empty());

    wire::PushResponse results;
    results.results = {
        {sampleEvent().id, wire::EventOutcome::accepted, 17, "", ""},
        {sampleEvent(2).id, wire::EventOutcome::rejected, 0, "error.json.unknown_field", "x: y"}};
    results.headSeq = 2;
    results.serverTime = 1795926125307;
    const auto decodedResults = wire::decodePushResponse(wire::encode(results));
    requireOk(decodedResults);
    REQUIRE(decodedResults->results.size() == 2);
    CHECK(decodedResults->results[1].outcome == wire::EventOutcome::rejected);
    CHECK(decodedResults->results[1].reason == "error.json.unknown_field");
    CHECK(decodedResults->headSeq == 2);

    const auto decodedError = wire::decodeErrorBody(wire::encode(wire::ErrorBody{"chain_gap", "next 3", 2}));
    requireOk(decodedError);
    CHECK(decodedError->headSeq == 2);
}

TEST_CASE("the largest stamp, sequence and counts that fit are taken exactly", "[wire]") {
    auto push = samplePush();
    push.events.resize(1);
    push.events[0].hlc = 9223372036854775807u;
    push.events[0].seq = std::int64_t{1} << 53;
    push.head.seq = push.events[0].seq;
    const auto decoded = wire::decodePushRequest(wire::encode(push));
    requireOk(decoded);
    CHECK(decoded->events[0].hlc == 9223372036854775807u);
    CHECK(decoded->events[0].seq == std::int64_t{1} << 53);

    wire::PushRequest many;
    many.events.assign(wire::kMaxBatchEvents, sampleEvent());
    const auto all = wire::decodePushRequest(wire::encode(many));
    requireOk(all);
    CHECK(all->events.size() == wire::kMaxBatchEvents);

    const auto zero = wire::decodePushRequest(pushWithEventField(R"("hlc":")", R"("hlc":"0","x":")"));
    requireOk(zero);
}

// ---- Nesting ----------------------------------------------------------------

TEST_CASE("deep nesting is refused cleanly by every decoder, before the parser sees it", "[wire]") {
    const std::string brackets(100000, '[');
    const std::string objects = repeated(R"({"a":)", 100000);
    for (const std::string& body : {brackets, objects, R"({"events":)" + brackets, "{" + brackets}) {
        INFO(body.substr(0, 20));
        CHECK_FALSE(wire::decodePushRequest(body).ok());
        CHECK_FALSE(wire::decodePullResponse(body).ok());
        CHECK_FALSE(wire::decodePushResponse(body).ok());
        CHECK_FALSE(wire::decodeEnrollRequest(body).ok());
        CHECK_FALSE(wire::decodeEnrollResponse(body).ok());
        CHECK_FALSE(wire::decodeErrorBody(body).ok());
    }
    requireRefused(wire::decodePushRequest(brackets), "body[0][0][0][0][0][0][0][0]", "error.json.too_deep");
    requireRefused(wire::decodePushRequest(objects), "a.a.a.a.a.a.a.a", "error.json.too_deep");
    const std::string closed = repeated("[", 9) + repeated("]", 9);
    requireRefused(wire::decodePushRequest(R"({"x":)" + closed + "}"), "x[0][0][0][0][0][0][0]",
                   "error.json.too_deep");
    // Eight levels are allowed.
    requireOk(wire::decodeErrorBody(R"({"reason":"r","detail":"d","x":)" + repeated("[", 7) +
                                    repeated("]", 7) + "}"));
}

TEST_CASE("deep nesting inside a payload is refused cleanly", "[wire]") {
    const std::string deep(30000, '[');
    requireRefused(decodePayload(event_type::kOfficeNamed, kPayloadVersion, deep),
                   "payload[0][0][0][0][0][0][0][0]", "error.json.too_deep");
    requireRefused(decodePayload(event_type::kOfficeNamed, kPayloadVersion, repeated(R"({"a":)", 10000)),
                   "a.a.a.a.a.a.a.a", "error.json.too_deep");
    // Inside a push the payload is only a string; decoding it is refused.
    const auto push =
        wire::decodePushRequest(pushWithEventField(R"("payload":")", R"("payload":")" + deep + R"(","x":")"));
    requireOk(push);
    CHECK_FALSE(
        decodePayload(push->events[0].type, push->events[0].payloadVersion, push->events[0].payload).ok());
    // Over 64 KiB it is refused at once.
    const std::string huge(100000, '[');
    requireRefused(
        wire::decodePushRequest(pushWithEventField(R"("payload":")", R"("payload":")" + huge + R"(","x":")")),
        "events[0].payload", "error.json.too_long");
    requireRefused(decodePayload(event_type::kOfficeNamed, kPayloadVersion, huge), "payload",
                   "error.json.too_long");
}

TEST_CASE("brackets inside strings do not count as nesting", "[wire]") {
    const std::string tricky = R"(\"[[[[[[[[[[{{{{{{{{{{\\)";
    const auto r = wire::decodeErrorBody(R"({"reason":")" + tricky + R"(","detail":"]]]]]]]]]]]"})");
    requireOk(r);
    CHECK(r->reason == R"("[[[[[[[[[[{{{{{{{{{{\)");
}

// ---- Duplicate keys ----------------------------------------------------------

TEST_CASE("a key that appears twice is refused wherever it is", "[wire]") {
    const std::string body = wire::encode(samplePush());
    requireRefused(
        wire::decodePushRequest(replaced(body, R"("protocol":1,)", R"("protocol":1,"protocol":1,)")),
        "protocol", "error.json.duplicate_field");
    requireRefused(
        wire::decodePushRequest(replaced(body, R"("head":{"seq":2,)", R"("head":{"seq":2,"seq":3,)")),
        "head.seq", "error.json.duplicate_field");
    requireRefused(wire::decodePushRequest(pushWithEventField(R"("actor":"clerk:wangli")",
                                                              R"("actor":"clerk:wangli","actor":"system")")),
                   "events[0].actor", "error.json.duplicate_field");
    // An unknown member twice is still a duplicate.
    requireRefused(wire::decodeErrorBody(R"({"reason":"r","detail":"d","x":1,"x":1})"), "x",
                   "error.json.duplicate_field");
    requireRefused(decodePayload(event_type::kOfficeNamed, kPayloadVersion,
                                 R"({"code":"330110104","code":"330110104","name":"A"})"),
                   "code", "error.json.duplicate_field");
    requireRefused(decodePayload(event_type::kOfficeNamed, kPayloadVersion,
                                 R"({"code":"330110104","name":"A","x":{"b":1,"b":2}})"),
                   "x.b", "error.json.duplicate_field");
    // The same key in two different objects is fine.
    requireOk(wire::decodePushRequest(body));
}

// ---- Numbers ----------------------------------------------------------------

TEST_CASE("an hlc stamp must be plain decimal digits that fit int64", "[wire]") {
    const std::string stamp = std::to_string(sampleEvent().hlc);
    const auto with = [&](const std::string& text) {
        return wire::decodePushRequest(
            pushWithEventField("\"hlc\":\"" + stamp + "\"", "\"hlc\":\"" + text + "\""));
    };
    for (const char* tooBig : {"18446744073709551615", "9223372036854775808", "99999999999999999999999"}) {
        INFO(tooBig);
        requireRefused(with(tooBig), "events[0].hlc", "error.json.range");
    }
    for (const char* malformed : {"-1", "+1", "01", "00", "", " 1", "1 ", "1.0", "1e3", "0x10", "１"}) {
        INFO(malformed);
        requireRefused(with(malformed), "events[0].hlc", "error.json.type");
    }
    requireRefused(
        wire::decodePushRequest(pushWithEventField("\"hlc\":\"" + stamp + "\"", "\"hlc\":" + stamp)),
        "events[0].hlc", "error.json.type");
    requireOk(with("9223372036854775807"));
}

TEST_CASE("integers out of their field's range are refused, never truncated", "[wire]") {
    const std::string push = wire::encode(samplePush());
    const auto pushWith = [&](const std::string& from, const std::string& to) {
        return wire::decodePushRequest(replaced(push, from, to));
    };
    SECTION("protocol and payload_version must fit an int and be >= 0") {
        for (const char* bad : {"4294967297", "2147483648", "-1", "18446744073709551617"}) {
            INFO(bad);
            requireRefused(pushWith(R"("protocol":1,)", std::string(R"("protocol":)") + bad + ","),
                           "protocol", "error.json.range");
            requireRefused(wire::decodePushRequest(pushWithEventField(
                               R"("payload_version":1)", std::string(R"("payload_version":)") + bad)),
                           "events[0].payload_version", "error.json.range");
            const wire::EnrollRequest enroll{1, "EY3H7-Q4F98", kDevice, "330110104", std::string(64, 'f')};
            requireRefused(wire::decodeEnrollRequest(replaced(wire::encode(enroll), R"("protocol":1)",
                                                              std::string(R"("protocol":)") + bad)),
                           "protocol", "error.json.range");
        }
        requireOk(pushWith(R"("protocol":1,)", R"("protocol":2147483647,)"));
    }
    SECTION("an event's seq is from 1 to 2^53, the head's from 0") {
        for (const char* bad : {"0", "-1", "9007199254740993", "9223372036854775808"}) {
            INFO(bad);
            requireRefused(wire::decodePushRequest(pushWithEventField(
                               R"("seq":1,"hlc")", std::string(R"("seq":)") + bad + R"(,"hlc")")),
                           "events[0].seq", "error.json.range");
        }
        requireRefused(pushWith(R"("head":{"seq":2,)", R"("head":{"seq":-1,)"), "head.seq",
                       "error.json.range");
        requireRefused(pushWith(R"("head":{"seq":2,)", R"("head":{"seq":9007199254740993,)"), "head.seq",
                       "error.json.range");
        requireOk(pushWith(R"("head":{"seq":2,)", R"("head":{"seq":0,)"));
    }
    SECTION("dseq, next, head_seq and server_time are >= 0") {
        const std::string pull = wire::encode(samplePull());
        requireRefused(wire::decodePullResponse(replaced(pull, R"("dseq":17)", R"("dseq":-17)")),
                       "events[0].dseq", "error.json.range");
        requireRefused(wire::decodePullResponse(replaced(pull, R"("next":18)", R"("next":-1)")), "next",
                       "error.json.range");
        requireRefused(
            wire::decodePullResponse(replaced(pull, R"("server_time":1795926125307)", R"("server_time":-1)")),
            "server_time", "error.json.range");
        requireRefused(
            wire::decodePullResponse(replaced(pull, R"("next":18)", R"("next":9223372036854775808)")), "next",
            "error.json.range");
        requireOk(wire::decodePullResponse(replaced(pull, R"("next":18)", R"("next":9223372036854775807)")));
        wire::PushResponse answer;
        answer.results = {{sampleEvent().id, wire::EventOutcome::accepted, 17, "", ""}};
        answer.headSeq = 2;
        answer.serverTime = 5;
        const std::string body = wire::encode(answer);
        requireRefused(wire::decodePushResponse(replaced(body, R"("dseq":17)", R"("dseq":-1)")),
                       "results[0].dseq", "error.json.range");
        requireRefused(wire::decodePushResponse(replaced(body, R"("head_seq":2)", R"("head_seq":-2)")),
                       "head_seq", "error.json.range");
        requireRefused(wire::decodePushResponse(replaced(body, R"("server_time":5)", R"("server_time":-5)")),
                       "server_time", "error.json.range");
        requireRefused(wire::decodeErrorBody(R"({"reason":"chain_gap","detail":"","head_seq":-3})"),
                       "head_seq", "error.json.range");
    }
}

TEST_CASE("a number written as a float is a type error", "[wire]") {
    const std::string push = wire::encode(samplePush());
    for (const char* bad : {"1.0", "1e3", "1E0", "0.5", "-0.0", "1e-2"}) {
        INFO(bad);
        requireRefused(wire::decodePushRequest(
                           replaced(push, R"("protocol":1,)", std::string(R"("protocol":)") + bad + ",")),
                       "protocol", "error.json.type");
        requireRefused(wire::decodePushRequest(pushWithEventField(
                           R"("seq":1,"hlc")", std::string(R"("seq":)") + bad + R"(,"hlc")")),
                       "events[0].seq", "error.json.type");
        requireRefused(wire::decodePullResponse(replaced(wire::encode(samplePull()), R"("next":18)",
                                                         std::string(R"("next":)") + bad)),
                       "next", "error.json.type");
    }
    requireRefused(
        decodePayload(
            event_type::kRatingGiven, kPayloadVersion,
            R"({"commitment":"","complaint":"01920000-0000-7000-8000-000000000002","score":4e0,"date":"2026-04-06"})"),
        "score", "error.json.type");
}

// ---- String lengths ----------------------------------------------------------

TEST_CASE("each string field has a cap, and a longer value is refused by name", "[wire]") {
    struct Case {
        std::string key;
        std::size_t cap;
        std::string value;
        std::string after;  // makes the match unique: the head has a "hash" too
    };
    const Event e = sampleEvent();
    const std::vector<Case> eventFields = {
        {"id", 36, e.id, ""},       {"office", 9, e.office, ""}, {"device", 36, e.device, ""},
        {"actor", 64, e.actor, ""}, {"type", 40, e.type, ""},    {"prev_hash", 64, e.prevHash, ""},
        {"hash", 64, e.hash, "}"},
    };
    for (const auto& c : eventFields) {
        INFO(c.key);
        const auto member = [&](const std::string& value) {
            return "\"" + c.key + "\":\"" + value + "\"" + c.after;
        };
        requireRefused(
            wire::decodePushRequest(pushWithEventField(member(c.value), member(std::string(c.cap + 1, 'a')))),
            "events[0]." + c.key, "error.json.too_long");
        requireOk(
            wire::decodePushRequest(pushWithEventField(member(c.value), member(std::string(c.cap, 'a')))));
    }
    // The payload: 64 KiB once unescaped, however it is escaped.
    const std::string payloadFrom = R"("payload":")";
    requireOk(wire::decodePushRequest(
        pushWithEventField(payloadFrom, payloadFrom + repeated("\\u0001", kMaxPayloadBytes) + R"(","x":")")));
    requireRefused(wire::decodePushRequest(pushWithEventField(
                       payloadFrom, payloadFrom + repeated("\\u0001", kMaxPayloadBytes + 1) + R"(","x":")")),
                   "events[0].payload", "error.json.too_long");

    const std::string push = wire::encode(samplePush());
    const std::string hash = samplePush().head.hash;
    requireRefused(wire::decodePushRequest(replaced(push, R"("hash":")" + hash + R"(","signature")",
                                                    R"("hash":")" + hash + R"(0","signature")")),
                   "head.hash", "error.json.too_long");
    requireRefused(wire::decodePushRequest(replaced(push, std::string(128, 'a'), std::string(129, 'a'))),
                   "head.signature", "error.json.too_long");

    const std::string enroll =
        wire::encode(wire::EnrollRequest{1, "EY3H7-Q4F98", kDevice, "330110104", std::string(64, 'f')});
    requireRefused(wire::decodeEnrollRequest(replaced(enroll, "EY3H7-Q4F98", std::string(33, 'E'))), "code",
                   "error.json.too_long");
    requireOk(wire::decodeEnrollRequest(replaced(enroll, "EY3H7-Q4F98", std::string(32, 'E'))));
    requireRefused(wire::decodeEnrollRequest(replaced(enroll, std::string(64, 'f'), std::string(65, 'f'))),
                   "public_key", "error.json.too_long");
    requireRefused(wire::decodeEnrollRequest(replaced(enroll, kDevice, std::string(kDevice) + "0")), "device",
                   "error.json.too_long");
    requireRefused(wire::decodeEnrollRequest(replaced(enroll, "330110104", "3301101040")), "office",
                   "error.json.too_long");

    const std::string token =
        wire::encode(wire::EnrollResponse{std::string(64, 'b'), kDevice, "330110104", "330110", "余杭区", std::string(36, 'd'), std::string(64, 'e'), ""});
    requireRefused(wire::decodeEnrollResponse(replaced(token, std::string(64, 'b'), std::string(65, 'b'))),
                   "token", "error.json.too_long");

    const std::string longText(4097, 'x');
    requireRefused(wire::decodeErrorBody(R"({"reason":"r","detail":")" + longText + R"("})"), "detail",
                   "error.json.too_long");
    requireRefused(wire::decodeErrorBody(R"({"reason":")" + longText + R"(","detail":""})"), "reason",
                   "error.json.too_long");
    requireRefused(wire::decodePushResponse(
                       R"({"results":[{"id":"","outcome":"rejected","dseq":0,"reason":"","detail":")" +
                       longText + R"("}],"head_seq":0,"server_time":0})"),
                   "results[0].detail", "error.json.too_long");
}

TEST_CASE("reason and detail are clipped on encoding to what the decoder accepts", "[wire]") {
    std::string detail = "xx" + repeated("余", 2000);  // byte 4096 is inside a character
    const auto decoded = wire::decodeErrorBody(wire::encode(wire::ErrorBody{"malformed", detail, -1}));
    requireOk(decoded);
    CHECK(decoded->detail.size() == 4094);
    CHECK(detail.rfind(decoded->detail, 0) == 0);
    wire::PushResponse answer;
    answer.results = {{sampleEvent().id, wire::EventOutcome::rejected, 0, "error.date", detail}};
    requireOk(wire::decodePushResponse(wire::encode(answer)));
}

// ---- Counts ------------------------------------------------------------------

TEST_CASE("arrays and objects over their caps are refused before they are built", "[wire]") {
    const auto items = [](std::size_t n) {
        std::string out = "[";
        for (std::size_t i = 0; i < n; ++i)
            out += i ? ",{}" : "{}";
        return out + "]";
    };
    // A push of more than kMaxBatchEvents events: the server answers 413.
    requireRefused(wire::decodePushRequest(R"({"protocol":1,"head":{},"events":)" +
                                           items(wire::kMaxBatchEvents + 1) + "}"),
                   "events", "error.json.too_many");
    requireRefused(wire::decodePushResponse(R"({"results":)" + items(wire::kMaxBatchEvents + 1) + "}"),
                   "results", "error.json.too_many");
    requireRefused(wire::decodePullResponse(R"({"events":)" + items(wire::kMaxPullLimit + 1) + "}"), "events",
                   "error.json.too_many");
    // At the cap they reach the field checks.
    const auto atCap = wire::decodePullResponse(R"({"events":)" + items(wire::kMaxPullLimit) + "}");
    REQUIRE_FALSE(atCap.ok());
    for (const auto& p : atCap.problems())
        CHECK(p.message != "error.json.too_many");

    std::string wide = "{";
    for (int i = 0; i < 65; ++i)
        wide += (i ? ",\"k" : "\"k") + std::to_string(i) + "\":0";
    wide += "}";
    requireRefused(wire::decodeErrorBody(wide), "body", "error.json.too_many");
    requireRefused(wire::decodePushRequest(R"({"events":[)" + wide + "]}"), "events[0]",
                   "error.json.too_many");
    requireRefused(decodePayload(event_type::kOfficeNamed, kPayloadVersion, wide), "payload",
                   "error.json.too_many");
    requireRefused(decodePayload(event_type::kFulfilmentReported, kPayloadVersion,
                                 R"({"evidence":[)" + repeated("\"a\",", 64) + "\"a\"]}"),
                   "evidence", "error.json.too_many");
}

TEST_CASE("a request body over kMaxBodyBytes is refused unread", "[wire]") {
    const std::string huge = R"({"protocol":1,"pad":")" + std::string(wire::kMaxBodyBytes, 'x') + R"("})";
    requireRefused(wire::decodePushRequest(huge), "body", "error.json.too_long");
    requireRefused(wire::decodeEnrollRequest(huge), "body", "error.json.too_long");
}

TEST_CASE("what is not a JSON object is refused with a reason", "[wire]") {
    for (const char* body : {"", "[]", "null", "\"x\"", "{", "{}}", "{\"a\":1,}", "{\"a\" 1}", "{\"a\":01}",
                             "{\"a\":1e99999}", "{\"a\":\"\\ud800\"}"}) {
        INFO(body);
        const auto r = wire::decodePushRequest(body);
        REQUIRE_FALSE(r.ok());
        CHECK(r.problems().front().field == "body");
    }
    requireRefused(wire::decodePushRequest("{\"a\":\"\xC0\xAF\"}"), "body", "error.text.utf8");
}

// A lone low surrogate escape passes rapidjson's parser and would decode to
// bytes that are not UTF-8, which no later decode of the same value accepts.
TEST_CASE("escapes that unescape to invalid UTF-8 are refused, in values and keys", "[wire]") {
    requireRefused(wire::decodePushRequest(pushWithEventField(R"("actor":")", R"("actor":"\udc00","x":")")),
                   "body", "error.text.utf8");
    requireRefused(wire::decodeErrorBody(R"({"reason":"r","detail":"d","\udfff":1})"), "body",
                   "error.text.utf8");
    requireRefused(
        decodePayload(event_type::kOfficeNamed, kPayloadVersion, R"({"code":"330110104","name":"\udc00"})"),
        "payload", "error.text.utf8");
    requireOk(wire::decodeErrorBody(R"({"reason":"\ud840\udc00","detail":""})"));
}

TEST_CASE("epoch is 32 lower-case hex characters when present, and absent from older servers", "[wire]") {
    const std::string epoch = "0123456789abcdef0123456789abcdef";
    wire::PullResponse pull = samplePull();
    wire::PushResponse push;
    push.receipt = {kDevice, 2, std::string(64, 'b'), 18, std::string(128, 'c')};
    push.headSeq = 2;
    push.serverTime = 1795926125307;
    wire::RelayResponse relay;
    relay.serverTime = 1795926125307;

    // Absent: an older server; nothing to compare.
    const auto noEpoch = wire::decodePullResponse(wire::encode(pull));
    requireOk(noEpoch);
    CHECK(noEpoch->epoch.empty());
    CHECK(wire::encode(pull).find("epoch") == std::string::npos);

    pull.epoch = push.epoch = relay.epoch = epoch;
    const auto p = wire::decodePullResponse(wire::encode(pull));
    requireOk(p);
    CHECK(p->epoch == epoch);
    const auto q = wire::decodePushResponse(wire::encode(push));
    requireOk(q);
    CHECK(q->epoch == epoch);
    const auto r = wire::decodeRelayResponse(wire::encode(relay));
    requireOk(r);
    CHECK(r->epoch == epoch);

    const std::string member = "\"epoch\":\"" + epoch + "\"";
    const auto with = [&](const std::string& value) {
        return replaced(wire::encode(pull), member, "\"epoch\":" + value);
    };
    requireRefused(wire::decodePullResponse(with("\"" + epoch + "0\"")), "epoch", "error.json.too_long");
    requireRefused(wire::decodePullResponse(with("\"" + std::string(1000, 'a') + "\"")), "epoch",
                   "error.json.too_long");
    requireRefused(wire::decodePullResponse(with("\"" + epoch.substr(1) + "\"")), "epoch", "error.json.type");
    requireRefused(wire::decodePullResponse(with("\"\"")), "epoch", "error.json.type");
    requireRefused(wire::decodePullResponse(with("\"0123456789ABCDEF0123456789abcdef\"")), "epoch",
                   "error.json.type");
    requireRefused(wire::decodePullResponse(with("\"0123456789abcdef0123456789abcdeg\"")), "epoch",
                   "error.json.type");
    requireRefused(wire::decodePullResponse(with("17")), "epoch", "error.json.type");
    requireRefused(wire::decodePushResponse(replaced(wire::encode(push), member, "\"epoch\":\"x\"")), "epoch",
                   "error.json.type");
    requireRefused(wire::decodeRelayResponse(replaced(wire::encode(relay), member, "\"epoch\":null")), "epoch",
                   "error.json.type");
    CHECK(wire::isEpoch(epoch));
    CHECK_FALSE(wire::isEpoch(""));
}
