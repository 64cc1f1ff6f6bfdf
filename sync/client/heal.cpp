#include "sync/client/heal.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>

#include "shared/crypto.hpp"
#include "shared/i18n.hpp"
#include "shared/salvage.hpp"
#include "sync/client/sync_engine.hpp"

namespace shouxin::client {

namespace fs = std::filesystem;

namespace {

// One healer a file at a time, across processes (the kiosk, the sync
// timer's `shouxin sync`): an advisory lock on a file beside it, released
// when the process ends however it ends.
class HealLock {
public:
    explicit HealLock(const fs::path& db) {
        const std::string path = db.string() + ".heal-lock";
        m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
        m_held = m_fd >= 0 && ::flock(m_fd, LOCK_EX | LOCK_NB) == 0;
    }
    ~HealLock() {
        if (m_fd >= 0) ::close(m_fd);  // releases the lock
    }
    HealLock(const HealLock&) = delete;
    HealLock& operator=(const HealLock&) = delete;
    bool held() const { return m_held; }

private:
    int m_fd = -1;
    bool m_held = false;
};

// The newest damaged copy kept beside `db` ("<db>.corrupt-<time>").
fs::path newestAside(const fs::path& db) {
    const std::string prefix = db.filename().string() + ".corrupt-";
    fs::path best;
    std::error_code ec;
    const fs::path dir = fs::absolute(db).parent_path();
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const std::string name = entry.path().filename().string();
        if (name.rfind(prefix, 0) != 0) continue;
        if (name.find('-', prefix.size()) != std::string::npos) continue;  // its -wal, -shm
        if (best.empty() || name > best.filename().string()) best = entry.path();
    }
    return best;
}

std::string ownHeadHash(const Store& store, std::int64_t headSeq) {
    if (headSeq == 0) return kGenesisHash;
    const std::string device = store.node().device;
    for (const auto& h : store.deviceHeads())
        if (h.device == device) return h.headHash;
    return {};
}

}  // namespace

bool healPending(const Store& store) { return !store.setting(Setting::healFrom).empty(); }

HealReport heal(const fs::path& db, const HealOptions& options) {
    HealReport report;
    HealLock lock(db);
    if (!lock.held()) {
        report.outcome = HealReport::Outcome::busy;
        return report;
    }
    // 1. The damaged file goes aside, unless that was done before a cut
    // (then the node set up again says where it went, or is not made yet).
    if (fs::exists(db)) {
        try {
            Store::OpenOptions checked;
            checked.checkIntegrity = true;
            const Store store = Store::open(db, checked);
            report.aside = store.setting(Setting::healFrom);
            if (report.aside.empty()) return report;  // intact, no heal under way
        } catch (const StoreError& e) {
            if (!e.corrupt()) throw;
            report.aside = Store::moveAside(db);
        }
    } else {
        report.aside = newestAside(db);
        if (report.aside.empty()) throw StoreError("error.store.missing", db.string());
    }

    // 2. A node set up again with the damaged copy's identity, read-only.
    if (!fs::exists(db)) {
        auto identity = salvage::readIdentity(report.aside);
        const auto keys = readKeyFile(keyFileFor(db));
        const auto fail = [&](std::string detail) {
            report.outcome = HealReport::Outcome::reenrol;
            report.detail = std::move(detail);
            return report;
        };
        if (!identity) return fail(report.aside.string() + ": no readable office and device");
        if (identity->district) return fail(report.aside.string() + ": a server's database");
        if (!keys) return fail(keyFileFor(db).string() + ": no device key");
        if (!identity->publicKeyHex.empty() && identity->publicKeyHex != keys->publicKeyHex)
            return fail(keyFileFor(db).string() + ": not this device's key");
        const auto has = [&](Setting s) {
            const std::string key = "setting." + std::string(keyOf(s));
            return std::any_of(identity->rows.begin(), identity->rows.end(),
                               [&](const auto& row) { return row.first == key && !row.second.empty(); });
        };
        if (!has(Setting::token) || !has(Setting::serverUrl)) return fail(report.aside.string() + ": not enrolled");
        auto rows = identity->rows;
        rows.erase(std::remove_if(rows.begin(), rows.end(), [](const auto& row) { return row.first == "public_key"; }),
                   rows.end());
        rows.emplace_back("public_key", keys->publicKeyHex);
        rows.emplace_back("setting." + std::string(keyOf(Setting::healFrom)), fs::absolute(report.aside).string());
        Store::createHealed(db, rows);
    }

    // 3. The office's records again, from the start: paged, each page with
    // its cursor, so a cut resumes; the district sends this device's own
    // events too (own_after 0), and its chain goes on from its head there.
    Store store = Store::open(db);
    const auto keys = readKeyFile(keyFileFor(db));
    if (!keys) {
        report.outcome = HealReport::Outcome::reenrol;
        report.detail = keyFileFor(db).string() + ": no device key";
        return report;
    }
    const std::string url = store.setting(Setting::serverUrl);
    const std::string pins = store.setting(Setting::pins);
    std::unique_ptr<Transport> transport;
    if (options.transport) {
        transport = options.transport(url, pins);
    } else {
        CurlOptions curl = curlOptionsFor(url, pins);
        curl.abort = options.abort;
        transport = makeCurlTransport(curl);
    }
    SyncEngine engine(store, *transport, *keys);
    SyncResult round = engine.syncOnce();
    report.pulled = round.stats.pulled;
    if (!round.ok) {
        report.outcome = HealReport::Outcome::retry;
        report.failure = round.failure;
        return report;
    }

    // 4. Own events past the district's head, read back from the damaged
    // copy up to the first unreadable one, stored to go up (and the heal
    // is over, in the same transaction), then sent.
    const std::int64_t head = store.ownHeadSeq();
    const auto own = salvage::readOwnEvents(report.aside, store.node().device, head, ownHeadHash(store, head));
    report.recovered = static_cast<std::int64_t>(store.recoverOwn(own.events));
    report.lost = own.headSeq < 0 ? -1 : std::max<std::int64_t>(0, own.headSeq - head - report.recovered);
    if (report.recovered > 0) {
        round = engine.syncOnce();
        report.pushed = round.ok;
    } else {
        report.pushed = true;
    }
    report.outcome = HealReport::Outcome::healed;
    return report;
}

std::string describe(const HealReport& r) {
    using Outcome = HealReport::Outcome;
    switch (r.outcome) {
        case Outcome::intact:
            return bilingual("heal.intact") + "\n";
        case Outcome::busy:
            return bilingual("heal.busy") + "\n";
        case Outcome::reenrol:
            return bilingual("heal.reenrol") + " (" + r.detail + ")\n";
        case Outcome::retry:
            return bilingual("heal.retry") + " (" + r.failure.reason + (r.failure.detail.empty() ? "" : ": ") +
                   r.failure.detail + ")\n" + bilingual("heal.aside") + ": " + r.aside.string() + "\n";
        case Outcome::healed:
            break;
    }
    std::string out = bilingual("heal.done") + "\n";
    out += bilingual("heal.aside") + ": " + r.aside.string() + "\n";
    out += bilingual("heal.pulled") + ": " + std::to_string(r.pulled) + "\n";
    out += bilingual("heal.recovered") + ": " + std::to_string(r.recovered) +
           (r.recovered > 0 && !r.pushed ? " (" + bilingual("heal.not_yet_sent") + ")" : "") + "\n";
    out += bilingual("heal.lost") + ": " + (r.lost < 0 ? bilingual("heal.unknown") : std::to_string(r.lost)) + "\n";
    out += bilingual("heal.node_only") + "\n";
    return out;
}

}  // namespace shouxin::client
