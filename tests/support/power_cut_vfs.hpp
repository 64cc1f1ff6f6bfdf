#pragma once
// A test-only SQLite VFS that loses power at a chosen write.
//
// It wraps the default unix VFS and becomes SQLite's default once used, so
// the store's own sqlite3_open_v2 calls go through it. Until arm() it only
// passes through. Once armed, every file whose full path starts with the
// armed prefix (a node's database, its -wal, a rollback journal) is
// "managed":
//
// - Its content is an image in memory: reads, sizes and xAccess see every
//   write; xWrite and xTruncate change the image and are kept as unsynced
//   operations. xSync writes that file's unsynced operations to the real
//   file: the real file is what would be on the platter. (The real fsync is
//   skipped: the cut is simulated, and the tests run faster without it.)
// - Writes, truncates and syncs of all managed files are counted; the one
//   numbered `cutAt` does not happen: the power goes. What each file got
//   since its last xSync is lost (Loss::all), or, in the strong variant
//   (Loss::some), cut into 4096-byte sector pieces and each piece kept or
//   dropped, seeded, and the kept ones landing in a shuffled order: a real
//   disk persists some unsynced writes, in any order. A file created since
//   arm() and never synced is gone (its directory entry was never made
//   durable). From then on every read, write, sync, size, access and delete
//   of a managed file fails (SQLITE_IOERR_*), so the operation in progress
//   stops as if the machine had died.
//
// The model, and why it is honest: SQLite assumes that a sector is written
// whole (xSectorSize 4096 from the unix VFS) and that writing one sector
// leaves the bytes around it alone (SQLITE_IOCAP_POWERSAFE_OVERWRITE, which
// the unix VFS reports): the strong variant tears writes at sector borders
// only, and never damages bytes nobody wrote. Deleting a file is durable at
// once (SQLite deletes a WAL only after checkpointing it into a synced
// database file, so a WAL that came back would hold nothing new). The -shm
// file is shared memory (xShm* pass through): SQLite rebuilds it from the
// WAL when the first connection opens the database after a crash, which
// the tests do after closing every connection of the dead "machine".
// mmap is off for managed files (io_methods version 2: no xFetch), so no
// read bypasses the image.
//
// Use: arm(), open and operate (expect a StoreError or sql::Error once
// cut() is true), destroy every connection, disarm(), reopen normally.
#include <cstdint>
#include <filesystem>
#include <string>

namespace shouxin::test {

class PowerCutVfs {
public:
    enum class Loss { all, some };

    /// The one instance, registered as SQLite's default VFS on first use.
    static PowerCutVfs& instance();

    /// Manages files under `prefix` from now on; the `cutAt`-th write, truncate
    /// or sync of them (1-based) loses power; 0: never.
    void arm(const std::filesystem::path& prefix, std::int64_t cutAt, Loss loss = Loss::all,
             std::uint32_t seed = 0);
    /// The power goes now, between two writes.
    void cutNow();
    /// Whether the power went.
    bool cut() const;
    /// Writes, truncates and syncs of managed files counted since arm().
    std::int64_t writes() const;
    /// The kind of each counted write since arm(), in order: 'w' write,
    /// 't' truncate, 's' sync (a commit ends in one).
    std::string trace() const;
    /// Call with every connection to a managed file closed. Without a cut,
    /// what is unsynced reaches the real files (the OS would have written it
    /// out); then everything passes through again.
    void disarm();
};

/// arm() in the constructor, disarm() in the destructor (close the
/// connections first: declare this before them).
class PowerCut {
public:
    PowerCut(const std::filesystem::path& prefix, std::int64_t cutAt,
             PowerCutVfs::Loss loss = PowerCutVfs::Loss::all, std::uint32_t seed = 0) {
        PowerCutVfs::instance().arm(prefix, cutAt, loss, seed);
    }
    ~PowerCut() { PowerCutVfs::instance().disarm(); }
    PowerCut(const PowerCut&) = delete;
    PowerCut& operator=(const PowerCut&) = delete;
    bool cut() const { return PowerCutVfs::instance().cut(); }
    std::int64_t writes() const { return PowerCutVfs::instance().writes(); }
};

}  // namespace shouxin::test
