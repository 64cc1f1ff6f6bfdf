#pragma once
// Levels (逐级归集): a server enrolled at the level above (a district at
// its city, a city at its province) relays every chain held in its region
// up, and brings the records of the regions above down, with the same
// client as an office node (sync_engine.hpp) and the server's own key.
#include <atomic>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "sync/client/sync_engine.hpp"

namespace shouxin::server {

/// Enrols the server of `db` (a file or a PostgreSQL URL; its key in
/// `keyFile`) at `url` with a one-time code from the level above; prints
/// who that is. Exit code.
int enrolUpstream(const std::string& db, const std::filesystem::path& keyFile, const std::string& url,
                  const std::string& code, const std::vector<std::string>& pins, bool insecureHttp);

/// One round: relay up, then pull down. Not enrolled: reason not_enrolled.
/// `abort`, once set, ends a request in flight (a server stopping).
client::SyncResult relayOnce(const std::string& db, const std::filesystem::path& keyFile,
                             const std::atomic<bool>* abort = nullptr);

/// The round as one line, as `shouxin sync` prints it.
std::string describeRound(const client::SyncResult& r, std::int64_t millis);

/// `serve --relay-every`: a round every interval (doubling back off after a
/// failure, sync's schedule), on a thread of its own with its own
/// connection, until destroyed.
class RelayLoop {
public:
    RelayLoop(std::string db, std::filesystem::path keyFile, std::int64_t intervalMillis);
    ~RelayLoop();
    RelayLoop(const RelayLoop&) = delete;
    RelayLoop& operator=(const RelayLoop&) = delete;

private:
    std::string m_db;
    std::filesystem::path m_keyFile;
    std::int64_t m_interval;
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace shouxin::server
