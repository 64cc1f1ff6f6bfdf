#pragma once
// How the district server reaches its database while hundreds of kiosks
// sync at once: one writer, with group commit, and readers on their own
// connections that never wait behind it.
//
// Writer. Every push goes to one thread that owns the writing Store. What
// arrives while it commits waits in a queue; the next round takes all of
// it (up to kMaxGroupEvents events) and stores it in one transaction with
// one durable commit (Store::applyBatches), each batch all or nothing as
// if alone. A push is answered only after the commit that holds it is
// durable. District numbers are handed out inside that one writer's
// transaction, so commits come in number order and no reader can skip a
// slower writer's events. The writer never checkpoints the WAL itself:
// a second thread copies it into the database file after commits, so a
// push never waits for that copy.
//
// Readers. Pulls read the events after a cursor on a pool of read
// connections (WAL: each read sees one committed state, and never blocks
// the writer nor is blocked by it).
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "shared/store.hpp"

namespace shouxin::server {

/// Events stored in one group commit at most: a round's transaction stays
/// short enough that the pushes behind it wait little.
inline constexpr std::size_t kMaxGroupEvents = 4000;

/// What one pushed batch came to, once durable (or not).
struct PushOutcome {
    std::vector<ApplyResult> results;  // per event, as Store::applyBatch
    std::int64_t lastDseq = 0;         // the district's last number after the commit
    std::string failure;               // non-empty: nothing stored (e.g. the disk is full)
};

class GroupCommit {
public:
    /// Takes over `store` (opened without autoCheckpoint): from now on only
    /// the writer thread uses it. `checkpointer` is another connection to the
    /// same file, for the checkpoint thread.
    GroupCommit(Store store, Store checkpointer);
    ~GroupCommit();
    GroupCommit(const GroupCommit&) = delete;
    GroupCommit& operator=(const GroupCommit&) = delete;

    /// Stores one device's batch, with whatever else waits, and returns once
    /// the commit holding it is durable.
    /// `decoded`: Store::prechecked(events), made on the caller's thread.
    /// `receipt`: relayed from the level below, its receipt for the head.
    PushOutcome push(const std::vector<Event>& events, std::string headSignature,
                     const std::vector<std::optional<Payload>>* decoded = nullptr, std::string receipt = {});

    struct Stats {
        std::int64_t commits = 0;
        std::int64_t batches = 0;
    };
    Stats stats() const;

private:
    struct Waiting;
    void run();
    void checkpoints();

    Store m_store;
    Store m_checkpointer;
    mutable std::mutex m_mutex;
    std::condition_variable m_arrived;
    std::condition_variable m_committed;  // wakes the checkpoint thread
    std::deque<Waiting*> m_queue;
    bool m_stopping = false;
    std::int64_t m_checkpointed = 0;  // m_stats.commits when the WAL was last copied
    Stats m_stats;
    std::thread m_thread;
    std::thread m_checkpointThread;
};

/// Read connections to the district's database, lent one request at a time.
class ReaderPool {
public:
    ReaderPool(std::filesystem::path db, std::size_t size);
    ~ReaderPool();
    ReaderPool(const ReaderPool&) = delete;
    ReaderPool& operator=(const ReaderPool&) = delete;

    /// A reader for as long as the lease lives; waits when all are lent.
    class Lease {
    public:
        Lease(ReaderPool& pool, std::unique_ptr<Store> store) : m_pool(pool), m_store(std::move(store)) {}
        ~Lease();
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        const Store& operator*() const { return *m_store; }
        const Store* operator->() const { return m_store.get(); }

    private:
        ReaderPool& m_pool;
        std::unique_ptr<Store> m_store;
    };
    Lease lend();

private:
    std::filesystem::path m_db;
    std::size_t m_size;
    std::size_t m_opened = 0;
    std::mutex m_mutex;
    std::condition_variable m_returned;
    std::vector<std::unique_ptr<Store>> m_idle;
};

}  // namespace shouxin::server
