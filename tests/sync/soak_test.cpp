// Sync through a bad network, proven rather than hoped: kiosks of two
// offices record as clerks and residents do (Store::record) and sync with
// the real district server through a fault-injecting proxy
// (tests/support/fault_proxy.hpp) that delays, drops, resets, truncates,
// stalls, corrupts, answers as a captive portal or as a busy server. Then
// clean rounds with the real `shouxin sync --once`, and the district must
// hold exactly what every kiosk recorded: once each, numbered without a
// hole, every node's digest equal to the district's for its office,
// `verify` passing everywhere, nothing pending, nothing set aside.
//
// How to run:
//   build/bin/shouxin_sync_tests "[soak]"
//       the CI size (SHOUXIN_SOAK_ROUNDS default 25, well under a minute)
//   SHOUXIN_SOAK_ROUNDS=1000 build/bin/shouxin_sync_tests "[soak]"
//       the long run (1,000 rounds took 8 min on a busy 2-core machine)
//   SHOUXIN_SOAK_FAULTS=corrupt_request,stall ...
//       only these kinds of fault (names as in the table)
//   SHOUXIN_SOAK_SEED=N ...
//       replays a run: the seed is printed at the start and in the table
//       (the draws are the same; the threads' interleaving may differ).
// The table at the end counts the rounds, the faults injected by kind, the
// sync rounds that failed (by reason) and succeeded, and the events.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <thread>

#include "shared/crypto.hpp"
#include "shared/i18n.hpp"
#include "shared/ticket.hpp"
#include "sync/client/schedule.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/fault_proxy.hpp"
#include "tests/support/scenario.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

std::int64_t envNumber(const char* name, std::int64_t fallback) {
    const char* value = std::getenv(name);
    if (!value || !*value) return fallback;
    return std::stoll(value);
}

// A kiosk initialised and enrolled through the proxy: its server URL is
// the proxy's, so the CLI's rounds go through it too.
Kiosk enrolThrough(const SyncWorld& world, const FaultProxy& proxy, const std::string& office,
                   const std::string& name, int index) {
    Kiosk k{(world.dir() / ("soak" + std::to_string(index) + ".db")).string(), office};
    REQUIRE(k.cli({"init", "--office", office, "--name", name}).exitCode == 0);
    const std::string code = districtCli(world.districtDb(), {"enroll-code", "--office", office}).substr(0, 11);
    const RunResult r = k.cli({"enroll", proxy.url(), code});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return k;
}

// A node as the kiosk's sync worker runs it: its own store, transport and
// engine, kept across rounds. Timeouts short, so a stalled exchange ends
// in seconds (the CurlOptions a test may set; production waits 30 s).
struct Node {
    Kiosk kiosk;
    std::string clerk;
    std::unique_ptr<Store> store;
    std::unique_ptr<client::Transport> transport;
    std::unique_ptr<client::SyncEngine> engine;
    std::int64_t recorded = 0;

    Node(Kiosk k, std::string clerkId, std::size_t batch) : kiosk(std::move(k)), clerk(std::move(clerkId)) {
        store = std::make_unique<Store>(kiosk.open());
        client::CurlOptions options = client::curlOptionsFor(store->setting(Setting::serverUrl));
        options.connectTimeoutSeconds = 5;
        options.lowSpeedSeconds = 2;
        options.totalTimeoutSeconds = 20;
        transport = client::makeCurlTransport(options);
        const auto keys = readKeyFile(keyFileFor(kiosk.db));
        REQUIRE(keys);
        client::EngineOptions engineOptions;
        engineOptions.pushBatch = batch;  // small, so that a round takes several exchanges
        engineOptions.pullPage = batch;
        engine = std::make_unique<client::SyncEngine>(*store, *transport, *keys, engineOptions);
    }
    void close() {
        engine.reset();
        transport.reset();
        store.reset();
    }
};

void requireRecorded(const Result<Event>& e) {
    if (!e) FAIL(describe(e.problems()));
}

// What a clerk or a resident does at a kiosk between two rounds: publish,
// report on what the kiosk knows (its partner's reports may not have come
// yet: concurrent reports), file a complaint, rate.
void work(Node& node, std::mt19937& rng) {
    const auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    Store& store = *node.store;
    const std::string& office = node.kiosk.office;
    const std::string actor = "clerk:" + node.clerk;
    std::vector<CommitmentState> own;
    for (auto& c : store.commitments()) {
        if (c.commitment.office == office && !isClosed(c.status)) own.push_back(std::move(c));
    }
    const int actions = pick(3);
    for (int a = 0; a < actions; ++a) {
        const int roll = pick(10);
        if (own.empty() || roll == 0) {
            Commitment c = sampleCommitment("承诺事项" + std::to_string(node.recorded + 1));
            c.office = office;
            c.category = kCategories[static_cast<std::size_t>(pick(static_cast<int>(kCategoryCount)))];
            c.published = Date::today();
            c.deadline = Date::today().plusDays(30);
            const auto e = store.record(c, actor);
            requireRecorded(e);
        } else if (roll <= 6) {
            const auto& target = own[static_cast<std::size_t>(pick(static_cast<int>(own.size())))];
            const auto current = store.commitment(target.commitment.id);
            REQUIRE(current);
            if (isClosed(current->status)) continue;
            const int progress = std::min(99, current->progress + 1 + pick(20));
            FulfilmentReport r = sampleReport(target.commitment.id, Status::inProgress, progress, Date::today());
            r.note = "第" + std::to_string(node.recorded + 1) + "次进度报告：继续办理。";
            r.basedOn = current->lastReport;
            const auto e = store.record(r, actor);
            requireRecorded(e);
        } else if (roll <= 8) {
            Complaint c;
            c.id = newUuidV7();
            c.office = office;
            c.ticket = newTicket(office);
            c.commitment = own.front().commitment.id;
            c.text = "承诺的期限快到了，仍未办理，希望尽快答复。";
            c.filed = Date::today();
            const auto e = store.record(c, "resident");
            requireRecorded(e);
        } else {
            Rating r;
            r.commitment = own.back().commitment.id;
            r.score = 1 + pick(5);
            r.date = Date::today();
            const auto e = store.record(r, "resident");
            requireRecorded(e);
        }
        ++node.recorded;
    }
}

std::int64_t ownEvents(const Store& store) {
    std::int64_t own = 0;
    const std::string device = store.node().device;
    for (const Event& e : store.events()) own += e.device == device;
    return own;
}

// The district holds each event once, numbered 1..N without a hole, each
// node's own events as many times as the node holds them, and the same
// state as every node for its office; every node verifies, has nothing
// pending and nothing set aside.
void requireConverged(SyncWorld& world, const std::vector<Node>& nodes) {
    CHECK(world.districtCount("event") == std::stoll(world.districtQuery("SELECT count(DISTINCT id) FROM event")));
    CHECK(world.districtCount("event WHERE dseq IS NOT NULL") == world.districtCount("event"));
    CHECK(world.districtCount("event") ==
          std::stoll(world.districtQuery("SELECT count(DISTINCT dseq) FROM event")));
    CHECK(world.districtCount("event") == Store::open(world.districtDb()).lastDistrictSeq());
    for (const Node& node : nodes) {
        const Store store = node.kiosk.open();
        INFO("node " << node.kiosk.db);
        CHECK(world.districtCount("event WHERE device = '" + store.node().device + "'") == ownEvents(store));
        CHECK(store.pendingCount() == 0);
        CHECK(store.setAside().empty());
        CHECK(node.kiosk.digest() == world.districtDigest(node.kiosk.office));
        const RunResult verify = node.kiosk.cli({"verify"});
        INFO(verify.out << verify.err);
        CHECK(verify.exitCode == 0);
    }
    CHECK(Store::open(world.districtDb()).verify().ok());
    CHECK_NOTHROW(districtCli(world.districtDb(), {"verify"}));
}

}  // namespace

TEST_CASE("nodes syncing through random network faults end with exactly what they recorded", "[soak]") {
    using Clock = std::chrono::steady_clock;
    const auto started = Clock::now();
    const std::int64_t rounds = envNumber("SHOUXIN_SOAK_ROUNDS", 25);
    const auto seed = static_cast<std::uint32_t>(
        envNumber("SHOUXIN_SOAK_SEED", std::chrono::system_clock::now().time_since_epoch().count() & 0x7fffffff));
    std::cout << "soak: " << rounds << " rounds, seed " << seed << " (replay: SHOUXIN_SOAK_SEED=" << seed
              << " SHOUXIN_SOAK_ROUNDS=" << rounds << ")" << std::endl;
    CAPTURE(seed);

    SyncWorld world;
    FaultProxy proxy(world.server().port());
    proxy.setRetryAfterSeconds(1);
    std::vector<Node> nodes;
    nodes.emplace_back(enrolThrough(world, proxy, kOfficeA, "青山镇人民政府", 1), "li", 7);
    nodes.emplace_back(enrolThrough(world, proxy, kOfficeA, "青山镇人民政府", 2), "wang", 5);
    nodes.emplace_back(enrolThrough(world, proxy, kOfficeB, "溪口镇人民政府", 3), "zhao", 6);
    std::mt19937 rng(seed);
    std::vector<FaultKind> kinds;
    const char* only = std::getenv("SHOUXIN_SOAK_FAULTS");  // e.g. "corrupt_request,stall"
    for (FaultKind k : allFaultKinds()) {
        if (!only || !*only || ("," + std::string(only) + ",").find("," + std::string(faultName(k)) + ",") != std::string::npos)
            kinds.push_back(k);
    }
    REQUIRE(!kinds.empty());
    std::vector<double> weights;
    for (FaultKind k : kinds) weights.push_back(k == FaultKind::stall ? 0.3 : 1.0);  // each costs a timeout
    proxy.randomFaults(0.3, seed, kinds, weights);

    std::int64_t succeeded = 0, failed = 0, districtPublished = 0;
    std::map<std::string, std::int64_t> reasons;
    client::Schedule::Options plan;
    for (std::int64_t round = 0; round < rounds; ++round) {
        for (Node& node : nodes) work(node, rng);
        if (std::uniform_int_distribution<int>(0, 19)(rng) == 0) {
            districtCli(world.districtDb(),
                        {"publish", "--category", "employment", "--kind", "guarantee", "--title",
                         "全区招聘会第" + std::to_string(++districtPublished) + "场", "--detail",
                         "区人力社保局每季度在各镇街轮流举办招聘会。", "--department", "区人力社保局", "--operator",
                         "chen"});
        }
        std::vector<client::SyncResult> results(nodes.size());
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < nodes.size(); ++i)
            threads.emplace_back([&, i] { results[i] = nodes[i].engine->syncOnce(); });
        for (auto& t : threads) t.join();
        for (const auto& r : results) {
            if (r.ok) {
                ++succeeded;
                continue;
            }
            ++failed;
            ++reasons[r.failure.reason];
            // A busy district's Retry-After holds the next round off.
            if (r.failure.reason == "http_429" || r.failure.reason == "http_503") {
                CHECK(r.failure.verdict == client::Verdict::retry);
                CHECK(r.failure.retryAfterMillis == 1000);
                client::Schedule schedule(plan, 0, client::Backoff(seed));
                schedule.failed(0, r.failure);
                CHECK(schedule.waitMillis(0) >= 1000);
            }
        }
    }

    // Clean rounds with the real command line: the first sends what is
    // left, the second brings each node what the others sent.
    proxy.clean();
    for (Node& node : nodes) node.close();
    for (int pass = 0; pass < 2; ++pass) {
        for (const Node& node : nodes) {
            const RunResult r = node.kiosk.cli({"sync", "--once", "--retries", "0"});
            INFO(r.out << r.err);
            REQUIRE(r.exitCode == 0);
        }
    }
    requireConverged(world, nodes);

    std::int64_t recorded = 0;
    for (const Node& node : nodes) recorded += node.recorded;
    const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
    std::cout << "\nsoak result (seed " << seed << ")\n"
              << std::left << std::setw(28) << "rounds" << rounds << "\n"
              << std::setw(28) << "wall time (s)" << std::fixed << std::setprecision(1) << seconds << "\n"
              << std::setw(28) << "exchanges via the proxy" << proxy.exchanges() << "\n"
              << std::setw(28) << "faults injected" << proxy.injectedTotal() << "\n";
    for (FaultKind k : allFaultKinds())
        std::cout << "  " << std::setw(26) << faultName(k) << proxy.injected(k) << "\n";
    std::cout << std::setw(28) << "sync rounds succeeded" << succeeded << "\n"
              << std::setw(28) << "sync rounds failed" << failed << "\n";
    for (const auto& [reason, n] : reasons) std::cout << "  " << std::setw(26) << reason << n << "\n";
    std::cout << std::setw(28) << "events recorded at nodes" << recorded << "\n"
              << std::setw(28) << "district-wide published" << districtPublished << "\n"
              << std::setw(28) << "events at the district" << world.districtCount("event") << "\n"
              << std::endl;
}
