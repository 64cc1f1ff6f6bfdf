// Backup and restore of a node's or a district's SQLite database with its
// key files (backup.hpp). Every copy is prepared and checked in a directory
// beside its destination, then renamed into place.
#include "shared/backup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>

#include "shared/atomic_file.hpp"
#include "shared/crypto.hpp"
#include "shared/hlc.hpp"
#include "shared/i18n.hpp"
#include "shared/sql.hpp"
#include "shared/sql_uri.hpp"
#include "shared/store.hpp"
#include "shared/text.hpp"

namespace shouxin::backup {

namespace fs = std::filesystem;

namespace {

// "YYYYMMDD-HHMMSS", UTC.
std::string stampOf(std::int64_t millis) { return formatTime(millis, "%Y%m%d-%H%M%S", Clock::utc); }

fs::path withSuffix(const fs::path& path, const char* suffix) { return fs::path(path.string() + suffix); }

void syncPath(const fs::path& path) {
    if (!syncFile(path)) throw StoreError("error.backup.write", "cannot fsync " + path.string());
}

void syncDirOf(const fs::path& file) {
    if (!syncDirectoryOf(file)) throw StoreError("error.backup.write", "cannot fsync the directory of " + file.string());
}

// Copies `from` to the new file `to` (mode 0600) and fsyncs it. A source
// that cannot be read throws `unreadableId`.
void copyFile(const fs::path& from, const fs::path& to, const char* unreadableId) {
    const int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
    if (in < 0) throw StoreError(unreadableId, from.string());
    const int out = ::open(to.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        ::close(in);
        throw StoreError("error.backup.write", "cannot create " + to.string());
    }
    char buf[1 << 16];
    bool ok = true;
    for (;;) {
        const ssize_t n = ::read(in, buf, sizeof buf);
        if (n == 0) break;
        if (n < 0 || ::write(out, buf, static_cast<std::size_t>(n)) != n) {
            ok = false;
            break;
        }
    }
    ok = ok && ::fsync(out) == 0;
    ::close(in);
    ::close(out);
    if (!ok) throw StoreError("error.backup.write", from.string() + " -> " + to.string());
}

// Puts a prepared file at `to`, replacing what is there: by rename when
// `from` is on the same file system, else copied beside `to` first.
void install(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::rename(from, to, ec);
    if (ec) {
        const fs::path part = withSuffix(to, ".part");
        fs::remove(part, ec);
        copyFile(from, part, "error.backup.write");
        fs::rename(part, to, ec);
        if (ec) throw StoreError("error.backup.write", to.string() + ": " + ec.message());
    }
    syncDirOf(to);
}

// A directory beside `target` where its copy is prepared; removed with
// whatever is left in it when it goes out of scope.
class Staging {
public:
    Staging(const fs::path& target, const char* suffix) : m_dir(withSuffix(target, suffix)) {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
        if (!fs::create_directory(m_dir, ec) || ec) throw StoreError("error.backup.write", m_dir.string());
        fs::permissions(m_dir, fs::perms::owner_all, fs::perm_options::replace, ec);
    }
    ~Staging() {
        std::error_code ignored;
        fs::remove_all(m_dir, ignored);
    }
    Staging(const Staging&) = delete;
    Staging& operator=(const Staging&) = delete;
    fs::path operator/(const fs::path& name) const { return m_dir / name; }

private:
    fs::path m_dir;
};

struct Identity {
    std::string office;
    std::string device;
};

// The office and device a database names, read without touching it or the
// files beside it; nullopt when it is missing, damaged or not a Shouxin
// database.
std::optional<Identity> identityOf(const fs::path& db) {
    std::error_code ec;
    if (!fs::is_regular_file(db, ec)) return std::nullopt;
    try {
        sql::Db raw(sql::readOnlyUri(db, true), SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
        sql::Statement q(raw,
                         "SELECT (SELECT value FROM node WHERE key = 'office'), "
                         "(SELECT value FROM node WHERE key = 'device')");
        if (!q.step() || q.isNull(0) || q.isNull(1)) return std::nullopt;
        return Identity{q.text(0), q.text(1)};
    } catch (const sql::Error&) {
        return std::nullopt;
    }
}

struct Checked {
    NodeInfo node;
    std::int64_t events = 0;
    std::optional<std::int64_t> newestEventMillis;
};

// Everything a copy must pass to be a device's database: a SQLite file
// that passes PRAGMA integrity_check, of a schema this build can migrate,
// a Shouxin database whose chains, hashes and signatures verify, and a key
// file beside it (keyFileFor) that is its device's. Throws StoreError
// naming the first that fails. May migrate the copy, and writes beside it.
Checked checkCopy(const fs::path& copy) {
    try {
        sql::Db raw(copy.string(), SQLITE_OPEN_READWRITE);
        sql::Statement version(raw, "PRAGMA user_version");
        version.step();
        if (version.integer(0) > Store::schemaVersion()) {
            throw StoreError("error.store.newer_schema",
                             "schema version " + std::to_string(version.integer(0)) +
                                 " is newer than this program's " + std::to_string(Store::schemaVersion()));
        }
        sql::Statement check(raw, "PRAGMA integrity_check");
        std::string report;
        while (check.step())
            if (check.text(0) != "ok") report += check.text(0) + "\n";
        if (!report.empty()) throw StoreError("error.backup.integrity", report);
    } catch (const sql::Error& e) {
        throw StoreError("error.backup.unreadable", e.what());
    }
    Store store = Store::open(copy);  // the integrity check just ran
    const VerifyReport verified = store.verify();
    if (!verified.ok()) {
        const auto& f = verified.findings;
        throw StoreError("error.backup.chains",
                         f.empty() ? "state digest " + verified.digest + " != " + verified.refoldedDigest
                                   : f.front().messageId + ": device " + f.front().device + " seq " +
                                         std::to_string(f.front().seq) + " — " + f.front().detail);
    }
    Checked out{store.node(), store.eventCount(), store.newestEventMillis()};
    const auto keys = readKeyFile(keyFileFor(copy));
    if (!keys) throw StoreError("error.backup.key_missing", keyFileFor(copy).filename().string());
    if (keys->publicKeyHex != out.node.publicKeyHex)
        throw StoreError("error.backup.key_mismatch", "device " + out.node.device);
    return out;
}

void refusePostgres(const fs::path& db) {
    if (sql::isUrl(db.string())) throw StoreError("error.backup.postgres", sql::redacted(db.string()));
}

// "<office>-YYYYMMDD-HHMMSS.db", as backupInto names its backups.
bool isBackupName(const std::string& name, const std::string& office) {
    const std::string prefix = office + "-";
    if (name.size() != prefix.size() + 15 + 3 || name.rfind(prefix, 0) != 0 || !name.ends_with(".db"))
        return false;
    const std::string stamp = name.substr(prefix.size(), 15);
    for (std::size_t i = 0; i < stamp.size(); ++i) {
        const bool digit = stamp[i] >= '0' && stamp[i] <= '9';
        if (i == 8 ? stamp[i] != '-' : !digit) return false;
    }
    return true;
}

}  // namespace

BackupReport backupTo(const fs::path& db, const fs::path& keyFile, const fs::path& file) {
    refusePostgres(db);
    if (!fs::exists(db)) throw StoreError("error.store.missing", db.string());
    if (!readKeyFile(keyFile)) throw StoreError("error.store.key_missing", keyFile.string());
    Staging staging(file, ".part");
    const fs::path copy = staging / file.filename();
    try {
        const sql::Db source(db.string(), SQLITE_OPEN_READWRITE);
        sql::backupTo(source, copy.string());
    } catch (const sql::Error& e) {
        throw StoreError("error.backup.write", e.what());
    }
    copyFile(keyFile, keyFileFor(copy), "error.store.key_missing");
    const bool officeKey = fs::exists(officeKeyFileFor(db));
    if (officeKey) copyFile(officeKeyFileFor(db), officeKeyFileFor(copy), "error.store.key_missing");
    const Checked checked = checkCopy(copy);  // closed again: the copy is one whole file
    syncPath(copy);

    // The key files first: a backup found under `file` always has its key.
    install(keyFileFor(copy), keyFileFor(file));
    if (officeKey) install(officeKeyFileFor(copy), officeKeyFileFor(file));
    install(copy, file);
    return {file, checked.node.office, checked.events, fs::file_size(file), {}};
}

BackupReport backupInto(const fs::path& db, const fs::path& keyFile, const fs::path& dir, int keep) {
    refusePostgres(db);
    const auto identity = identityOf(db);
    if (!identity) throw StoreError("error.store.not_a_node", db.string());
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw StoreError("error.backup.write", dir.string() + ": " + ec.message());
    BackupReport report =
        backupTo(db, keyFile, dir / (identity->office + "-" + stampOf(hlc::nowMillis()) + ".db"));
    if (keep <= 0) return report;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && isBackupName(name, identity->office)) names.push_back(name);
    }
    std::sort(names.begin(), names.end(), std::greater<>());  // newest first: the stamp sorts as text
    for (std::size_t i = static_cast<std::size_t>(keep); i < names.size(); ++i) {
        const fs::path old = dir / names[i];
        fs::remove(keyFileFor(old), ec);
        fs::remove(officeKeyFileFor(old), ec);
        fs::remove(old, ec);
        report.removed.push_back(old);
    }
    return report;
}

RestoreReport restoreFrom(const fs::path& db, const fs::path& keyFile, const fs::path& file) {
    refusePostgres(db);
    Staging staging(db, ".restore-part");
    const fs::path copy = staging / db.filename();
    copyFile(file, copy, "error.backup.unreadable");
    // What the backup's own WAL holds, if it was ever opened as a database.
    if (fs::exists(withSuffix(file, "-wal")))
        copyFile(withSuffix(file, "-wal"), withSuffix(copy, "-wal"), "error.backup.unreadable");
    if (fs::exists(keyFileFor(file)))
        copyFile(keyFileFor(file), keyFileFor(copy), "error.backup.key_missing");
    const bool officeKey = fs::exists(officeKeyFileFor(file));
    if (officeKey) copyFile(officeKeyFileFor(file), officeKeyFileFor(copy), "error.backup.key_missing");
    const Checked checked = checkCopy(copy);
    // A current database that opens must be the same device's: a backup of
    // another office or kiosk would take over its identity. One that is
    // damaged or missing is what restore is for.
    if (const auto current = identityOf(db)) {
        if (current->office != checked.node.office)
            throw StoreError("error.restore.other_office", current->office + " != " + checked.node.office);
        if (current->device != checked.node.device)
            throw StoreError("error.restore.other_device", current->device + " != " + checked.node.device);
    }
    // A server comes back as a new incarnation: its nodes (and the servers
    // below it) see the new epoch in its next answer and send and pull
    // everything again, so that what it lacks since the backup comes back
    // and nothing numbered anew is skipped (docs/PROTOCOL.md).
    {
        Store store = Store::open(copy);  // just checked
        if (store.isDistrict()) store.renewEpoch();
    }
    syncPath(copy);

    // Everything checked: the current files go aside, never deleted (its
    // -wal first: left beside the restored file, SQLite would replay it).
    RestoreReport report{checked.node.office, checked.node.officeName,   checked.node.device,
                         checked.events,      checked.newestEventMillis, std::nullopt};
    const fs::path aside = withSuffix(db, (".before-restore-" + stampOf(hlc::nowMillis())).c_str());
    const auto moveAside = [&](const fs::path& from, const fs::path& to) {
        std::error_code ec;
        if (!fs::exists(from, ec)) return;
        fs::rename(from, to, ec);
        // A key kept in another directory (--keys) is copied; install() replaces it.
        if (ec) copyFile(from, to, "error.backup.write");
        report.keptAside = aside;
    };
    moveAside(withSuffix(db, "-wal"), withSuffix(aside, "-wal"));
    moveAside(withSuffix(db, "-shm"), withSuffix(aside, "-shm"));
    moveAside(db, aside);
    moveAside(keyFile, keyFileFor(aside));
    moveAside(officeKeyFileFor(db), officeKeyFileFor(aside));
    install(keyFileFor(copy), keyFile);
    if (officeKey) install(officeKeyFileFor(copy), officeKeyFileFor(db));
    install(copy, db);
    return report;
}

std::string describe(const BackupReport& report) {
    std::string out = std::string(bilingual("cli.backup_written")) + ": " + report.file.string() + " (" +
                      report.office + ", " + std::string(bilingual("cli.events")) + " " +
                      std::to_string(report.events) + ", " + std::to_string(report.bytes) + " " +
                      std::string(bilingual("cli.bytes")) + ")\n";
    for (const auto& old : report.removed)
        out += std::string(bilingual("cli.backups_removed")) + ": " + old.string() + "\n";
    return out;
}

std::string describe(const RestoreReport& report) {
    std::string out = std::string(bilingual("cli.restored")) + ": " + report.officeName + " (" +
                      report.office + "), device " + report.device + "\n" +
                      std::string(bilingual("cli.restored_events")) + ": " + std::to_string(report.events) +
                      "\n";
    if (report.newestEventMillis) {
        const std::string stamp = stampOf(*report.newestEventMillis);
        out += std::string(bilingual("cli.last_event")) + ": " + stamp.substr(0, 4) + "-" +
               stamp.substr(4, 2) + "-" + stamp.substr(6, 2) + " " + stamp.substr(9, 2) + ":" +
               stamp.substr(11, 2) + ":" + stamp.substr(13, 2) + " UTC\n";
    }
    if (report.keptAside)
        out += std::string(bilingual("cli.kept_aside")) + ": " + report.keptAside->string() + "\n";
    return out;
}

}  // namespace shouxin::backup
