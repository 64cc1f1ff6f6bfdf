#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <random>
#include <thread>

#include "tests/support/longrun.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

// A kiosk with a few thousand events waiting to go up.
Kiosk busyKiosk(SyncWorld& world) {
    const Kiosk k = world.addKiosk(kOfficeA, "青山镇人民政府");
    REQUIRE(k.cli({"demo"}).exitCode == 0);
    Store store = k.open();
    const auto commitments = store.commitments();
    for (int i = 0; i < 2500; ++i) {
        const auto& c = commitments[static_cast<std::size_t>(i) % commitments.size()];
        const auto current = store.commitment(c.commitment.id);
        if (isClosed(current->status)) continue;
        FulfilmentReport r;
        r.commitment = c.commitment.id;
        r.status = Status::inProgress;
        r.progress = i % 100;
        r.note = "进度报告" + std::to_string(i);
        r.date = Date::today();
        r.basedOn = current->lastReport;
        REQUIRE(store.record(r, "clerk:li"));
    }
    return k;
}

void sleepMillis(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

// Where a kill lands. Every other one comes at a random moment from the
// start (start-up, the first exchange, ...); the rest wait until the
// round has visibly moved `progress` on (or `pid` ended), then a random
// few milliseconds more: mid-round however fast or slow the machine is
// today, so that the mid-round checks below never depend on its load.
void waitForKillPoint(int i, std::mt19937& rng, int pid, const std::function<std::int64_t()>& progress) {
    if (i % 2 == 0) {
        sleepMillis(std::uniform_int_distribution<int>(5, 400)(rng));
        return;
    }
    const std::int64_t before = progress();
    waitFor([&] { return progress() > before || !howEnded(pid).empty(); }, 60);
    sleepMillis(std::uniform_int_distribution<int>(0, 60)(rng));
}

// Converged: same digest, every event once at the district, all acknowledged.
void requireConverged(SyncWorld& world, const Kiosk& k) {
    const Store store = k.open();
    CHECK(store.pendingCount() == 0);
    CHECK(
        world.districtCount("event WHERE device = '" + store.node().device + "'") ==
        world.districtCount("(SELECT DISTINCT id FROM event WHERE device = '" + store.node().device + "') AS ids"));
    std::int64_t own = 0;
    for (const Event& e : store.events())
        own += e.device == store.node().device;
    CHECK(world.districtCount("event WHERE device = '" + store.node().device + "'") == own);
    CHECK(k.digest() == world.districtDigest(k.office));
    CHECK(store.verify().ok());
}

}  // namespace

TEST_CASE("a client killed at many points during push and pull loses and doubles nothing", "[sync][crash]") {
    SyncWorld world;
    const Kiosk k = busyKiosk(world);
    std::mt19937 rng(20261129);

    // Push: kill the client mid-round again and again. At least one kill
    // must land with part of the backlog up, or the test proves nothing.
    const std::string device = k.open().node().device;
    const std::int64_t total = k.open().pendingCount();
    const auto districtHolds = [&] { return world.districtCount("event WHERE device = '" + device + "'"); };
    bool midPush = false;
    for (int i = 0; i < 10; ++i) {
        const int pid = spawnProgram(
            {SHOUXIN_CLI, "--db", k.db, "sync", "--once", "--retries", "0", "--push-batch", "100"});
        waitForKillPoint(i, rng, pid, districtHolds);
        killProgram(pid);
        const std::int64_t up = districtHolds();
        midPush = midPush || (up > 0 && up < total);
    }
    CHECK(midPush);
    world.sync(k);
    requireConverged(world, k);

    // Pull: a new kiosk of the same office catches up, killed as it goes.
    const Kiosk fresh = world.addKiosk(kOfficeA, "青山镇人民政府");
    const std::int64_t available = world.districtCount("event WHERE office IN ('330110104', '330110')");
    bool midPull = false;
    for (int i = 0; i < 10; ++i) {
        const int pid = spawnProgram(
            {SHOUXIN_CLI, "--db", fresh.db, "sync", "--once", "--retries", "0", "--pull-page", "100"});
        waitForKillPoint(i, rng, pid, [&] { return fresh.open().eventCount(); });
        killProgram(pid);
        const std::int64_t held = fresh.open().eventCount();
        midPull = midPull || (held > 1 && held < available);
    }
    CHECK(midPull);
    world.sync(fresh);
    requireConverged(world, fresh);
    CHECK(fresh.open().eventCount() == world.districtCount("event WHERE office IN ('330110104', '330110')"));
}

TEST_CASE("the server killed during a push and restarted loses and doubles nothing", "[sync][crash]") {
    SyncWorld world;
    const Kiosk k = busyKiosk(world);
    const std::string device = k.open().node().device;
    const std::int64_t total = k.open().pendingCount();
    const auto districtHolds = [&] { return world.districtCount("event WHERE device = '" + device + "'"); };
    std::mt19937 rng(20261202);
    bool midPush = false;
    for (int i = 0; i < 4; ++i) {
        const int pid = spawnProgram(
            {SHOUXIN_CLI, "--db", k.db, "sync", "--once", "--retries", "0", "--push-batch", "100"});
        waitForKillPoint(i, rng, pid, districtHolds);
        world.server().kill();
        CHECK(waitProgram(pid) != 127);
        const std::int64_t up = districtHolds();
        midPush = midPush || (up > 0 && up < total);
        world.restartServer();
    }
    CHECK(midPush);
    world.sync(k);
    requireConverged(world, k);
}
