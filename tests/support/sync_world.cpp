#include "tests/support/sync_world.hpp"

#include <stdexcept>

#include "shared/crypto.hpp"
#include "tests/support/postgres_cluster.hpp"
#include "tests/support/raw_sql.hpp"

namespace shouxin::test {

RunResult Kiosk::cli(std::vector<std::string> args) const {
    args.insert(args.begin(), {SHOUXIN_CLI, "--db", db});
    return runProgram(args);
}

std::string Kiosk::digest() const {
    const RunResult r = cli({"digest"});
    if (r.exitCode != 0) throw std::runtime_error("digest failed: " + r.err);
    return r.out.substr(0, 64);
}

SyncWorld::SyncWorld(std::vector<std::string> serverArgs)
    : m_districtDb(districtOnPostgres() ? std::filesystem::path(newPostgresDatabase()) : m_dir / "district.db"),
      m_serverArgs(std::move(serverArgs)) {
    districtCli(m_districtDb, {"init", "--district", kDistrict, "--name", "余杭区"});
    m_server = std::make_unique<ServerProcess>(m_districtDb, 0, m_serverArgs);
}

void SyncWorld::restartServer() {
    const int port = m_server->port();
    m_server->kill();
    m_server.reset();
    m_server = std::make_unique<ServerProcess>(m_districtDb, port, m_serverArgs);
}

Kiosk SyncWorld::addKiosk(const std::string& office, const std::string& name, const ServerProcess* via) {
    Kiosk k{(m_dir.path() / ("kiosk" + std::to_string(++m_kiosks) + ".db")).string(), office};
    if (k.cli({"init", "--office", office, "--name", name}).exitCode != 0)
        throw std::runtime_error("init failed");
    const std::string code = districtCli(m_districtDb, {"enroll-code", "--office", office}).substr(0, 11);
    const RunResult r = k.cli({"enroll", (via ? via : m_server.get())->url(), code});
    if (r.exitCode != 0) throw std::runtime_error("enroll failed: " + r.err);
    return k;
}

void SyncWorld::sync(const Kiosk& kiosk) {
    const RunResult r = kiosk.cli({"sync", "--once", "--retries", "0"});
    if (r.exitCode != 0) throw std::runtime_error("sync failed: " + r.err + r.out);
}

std::string SyncWorld::districtDigest(const std::string& office) const {
    return districtCli(m_districtDb, {"digest", "--office", office}).substr(0, 64);
}

std::int64_t SyncWorld::districtCount(const std::string& sqlWhere) const {
    return std::stoll(districtQuery("SELECT count(*) FROM " + sqlWhere));
}

std::string SyncWorld::districtQuery(const std::string& sql) const {
    return isDatabaseUrl(m_districtDb.string()) ? postgresQuery(m_districtDb.string(), sql)
                                                : rawQuery(m_districtDb, sql);
}

void SyncWorld::districtExec(const std::string& sql) const {
    if (isDatabaseUrl(m_districtDb.string()))
        postgresExec(m_districtDb.string(), sql);
    else
        rawExec(m_districtDb, sql);
}

std::filesystem::path SyncWorld::districtKeyFile() const {
    const std::string db = m_districtDb.string();
    return shouxin::districtKeyFile(db, isDatabaseUrl(db) ? postgresKeysDir(db) : std::filesystem::path());
}

}  // namespace shouxin::test
