// `shouxin enroll`, `sync` and the heal a damaged node goes through: the
// office node's side of the exchange with the district (sync/client).
#include <atomic>
#include <chrono>
#include <csignal>
#include <iostream>
#include <optional>
#include <thread>

#include "shared/crypto.hpp"
#include "shared/i18n.hpp"
#include "sync/cli/commands.hpp"
#include "sync/client/heal.hpp"
#include "sync/client/schedule.hpp"
#include "sync/client/sync_engine.hpp"

namespace shouxin::cli {
namespace {

// Heals a damaged node from the district (heal.hpp) and says what came
// back; then, for verify, verifies the node set up again.
int cmdHeal(const Options& o, bool thenVerify) {
    const auto healed = client::heal(o.db);
    std::cout << client::describe(healed);
    if (healed.outcome != client::HealReport::Outcome::healed) return kFailed;
    return thenVerify ? cmdVerify(Store::open(o.db)) : kOk;
}

std::optional<KeyPair> deviceKeys(const std::string& db) { return readKeyFile(keyFileFor(db)); }

// The round's counts and its own duration (the exchange with the district
// and the store's work, without the program's start).
void printRound(const client::SyncResult& r, std::int64_t millis) {
    std::cout << bilingual("cli.sync_round") << ": " << client::describeStats(r.stats, millis) << "\n";
}

std::atomic<bool> gStop{false};

std::int64_t steadyMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// Sleeps in short steps so that SIGTERM ends a daemon promptly.
void sleepMillis(std::int64_t ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!gStop && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
}

}  // namespace

int cmdEnroll(Store& store, const Options& o) {
    if (!client::isAllowedServerUrl(o.url, o.insecureHttp)) return fail("sync.reason.url", o.url);
    const auto keys = deviceKeys(o.db);
    if (!keys) return fail("error.store.key_missing", keyFileFor(o.db).string());
    std::string pins;
    for (const auto& pin : o.pins) {
        if (pin.rfind("sha256//", 0) != 0 || pin.size() != 52) return fail("sync.reason.pin", pin);
        pins += (pins.empty() ? "" : ";") + pin;
    }
    auto transport = client::makeCurlTransport(client::curlOptionsFor(o.url, pins));
    client::SyncEngine engine(store, *transport, *keys);
    const auto answer = engine.enroll(o.code);
    if (!answer) return fail(answer.problems());
    store.setSetting(Setting::serverUrl, client::curlOptionsFor(o.url).baseUrl);
    store.setSetting(Setting::pins, pins);
    std::cout << bilingual("cli.enrolled") << ": " << answer->districtName << " (" << answer->district
              << ")\n";
    return kOk;
}

int cmdSync(Store& store, const Options& o) {
    const std::string url = store.setting(Setting::serverUrl);
    if (url.empty() || store.setting(Setting::token).empty())
        return fail("sync.reason.not_enrolled", "");
    const auto keys = deviceKeys(o.db);
    if (!keys) return fail("error.store.key_missing", keyFileFor(o.db).string());
    auto transport = client::makeCurlTransport(client::curlOptionsFor(url, store.setting(Setting::pins)));
    client::EngineOptions engineOptions;
    engineOptions.pushBatch = o.pushBatch;
    engineOptions.pullPage = o.pullPage;
    client::SyncEngine engine(store, *transport, *keys, engineOptions);
    client::Schedule::Options plan;
    plan.intervalMillis = static_cast<std::int64_t>(o.interval * 1000);
    client::Schedule schedule(plan, steadyMillis());  // the kiosk's worker keeps the same schedule
    if (o.daemon) {
        std::signal(SIGTERM, [](int) { gStop = true; });
        std::signal(SIGINT, [](int) { gStop = true; });
    }
    for (int attempt = 0; !gStop; ++attempt) {
        sleepMillis(schedule.waitMillis(steadyMillis()));
        if (gStop) break;
        const std::int64_t started = steadyMillis();
        const auto r = engine.syncOnce();
        printRound(r, steadyMillis() - started);
        if (r.ok) {
            schedule.succeeded(steadyMillis());
            if (!o.daemon) return kOk;
            continue;
        }
        std::cerr << bilingual("sync.reason." + r.failure.reason) << " (" << r.failure.detail << ")\n";
        if (!o.daemon && (r.failure.verdict != client::Verdict::retry || attempt >= o.retries))
            return kFailed;
        schedule.failed(steadyMillis(), r.failure);
    }
    return kOk;
}

// A damaged node healed from the district (cmdHeal); a sync daemon then
// goes on syncing the node set up again, as it would after a restart.
int healThenGoOn(const Options& o, bool thenVerify) {
    const int healed = cmdHeal(o, thenVerify);
    if (healed != kOk || !o.daemon || thenVerify || gStop) return healed;
    Store store = Store::open(o.db);
    return cmdSync(store, o);
}

}  // namespace shouxin::cli
