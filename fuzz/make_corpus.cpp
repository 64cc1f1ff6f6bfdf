// Writes the fuzz targets' seed corpus (fuzz/corpus/<target>/) from the real
// encoders: a few valid bodies and payloads of every kind, and a few hostile
// ones (deep nesting, repeated keys, numbers out of range, floats, long
// strings). Usage: shouxin_fuzz_corpus <corpus dir>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "shared/audit.hpp"
#include "shared/crypto.hpp"
#include "shared/event.hpp"
#include "shared/gzip.hpp"
#include "shared/hlc.hpp"
#include "shared/store.hpp"
#include "shared/wire.hpp"

using namespace shouxin;

namespace {

constexpr const char* kCommitmentId = "01920000-0000-7000-8000-000000000001";
constexpr const char* kComplaintId = "01920000-0000-7000-8000-000000000002";
constexpr const char* kBreachId = "01920000-0000-7000-8000-000000000003";
constexpr const char* kDevice = "01920000-0000-7000-8000-0000000000d1";

std::vector<Payload> payloads() {
    Commitment c;
    c.id = kCommitmentId;
    c.office = "330110104";
    c.category = Category::elderlyCare;
    c.kind = Kind::timeLimit;
    c.title = "老年人助餐点\"每周\"供餐五天 \\ 𠀀";
    c.detail = "在社区服务中心设立助餐点。\n\t工作日供应午餐。";
    c.department = "社会事务办";
    c.responsible = "王丽";
    c.deadline = Date::fromCivil(2026, 6, 30);
    c.timeLimit = "10个工作日";
    c.published = Date::fromCivil(2026, 3, 1);

    FulfilmentReport r;
    r.commitment = kCommitmentId;
    r.status = Status::inProgress;
    r.progress = 40;
    r.note = "已完成选址。";
    r.date = Date::fromCivil(2026, 4, 1);
    r.evidence = {"照片-001.jpg", "档案 2026-17"};

    Complaint complaint;
    complaint.id = kComplaintId;
    complaint.office = "330110104";
    complaint.ticket = "Q7K3-9MPD";
    complaint.commitment = kCommitmentId;
    complaint.text = "助餐点周三没有开门。";
    complaint.filed = Date::fromCivil(2026, 4, 2);
    complaint.reason = ComplaintReason::late;

    Rating rating;
    rating.complaint = kComplaintId;
    rating.score = 4;
    rating.date = Date::fromCivil(2026, 4, 6);

    CommitmentRevised revised;
    revised.commitment = kCommitmentId;
    revised.title = "高龄津贴七个工作日内发放";
    revised.detail = "申请后7个工作日内核定发放。";
    revised.department = "社会事务办公室";
    revised.reason = "县里简化审批流程";
    revised.date = Date::fromCivil(2026, 4, 1);

    return {OfficeNamed{"330110104", "青山镇人民政府"},
            c,
            r,
            complaint,
            ComplaintAnswer{kComplaintId, "已核实，周三起恢复供餐。", Date::fromCivil(2026, 4, 5)},
            rating,
            ClerkAdded{"zhang", "330110104", "张明", Role::supervisor,
                       "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"},
            ClerkDisabled{"zhang", "330110104", "调岗"},
            revised,
            ComplaintStep{kComplaintId, ComplaintStepKind::contactRead, "回访投诉人",
                          Date::fromCivil(2026, 4, 7)},
            Breach{kBreachId, "330110104", kCommitmentId, "逾期未供餐", Date::fromCivil(2026, 5, 1),
                   Date::fromCivil(2026, 5, 16), Date::fromCivil(2026, 6, 30)},
            BreachStep{kBreachId, BreachStepKind::objected, "非本单位原因", Date::fromCivil(2026, 5, 10)}};
}

std::vector<Event> chain() {
    std::vector<Event> out;
    std::string prev = kGenesisHash;
    std::int64_t seq = 0;
    for (const Payload& p : payloads()) {
        Event e;
        ++seq;
        e.id = "01920000-0000-7000-8000-0000000001" + std::string(seq < 10 ? "0" : "") + std::to_string(seq);
        e.office = "330110104";
        e.device = kDevice;
        e.seq = seq;
        e.hlc = hlc::pack(1767225600000 + seq, 0);
        e.actor = "clerk:zhang";
        e.type = std::string(eventTypeOf(p));
        e.payload = encodePayload(p);
        e.prevHash = prev;
        e.hash = computeHash(e);
        prev = e.hash;
        out.push_back(std::move(e));
    }
    return out;
}

void write(const std::filesystem::path& dir, const std::string& name, const std::string& bytes) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary) << bytes;
}

std::string repeated(const std::string& unit, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i)
        out += unit;
    return out;
}

// Hostile variants every JSON target gets.
void writeHostile(const std::filesystem::path& dir, const std::string& valid) {
    write(dir, "deep-brackets", std::string(3000, '['));
    write(dir, "deep-objects", repeated(R"({"a":)", 600));
    write(dir, "nested-nine", R"({"x":)" + repeated("[", 9) + repeated("]", 9) + "}");
    write(dir, "not-object", R"(["protocol",1])");
    write(dir, "truncated", valid.substr(0, valid.size() / 2));
    write(dir, "escapes", R"({"a":"\ud840\udc00\u0000\"\\\/\b\f\n\r\t","b":"\udc00"})");
    write(dir, "big-numbers", R"({"a":18446744073709551616,"b":-9223372036854775809,"c":1e308,"d":-0.0})");
    write(dir, "bad-utf8", "{\"a\":\"\xC0\xAF\xED\xA0\x80\"}");
    write(dir, "wide", "{" + repeated(R"("k":0,)", 70) + R"("k":0})");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: shouxin_fuzz_corpus <corpus dir>\n";
        return 2;
    }
    const std::filesystem::path root = argv[1];
    const std::vector<Event> events = chain();

    // Push bodies.
    const auto pushDir = root / "fuzz_push";
    wire::PushRequest push;
    push.events = events;
    push.head = {events.back().seq, events.back().hash, std::string(128, 'a')};
    const std::string pushBody = wire::encode(push);
    write(pushDir, "valid-chain", pushBody);
    wire::PushRequest one;
    one.events = {events.front()};
    one.head = {1, events.front().hash, std::string(128, 'b')};
    const std::string oneBody = wire::encode(one);
    write(pushDir, "valid-one", oneBody);
    write(pushDir, "valid-empty", wire::encode(wire::PushRequest{}));
    const auto swap = [](std::string text, const std::string& from, const std::string& to) {
        const auto at = text.find(from);
        return at == std::string::npos ? text : text.replace(at, from.size(), to);
    };
    write(pushDir, "dup-head-seq", swap(oneBody, R"("head":{"seq":1,)", R"("head":{"seq":1,"seq":2,)"));
    write(pushDir, "dup-event-id", swap(oneBody, R"("id":")", R"("id":"x","id":")"));
    write(pushDir, "hlc-2p64", swap(oneBody, R"("hlc":")", R"("hlc":"18446744073709551615","x":")"));
    write(pushDir, "hlc-sign", swap(oneBody, R"("hlc":")", R"("hlc":"+01","x":")"));
    write(pushDir, "version-2p32",
          swap(oneBody, R"("payload_version":1)", R"("payload_version":4294967297)"));
    write(pushDir, "seq-float", swap(oneBody, R"("seq":1,"hlc")", R"("seq":1.0,"hlc")"));
    write(pushDir, "protocol-exp", swap(oneBody, R"("protocol":1)", R"("protocol":1e3)"));
    writeHostile(pushDir, pushBody);

    // Pull answers.
    const auto pullDir = root / "fuzz_pull";
    wire::PullResponse pull;
    pull.events = events;
    for (std::size_t i = 0; i < events.size(); ++i)
        pull.dseqs.push_back(static_cast<std::int64_t>(100 + i));
    pull.next = pull.dseqs.back();
    pull.more = true;
    pull.serverTime = 1795926125307;
    const std::string pullBody = wire::encode(pull);
    write(pullDir, "valid-page", pullBody);
    write(pullDir, "valid-empty", wire::encode(wire::PullResponse{}));
    write(pullDir, "dseq-negative", swap(pullBody, R"("dseq":100)", R"("dseq":-100)"));
    write(pullDir, "next-huge", swap(pullBody, R"("next":)", R"("next":99999999999999999999,"x":)"));
    writeHostile(pullDir, pullBody);

    // Pull answers that name the regions above.
    pull.regions = {{"3301", "杭州市", kDevice, std::string(64, 'c')}, {"33", "浙江省", kDevice, std::string(64, 'd')}};
    write(pullDir, "valid-regions", wire::encode(pull));
    pull.regions.clear();

    // Pull answers from a server that names its incarnation (and one that
    // names it wrongly).
    pull.epoch = "0123456789abcdef0123456789abcdef";
    const std::string epochBody = wire::encode(pull);
    write(pullDir, "valid-epoch", epochBody);
    write(pullDir, "epoch-upper", swap(epochBody, pull.epoch, "0123456789ABCDEF0123456789ABCDEF"));
    write(pullDir, "epoch-long", swap(epochBody, pull.epoch, pull.epoch + "0"));
    pull.epoch.clear();

    // Relay bodies: a region's runs to the level above, and the answers.
    const auto relayDir = root / "fuzz_relay";
    wire::RelayRequest relay;
    relay.runs.push_back({events.front().device, "330110104", std::string(64, 'e'),
                          {events.back().seq, events.back().hash, std::string(128, 'a')},
                          {events.front().device, events.back().seq, events.back().hash, 42, std::string(128, 'b')},
                          events});
    const std::string relayBody = wire::encode(relay);
    write(relayDir, "valid-run", relayBody);
    write(relayDir, "valid-empty", wire::encode(wire::RelayRequest{}));
    write(relayDir, "dup-device", swap(relayBody, R"("device":")", R"("device":"x","device":")"));
    wire::RelayResponse relayAnswer;
    relayAnswer.results.push_back({events.front().device, true, "", "", events.back().seq, relay.runs[0].receipt});
    relayAnswer.results.push_back({kDevice, false, "scope", "330106001 is not below 330110", 0, {}});
    write(relayDir, "valid-answer", wire::encode(relayAnswer));
    writeHostile(relayDir, relayBody);

    // Enrolment bodies.
    const auto enrollDir = root / "fuzz_enroll";
    const std::string enroll =
        wire::encode(wire::EnrollRequest{1, "EY3H7-Q4F98", kDevice, "330110104", std::string(64, 'f')});
    write(enrollDir, "valid", enroll);
    write(enrollDir, "dup-code", swap(enroll, R"("code":)", R"("code":"A","code":)"));
    write(enrollDir, "long-key", swap(enroll, std::string(64, 'f'), std::string(65, 'f')));
    write(enrollDir, "protocol-2p32", swap(enroll, R"("protocol":1)", R"("protocol":4294967297)"));
    writeHostile(enrollDir, enroll);

    // Payloads.
    const auto eventDir = root / "fuzz_event";
    int n = 0;
    for (const Payload& p : payloads())
        write(eventDir, "valid-" + std::to_string(n++) + "-" + std::string(eventTypeOf(p)), encodePayload(p));
    const std::string office = encodePayload(payloads().front());
    write(eventDir, "dup-name", swap(office, R"("name":)", R"("name":"A","name":)"));
    write(eventDir, "score-float", swap(encodePayload(payloads()[5]), R"("score":4)", R"("score":4.0)"));
    write(eventDir, "score-huge",
          swap(encodePayload(payloads()[5]), R"("score":4)", R"("score":4294967300)"));
    writeHostile(eventDir, office);

    // Published event logs: a small district's, signed with a fresh key
    // (the fuzz target audits with another, so every signature fails too),
    // cut short, and with one event line's payload changed.
    const auto auditDir = root / "fuzz_audit";
    {
        const auto tmp = std::filesystem::temp_directory_path() / ("shouxin-corpus-" + newUuidV7());
        std::filesystem::create_directories(tmp);
        {
            Store district = Store::createDistrict(tmp / "district.db", "330110", "余杭区");
            Payload published = payloads()[1];
            std::get<Commitment>(published).office = "330110";
            district.record(published, "district:wang");
            std::ostringstream log;
            writeAuditLog(district, *readKeyFile(keyFileFor(tmp / "district.db")), log);
            const std::string text = log.str();
            write(auditDir, "valid-log", text);
            write(auditDir, "truncated", text.substr(0, text.size() / 2));
            write(auditDir, "changed-payload", swap(text, R"("office":"330110")", R"("office":"330111")"));
            write(auditDir, "one-event", wire::encodeEvent(events.front()));
        }
        std::filesystem::remove_all(tmp);
    }
    writeHostile(auditDir, wire::encodeEvent(events.front()));

    // gzip'd push bodies: a real one, one cut short, one with its checksum
    // broken, and a small bomb (64 MiB of zeros) that must hit the cap.
    const auto gzipDir = root / "fuzz_gzip";
    const std::string zipped = gzip(wire::encode(push));
    write(gzipDir, "valid-push", zipped);
    write(gzipDir, "truncated", zipped.substr(0, zipped.size() / 2));
    std::string badCrc = zipped;
    badCrc[badCrc.size() - 6] = static_cast<char>(badCrc[badCrc.size() - 6] ^ 0x5a);
    write(gzipDir, "bad-crc", badCrc);
    write(gzipDir, "bomb", gzip(std::string(64u << 20, '\0')));
    write(gzipDir, "two-members", zipped + zipped);
    write(gzipDir, "not-gzip", enroll);
    return 0;
}
