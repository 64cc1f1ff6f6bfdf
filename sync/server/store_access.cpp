#include "sync/server/store_access.hpp"

#include <chrono>

namespace shouxin::server {

namespace {

// The checkpoint thread copies the WAL at most this often: under load, one
// copy of a page serves many commits that changed it.
constexpr auto kCheckpointPause = std::chrono::milliseconds(250);

}  // namespace

struct GroupCommit::Waiting {
    const std::vector<Event>* events;
    std::string headSignature;
    const std::vector<std::optional<Payload>>* decoded;
    std::string receipt;
    PushOutcome outcome;
    bool done = false;
    std::condition_variable finished;
};

GroupCommit::GroupCommit(Store store, Store checkpointer)
    : m_store(std::move(store)),
      m_checkpointer(std::move(checkpointer)),
      m_thread([this] { run(); }),
      m_checkpointThread([this] { checkpoints(); }) {}

GroupCommit::~GroupCommit() {
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_arrived.notify_all();
    m_committed.notify_all();
    m_thread.join();
    m_checkpointThread.join();
}

void GroupCommit::checkpoints() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_committed.wait(lock, [this] { return m_stopping || m_stats.commits != m_checkpointed; });
        if (m_stopping) return;  // the writer's connection checkpoints as it closes
        m_checkpointed = m_stats.commits;
        lock.unlock();
        try {
            m_checkpointer.checkpoint();
        } catch (const std::exception&) {
            // Busy or failed: the WAL keeps the pages, the next round copies them.
        }
        std::this_thread::sleep_for(kCheckpointPause);
        lock.lock();
    }
}

PushOutcome GroupCommit::push(const std::vector<Event>& events, std::string headSignature,
                              const std::vector<std::optional<Payload>>* decoded, std::string receipt) {
    Waiting me{&events, std::move(headSignature), decoded, std::move(receipt), {}, false, {}};
    std::unique_lock lock(m_mutex);
    if (m_stopping) {
        me.outcome.failure = "the server is stopping";
        return me.outcome;
    }
    m_queue.push_back(&me);
    m_arrived.notify_one();
    me.finished.wait(lock, [&me] { return me.done; });
    return std::move(me.outcome);
}

GroupCommit::Stats GroupCommit::stats() const {
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void GroupCommit::run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_arrived.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty()) return;  // stopping, nothing left to store
        // Everything waiting, up to the bound; at least one batch.
        std::vector<Waiting*> round;
        std::size_t events = 0;
        while (!m_queue.empty() && (round.empty() || events + m_queue.front()->events->size() <= kMaxGroupEvents)) {
            events += m_queue.front()->events->size();
            round.push_back(m_queue.front());
            m_queue.pop_front();
        }
        lock.unlock();

        std::vector<Store::PushedBatch> batches;
        batches.reserve(round.size());
        for (const Waiting* w : round)
            batches.push_back({w->events, w->headSignature, w->decoded, w->receipt});
        std::vector<std::vector<ApplyResult>> results;
        std::int64_t lastDseq = 0;
        std::string failure;
        try {
            results = m_store.applyBatches(batches, &lastDseq);
        } catch (const std::exception& e) {
            failure = e.what();  // rolled back: nothing of this round is stored
        }

        lock.lock();
        ++m_stats.commits;
        m_stats.batches += static_cast<std::int64_t>(round.size());
        for (std::size_t i = 0; i < round.size(); ++i) {
            Waiting& w = *round[i];
            if (failure.empty()) {
                w.outcome.results = std::move(results[i]);
                w.outcome.lastDseq = lastDseq;
            } else {
                w.outcome.failure = failure;
            }
            w.done = true;
            w.finished.notify_one();
        }
        m_committed.notify_one();
    }
}

ReaderPool::ReaderPool(std::filesystem::path db, std::size_t size) : m_db(std::move(db)), m_size(size) {}
ReaderPool::~ReaderPool() = default;

ReaderPool::Lease ReaderPool::lend() {
    std::unique_lock lock(m_mutex);
    m_returned.wait(lock, [this] { return !m_idle.empty() || m_opened < m_size; });
    if (!m_idle.empty()) {
        auto store = std::move(m_idle.back());
        m_idle.pop_back();
        return Lease(*this, std::move(store));
    }
    ++m_opened;
    lock.unlock();
    try {
        // The writer checked the file's integrity when the server started.
        return Lease(*this, std::make_unique<Store>(Store::open(m_db)));
    } catch (...) {
        lock.lock();
        --m_opened;
        m_returned.notify_one();
        throw;
    }
}

ReaderPool::Lease::~Lease() {
    {
        std::lock_guard lock(m_pool.m_mutex);
        m_pool.m_idle.push_back(std::move(m_store));
    }
    m_pool.m_returned.notify_one();
}

}  // namespace shouxin::server
