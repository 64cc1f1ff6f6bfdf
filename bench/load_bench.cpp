// The district server under many kiosks: 50, 200 and 500 simulated kiosks
// (two an office) against the real `shouxin-district` on 127.0.0.1, each a
// real node file with its own device key, enrolment, connection and
// loopback address. Untimed: enrol every kiosk through the real endpoint,
// record its events and build its push bodies. Timed, for a bounded time:
// every kiosk pushes a batch of 20 events every interval and pulls every
// few pushes (load_phase.cpp). Afterwards every node syncs with the real
// SyncEngine, and every office's digest is compared between its kiosks and
// the district. Prints a table; asserts nothing.
//     shouxin_load_bench [kiosks...]        (default 50 200 500)
//     SHOUXIN_LOAD_SECONDS (20), SHOUXIN_LOAD_INTERVAL_MS (1600),
//     SHOUXIN_LOAD_ONE_ADDRESS=1: every kiosk from 127.0.0.1
//     SHOUXIN_LOAD_POSTGRES=URL: the district on PostgreSQL; URL names a
//       database of a server where the bench may CREATE DATABASE (with psql),
//       e.g. postgresql:///postgres?host=/run/postgresql (docs/DEPLOY.md)
#include <curl/curl.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <mutex>
#include <thread>

#include "bench/figures.hpp"
#include "bench/load_phase.hpp"
#include "shared/crypto.hpp"
#include "shared/gzip.hpp"
#include "shared/store.hpp"
#include "sync/client/sync_engine.hpp"
#include "sync/server/registry.hpp"

using namespace shouxin;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kBatch = 20;
constexpr int kPrepareThreads = 8;  // enrolment and fsyncs wait more than they compute
// The nodes are our own and fresh: no integrity check on each opening
// (the default since opening stopped checking).
const Store::OpenOptions kQuickOpen{};

double secondsSince(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

double envNumber(const char* name, double fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atof(v) : fallback;
}

double ownCpuSeconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// Office j (0-based) of the district: streets 001–099, towns 100–199,
// townships 200–399.
std::string officeCode(std::size_t j) {
    const std::string n = std::to_string(1000 + (j + 1) % 1000);
    return "330110" + n.substr(1);
}
std::string officeName(std::size_t j) {
    const std::size_t n = j + 1;
    return "第" + std::to_string(n) + (n < 100 ? "街道办事处" : n < 200 ? "镇人民政府" : "乡人民政府");
}

client::CurlOptions curlTo(const std::string& url) {
    client::CurlOptions options;
    options.baseUrl = url;
    return options;
}

// Runs `work(i)` for i in [0, n) on `threads` threads.
void parallelFor(std::size_t n, int threads, const std::function<void(std::size_t)>& work) {
    std::atomic<std::size_t> next{0};
    std::mutex m;
    std::string failure;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&] {
            try {
                for (std::size_t i; (i = next++) < n;)
                    work(i);
            } catch (const std::exception& e) {
                std::lock_guard lock(m);
                failure = e.what();
                next = n;
            }
        });
    }
    for (auto& t : pool)
        t.join();
    if (!failure.empty()) throw std::runtime_error(failure);
}

// The district server as a child process, with as many files as it may open.
struct Server {
    pid_t pid = -1;
    std::string url;

    // `district`: the start of the command line, `shouxin-district --db DB [--keys DIR]`.
    Server(std::vector<std::string> district, const fs::path& log) {
        district.insert(district.end(), {"serve", "--listen", "127.0.0.1:0"});
        std::vector<char*> argv;
        for (auto& a : district)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        pid = fork();
        if (pid == 0) {
            const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
            dup2(fd, 1);
            dup2(fd, 2);
            execv(SHOUXIN_DISTRICT, argv.data());
            _exit(127);
        }
        for (int i = 0; i < 200 && url.empty(); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            std::ifstream in(log);
            std::string line;
            if (std::getline(in, line) && line.rfind("listening on ", 0) == 0) url = line.substr(13);
        }
    }
    long peakKb() const {
        std::ifstream status("/proc/" + std::to_string(pid) + "/status");
        for (std::string line; std::getline(status, line);) {
            if (line.rfind("VmHWM:", 0) == 0) return std::stol(line.substr(6));
        }
        return 0;
    }
    long openFiles() const {
        std::error_code ec;
        long n = 0;
        for (fs::directory_iterator it("/proc/" + std::to_string(pid) + "/fd", ec), end; !ec && it != end;
             it.increment(ec))
            ++n;
        return n;
    }
    // CPU seconds used so far (user and system), from /proc/PID/stat.
    double cpuSeconds() const {
        std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
        std::string text;
        std::getline(stat, text);
        std::istringstream fields(text.substr(text.rfind(')') + 2));  // after "pid (comm) "
        std::string field;
        double ticks = 0;
        for (int i = 3; i <= 15 && fields >> field; ++i) {
            if (i >= 14) ticks += std::stod(field);  // utime, stime
        }
        return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    void stop() {
        if (pid <= 0) return;
        kill(pid, SIGTERM);
        waitpid(pid, nullptr, 0);
        pid = -1;
    }
    ~Server() { stop(); }
};

// Durable commits a second on this disk, one row each (WAL, synchronous
// FULL, as the store): the bound for a server that commits every push on
// its own, printed for scale.
double rawCommitRate(const fs::path& path) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE t(b TEXT)", nullptr, nullptr,
                 nullptr);
    const auto start = Clock::now();
    int n = 0;
    for (; n < 2000 && secondsSince(start) < 1; ++n)
        sqlite3_exec(db, "INSERT INTO t VALUES('x')", nullptr, nullptr, nullptr);
    const double rate = n / secondsSince(start);
    sqlite3_close(db);
    return rate;
}

// `n` events of a kiosk's office, in groups of 20: ten commitments, then
// each one's first fulfilment report.
std::vector<Payload> workload(const std::string& office, std::size_t n) {
    std::vector<Payload> out;
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t pos = i % kBatch;
        if (pos < kBatch / 2) {
            Commitment c;
            c.id = newUuidV7();
            c.office = office;
            c.category = kCategories[i % kCategoryCount];
            c.kind = Kind::timeLimit;
            c.title = "城乡居民养老保险待遇十个工作日内核定发放" + std::to_string(i);
            c.detail = "材料齐全的自受理之日起10个工作日内完成核定，次月起按月发放至本人社保卡银行账户。";
            c.department = "社会事务办公室";
            c.deadline = Date::fromCivil(2026, 12, 31);
            c.published = Date::fromCivil(2026, 1, 5);
            ids.push_back(c.id);
            out.emplace_back(std::move(c));
            continue;
        }
        FulfilmentReport r;
        r.commitment = ids[ids.size() - kBatch / 2 + (pos - kBatch / 2)];
        r.status = Status::inProgress;
        r.progress = static_cast<int>(i % 100);
        r.note = "已受理，材料核验中。";
        r.date = Date::fromCivil(2026, 3, 1);
        out.emplace_back(std::move(r));
    }
    return out;
}

// A kiosk's pending events as the push bodies the real client would send:
// batches of 20 consecutive events with the signed chain head, gzipped.
void buildPushes(const Store& store, const KeyPair& keys, bench::LoadKiosk& kiosk) {
    const auto events = store.pendingEvents(1u << 20);
    for (std::size_t first = 0; first < events.size(); first += kBatch) {
        wire::PushRequest request;
        request.events.assign(events.begin() + static_cast<std::ptrdiff_t>(first),
                              events.begin() + static_cast<std::ptrdiff_t>(std::min(first + kBatch, events.size())));
        const Event& head = request.events.back();
        request.head = {head.seq, head.hash, signHex(keys, chainHeadMessage(head.device, head.seq, head.hash))};
        kiosk.pushBodies.push_back(gzip(wire::encode(request)));
        kiosk.headSeqs.push_back(head.seq);
        kiosk.batchSizes.push_back(request.events.size());
    }
}

struct Outcome {
    std::size_t kiosks = 0;
    double prepareSeconds = 0, convergeSeconds = 0, compareSeconds = 0, serverCpu = 0, ownCpu = 0, offeredPerSecond = 0;
    bench::LoadResult load;
    long serverKb = 0, openFiles = 0, districtEvents = 0;
    std::size_t officesEqual = 0, offices = 0;
    double serverCpuMsPerEvent() const {
        return load.eventsAccepted > 0 ? serverCpu * 1000 / static_cast<double>(load.eventsAccepted) : 0;
    }
    bool digestsEqual() const { return offices > 0 && officesEqual == offices; }
};

// Makes, enrols and fills the kiosks' nodes (two an office, the second
// joining the first's office key) and builds their push bodies.
void prepareKiosks(const fs::path& dir, const std::string& url, const std::vector<std::string>& codes,
                   std::size_t batches, bool oneAddress, std::vector<fs::path>& nodes,
                   std::vector<bench::LoadKiosk>& load) {
    const std::size_t kiosks = nodes.size();
    parallelFor((kiosks + 1) / 2, kPrepareThreads, [&](std::size_t office) {
        std::string officeKey;
        for (std::size_t i = office * 2; i < std::min(kiosks, office * 2 + 2); ++i) {
            nodes[i] = dir / ("kiosk" + std::to_string(i) + ".db");
            Store store = Store::create(nodes[i], officeCode(office), officeName(office), officeKey);
            officeKey = store.officeKey();
            const auto keys = readKeyFile(keyFileFor(nodes[i]));
            auto transport = client::makeCurlTransport(curlTo(url));
            client::SyncEngine engine(store, *transport, *keys);
            if (!engine.enroll(codes[i])) throw std::runtime_error("enrolment failed for kiosk " + std::to_string(i));
            const auto pending = static_cast<std::size_t>(store.pendingCount());
            if (!store.recordAll(workload(officeCode(office), batches * kBatch - pending), "clerk:bench"))
                throw std::runtime_error("recording failed for kiosk " + std::to_string(i));
            buildPushes(store, *keys, load[i]);
            load[i].token = store.setting(Setting::token);
            // Kiosks come from many addresses, as townships do; the server
            // takes at most 64 connections from one (HttpOptions).
            load[i].sourceAddress = oneAddress ? "127.0.0.1"
                                               : "127.0." + std::to_string(1 + i / 200) + "." + std::to_string(1 + i % 200);
        }
    });
}

// The events the load pushed and the district answered 201 for, marked
// sent as the node's own sync would have (their numbers come with the pull).
void markSent(Store& store, std::int64_t throughSeq) {
    std::vector<Store::Acknowledgement> acks;
    for (const Event& e : store.pendingEvents(static_cast<std::size_t>(throughSeq)))
        if (e.seq <= throughSeq) acks.push_back({e.id, 0, false, "", ""});
    store.acknowledge(acks);
}

// Each node takes what the district acknowledged during the load, then two
// real sync rounds: push the rest, pull the other kiosk's events. Failures
// are counted with the load's errors.
void finalSync(const std::string& url, const std::vector<fs::path>& nodes, const std::vector<bench::LoadKiosk>& load,
               std::map<std::string, long>& errors) {
    std::mutex m;
    for (int round = 0; round < 2; ++round) {
        parallelFor(nodes.size(), kPrepareThreads, [&](std::size_t i) {
            Store store = Store::open(nodes[i], kQuickOpen);
            if (round == 0) markSent(store, load[i].ackedThrough);
            auto transport = client::makeCurlTransport(curlTo(url));
            client::SyncEngine engine(store, *transport, *readKeyFile(keyFileFor(nodes[i])));
            const auto result = engine.syncOnce();
            if (result.ok) return;
            std::lock_guard lock(m);
            ++errors["final sync: " + result.failure.reason + " " + result.failure.detail];
        });
    }
}

// How many offices have the same digest on each of their kiosks as on the
// district (whose server has stopped).
std::size_t equalOffices(const fs::path& districtDb, const std::vector<fs::path>& nodes) {
    const std::size_t offices = (nodes.size() + 1) / 2;
    std::atomic<std::size_t> equal{0};
    parallelFor(kPrepareThreads, kPrepareThreads, [&](std::size_t thread) {
        const Store district = Store::open(districtDb, kQuickOpen);  // a connection a thread
        for (std::size_t office = thread; office < offices; office += kPrepareThreads) {
            const std::string want = district.digest(officeCode(office));
            bool same = true;
            for (std::size_t i = office * 2; i < std::min(nodes.size(), office * 2 + 2); ++i)
                same = same && Store::open(nodes[i], kQuickOpen).digest(officeCode(office)) == want;
            equal += same ? 1 : 0;
        }
    });
    return equal;
}

// SHOUXIN_LOAD_POSTGRES, or "" for a district in a SQLite file.
std::string postgresServer() {
    const char* url = std::getenv("SHOUXIN_LOAD_POSTGRES");
    return url ? url : "";
}

// `server` (a PostgreSQL URL) with its database name replaced by `name`.
std::string withDatabase(const std::string& server, const std::string& name) {
    const auto from = server.find('/', server.find("://") + 3);
    const auto to = server.find('?');
    return from == std::string::npos ? server + "/" + name
                                     : server.substr(0, from + 1) + name + (to == std::string::npos ? "" : server.substr(to));
}

// The district's database for one size, made empty: a file in `dir`, or a
// new PostgreSQL database; and the command line that reaches it.
std::vector<std::string> districtFor(const fs::path& dir, std::size_t kiosks, std::string& location) {
    const std::string server = postgresServer();
    if (server.empty()) {
        location = (dir / "district.db").string();
        return {SHOUXIN_DISTRICT, "--db", location};
    }
    const std::string name = "shouxin_load_" + std::to_string(getpid()) + "_" + std::to_string(kiosks);
    if (std::system(("psql -q -v ON_ERROR_STOP=1 '" + server + "' -c 'CREATE DATABASE " + name + "'").c_str()) != 0)
        throw std::runtime_error("cannot create database " + name + " with psql on " + server);
    location = withDatabase(server, name);
    fs::create_directories(dir / "keys");
    return {SHOUXIN_DISTRICT, "--db", location, "--keys", (dir / "keys").string()};
}

Outcome runSize(const fs::path& root, std::size_t kiosks, double seconds, double intervalSeconds, bool oneAddress) {
    Outcome out;
    out.kiosks = kiosks;
    out.offices = (kiosks + 1) / 2;
    const fs::path dir = root / std::to_string(kiosks);
    fs::create_directories(dir);
    std::string location;
    const std::vector<std::string> district = districtFor(dir, kiosks, location);
    const fs::path districtDb = location;
    std::string init;
    for (const auto& a : district)
        init += "'" + a + "' ";
    if (std::system((init + "init --district 330110 --name 余杭区 >/dev/null").c_str()) != 0)
        throw std::runtime_error("district init failed");

    // Untimed: codes minted in-process (a process a code is too slow), then
    // every kiosk enrolled through the real endpoint.
    const auto prepareStart = Clock::now();
    std::vector<std::string> codes;
    {
        server::Registry registry(districtDb);
        for (std::size_t i = 0; i < kiosks; ++i)
            codes.push_back(registry.addEnrolmentCode(officeCode(i / 2), 3600));
    }
    Server server(district, dir / "server.log");
    if (server.url.empty()) throw std::runtime_error("the district server did not start");
    // As many batches as the pace can send in the time, and one to spare:
    // what the district does not take in time goes up in the final sync.
    const auto batches = static_cast<std::size_t>(std::ceil(seconds / intervalSeconds)) + 1;
    std::vector<bench::LoadKiosk> load(kiosks);
    std::vector<fs::path> nodes(kiosks);
    prepareKiosks(dir, server.url, codes, batches, oneAddress, nodes, load);
    out.prepareSeconds = secondsSince(prepareStart);

    // Timed: the load, with the server's open files sampled meanwhile.
    std::atomic<bool> done{false};
    long openFiles = 0;
    std::thread sampler([&] {
        for (; !done; std::this_thread::sleep_for(std::chrono::milliseconds(100)))
            openFiles = std::max(openFiles, server.openFiles());
    });
    out.offeredPerSecond = static_cast<double>(kiosks * kBatch) / intervalSeconds;
    const double serverCpu = server.cpuSeconds(), ownCpu = ownCpuSeconds();
    out.load = bench::runLoad(load, {server.url, seconds, intervalSeconds, 3});
    out.serverCpu = server.cpuSeconds() - serverCpu;
    out.ownCpu = ownCpuSeconds() - ownCpu;
    done = true;
    sampler.join();

    const auto syncStart = Clock::now();
    finalSync(server.url, nodes, load, out.load.errors);
    out.convergeSeconds = secondsSince(syncStart);
    out.serverKb = server.peakKb();
    out.openFiles = std::max(openFiles, server.openFiles());
    server.stop();

    const auto compareStart = Clock::now();
    out.districtEvents = Store::open(districtDb).eventCount();
    out.officesEqual = equalOffices(districtDb, nodes);
    out.compareSeconds = secondsSince(compareStart);
    return out;
}

void report(const Outcome& o) {
    const auto& l = o.load;
    const double perSecond = static_cast<double>(l.eventsAccepted) / l.seconds;
    std::printf("| %6zu | %5.1f | %6ld | %8ld | %8.0f | %5.1f / %6.1f | %5.1f / %6.1f | %6ld | %6.1f | %5ld | %s |\n",
                o.kiosks, l.seconds, l.pushes, l.eventsAccepted, perSecond, bench::percentile(l.pushMs, 0.5),
                bench::percentile(l.pushMs, 0.99), bench::percentile(l.pullMs, 0.5), bench::percentile(l.pullMs, 0.99),
                l.errorCount(), static_cast<double>(o.serverKb) / 1024.0, o.openFiles,
                o.digestsEqual() ? "yes" : "NO");
    const std::string key = (postgresServer().empty() ? "load." : "load_postgres.") + std::to_string(o.kiosks) + ".";
    bench::figure(key + "events_per_s", perSecond, "events/s");
    bench::figure(key + "push_p50_ms", bench::percentile(l.pushMs, 0.5), "ms");
    bench::figure(key + "push_p99_ms", bench::percentile(l.pushMs, 0.99), "ms");
    bench::figure(key + "pull_p50_ms", bench::percentile(l.pullMs, 0.5), "ms");
    bench::figure(key + "pull_p99_ms", bench::percentile(l.pullMs, 0.99), "ms");
    bench::figure(key + "errors", static_cast<double>(l.errorCount()), "count");
    bench::figure(key + "server_mb", static_cast<double>(o.serverKb) / 1024.0, "MB");
    bench::figure(key + "open_files", static_cast<double>(o.openFiles), "count");
    bench::figure(key + "server_cpu_ms_per_event", o.serverCpuMsPerEvent(), "ms");
    bench::figure(key + "digests_equal", o.digestsEqual() ? 1 : 0, "bool");
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::size_t> sizes;
    for (int i = 1; i < argc; ++i)
        sizes.push_back(static_cast<std::size_t>(std::stoul(argv[i])));
    if (sizes.empty()) sizes = {50, 200, 500};
    const double seconds = envNumber("SHOUXIN_LOAD_SECONDS", 20);
    const double interval = envNumber("SHOUXIN_LOAD_INTERVAL_MS", 1600) / 1000;
    const bool oneAddress = envNumber("SHOUXIN_LOAD_ONE_ADDRESS", 0) != 0;
    for (std::size_t n : sizes) {
        if (n < 1 || n > 798) {
            std::fprintf(stderr, "kiosks: 1 to 798 (two an office, 399 offices)\n");
            return 2;
        }
    }
    // One connection a kiosk, in this process and the server (inherited).
    rlimit files{};
    getrlimit(RLIMIT_NOFILE, &files);
    files.rlim_cur = files.rlim_max;
    setrlimit(RLIMIT_NOFILE, &files);
    curl_global_init(CURL_GLOBAL_DEFAULT);

    const fs::path root = fs::temp_directory_path() / ("shouxin-load-bench-" + std::to_string(getpid()));
    fs::create_directories(root);
    std::printf("District server under simulated kiosks on 127.0.0.1: %g s each, a batch of %zu events every %g s "
                "per kiosk, a pull every 3 pushes, two kiosks an office, %s\n",
                seconds, kBatch, interval, oneAddress ? "all from 127.0.0.1" : "each from its own 127.x address");
    std::printf("the district's database: %s\n",
                postgresServer().empty() ? "a SQLite file" : ("PostgreSQL, a new database on " + postgresServer()).c_str());
    // The machine is shared: how busy it was, and how fast its disk commits.
    double load1 = 0, load5 = 0;
    std::ifstream("/proc/loadavg") >> load1 >> load5;
    std::printf("durable SQLite commits on this disk (WAL, FULL, one row each): %.0f/s; %u cores, load average "
                "%.2f (1 min) %.2f (5 min)\n\n",
                rawCommitRate(root / "raw.db"), std::thread::hardware_concurrency(), load1, load5);
    std::vector<Outcome> outcomes;
    for (std::size_t n : sizes) {
        outcomes.push_back(runSize(root, n, seconds, interval, oneAddress));
        const Outcome& o = outcomes.back();
        std::printf("%zu kiosks: prepared in %.1f s; offered %.0f events/s; %ld pulls (%ld events); CPU during "
                    "the load: server %.1f s (%.2f ms a stored event), load generator %.1f s; final sync %.1f s, "
                    "digests compared in %.1f s; district holds %ld events, %zu/%zu offices equal\n",
                    n, o.prepareSeconds, o.offeredPerSecond, o.load.pulls, o.load.eventsPulled, o.serverCpu,
                    o.serverCpuMsPerEvent(), o.ownCpu,
                    o.convergeSeconds, o.compareSeconds, o.districtEvents, o.officesEqual, o.offices);
        for (const auto& [kind, count] : o.load.errors)
            std::printf("  error: %s × %ld\n", kind.c_str(), count);
        std::fflush(stdout);
        fs::remove_all(root / std::to_string(n));
    }
    std::printf("\n| kiosks | secs  | pushes | stored   | events/s | push p50/p99 ms | pull p50/p99 ms | errors | "
                "srv MB | files | digests equal |\n");
    std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    bool ok = true;
    for (const Outcome& o : outcomes) {
        report(o);
        ok = ok && o.digestsEqual() && o.load.errorCount() == 0;
    }
    fs::remove_all(root);
    curl_global_cleanup();
    return ok ? 0 : 1;
}
