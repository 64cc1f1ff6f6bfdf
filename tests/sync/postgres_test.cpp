// The district on PostgreSQL, beyond what the [postgresql] sync tests run
// again: two district servers on one database, and public pages read from
// another connection (--public-db).
//
// Two servers: kiosks push through both at once while a puller pages
// through both.
//
// Why this shows that no reader skips a slower writer's events: a puller
// asks for the events after the highest district number (dseq) it has
// seen, so an event that became visible only after a higher-numbered one
// had been read would never be pulled. Each server's writer takes a
// transaction-scoped advisory lock right after BEGIN and hands out numbers
// inside that transaction, reading the last number only once it holds the
// lock; PostgreSQL makes a transaction visible before it releases its
// locks, so the next writer, in either process, starts after the previous
// one's numbers are visible and commits after it. Numbers thus become
// visible in number order, and any snapshot that holds number n holds
// every number below it. The test checks what would break otherwise: the
// puller's pages, read while both servers commit, hold every event of its
// scope exactly once and in increasing number order, and the numbers in
// the database run 1..N without a gap.
#include <catch2/catch.hpp>

#include <atomic>
#include <map>
#include <thread>

#include "shared/wire.hpp"
#include "sync/client/transport.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/sync_world.hpp"
#include "tests/support/web_client.hpp"

using namespace shouxin;
using namespace shouxin::test;

// Hidden from the SQLite run: it is registered once, under "pg: ".
TEST_CASE("two servers on one PostgreSQL database number every event once, gapless, in visible order",
          "[.][sync][postgresql]") {
    SyncWorld world;
    ServerProcess second(world.districtDb());
    const ServerProcess* servers[] = {&world.server(), &second};

    // Six kiosks of one office, half enrolled through each server; a
    // seventh only pulls, and sees every event of the office.
    std::vector<Kiosk> kiosks;
    for (int i = 0; i < 6; ++i) {
        kiosks.push_back(world.addKiosk(kOfficeA, "青山镇人民政府", servers[i % 2]));
        REQUIRE(kiosks.back().cli({"demo"}).exitCode == 0);
    }
    const Kiosk puller = world.addKiosk(kOfficeA, "青山镇人民政府");
    const std::string token = puller.open().setting(Setting::token);
    const std::string pullerDevice = puller.open().node().device;

    std::atomic<bool> pushing{true};
    std::map<std::string, int> pulled;  // event id -> times pulled
    std::vector<std::int64_t> order;    // dseqs as pulled
    std::string pullFailure;
    std::thread reader([&] {
        std::vector<std::unique_ptr<client::Transport>> http;
        for (const ServerProcess* s : servers) {
            client::CurlOptions options;
            options.baseUrl = s->url();
            http.push_back(client::makeCurlTransport(options));
        }
        std::int64_t cursor = 0;
        int quiet = 0;
        for (std::size_t round = 0; quiet < 3; ++round) {
            const bool done = !pushing;
            const auto r = http[round % 2]->send(
                client::HttpRequest{"GET", "/v1/events?after=" + std::to_string(cursor) + "&limit=23", "", false,
                                    token, wire::kProtocol});
            if (r.status != 200) {
                pullFailure = "pull answered " + std::to_string(r.status);
                return;
            }
            const auto page = wire::decodePullResponse(r.body);
            if (!page) {
                pullFailure = "undecodable page";
                return;
            }
            for (std::size_t i = 0; i < page->events.size(); ++i) {
                ++pulled[page->events[i].id];
                order.push_back(page->dseqs[i]);
            }
            cursor = page->next;
            quiet = done && page->events.empty() ? quiet + 1 : 0;
        }
    });

    std::vector<RunResult> pushes(kiosks.size());
    {
        std::vector<std::thread> threads;
        for (std::size_t i = 0; i < kiosks.size(); ++i)
            threads.emplace_back([&, i] { pushes[i] = kiosks[i].cli({"sync", "--once", "--push-batch", "7"}); });
        for (auto& t : threads) t.join();
    }
    pushing = false;
    reader.join();
    REQUIRE(pullFailure.empty());
    for (const auto& r : pushes) {
        INFO(r.out << r.err);
        CHECK(r.exitCode == 0);
    }

    // The numbers: 1..N, no gap, each event once.
    const std::int64_t n = world.districtCount("event");
    CHECK(world.districtCount("event WHERE dseq IS NOT NULL") == n);
    CHECK(Store::open(world.districtDb()).lastDistrictSeq() == n);
    // The puller: every event of its scope but its own, once, in number order.
    const std::int64_t inScope = world.districtCount("event WHERE device != '" + pullerDevice + "'");
    CHECK(static_cast<std::int64_t>(pulled.size()) == inScope);
    for (const auto& [id, times] : pulled) {
        INFO(id);
        CHECK(times == 1);
    }
    for (std::size_t i = 1; i < order.size(); ++i) REQUIRE(order[i - 1] < order[i]);

    // And every kiosk agrees with the district, through either server.
    for (const Kiosk& k : kiosks) {
        world.sync(k);
        CHECK(k.digest() == world.districtDigest(k.office));
    }
    CHECK(Store::open(world.districtDb()).verify().ok());
}

TEST_CASE("the public pages read from the database --public-db names", "[.][sync][postgresql]") {
    // A second URL of the same database stands in for a hot standby: the
    // data is the same, and the server's connections show which URL the
    // pages used (its application_name).
    REQUIRE(districtOnPostgres());
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    world.sync(k);
    const std::string url = world.districtDb().string();
    ServerProcess pages(url, 0, {"--public-db", url + "&application_name=shouxin_public"});
    const WebAnswer home = webRequest(pages.url() + "/");
    CHECK(home.status == 200);
    CHECK(home.body.find("余杭区") != std::string::npos);
    CHECK(std::stoi(postgresQuery(url, "SELECT count(*) FROM pg_stat_activity WHERE application_name = "
                                       "'shouxin_public'")) > 0);
    // Not a URL: refused before anything starts.
    const RunResult bad = runProgram([&] {
        auto argv = districtCommand(url);
        argv.insert(argv.end(), {"serve", "--public-db", "/tmp/replica.db"});
        return argv;
    }());
    CHECK(bad.exitCode != 0);
}
