#pragma once
// The fold: events in total order (hlc, device, seq) -> materialised state.
// Internal to shared/ (works on a sql::Db); the store and the district
// server both drive it inside their own transactions.
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "shared/event.hpp"
#include "shared/sql.hpp"

namespace shouxin {

class Fold {
public:
    explicit Fold(sql::Db& db);
    ~Fold();
    Fold(const Fold&) = delete;
    Fold& operator=(const Fold&) = delete;

    /// Folds an event just inserted into the event table. Applied on top
    /// when it is the newest event of its subject; otherwise the subject is
    /// refolded from its events, so a late event lands in its place.
    void fold(const Event& event, const Payload& payload, std::string_view subject);
    /// Drops and recomputes all materialised state from the event table.
    void rebuildAll();
    /// Drops a subject's state and folds its events again.
    void refold(std::string_view subject);
    /// Drops a subject's materialised state.
    void dropSubject(std::string_view subject);
    /// Brings the full-text index up to date with the commitments changed
    /// since it last ran (schema v9); the store runs it before every commit,
    /// on SQLite only (PostgreSQL's trigram indexes keep up by themselves).
    void flushSearch();

private:
    void applyOnTop(const Event& event, const Payload& payload);
    void applyBreachStep(const Event& event, const BreachStep& step);

    struct Statements;
    sql::Db& m_db;
    std::unique_ptr<Statements> m_stmts;
};

/// The event table's columns in the order readEvent() expects.
inline constexpr std::string_view kEventColumns =
    "id, office, device, seq, hlc, actor, type, payload_version, payload, prev_hash, hash";
/// The event at the current row of a query selecting kEventColumns.
Event readEvent(const sql::Statement& query);

/// The office owning the record a subject names ("commitment:<id>",
/// "complaint:<id>", "clerk:<office>/<id>", "office:<code>"), as the
/// materialised state has it; nullopt when there is no such record.
std::optional<std::string> ownerOf(const sql::Db& db, std::string_view subject);

/// SHA-256 over the canonical serialisation of the materialised state in
/// `scope` (see Store::digest).
std::string stateDigest(const sql::Db& db, std::string_view scope);

}  // namespace shouxin
