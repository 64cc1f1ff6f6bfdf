// The district as a hostile party tries it: another office's device, a
// holder of an enrolment code, a node that rewrites its own past. Each
// attempt gets its own refusal, every other office's state stays as it was,
// and the server goes on answering.
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <fstream>

#include "shared/crypto.hpp"
#include "shared/ticket.hpp"
#include "shared/wire.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/forge.hpp"
#include "tests/support/process.hpp"
#include "tests/support/raw_sql.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;
using client::HttpRequest;
using client::HttpResponse;

namespace {

std::unique_ptr<client::Transport> rawLine(const std::string& url) {
    client::CurlOptions options;
    options.baseUrl = url;
    options.totalTimeoutSeconds = 20;
    return client::makeCurlTransport(options);
}

std::string reasonOf(const HttpResponse& r) {
    const auto body = wire::decodeErrorBody(r.body);
    return body ? body->reason : "(unreadable: " + r.body.substr(0, 200) + ")";
}

// A kiosk's device speaking for itself on a raw line: it chains and signs
// whatever events it is told to, as a modified client could.
struct Device {
    Kiosk kiosk;
    KeyPair keys = *readKeyFile(keyFileFor(kiosk.db));
    std::string token = kiosk.open().setting(Setting::token);

    Event next(const Payload& payload, std::string actor, std::string office = "") const {
        return nextOf(kiosk.open(), payload, std::move(actor), std::move(office));
    }
    std::string pushBody(const std::vector<Event>& events) const {
        wire::PushRequest p;
        p.events = events;
        const Event& last = events.back();
        p.head = {last.seq, last.hash, signHex(keys, chainHeadMessage(last.device, last.seq, last.hash))};
        return wire::encode(p);
    }
};

// Two offices and their district: office A's records are the target.
struct Offices {
    SyncWorld world;
    Device a{world.addKiosk(kOfficeA, "青山镇人民政府")};
    Device b{world.addKiosk(kOfficeB, "溪口镇人民政府")};
    std::unique_ptr<client::Transport> http = rawLine(world.server().url());

    Offices() {
        REQUIRE(a.kiosk.cli({"demo"}).exitCode == 0);
        world.sync(a.kiosk);
        world.sync(b.kiosk);
    }
    HttpResponse push(const Device& d, const std::vector<Event>& events) const {
        return http->send(
            HttpRequest{"POST", "/v1/push", d.pushBody(events), true, d.token, wire::kProtocol});
    }
    // The district still answers an ordinary pull.
    bool answersPull(const Device& d) const {
        const auto r = http->send(
            HttpRequest{"GET", "/v1/events?after=0&limit=10", "", false, d.token, wire::kProtocol});
        return r.status == 200 && wire::decodePullResponse(r.body).ok();
    }
    CommitmentState someCommitmentOfA() const {
        for (const auto& c : a.kiosk.open().commitments())
            if (c.commitment.office == kOfficeA) return c;
        FAIL("office A has no commitment");
        return {};
    }
};

// One pushed event's outcome.
wire::EventResult onlyResult(const HttpResponse& r) {
    REQUIRE(r.status == 201);
    const auto answer = wire::decodePushResponse(r.body);
    REQUIRE(answer);
    REQUIRE(answer->results.size() == 1);
    return answer->results.front();
}

}  // namespace

TEST_CASE("another office's device cannot change an office's records", "[sync][trust]") {
    Offices f;
    const CommitmentState target = f.someCommitmentOfA();
    const std::string digestA = f.world.districtDigest(kOfficeA);
    const std::int64_t setAsideBefore = f.world.districtCount("set_aside");

    SECTION("reporting its commitment as broken") {
        FulfilmentReport r;
        r.commitment = target.commitment.id;
        r.status = Status::broken;
        r.progress = 0;
        r.note = "未按期完成";
        r.date = Date::today();
        const auto result = onlyResult(f.push(f.b, {f.b.next(r, "clerk:mallory")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.auth.not_owner");
    }
    SECTION("revising its text") {
        CommitmentRevised rv;
        rv.commitment = target.commitment.id;
        rv.title = "已取消";
        rv.detail = "本承诺已取消。";
        rv.department = "党政办";
        rv.reason = "调整";
        rv.date = Date::today();
        const auto result = onlyResult(f.push(f.b, {f.b.next(rv, "clerk:mallory")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.auth.not_owner");
    }
    SECTION("publishing a commitment that reuses its id") {
        Commitment c = target.commitment;
        c.office = kOfficeB;
        c.title = "被改写的承诺";
        const auto result = onlyResult(f.push(f.b, {f.b.next(c, "clerk:mallory")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.auth.not_owner");
        CHECK(f.world.districtQuery("SELECT office FROM commitment WHERE id = '" + c.id + "'") ==
              kOfficeA);
    }
    SECTION("answering its complaint") {
        Complaint k;
        k.id = newUuidV7();
        k.office = kOfficeA;
        k.ticket = newTicket(kOfficeA);
        k.text = "路灯三天未修";
        k.filed = Date::today();
        REQUIRE(f.a.kiosk.open().record(k, "resident"));
        f.world.sync(f.a.kiosk);
        const std::string withComplaint = f.world.districtDigest(kOfficeA);
        ComplaintAnswer answer{k.id, "已处理", Date::today()};
        const auto result = onlyResult(f.push(f.b, {f.b.next(answer, "clerk:mallory")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.auth.not_owner");
        CHECK(f.world.districtDigest(kOfficeA) == withComplaint);
        return;
    }
    SECTION("rating it") {
        Rating rt;
        rt.commitment = target.commitment.id;
        rt.score = 1;
        rt.date = Date::today();
        const auto result = onlyResult(f.push(f.b, {f.b.next(rt, "resident")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.auth.not_owner");
    }
    CHECK(f.world.districtDigest(kOfficeA) == digestA);
    CHECK(f.world.districtCount("set_aside") == setAsideBefore + 1);
    CHECK(f.answersPull(f.b));
    // Office A's kiosk pulls nothing of it.
    f.world.sync(f.a.kiosk);
    CHECK(f.a.kiosk.digest() == f.world.districtDigest(kOfficeA));
}

TEST_CASE("only the district's own identity makes district-level acts", "[sync][trust][postgresql]") {
    Offices f;
    const std::string digestDistrict = f.world.districtDigest(kDistrict);

    SECTION("an office device may not use a district actor") {
        FulfilmentReport r;
        r.commitment = f.someCommitmentOfA().commitment.id;
        r.status = Status::inProgress;
        r.progress = 10;
        r.date = Date::today();
        const auto result = onlyResult(f.push(f.a, {f.a.next(r, "district:ops")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.auth.district_actor");
    }
    SECTION("an office device may not publish for the whole district") {
        Commitment c = f.someCommitmentOfA().commitment;
        c.id = newUuidV7();
        c.office = kDistrict;
        const auto r = f.push(f.a, {f.a.next(c, "clerk:mallory", kDistrict)});
        CHECK(r.status == 403);
        CHECK(reasonOf(r) == "scope");
    }
    SECTION("nobody enrols as the district, or as any device the district has seen") {
        const std::string districtDevice = Store::open(f.world.districtDb()).node().device;
        const std::string deviceOfB = f.b.kiosk.open().node().device;
        for (const std::string& device : {districtDevice, deviceOfB}) {
            const std::string code =
                districtCli(f.world.districtDb(), {"enroll-code", "--office", kOfficeA}).substr(0, 11);
            const auto r = f.http->send(HttpRequest{
                "POST", "/v1/enroll",
                wire::encode(wire::EnrollRequest{1, code, device, kOfficeA, newKeyPair().publicKeyHex}),
                false, "", wire::kProtocol});
            CHECK(r.status == 409);
            CHECK(reasonOf(r) == "device_exists");
        }
        CHECK(f.world.districtQuery("SELECT count(*) FROM device WHERE token_hash IS NOT NULL") ==
              "2");
    }
    CHECK(f.world.districtDigest(kDistrict) == digestDistrict);
    CHECK(f.answersPull(f.a));
}

TEST_CASE("a district-wide commitment reaches a node only from the district it pinned", "[sync][trust][postgresql]") {
    Offices f;
    REQUIRE(districtCli(f.world.districtDb(),
                        {"publish", "--category", "elderly_care", "--kind", "guarantee", "--title",
                         "高龄津贴按月发放", "--detail", "80周岁以上老人每月发放高龄津贴。", "--department",
                         "区民政局", "--operator", "ops-1"})
                .find("ops-1") == std::string::npos);
    f.world.sync(f.a.kiosk);
    const Store a = f.a.kiosk.open();
    CHECK(a.setting(Setting::districtDevice) == Store::open(f.world.districtDb()).node().device);
    CHECK(a.setting(Setting::districtKey) == Store::open(f.world.districtDb()).node().publicKeyHex);
    bool reached = false;
    for (const auto& c : a.commitments())
        reached = reached || c.commitment.office == kDistrict;
    CHECK(reached);
    CHECK(a.setAside().empty());
}

TEST_CASE("enrolment codes are guessed at a limited rate and refusals name no office", "[sync][trust][postgresql]") {
    SyncWorld world;
    auto http = rawLine(world.server().url());
    const std::string codeOfB =
        districtCli(world.districtDb(), {"enroll-code", "--office", kOfficeB}).substr(0, 11);
    const auto attempt = [&](const std::string& code) {
        return http->send(HttpRequest{
            "POST", "/v1/enroll",
            wire::encode(wire::EnrollRequest{1, code, newUuidV7(), kOfficeA, newKeyPair().publicKeyHex}),
            false, "", wire::kProtocol});
    };
    // Another office's real code and a made-up one get the same answer.
    const auto other = attempt(codeOfB);
    const auto madeUp = attempt("ABCDE-FGHJK");
    CHECK(other.status == 403);
    CHECK(other.body == madeUp.body);
    CHECK(other.body.find(kOfficeB) == std::string::npos);

    int refused = 0;
    HttpResponse last;
    for (int i = 0; i < 30 && refused == 0; ++i) {
        last = attempt("ABCDE-FGHJK");
        if (last.status == 429) ++refused;
    }
    REQUIRE(refused == 1);
    CHECK(reasonOf(last) == "rate_limited");
    REQUIRE(last.retryAfterSeconds);
    CHECK(*last.retryAfterSeconds >= 1);
    // Even the right code waits now: guessing cannot go faster by mixing.
    const std::string codeOfA =
        districtCli(world.districtDb(), {"enroll-code", "--office", kOfficeA}).substr(0, 11);
    CHECK(attempt(codeOfA).status == 429);
}

TEST_CASE("the district countersigns each push and verify holds the node's chain to it", "[sync][trust][postgresql]") {
    SyncWorld world;
    const Kiosk kiosk = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(kiosk.cli({"demo"}).exitCode == 0);
    world.sync(kiosk);
    const Store store = kiosk.open();
    const auto receipt = store.receipt();
    REQUIRE(receipt);
    CHECK(receipt->device == store.node().device);
    CHECK(verifySignature(store.setting(Setting::districtKey),
                          receiptMessage(receipt->device, receipt->seq, receipt->headHash, receipt->dseq),
                          receipt->signature));
    CHECK(kiosk.cli({"verify"}).exitCode == 0);
    CHECK(districtCli(world.districtDb(), {"verify"}).find("Verified") != std::string::npos);

    // The node rewrites its last three reports and recomputes every hash:
    // its chain is sound in itself, but no longer what the district signed.
    std::vector<Event> mine;
    for (const Event& e : store.events())
        if (e.device == store.node().device) mine.push_back(e);
    std::sort(mine.begin(), mine.end(), [](const Event& x, const Event& y) { return x.seq < y.seq; });
    REQUIRE(mine.size() > 5);
    std::string prev = mine[mine.size() - 4].hash;
    for (std::size_t i = mine.size() - 3; i < mine.size(); ++i) {
        Event e = mine[i];
        e.actor = "system";
        e.prevHash = prev;
        e.hash = computeHash(e);
        rawExec(kiosk.db, "UPDATE event SET actor = 'system', prev_hash = '" + e.prevHash + "', hash = '" +
                              e.hash + "' WHERE id = '" + e.id + "'");
        prev = e.hash;
    }
    rawExec(kiosk.db,
            "UPDATE device SET head_hash = '" + prev + "' WHERE id = '" + store.node().device + "'");
    const VerifyReport report = kiosk.open().verify();
    bool caught = false;
    for (const auto& finding : report.findings)
        caught = caught || finding.messageId == "error.verify.receipt";
    CHECK(caught);
    const auto cli = kiosk.cli({"verify"});
    CHECK(cli.exitCode == 1);
    CHECK(cli.out.find("receipt") != std::string::npos);
}

TEST_CASE("the district's verify catches a signed chain head that was altered", "[sync][trust][postgresql]") {
    SyncWorld world;
    const Kiosk kiosk = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(kiosk.cli({"demo"}).exitCode == 0);
    world.sync(kiosk);
    world.districtExec("UPDATE device SET head_signature = '" + std::string(128, '0') +
                                    "' WHERE token_hash IS NOT NULL");
    const VerifyReport report = Store::open(world.districtDb()).verify();
    REQUIRE_FALSE(report.ok());
    CHECK(report.findings.front().messageId == "error.verify.head_signature");
}

TEST_CASE("secrets at rest are readable by their owner only and tokens are kept as hashes", "[sync][trust]") {
    const mode_t old = ::umask(022);
    SyncWorld world;
    const Kiosk kiosk = world.addKiosk(kOfficeA, "青山镇人民政府");
    world.sync(kiosk);
    ::umask(old);
    const Store open = kiosk.open();  // its -wal exists while it is open
    open.eventCount();
    const auto modeOf = [](const std::string& path) {
        struct stat st {};
        REQUIRE(::stat(path.c_str(), &st) == 0);
        return st.st_mode & 0777;
    };
    for (const std::string& file : {kiosk.db, kiosk.db + "-wal", keyFileFor(kiosk.db).string(),
                                    world.districtDb().string(), keyFileFor(world.districtDb()).string()}) {
        INFO(file);
        CHECK(modeOf(file) == 0600);
    }
    const std::string token = kiosk.open().setting(Setting::token);
    REQUIRE(token.size() == 64);
    std::ifstream in(world.districtDb(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.find(token) == std::string::npos);
    CHECK(rawQuery(world.districtDb(),
                   "SELECT count(*) FROM device WHERE token_hash = '" + sha256Hex(token) + "'") == "1");
}

TEST_CASE("clerks' PIN verifiers reach the office's kiosks and never the district readable",
          "[sync][trust]") {
    SyncWorld world;
    const Kiosk first = world.addKiosk(kOfficeA, "青山镇人民政府");
    const auto add = runProgram({SHOUXIN_CLI, "--db", first.db, "clerk", "add", "--name", "张明", "--role",
                                 "clerk", "--id", "zhang", "--pin-stdin"},
                                "135790\n");
    REQUIRE(add.exitCode == 0);
    world.sync(first);

    // The office's next kiosk, set up with the first one's office key.
    const auto key = first.cli({"office-key"});
    REQUIRE(key.exitCode == 0);
    const std::string officeKey = key.out.substr(0, 64);
    Kiosk second{first.db + ".second", kOfficeA};
    REQUIRE(second.cli({"init", "--office", kOfficeA, "--name", "青山镇人民政府", "--office-key", officeKey})
                .exitCode == 0);
    const std::string code =
        districtCli(world.districtDb(), {"enroll-code", "--office", kOfficeA}).substr(0, 11);
    REQUIRE(second.cli({"enroll", world.server().url(), code}).exitCode == 0);
    world.sync(second);
    CHECK(second.open().checkPin("zhang", "135790", 1).outcome == Store::PinOutcome::ok);

    // The district holds the account, sealed; nothing in its file is an
    // Argon2id string (whose six digits fall to an offline search).
    CHECK(world.districtQuery("SELECT count(*) FROM clerk WHERE pin_hash LIKE 'sealed:%'") == "1");
    std::ifstream in(world.districtDb(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(bytes.find("$argon2id$") == std::string::npos);

    // A new PIN, from the command line, reaches the other kiosk too.
    REQUIRE(runProgram({SHOUXIN_CLI, "--db", first.db, "clerk", "set-pin", "--id", "zhang", "--pin-stdin"},
                       "246802\n")
                .exitCode == 0);
    world.sync(first);
    world.sync(second);
    CHECK(second.open().checkPin("zhang", "246802", 2).outcome == Store::PinOutcome::ok);
}

namespace {

// `body` with the first `from` replaced by `to`.
std::string swapped(std::string body, const std::string& from, const std::string& to) {
    const auto at = body.find(from);
    REQUIRE(at != std::string::npos);
    return body.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("malformed bodies get their own refusal, store nothing and never stop the server",
          "[sync][trust]") {
    Offices f;
    const std::string digestA = f.world.districtDigest(kOfficeA);
    const std::string digestB = f.world.districtDigest(kOfficeB);
    const std::int64_t stored = f.world.districtCount("event");
    Rating rt;
    rt.commitment = f.someCommitmentOfA().commitment.id;
    rt.score = 5;
    rt.date = Date::today();
    const Event next = f.a.next(rt, "resident");
    const std::string good = f.a.pushBody({next});
    const auto push = [&](const std::string& body, int protocol = wire::kProtocol) {
        return f.http->send(HttpRequest{"POST", "/v1/push", body, true, f.a.token, protocol});
    };

    SECTION("100,000 brackets, to enrolment (no token) and to push") {
        const std::string brackets(100000, '[');
        const auto enroll =
            f.http->send(HttpRequest{"POST", "/v1/enroll", brackets, false, "", wire::kProtocol});
        CHECK(enroll.status == 413);  // over enrolment's 4 KiB before it is parsed
        const auto r = push(brackets);
        CHECK(r.status == 400);
        CHECK(reasonOf(r) == "malformed");
        const auto small = f.http->send(
            HttpRequest{"POST", "/v1/enroll", std::string(2000, '['), false, "", wire::kProtocol});
        CHECK(small.status == 400);
    }
    SECTION("an hlc stamp past int64 is refused, not stored as -1") {
        const auto r = push(swapped(good, "\"hlc\":\"" + std::to_string(next.hlc) + "\"",
                                    "\"hlc\":\"18446744073709551615\""));
        CHECK(r.status == 400);
        CHECK(reasonOf(r) == "malformed");
    }
    SECTION("a payload_version past int is refused, not truncated to 1") {
        const auto r = push(swapped(good, "\"payload_version\":1", "\"payload_version\":4294967297"));
        CHECK(r.status == 400);
        CHECK(reasonOf(r) == "malformed");
    }
    SECTION("a duplicate key is refused") {
        const auto r = push(swapped(good, "\"actor\":", "\"actor\":\"district:ops\",\"actor\":"));
        CHECK(r.status == 400);
        CHECK(reasonOf(r) == "malformed");
    }
    SECTION("a body whose protocol differs from its header's is refused") {
        const auto r = push(swapped(good, "\"protocol\":1", "\"protocol\":7"));
        CHECK(r.status == 400);
        CHECK(reasonOf(r) == "malformed");
    }
    SECTION("a wrong prev_hash is chain_prev, not chain_gap") {
        Event forged = next;
        forged.prevHash = std::string(64, 'a');
        forged.hash = computeHash(forged);
        const auto r = push(f.a.pushBody({forged}));
        CHECK(r.status == 409);
        CHECK(reasonOf(r) == "chain_prev");
    }
    SECTION("a 6 MiB payload is refused before anything is kept") {
        Event big = next;
        big.type = "commitment.split";
        big.payload = "{\"text\":\"" + std::string(6u << 20, 'x') + "\"}";
        big.hash = computeHash(big);
        const auto r = push(f.a.pushBody({big}));
        CHECK((r.status == 400 || r.status == 413));
        CHECK(f.world.districtCount("set_aside") == 0);
    }
    CHECK(f.world.districtCount("event") == stored);
    CHECK(f.world.districtDigest(kOfficeA) == digestA);
    CHECK(f.world.districtDigest(kOfficeB) == digestB);
    CHECK(f.answersPull(f.b));
    // The honest push goes through afterwards.
    const auto ok = push(good);
    CHECK(ok.status == 201);
}

TEST_CASE("an office's own device cannot take the district's steps or file a contact in the clear",
          "[sync][trust][voice]") {
    Offices f;
    const std::string digestA = f.world.districtDigest(kOfficeA);
    const std::string someId = newUuidV7();
    SECTION("a complaint whose contact is not a sealed box") {
        Complaint k;
        k.id = someId;
        k.office = kOfficeA;
        k.ticket = newTicket(kOfficeA);
        k.text = "路灯三天未修";
        k.sealedContact = "13800138000";
        k.filed = Date::today();
        const auto result = onlyResult(f.push(f.a, {f.a.next(k, "resident")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.complaint.contact_not_sealed");
    }
    SECTION("repairing its own credit") {
        const auto result = onlyResult(
            f.push(f.a, {f.a.next(BreachStep{someId, BreachStepKind::repaired, "自行修复", Date::today()},
                                  "clerk:mallory")}));
        CHECK(result.outcome == wire::EventOutcome::rejected);
        CHECK(result.reason == "error.auth.district_only");
    }
    SECTION("ruling on its own objection") {
        const auto result = onlyResult(
            f.push(f.a, {f.a.next(BreachStep{someId, BreachStepKind::upheld, "异议成立", Date::today()},
                                  "clerk:mallory")}));
        CHECK(result.reason == "error.auth.district_only");
    }
    SECTION("recording that it read a complainant's contact") {
        const auto result = onlyResult(
            f.push(f.a, {f.a.next(ComplaintStep{someId, ComplaintStepKind::contactRead, "", Date::today()},
                                  "clerk:mallory")}));
        CHECK(result.reason == "error.auth.district_only");
    }
    CHECK(f.world.districtDigest(kOfficeA) == digestA);
    CHECK(f.answersPull(f.a));
}
