// The store's reads of the folded state: commitments, history, revisions,
// search, and the kiosk's queries.
#include "shared/store.hpp"

#include <cstdint>

#include "shared/store_impl.hpp"
#include "shared/text.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

namespace store_detail {

CommitmentState readCommitment(const sql::Statement& q) {
    CommitmentState s;
    Commitment& c = s.commitment;
    c.id = q.text(0);
    c.office = q.text(1);
    c.category = parseCategory(q.text(2)).value_or(Category::convenience);
    c.kind = parseKind(q.text(3)).value_or(Kind::serviceQuality);
    c.title = q.text(4);
    c.detail = q.text(5);
    c.department = q.text(6);
    c.responsible = q.text(7);
    if (!q.isNull(8)) c.deadline = Date::parse(q.text(8));
    c.timeLimit = q.text(9);
    c.published = Date::parse(q.text(10)).value_or(Date{});
    s.status = parseStatus(q.text(11)).value_or(Status::notStarted);
    s.progress = static_cast<int>(q.integer(12));
    if (!q.isNull(13)) s.statusDate = Date::parse(q.text(13));
    if (!q.isNull(14)) s.fulfilledOn = Date::parse(q.text(14));
    s.reportCount = static_cast<int>(q.integer(15));
    s.lastReport = q.text(16);
    s.concurrentReport = q.integer(17) != 0;
    s.amendReason = q.text(18);
    s.amendLegalBasis = q.text(19);
    return s;
}

}  // namespace store_detail

namespace {

// "%query%" for LIKE, backslash escaping: the query's own % and _ match themselves.
std::string containsPattern(std::string_view query) {
    std::string pattern = "%";
    for (const char c : query) {
        if (c == '%' || c == '_' || c == '\\') pattern += '\\';
        pattern += c;
    }
    return pattern + "%";
}

// Search on PostgreSQL: ILIKE, which the trigram indexes (schema.cpp) answer
// for three characters and more. The order follows SQLite's as far as it
// can without FTS5's rank: titles that hold the query first, then
// departments, then detail text; ties by id. One or two characters search
// titles and departments only, as on SQLite.
void searchPostgres(sql::Db& db, std::string_view query, int limit, const std::string& cols,
                    const std::function<void(const sql::Statement&)>& row) {
    const bool full = codePointCount(query) >= 3;
    sql::Statement q(db, "SELECT " + cols + " FROM commitment WHERE title ILIKE ?1 OR department ILIKE ?1" +
                             (full ? " OR detail ILIKE ?1" : "") +
                             " ORDER BY title ILIKE ?1 DESC, department ILIKE ?1 DESC, id LIMIT ?2");
    q.bind(1, containsPattern(query)).bind(2, limit);
    while (q.step())
        row(q);
}

// Commitments whose title, detail or department contain `query`, best first,
// as `columns` of table commitment (unqualified), each handed to `row`.
void searchCommitments(sql::Db& db, std::string_view query, int limit, std::string_view columns,
                       const std::function<void(const sql::Statement&)>& row) {
    if (query.empty() || !isValidUtf8(query) || limit <= 0) return;
    const std::string cols(columns);
    std::string pattern;
    if (db.engine() == sql::Engine::postgres) {
        searchPostgres(db, query, limit, cols, row);
        return;
    }
    if (codePointCount(query) >= 3) {
        // One FTS5 string token: double any quote inside it.
        pattern = "\"";
        for (const char c : query)
            pattern += c == '"' ? std::string("\"\"") : std::string(1, c);
        pattern += "\"";
        sql::Statement q(db, "SELECT " + cols +
                                    " FROM (SELECT rowid AS hit, rank AS score FROM commitment_search "
                                    "WHERE commitment_search MATCH ?1 ORDER BY rank LIMIT ?2) "
                                    "JOIN commitment ON commitment.rowid = hit ORDER BY score");
        q.bind(1, pattern).bind(2, limit);
        while (q.step())
            row(q);
        return;
    }
    // One or two characters: titles and departments only, where so short a
    // term means something (in detail text it matches nearly everything).
    // The scan reads a covering index (schema v5), not the full text.
    pattern = containsPattern(query);
    sql::Statement q(db, "SELECT " + cols +
                                " FROM (SELECT rowid AS hit FROM commitment INDEXED BY commitment_short_search "
                                "WHERE title LIKE ?1 ESCAPE '\\' OR department LIKE ?1 ESCAPE '\\' LIMIT ?2) "
                                "JOIN commitment ON commitment.rowid = hit");
    q.bind(1, pattern).bind(2, limit);
    while (q.step())
        row(q);
}

}  // namespace

std::optional<CommitmentState> Store::Impl::commitmentById(std::string_view id) const {
    auto q = db->cached(std::string("SELECT ") + kCommitmentColumns + " FROM commitment WHERE id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return readCommitment(*q);
}

std::vector<CommitmentState> Store::commitments() const {
    std::vector<CommitmentState> out;
    sql::Statement q(*m_impl->db,
                        std::string("SELECT ") + kCommitmentColumns + " FROM commitment ORDER BY id");
    while (q.step())
        out.push_back(readCommitment(q));
    return out;
}

std::optional<CommitmentState> Store::commitment(std::string_view id) const {
    return m_impl->commitmentById(id);
}

std::vector<FulfilmentRecord> Store::history(std::string_view commitmentId) const {
    std::vector<FulfilmentRecord> out;
    sql::Statement q(*m_impl->db,
                        "SELECT f.event_id, f.commitment, f.actor, f.hlc, f.date, f.status, f.progress, "
                        "f.note, f.evidence, f.reason, f.legal_basis, f.based_on, f.concurrent "
                        "FROM fulfilment f JOIN event e ON e.id = f.event_id "
                        "WHERE f.commitment = ?1 ORDER BY e.hlc, e.device, e.seq");
    q.bind(1, commitmentId);
    while (q.step()) {
        FulfilmentRecord f;
        f.eventId = q.text(0);
        f.commitment = q.text(1);
        f.actor = q.text(2);
        f.hlc = static_cast<std::uint64_t>(q.integer(3));
        auto& r = f.report;
        r.commitment = f.commitment;
        r.date = Date::parse(q.text(4)).value_or(Date{});
        r.status = parseStatus(q.text(5)).value_or(Status::inProgress);
        r.progress = static_cast<int>(q.integer(6));
        r.note = q.text(7);
        const std::string evidence = q.text(8);
        for (std::size_t start = 0; start < evidence.size();) {
            const std::size_t end = std::min(evidence.find('\n', start), evidence.size());
            r.evidence.push_back(evidence.substr(start, end - start));
            start = end + 1;
        }
        r.reason = q.text(9);
        r.legalBasis = q.text(10);
        r.basedOn = q.text(11);
        f.concurrent = q.integer(12) != 0;
        out.push_back(std::move(f));
    }
    return out;
}

std::vector<std::string> Store::search(std::string_view query, int limit) const {
    std::vector<std::string> out;
    searchCommitments(*m_impl->db, query, limit, "id",
                      [&](const sql::Statement& q) { out.push_back(q.text(0)); });
    return out;
}

std::vector<CommitmentState> Store::searchSummaries(std::string_view query, int limit) const {
    std::vector<CommitmentState> out;
    searchCommitments(*m_impl->db, query, limit, kSummaryColumns,
                      [&](const sql::Statement& q) { out.push_back(readCommitment(q)); });
    return out;
}

std::vector<Store::Revision> Store::revisions(std::string_view commitmentId) const {
    std::vector<Revision> out;
    auto q = m_impl->db->cached(
        "SELECT r.event_id, r.actor, r.commitment, r.title, r.detail, r.department, r.responsible, "
        "r.deadline, "
        "r.time_limit, r.reason, r.date FROM revision r JOIN event e ON e.id = r.event_id "
        "WHERE r.commitment = ?1 ORDER BY e.hlc, e.device, e.seq");
    q->bind(1, commitmentId);
    while (q->step()) {
        Revision r{q->text(0), q->text(1), {}};
        auto& v = r.revision;
        v.commitment = q->text(2);
        v.title = q->text(3);
        v.detail = q->text(4);
        v.department = q->text(5);
        v.responsible = q->text(6);
        if (!q->isNull(7)) v.deadline = Date::parse(q->text(7));
        v.timeLimit = q->text(8);
        v.reason = q->text(9);
        v.date = Date::parse(q->text(10)).value_or(Date{});
        out.push_back(std::move(r));
    }
    return out;
}

std::optional<std::int64_t> Store::newestEventMillis() const {
    sql::Statement q(*m_impl->db, "SELECT max(hlc) FROM event");
    if (!q.step() || q.isNull(0)) return std::nullopt;
    return hlc::millisOf(static_cast<std::uint64_t>(q.integer(0)));
}

std::int64_t Store::changeMark() const {
    sql::Statement q(*m_impl->db, "SELECT coalesce(max(rowid), 0) FROM event");
    q.step();
    return q.integer(0);
}

void Store::forEachCommitmentSummary(std::optional<Category> category,
                                     const std::function<void(const CommitmentState&)>& visit) const {
    std::string sql = std::string("SELECT ") + kSummaryColumns + " FROM commitment";
    // One area: its entries of the covering index commitment_area (schema v7),
    // never the table with its long text.
    if (category) sql += " INDEXED BY commitment_area WHERE category = ?1";
    sql::Statement q(*m_impl->db, sql);
    if (category) q.bind(1, idOf(*category));
    CommitmentState s;
    while (q.step()) {
        s = readCommitment(q);
        visit(s);
    }
}

namespace {

// The commitments whose office code starts with `scope`, as a range of the
// office index (commitment_office): codes are digits, so every one with
// the prefix lies between it and it followed by DEL.
void forEachInScope(sql::Db& db, const char* columns, std::string_view scope,
                    const std::function<void(const CommitmentState&)>& visit) {
    sql::Statement q(db, std::string("SELECT ") + columns +
                                " FROM commitment WHERE office >= ?1 AND office < ?2 ORDER BY office, id");
    q.bind(1, scope).bind(2, std::string(scope) + "\x7f");
    CommitmentState s;
    while (q.step()) {
        s = readCommitment(q);
        visit(s);
    }
}

}  // namespace

void Store::forEachCommitment(std::string_view scope,
                              const std::function<void(const CommitmentState&)>& visit) const {
    forEachInScope(*m_impl->db, kCommitmentColumns, scope, visit);
}

void Store::forEachCommitmentSummaryIn(std::string_view scope,
                                       const std::function<void(const CommitmentState&)>& visit) const {
    forEachInScope(*m_impl->db, kSummaryColumns, scope, visit);
}

std::vector<OfficeNamed> Store::offices(std::string_view scope) const {
    std::vector<OfficeNamed> out;
    sql::Statement q(*m_impl->db,
                        "SELECT code, name FROM office WHERE ?1 = '' OR substr(code, 1, length(?1)) = ?1 "
                        "ORDER BY code");
    q.bind(1, scope);
    while (q.step())
        out.push_back({q.text(0), q.text(1)});
    return out;
}

std::optional<Commitment> Store::publishedText(std::string_view commitmentId) const {
    sql::Statement q(*m_impl->db,
                        "SELECT type, payload_version, payload FROM event WHERE subject = ?1 AND type = ?2 "
                        "ORDER BY hlc, device, seq LIMIT 1");
    Commitment key;  // events are filed under "commitment:<id>", as subjectOf() names them
    key.id = std::string(commitmentId);
    q.bind(1, subjectOf(Payload{key}, ""));
    q.bind(2, eventTypeOf(Payload{Commitment{}}));
    if (!q.step()) return std::nullopt;
    const auto payload = decodePayload(q.text(0), static_cast<int>(q.integer(1)), q.text(2));
    if (!payload) return std::nullopt;
    if (const auto* c = std::get_if<Commitment>(&payload.value())) return *c;
    return std::nullopt;
}

std::vector<Store::OpenComplaint> Store::openComplaints(std::size_t limit, std::int64_t& total) const {
    const auto open = complaints(node().office, true, SIZE_MAX);
    total = static_cast<std::int64_t>(open.size());
    std::vector<OpenComplaint> out;
    for (std::size_t i = 0; i < open.size() && i < limit; ++i)
        out.push_back({open[i].id, open[i].ticket, open[i].commitment, open[i].text, open[i].filed});
    return out;
}

void Store::forEachText(const std::function<void(std::string_view)>& visit) const {
    const char* queries[] = {
        "SELECT name FROM office",
        "SELECT title || detail || department || responsible || time_limit || amend_reason || "
        "amend_legal_basis FROM commitment",
        "SELECT DISTINCT note || reason || legal_basis || evidence FROM fulfilment",
        "SELECT text || COALESCE(answer, '') FROM complaint",
        "SELECT note || COALESCE((SELECT group_concat(note, '') FROM breach_step s WHERE s.breach = b.id), '') "
        "FROM breach b",
    };
    for (const char* sql : queries) {
        sql::Statement q(*m_impl->db, sql);
        while (q.step())
            visit(q.text(0));
    }
}

}  // namespace shouxin
