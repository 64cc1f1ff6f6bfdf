#include "sync/server/relay.hpp"

#include <chrono>
#include <iostream>
#include <sstream>

#include "shared/crypto.hpp"
#include "shared/i18n.hpp"
#include "shared/store.hpp"
#include "sync/client/schedule.hpp"

namespace shouxin::server {
namespace {

std::int64_t steadyMillis() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

}  // namespace

int enrolUpstream(const std::string& db, const std::filesystem::path& keyFile, const std::string& url,
                  const std::string& code, const std::vector<std::string>& pins, bool insecureHttp) {
    const auto fail = [](const Problems& p) {
        std::cerr << bilingual("cli.error") << ":\n" << describe(p) << "\n";
        return 1;
    };
    if (!client::isAllowedServerUrl(url, insecureHttp)) return fail({{"url", "sync.reason.url", url}});
    std::string pinned;
    for (const auto& pin : pins) {
        if (pin.rfind("sha256//", 0) != 0 || pin.size() != 52) return fail({{"--pin", "sync.reason.pin", pin}});
        pinned += (pinned.empty() ? "" : ";") + pin;
    }
    Store store = Store::open(db);
    if (!store.isDistrict()) return fail({{"--db", "error.store.not_a_district", db}});
    const auto keys = readKeyFile(keyFile);
    if (!keys || keys->publicKeyHex != store.node().publicKeyHex)
        return fail({{"--db", "error.store.key_missing", keyFile.string()}});
    auto transport = client::makeCurlTransport(client::curlOptionsFor(url, pinned));
    client::SyncEngine engine(store, *transport, *keys);
    const auto answer = engine.enroll(code);
    if (!answer) return fail(answer.problems());
    store.setSetting(Setting::serverUrl, client::curlOptionsFor(url, "").baseUrl);
    store.setSetting(Setting::pins, pinned);
    std::cout << bilingual("cli.enrolled_upstream") << ": " << answer->districtName << " (" << answer->district
              << ")\n";
    return 0;
}

client::SyncResult relayOnce(const std::string& db, const std::filesystem::path& keyFile,
                             const std::atomic<bool>* abort) {
    client::SyncResult result;
    Store store = Store::open(db);
    const std::string url = store.setting(Setting::serverUrl);
    const auto keys = readKeyFile(keyFile);
    if (url.empty() || store.setting(Setting::token).empty() || !keys) {
        result.failure = {client::Verdict::refused, 0, "not_enrolled", "run upstream first"};
        return result;
    }
    client::CurlOptions options = client::curlOptionsFor(url, store.setting(Setting::pins));
    options.abort = abort;
    auto transport = client::makeCurlTransport(options);
    client::SyncEngine engine(store, *transport, *keys);
    return engine.syncOnce();
}

std::string describeRound(const client::SyncResult& r, std::int64_t millis) {
    std::ostringstream out;
    out << bilingual("cli.relay_round") << ": " << client::describeStats(r.stats, millis);
    if (!r.ok) out << "\n" << bilingual("sync.reason." + r.failure.reason) << " (" << r.failure.detail << ")";
    return out.str();
}

RelayLoop::RelayLoop(std::string db, std::filesystem::path keyFile, std::int64_t intervalMillis)
    : m_db(std::move(db)), m_keyFile(std::move(keyFile)), m_interval(intervalMillis), m_thread([this] {
          client::Schedule::Options plan;
          plan.intervalMillis = m_interval;
          client::Schedule schedule(plan, steadyMillis());
          while (!m_stop) {
              if (!schedule.isDue(steadyMillis())) {
                  std::this_thread::sleep_for(std::chrono::milliseconds(100));
                  continue;
              }
              const std::int64_t started = steadyMillis();
              client::SyncResult r;
              try {
                  r = relayOnce(m_db, m_keyFile, &m_stop);
              } catch (const std::exception& e) {
                  r.failure = {client::Verdict::retry, 0, "unavailable", e.what()};
              }
              // Not enrolled above (yet): nothing to do, nothing to say.
              if (r.failure.reason == "not_enrolled") {
                  schedule.succeeded(steadyMillis());
                  continue;
              }
              // A line for each round that moved something or failed; quiet rounds say nothing.
              if (!r.ok || r.stats.pushed > 0 || r.stats.pulled > 0)
                  std::cout << describeRound(r, steadyMillis() - started) << std::endl;
              if (r.ok)
                  schedule.succeeded(steadyMillis());
              else
                  schedule.failed(steadyMillis(), r.failure);
          }
      }) {}

RelayLoop::~RelayLoop() {
    m_stop = true;
    m_thread.join();
}

}  // namespace shouxin::server
