// The event log's own speed, next to what SQLite alone does on this machine:
// recording local events (validated, chained, folded, each its own
// transaction), applying another device's events (one by one, and in a
// pull's pages of 1,000), rebuilding, digesting and verifying. Prints a
// table; asserts nothing.
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/figures.hpp"
#include "bench/workload.hpp"
#include "shared/crypto.hpp"
#include "shared/store.hpp"

using namespace shouxin;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// One table row; with a key, the rate goes to the summary's figures too.
void row(const char* what, long count, double seconds, const char* key = nullptr, const char* unit = "events/s") {
    const double rate = static_cast<double>(count) / seconds;
    std::printf("| %-62s | %8ld | %9.3f | %11.0f |\n", what, count, seconds, rate);
    if (key != nullptr) bench::figure(key, rate, unit);
}

// SQLite alone: one row per transaction, WAL, synchronous=FULL, the same
// durability the event log asks for.
double rawInserts(const fs::path& path, long n, bool oneTransaction) {
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                 "CREATE TABLE t(id TEXT PRIMARY KEY, body TEXT NOT NULL)",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO t VALUES(?1, ?2)", -1, &stmt, nullptr);
    const std::string body(400, 'x');
    const auto start = Clock::now();
    if (oneTransaction) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    for (long i = 0; i < n; ++i) {
        const std::string id = newUuidV7();
        sqlite3_bind_text(stmt, 1, id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(stmt, 2, body.c_str(), -1, SQLITE_STATIC);
        sqlite3_step(stmt);
        sqlite3_reset(stmt);
    }
    if (oneTransaction) sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    const double seconds = secondsSince(start);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return seconds;
}

}  // namespace

int main(int argc, char** argv) {
    const long n = argc > 1 ? std::stol(argv[1]) : 10000;
    const fs::path dir = fs::temp_directory_path() / ("shouxin-bench-" + std::to_string(::getpid()));
    fs::create_directories(dir);

    std::printf("Shouxin store benchmark: %ld events (1 commitment : 4 reports)\n\n", n);
    std::printf("| %-62s | %8s | %9s | %11s |\n", "operation", "count", "seconds", "per second");
    std::printf("|%s|%s|%s|%s|\n", std::string(64, '-').c_str(), std::string(10, '-').c_str(),
                std::string(11, '-').c_str(), std::string(13, '-').c_str());

    row("raw SQLite insert, one transaction each", n, rawInserts(dir / "raw1.db", n, false),
        "raw.insert_each_tx.rows_per_s", "rows/s");
    row("raw SQLite insert, one transaction in all", n, rawInserts(dir / "raw2.db", n, true),
        "raw.insert_one_tx.rows_per_s", "rows/s");

    Store source = Store::create(dir / "source.db", "330110104", "青山镇人民政府");
    auto start = Clock::now();
    if (!bench::recordWorkload(source, n)) return 1;
    row("Store::record (validate, chain, fold, commit)", n, secondsSince(start), "store.record.events_per_s");

    const auto events = source.events();
    Store target = Store::create(dir / "target.db", "330110104", "青山镇人民政府");
    start = Clock::now();
    for (const Event& e : events) {
        if (target.apply(e).outcome != ApplyResult::Outcome::accepted) return 1;
    }
    row("Store::apply (check, chain, fold, commit)", static_cast<long>(events.size()), secondsSince(start),
        "store.apply.events_per_s");

    // As a pull stores them: pages of 1,000, one transaction each.
    Store paged = Store::create(dir / "paged.db", "330110104", "青山镇人民政府");
    start = Clock::now();
    for (std::size_t i = 0; i < events.size(); i += 1000) {
        const std::vector<Event> page(events.begin() + static_cast<std::ptrdiff_t>(i),
                                      events.begin() + static_cast<std::ptrdiff_t>(std::min(i + 1000, events.size())));
        for (const ApplyResult& result : paged.applyPulled(page, {}, 0)) {
            if (result.outcome != ApplyResult::Outcome::accepted) return 1;
        }
    }
    row("Store::applyPulled in pages of 1000 (one transaction per page)", static_cast<long>(events.size()),
        secondsSince(start), "store.apply_batched.events_per_s");

    start = Clock::now();
    target.rebuild();
    row("Store::rebuild (refold every event)", static_cast<long>(events.size()), secondsSince(start),
        "store.rebuild.events_per_s");

    start = Clock::now();
    const std::string digest = target.digest("330110104");
    const double digestSeconds = secondsSince(start);
    row("Store::digest (office state)", 1, digestSeconds);

    start = Clock::now();
    const bool ok = target.verify().ok();
    row("Store::verify (chains + refold)", static_cast<long>(events.size()), secondsSince(start),
        "store.verify.events_per_s");

    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    std::printf("\ndigest %s, verify %s, digests equal %s, file %.1f MB, peak RSS %.1f MB\n",
                digest.substr(0, 16).c_str(), ok ? "ok" : "FAILED",
                digest == source.digest("330110104") ? "yes" : "NO",
                static_cast<double>(fs::file_size(dir / "target.db")) / 1e6,
                static_cast<double>(usage.ru_maxrss) / 1024.0);
    bench::figure("store.events", static_cast<double>(n), "events");
    bench::figure("store.digest.ms", digestSeconds * 1000, "ms");
    bench::figure("store.peak_mb", static_cast<double>(usage.ru_maxrss) / 1024.0, "MB");
    bench::figure("store.digests_equal", paged.digest("330110104") == digest ? 1 : 0, "bool");
    fs::remove_all(dir);
    return ok ? 0 : 1;
}
