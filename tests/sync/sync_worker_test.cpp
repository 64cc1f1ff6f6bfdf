#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "sync/client/sync_worker.hpp"
#include "tests/support/hanging_server.hpp"
#include "tests/support/process.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;
using namespace std::chrono_literals;

TEST_CASE("the sync worker syncs in the background, on start and on demand", "[sync][worker]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    std::atomic<int> wakes{0};
    client::SyncWorker worker(k.db, 1h, [&] { ++wakes; });
    worker.start();
    REQUIRE(waitFor([&] { return worker.status().rounds >= 1; }, 20));
    auto s = worker.status();
    CHECK(s.enrolled);
    CHECK(s.lastError.empty());
    CHECK(s.lastSuccess > 0);
    CHECK(s.waiting == 0);
    CHECK(s.offlineSince == 0);
    CHECK(wakes > 0);

    // A clerk's report made meanwhile goes up when asked, not an hour later.
    const std::string id = k.cli({"list", "--status", "in_progress"}).out.substr(0, 36);
    REQUIRE(k.cli({"report", "--commitment", id, "--status", "fulfilled", "--progress", "100", "--note",
                   "已办结", "--clerk", "zhang"})
                .exitCode == 0);
    worker.syncNow();
    REQUIRE(waitFor([&] { return worker.status().rounds >= 2 && worker.status().waiting == 0; }, 20));
    worker.stop();
    CHECK(k.digest() == world.districtDigest(kOfficeA));
}

TEST_CASE("a district that accepts connections and never answers never blocks the caller", "[sync][worker]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    HangingServer hang;
    REQUIRE(k.cli({"set-server", hang.url()}).exitCode == 0);

    client::SyncWorker worker(k.db, 1h);
    worker.start();
    // The round hangs on the network; the status is still there to read,
    // every time, saying so, and the records wait where they are.
    REQUIRE(waitFor([&] { return worker.status().syncing && hang.connections() > 0; }, 20));
    for (int frame = 0; frame < 20; ++frame) {
        const auto s = worker.status();
        CHECK(s.syncing);
        CHECK(s.waiting == 152);
        std::this_thread::sleep_for(10ms);
    }
    // Stopping ends the hung request instead of waiting for a timeout.
    worker.stop();
    CHECK(k.open().pendingCount() == 152);
}

TEST_CASE("a worker with no district reports offline and keeps every record", "[sync][worker]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    world.server().kill();
    client::SyncWorker worker(k.db, 1h);
    worker.start();
    REQUIRE(waitFor([&] { return worker.status().rounds >= 1; }, 20));
    const auto s = worker.status();
    CHECK(s.lastError == "network");
    CHECK(s.offlineSince > 0);
    CHECK(s.waiting == 1);
    worker.stop();
}

TEST_CASE("a save asks for a round soon, and saves close together share it", "[sync][worker]") {
    SyncWorld world;
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    client::SyncWorker worker(k.db, 1h);
    worker.start();
    REQUIRE(waitFor([&] { return worker.status().rounds >= 1; }, 20));

    const std::string id = k.cli({"list", "--status", "in_progress"}).out.substr(0, 36);
    for (const char* progress : {"60", "70"}) {
        REQUIRE(k.cli({"report", "--commitment", id, "--status", "in_progress", "--progress", progress, "--note",
                       "已办理", "--clerk", "zhang"})
                    .exitCode == 0);
        worker.syncSoon();
    }
    // Not an hour later: a few seconds after the saves, in one round.
    REQUIRE(waitFor([&] { return worker.status().rounds >= 2 && worker.status().waiting == 0; }, 20));
    std::this_thread::sleep_for(4s);  // past the second save's "soon": no round of its own
    CHECK(worker.status().rounds == 2);
    worker.stop();
    CHECK(k.digest() == world.districtDigest(kOfficeA));
}
