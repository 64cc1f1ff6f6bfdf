#pragma once
// A district server process and kiosks (node databases driven through the
// real `shouxin` binary) in one temporary directory: the world the sync
// integration tests run in.
#include <memory>
#include <string>
#include <vector>

#include "shared/store.hpp"
#include "tests/support/process.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace shouxin::test {

inline constexpr const char* kDistrict = "330110";
inline constexpr const char* kOfficeA = "330110104";
inline constexpr const char* kOfficeB = "330110105";

struct Kiosk {
    std::string db;
    std::string office;

    /// `shouxin --db DB ARGS...`.
    RunResult cli(std::vector<std::string> args) const;
    Store open() const { return Store::open(db); }
    std::string digest() const;
};

class SyncWorld {
public:
    /// `serverArgs` go to `shouxin-district serve` (e.g. --public-site).
    /// The district's database is a file in the world's directory, or a
    /// fresh PostgreSQL database when districtOnPostgres().
    explicit SyncWorld(std::vector<std::string> serverArgs = {});

    /// The district's database: a file path or a PostgreSQL URL.
    const std::filesystem::path& districtDb() const { return m_districtDb; }
    /// The district's key file (beside its file, or in its --keys directory).
    std::filesystem::path districtKeyFile() const;
    /// The world's temporary directory (the kiosks' files).
    const std::filesystem::path& dir() const { return m_dir.path(); }
    ServerProcess& server() { return *m_server; }
    /// Restarts the server on the same port and database (after a kill).
    void restartServer();

    /// A new kiosk of `office`, initialised and enrolled (not yet synced)
    /// with server() or, given `via`, another server of the same database.
    Kiosk addKiosk(const std::string& office, const std::string& name, const ServerProcess* via = nullptr);
    /// `shouxin sync --once` on the kiosk; REQUIREs success.
    void sync(const Kiosk& kiosk);
    std::string districtDigest(const std::string& office) const;
    /// A raw count from the district database (file or PostgreSQL).
    std::int64_t districtCount(const std::string& sqlWhere) const;
    /// Direct SQL on the district database behind the server's back (file
    /// or PostgreSQL): the first column of the first row ("" when no row).
    std::string districtQuery(const std::string& sql) const;
    void districtExec(const std::string& sql) const;

private:
    TempDir m_dir;
    std::filesystem::path m_districtDb;
    std::vector<std::string> m_serverArgs;
    std::unique_ptr<ServerProcess> m_server;
    int m_kiosks = 0;
};

}  // namespace shouxin::test
