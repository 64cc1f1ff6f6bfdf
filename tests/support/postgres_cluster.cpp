#include "tests/support/postgres_cluster.hpp"

#include <libpq-fe.h>
#include <pwd.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "shared/store.hpp"
#include "tests/support/process.hpp"

namespace shouxin::test {

namespace {

namespace fs = std::filesystem;

constexpr const char* kBinDir = "/usr/lib/postgresql/15/bin";

// PostgreSQL refuses to run as root: as root, its programs run as the
// `postgres` user (Debian's postgresql package makes it).
std::vector<std::string> asServerUser(std::vector<std::string> argv) {
    if (geteuid() == 0) argv.insert(argv.begin(), {"/usr/sbin/runuser", "-u", "postgres", "--"});
    return argv;
}

class Cluster {
public:
    Cluster() {
        try {
            start();
        } catch (...) {
            stop();
            throw;
        }
    }
    ~Cluster() { stop(); }
    Cluster(const Cluster&) = delete;
    Cluster& operator=(const Cluster&) = delete;

    std::string url(const std::string& database) const {
        return "postgresql:///" + database + "?host=" + m_root.string() + "&user=postgres";
    }
    const fs::path& keys() const { return m_keys; }

private:
    void start() {
        const fs::path initdb = fs::path(kBinDir) / "initdb";
        if (!fs::exists(initdb)) {
            throw std::runtime_error(initdb.string() +
                                     " is missing: install postgresql-15 and postgresql-contrib "
                                     "(packaging/install-deps.sh) to run the district's PostgreSQL tests");
        }
        std::string pattern = (fs::temp_directory_path() / "shouxin-pg-XXXXXX").string();
        if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
        m_root = pattern;
        fs::permissions(m_root, fs::perms::owner_all | fs::perms::group_exec | fs::perms::others_exec);
        if (geteuid() == 0) {
            const passwd* pw = getpwnam("postgres");
            if (!pw) throw std::runtime_error("no `postgres` user to run the test cluster as");
            if (chown(m_root.c_str(), pw->pw_uid, pw->pw_gid) != 0) throw std::runtime_error("chown failed");
        }
        const std::string data = (m_root / "data").string();
        RunResult r = runProgram(asServerUser({initdb.string(), "-D", data, "-U", "postgres", "-A", "trust",
                                               "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"}));
        if (r.exitCode != 0) throw std::runtime_error("initdb failed: " + r.err + r.out);
        m_started = true;  // stop() tries, whatever start says
        r = runProgram(asServerUser({(fs::path(kBinDir) / "pg_ctl").string(), "-D", data, "-w", "-l",
                                     (m_root / "log").string(), "-o",
                                     "-c listen_addresses='' -c unix_socket_directories='" + m_root.string() +
                                         "' -c max_connections=300 -c shared_buffers=16MB", "start"}));
        if (r.exitCode != 0) throw std::runtime_error("pg_ctl start failed: " + r.err + r.out);
        fs::create_directories(m_keys);
    }

    void stop() {
        if (m_started) {
            runProgram(asServerUser(
                {(fs::path(kBinDir) / "pg_ctl").string(), "-D", (m_root / "data").string(), "-m", "fast", "stop"}));
        }
        m_started = false;
        std::error_code ignored;
        // Twice: the server may still be removing its last files as pg_ctl returns.
        for (int attempt = 0; attempt < 2 && !m_root.empty() && fs::exists(m_root, ignored); ++attempt) {
            if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(200));
            fs::remove_all(m_root, ignored);
        }
        fs::remove_all(m_keys, ignored);
    }

    fs::path m_root;
    // Key files stay out of the server's directory (its owner is postgres).
    fs::path m_keys = fs::temp_directory_path() / ("shouxin-pg-keys-" + std::to_string(getpid()));
    bool m_started = false;
};

Cluster& cluster() {
    static std::mutex mutex;
    static std::unique_ptr<Cluster> instance;  // stopped when the process exits
    std::lock_guard lock(mutex);
    if (!instance) instance = std::make_unique<Cluster>();
    return *instance;
}

struct Connection {
    PGconn* conn;
    explicit Connection(const std::string& url) : conn(PQconnectdb(url.c_str())) {
        if (PQstatus(conn) != CONNECTION_OK) {
            const std::string message = PQerrorMessage(conn);
            PQfinish(conn);
            throw std::runtime_error("cannot connect to " + url + ": " + message);
        }
    }
    ~Connection() { PQfinish(conn); }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    std::string first(const std::string& sql) {
        PGresult* r = PQexec(conn, sql.c_str());
        const auto status = PQresultStatus(r);
        if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
            const std::string message = PQresultErrorMessage(r);
            PQclear(r);
            throw std::runtime_error(message + " (in: " + sql + ")");
        }
        std::string out = status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
        PQclear(r);
        return out;
    }
};

std::string databaseOf(const std::string& url) {
    const auto from = url.find(":///") + 4;
    return url.substr(from, url.find('?') - from);
}

}  // namespace

bool districtOnPostgres() {
    const char* backend = std::getenv("SHOUXIN_TEST_BACKEND");
    return backend && std::string(backend) == "postgresql";
}

std::string newPostgresDatabase() {
    static std::atomic<int> counter{0};
    Cluster& c = cluster();
    const std::string name = "shouxin_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    Connection(c.url("postgres")).first("CREATE DATABASE " + name);
    fs::create_directories(c.keys() / name);
    return c.url(name);
}

std::filesystem::path postgresKeysDir(const std::string& url) { return cluster().keys() / databaseOf(url); }

void postgresExec(const std::string& url, const std::string& sql) { Connection(url).first(sql); }

std::string postgresQuery(const std::string& url, const std::string& sql) { return Connection(url).first(sql); }

}  // namespace shouxin::test
