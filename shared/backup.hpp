#pragma once
// Backing up a running node or district server, and restoring it: the
// database file (SQLite's online backup API) and the device's key files
// beside it, which together are the device's identity. Both CLIs call
// these; failures are StoreError with a catalogue id, and a refused restore
// changes nothing on disk.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace shouxin::backup {

struct BackupReport {
    std::filesystem::path file;
    std::string office;
    std::int64_t events = 0;
    std::uintmax_t bytes = 0;
    std::vector<std::filesystem::path> removed;  // older backups deleted (backupInto)
};

/// Copies the live database `db` (a node's or a district's SQLite file,
/// which may be written meanwhile) to `file`, its device key `keyFile` to
/// keyFileFor(file) and a node's office key to officeKeyFileFor(file), all
/// mode 0600. Everything is written and checked (integrity, Store::verify)
/// in a directory beside `file` first and renamed into place only then: no
/// half-written or unchecked backup is ever found under `file`.
BackupReport backupTo(const std::filesystem::path& db, const std::filesystem::path& keyFile,
                      const std::filesystem::path& file);

/// backupTo into `dir` as "<office>-YYYYMMDD-HHMMSS.db" (UTC), then deletes
/// all but the newest `keep` such backups of that office (with their key
/// files); `keep` 0 deletes none.
BackupReport backupInto(const std::filesystem::path& db, const std::filesystem::path& keyFile,
                        const std::filesystem::path& dir, int keep);

struct RestoreReport {
    std::string office;
    std::string officeName;
    std::string device;
    std::int64_t events = 0;
    std::optional<std::int64_t> newestEventMillis;
    std::optional<std::filesystem::path> keptAside;  // the replaced database, when there was one
};

/// Replaces the database `db` (and its key `keyFile`, and a node's office
/// key) with the backup `file` and the key files beside it, once every
/// check holds: `file` is a readable SQLite database that passes PRAGMA
/// integrity_check, of a schema this build can migrate, whose chains,
/// hashes and signatures verify, with a key file that is its device's; and
/// when `db` exists and opens, it is the same office's and the same
/// device's. The current files are kept as "<db>.before-restore-<time>"
/// (and -wal, -shm, .key beside it), never deleted. Stop every program
/// using `db` first.
RestoreReport restoreFrom(const std::filesystem::path& db, const std::filesystem::path& keyFile,
                          const std::filesystem::path& file);

/// The reports in the catalogue's words, for the command lines.
std::string describe(const BackupReport& report);
std::string describe(const RestoreReport& report);

}  // namespace shouxin::backup
