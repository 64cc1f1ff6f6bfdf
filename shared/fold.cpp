#include "shared/fold.hpp"

#include <vector>

#include "shared/authority.hpp"
#include "shared/crypto.hpp"
#include "shared/rules.hpp"

namespace shouxin {

namespace {

std::optional<std::string> optDate(const std::optional<Date>& d) {
    if (!d) return std::nullopt;
    return d->toString();
}

std::string joinLines(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& item : items) {
        if (!out.empty()) out += '\n';
        out += item;
    }
    return out;
}

}  // namespace

struct Fold::Statements {
    explicit Statements(sql::Db& db)
        : upsertOffice(db,
                       "INSERT INTO office(code, name) VALUES(?1, ?2) "
                       "ON CONFLICT(code) DO UPDATE SET name = excluded.name"),
          upsertCommitment(db,
                           "INSERT INTO commitment(id, office, category, kind, title, detail, department, "
                           "responsible, deadline, time_limit, published, status, progress, status_date, "
                           "fulfilled_on, report_count, last_report, concurrent, amend_reason, "
                           "amend_legal_basis) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'not_started', 0, NULL, "
                           "NULL, 0, '', 0, '', '') "
                           "ON CONFLICT(id) DO UPDATE SET office = excluded.office, category = "
                           "excluded.category, kind = excluded.kind, title = excluded.title, detail = "
                           "excluded.detail, department = excluded.department, responsible = "
                           "excluded.responsible, deadline = excluded.deadline, time_limit = "
                           "excluded.time_limit, published = excluded.published"),
          lastReport(db, "SELECT last_report FROM commitment WHERE id = ?1"),
          insertFulfilment(db,
                           "INSERT INTO fulfilment(event_id, commitment, office, actor, hlc, date, status, "
                           "progress, note, evidence, reason, legal_basis, based_on, concurrent) "
                           "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"),
          updateStatus(db,
                       "UPDATE commitment SET status = ?2, progress = ?3, status_date = ?4, "
                       "fulfilled_on = ?5, report_count = report_count + 1, last_report = ?6, "
                       "concurrent = max(concurrent, ?7), amend_reason = ?8, amend_legal_basis = ?9 "
                       "WHERE id = ?1"),
          insertComplaint(db,
                          "INSERT INTO complaint(id, office, ticket, commitment, text, sealed_contact, "
                          "filed, answer, answered_on, answered_by, reason) "
                          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, NULL, NULL, NULL, ?8) "
                          "ON CONFLICT(id) DO NOTHING"),
          answerComplaint(db,
                          "UPDATE complaint SET answer = ?2, answered_on = ?3, answered_by = ?4 "
                          "WHERE id = ?1"),
          insertRating(db,
                       "INSERT INTO rating(event_id, office, commitment, complaint, score, date) "
                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6)"),
          laterExists(db,
                      "SELECT EXISTS(SELECT 1 FROM event WHERE subject = ?1 AND "
                      "(hlc, device, seq) > (?2, ?3, ?4))"),
          subjectEvents(db, "SELECT " + std::string(kEventColumns) +
                                " FROM event WHERE subject = ?1 ORDER BY hlc, device, seq"),
          searchPending(db, "SELECT EXISTS(SELECT 1 FROM commitment_search_pending)"),
          searchUnindex(db,
                        "INSERT INTO commitment_search(commitment_search, rowid, title, detail, department) "
                        "SELECT 'delete', id, old_title, old_detail, old_department "
                        "FROM commitment_search_pending WHERE indexed = 1"),
          searchIndex(db,
                      "INSERT INTO commitment_search(rowid, title, detail, department) "
                      "SELECT c.rowid, c.title, c.detail, c.department "
                      "FROM commitment_search_pending p JOIN commitment c ON c.rowid = p.id"),
          searchDone(db, "DELETE FROM commitment_search_pending") {}

    sql::Statement upsertOffice, upsertCommitment, lastReport, insertFulfilment, updateStatus,
        insertComplaint, answerComplaint, insertRating, laterExists, subjectEvents, searchPending, searchUnindex,
        searchIndex, searchDone;
};

Fold::Fold(sql::Db& db) : m_db(db), m_stmts(std::make_unique<Statements>(db)) {}
Fold::~Fold() = default;

void Fold::fold(const Event& event, const Payload& payload, std::string_view subject) {
    auto& later = m_stmts->laterExists;
    later.bind(1, subject).bind(2, event.hlc).bind(3, event.device).bind(4, event.seq);
    later.step();
    const bool late = later.integer(0) != 0;
    later.reset();
    if (late)
        refold(subject);
    else
        applyOnTop(event, payload);
}

void Fold::applyOnTop(const Event& e, const Payload& payload) {
    // The records' rules again, in total order: whatever order events
    // arrived in, one that another office's record does not allow has no
    // effect on any replica.
    const auto owner = [this](std::string_view subject) { return ownerOf(m_db, subject); };
    if (!authoriseRecords(e, payload, owner).empty()) return;
    auto& s = *m_stmts;
    if (const auto* o = std::get_if<OfficeNamed>(&payload)) {
        s.upsertOffice.bind(1, o->code).bind(2, o->name).run();
    } else if (const auto* c = std::get_if<Commitment>(&payload)) {
        s.upsertCommitment.bind(1, c->id)
            .bind(2, c->office)
            .bind(3, idOf(c->category))
            .bind(4, idOf(c->kind))
            .bind(5, c->title)
            .bind(6, c->detail)
            .bind(7, c->department)
            .bind(8, c->responsible)
            .bindOptional(9, optDate(c->deadline))
            .bind(10, c->timeLimit)
            .bind(11, c->published.toString())
            .run();
    } else if (const auto* r = std::get_if<FulfilmentReport>(&payload)) {
        s.lastReport.bind(1, r->commitment);
        const bool known = s.lastReport.step();
        const bool concurrent = known && s.lastReport.text(0) != r->basedOn;
        s.lastReport.reset();
        const bool amended = r->status == Status::amended;
        s.insertFulfilment.bind(1, e.id)
            .bind(2, r->commitment)
            .bind(3, e.office)
            .bind(4, e.actor)
            .bind(5, e.hlc)
            .bind(6, r->date.toString())
            .bind(7, idOf(r->status))
            .bind(8, r->progress)
            .bind(9, r->note)
            .bind(10, joinLines(r->evidence))
            .bind(11, r->reason)
            .bind(12, r->legalBasis)
            .bind(13, r->basedOn)
            .bind(14, concurrent ? 1 : 0)
            .run();
        const std::optional<std::string> fulfilledOn =
            r->status == Status::fulfilled ? std::optional(r->date.toString()) : std::nullopt;
        s.updateStatus.bind(1, r->commitment)
            .bind(2, idOf(r->status))
            .bind(3, r->progress)
            .bind(4, r->date.toString())
            .bindOptional(5, fulfilledOn)
            .bind(6, e.id)
            .bind(7, concurrent ? 1 : 0)
            .bind(8, amended ? r->reason : std::string())
            .bind(9, amended ? r->legalBasis : std::string())
            .run();
    } else if (const auto* k = std::get_if<Complaint>(&payload)) {
        s.insertComplaint.bind(1, k->id)
            .bind(2, k->office)
            .bind(3, k->ticket)
            .bind(4, k->commitment)
            .bind(5, k->text)
            .bind(6, k->sealedContact)
            .bind(7, k->filed.toString())
            .bind(8, idOf(k->reason))
            .run();
    } else if (const auto* a = std::get_if<ComplaintAnswer>(&payload)) {
        s.answerComplaint.bind(1, a->complaint)
            .bind(2, a->text)
            .bind(3, a->date.toString())
            .bind(4, e.actor)
            .run();
    } else if (const auto* rt = std::get_if<Rating>(&payload)) {
        s.insertRating.bind(1, e.id)
            .bind(2, e.office)
            .bind(3, rt->commitment)
            .bind(4, rt->complaint)
            .bind(5, rt->score)
            .bind(6, rt->date.toString())
            .run();
    } else if (const auto* cs = std::get_if<ComplaintStep>(&payload)) {
        // A complaint's status is derived from all its steps (store_voice),
        // so their order needs no check here.
        m_db.cached(
                "INSERT INTO complaint_step(event_id, complaint, office, actor, hlc, step, note, date) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
            ->bind(1, e.id)
            .bind(2, cs->complaint)
            .bind(3, e.office)
            .bind(4, e.actor)
            .bind(5, e.hlc)
            .bind(6, idOf(cs->step))
            .bind(7, cs->note)
            .bind(8, cs->date.toString())
            .run();
    } else if (const auto* b = std::get_if<Breach>(&payload)) {
        m_db.cached(
                "INSERT INTO breach(id, office, commitment, actor, note, confirmed, object_by, rectify_by, "
                "stage, "
                "stage_date, objected) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'confirmed', ?6, 0)")
            ->bind(1, b->id)
            .bind(2, b->office)
            .bind(3, b->commitment)
            .bind(4, e.actor)
            .bind(5, b->note)
            .bind(6, b->confirmed.toString())
            .bind(7, b->objectBy.toString())
            .bind(8, b->rectifyBy.toString())
            .run();
    } else if (const auto* bs = std::get_if<BreachStep>(&payload)) {
        applyBreachStep(e, *bs);
    } else if (const auto* ca = std::get_if<ClerkAdded>(&payload)) {
        m_db.cached(
                "INSERT INTO clerk(office, id, name, role, pin_hash, disabled) VALUES(?1, ?2, ?3, ?4, ?5, 0) "
                "ON CONFLICT(office, id) DO UPDATE SET name = excluded.name, role = excluded.role, "
                "pin_hash = excluded.pin_hash, disabled = 0")
            ->bind(1, ca->office)
            .bind(2, ca->clerk)
            .bind(3, ca->name)
            .bind(4, idOf(ca->role))
            .bind(5, ca->pinVerifier)
            .run();
    } else if (const auto* cd = std::get_if<ClerkDisabled>(&payload)) {
        m_db.cached("UPDATE clerk SET disabled = 1 WHERE office = ?1 AND id = ?2")
            ->bind(1, cd->office)
            .bind(2, cd->clerk)
            .run();
    } else if (const auto* rv = std::get_if<CommitmentRevised>(&payload)) {
        const std::optional<std::string> deadline =
            rv->deadline ? std::optional(rv->deadline->toString()) : std::nullopt;
        m_db.cached(
                "INSERT INTO revision(event_id, commitment, office, actor, hlc, date, reason, title, detail, "
                "department, responsible, deadline, time_limit) "
                "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)")
            ->bind(1, e.id)
            .bind(2, rv->commitment)
            .bind(3, e.office)
            .bind(4, e.actor)
            .bind(5, e.hlc)
            .bind(6, rv->date.toString())
            .bind(7, rv->reason)
            .bind(8, rv->title)
            .bind(9, rv->detail)
            .bind(10, rv->department)
            .bind(11, rv->responsible)
            .bindOptional(12, deadline)
            .bind(13, rv->timeLimit)
            .run();
        m_db.cached(
                "UPDATE commitment SET title = ?2, detail = ?3, department = ?4, responsible = ?5, "
                "deadline = ?6, time_limit = ?7 WHERE id = ?1")
            ->bind(1, rv->commitment)
            .bind(2, rv->title)
            .bind(3, rv->detail)
            .bind(4, rv->department)
            .bind(5, rv->responsible)
            .bindOptional(6, deadline)
            .bind(7, rv->timeLimit)
            .run();
    }
}

void Fold::applyBreachStep(const Event& e, const BreachStep& step) {
    // The rulebook's order, in total order: a step that may not follow
    // where the record stands (repair before rectification, a late
    // objection) has no effect on any replica.
    auto q = m_db.cached("SELECT stage, objected, object_by FROM breach WHERE id = ?1");
    q->bind(1, step.breach);
    if (!q->step()) return q->reset();
    rules::BreachProgress now;
    now.stage = parseBreachStage(q->text(0)).value_or(BreachStage::confirmed);
    now.objected = q->integer(1) != 0;
    now.objectBy = Date::parse(q->text(2)).value_or(Date{});
    q->reset();
    if (!rules::checkBreachStep(now, step).empty()) return;
    const rules::BreachProgress next = rules::afterStep(now, step.step);
    m_db.cached(
            "INSERT INTO breach_step(event_id, breach, office, actor, hlc, step, note, date) "
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
        ->bind(1, e.id)
        .bind(2, step.breach)
        .bind(3, e.office)
        .bind(4, e.actor)
        .bind(5, e.hlc)
        .bind(6, idOf(step.step))
        .bind(7, step.note)
        .bind(8, step.date.toString())
        .run();
    m_db.cached("UPDATE breach SET stage = ?2, stage_date = ?3, objected = ?4 WHERE id = ?1")
        ->bind(1, step.breach)
        .bind(2, idOf(next.stage))
        .bind(3, step.date.toString())
        .bind(4, next.objected ? 1 : 0)
        .run();
}

void Fold::dropSubject(std::string_view subject) {
    const auto colon = subject.find(':');
    const std::string kind(subject.substr(0, colon));
    const std::string key(subject.substr(colon + 1));
    const auto run = [&](const char* sql) { sql::Statement(m_db, sql).bind(1, key).run(); };
    if (kind == "office") {
        run("DELETE FROM office WHERE code = ?1");
    } else if (kind == "commitment") {
        run("DELETE FROM commitment WHERE id = ?1");
        run("DELETE FROM fulfilment WHERE commitment = ?1");
        run("DELETE FROM revision WHERE commitment = ?1");
    } else if (kind == "complaint") {
        run("DELETE FROM complaint WHERE id = ?1");
        run("DELETE FROM complaint_step WHERE complaint = ?1");
    } else if (kind == "breach") {
        run("DELETE FROM breach WHERE id = ?1");
        run("DELETE FROM breach_step WHERE breach = ?1");
    } else if (kind == "rating") {
        run("DELETE FROM rating WHERE event_id = ?1");
    } else if (kind == "clerk") {
        const auto slash = key.find('/');
        sql::Statement(m_db, "DELETE FROM clerk WHERE office = ?1 AND id = ?2")
            .bind(1, std::string_view(key).substr(0, slash))
            .bind(2, std::string_view(key).substr(slash + 1))
            .run();
    }
}

void Fold::refold(std::string_view subject) {
    dropSubject(subject);
    std::vector<Event> events;
    auto& q = m_stmts->subjectEvents;
    q.bind(1, subject);
    while (q.step())
        events.push_back(readEvent(q));
    q.reset();
    for (const Event& e : events) {
        const auto payload = decodePayload(e.type, e.payloadVersion, e.payload);
        if (payload) applyOnTop(e, *payload);
    }
}

void Fold::flushSearch() {
    auto& s = *m_stmts;
    s.searchPending.step();
    const bool pending = s.searchPending.integer(0) != 0;
    s.searchPending.reset();
    if (!pending) return;
    s.searchUnindex.run();
    s.searchIndex.run();
    s.searchDone.run();
}

void Fold::rebuildAll() {
    m_db.exec(
        "DELETE FROM office; DELETE FROM commitment; DELETE FROM fulfilment; "
        "DELETE FROM complaint; DELETE FROM rating; DELETE FROM clerk; DELETE FROM revision; "
        "DELETE FROM complaint_step; DELETE FROM breach; DELETE FROM breach_step;");
    sql::Statement q(m_db,
                        "SELECT " + std::string(kEventColumns) + " FROM event ORDER BY hlc, device, seq");
    while (q.step()) {
        const Event e = readEvent(q);
        const auto payload = decodePayload(e.type, e.payloadVersion, e.payload);
        if (payload) applyOnTop(e, *payload);
    }
}

std::optional<std::string> ownerOf(const sql::Db& db, std::string_view subject) {
    const auto colon = subject.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const std::string_view kind = subject.substr(0, colon);
    const std::string_view key = subject.substr(colon + 1);
    const auto slash = key.find('/');
    const char* sql = nullptr;
    if (kind == "commitment") {
        sql = "SELECT office FROM commitment WHERE id = ?1";
    } else if (kind == "complaint") {
        sql = "SELECT office FROM complaint WHERE id = ?1";
    } else if (kind == "breach") {
        sql = "SELECT office FROM breach WHERE id = ?1";
    } else if (kind == "office") {
        sql = "SELECT code FROM office WHERE code = ?1";
    } else if (kind == "clerk" && slash != std::string_view::npos) {
        sql = "SELECT office FROM clerk WHERE office = ?1 AND id = ?2";
    } else {
        return std::nullopt;
    }
    auto q = db.cached(sql);
    if (kind == "clerk") {
        q->bind(1, key.substr(0, slash)).bind(2, key.substr(slash + 1));
    } else {
        q->bind(1, key);
    }
    if (!q->step()) return std::nullopt;
    return q->text(0);
}

Event readEvent(const sql::Statement& q) {
    Event e;
    e.id = q.text(0);
    e.office = q.text(1);
    e.device = q.text(2);
    e.seq = q.integer(3);
    e.hlc = static_cast<std::uint64_t>(q.integer(4));
    e.actor = q.text(5);
    e.type = q.text(6);
    e.payloadVersion = static_cast<int>(q.integer(7));
    e.payload = q.text(8);
    e.prevHash = q.text(9);
    e.hash = q.text(10);
    return e;
}

// ---- State digest -----------------------------------------------------------

namespace {

void feedField(Sha256& h, char type, std::string_view bytes) {
    char header[5] = {type};
    const auto n = static_cast<std::uint32_t>(bytes.size());
    for (int i = 0; i < 4; ++i)
        header[1 + i] = static_cast<char>(n >> (24 - 8 * i));
    h.update(std::string_view(header, sizeof header));
    h.update(bytes);
}

}  // namespace

std::string stateDigest(const sql::Db& db, std::string_view scope) {
    // Which rows a scope covers: a region's, everything below it; an
    // office's, its own and the region-wide records above it (?1 to ?4).
    std::string where = "1";
    std::vector<std::string> codes;
    if (isRegionCode(scope)) {
        where = "substr(%c, 1, length(?1)) = ?1";
        codes = {std::string(scope)};
    } else if (!scope.empty()) {
        where = "%c IN (?1, ?2, ?3, ?4)";
        codes = regionsAbove(scope);
        codes.insert(codes.begin(), std::string(scope));
        codes.resize(4);
    }
    const auto cond = [&](const char* column) {
        std::string w = where;
        if (const auto at = w.find("%c"); at != std::string::npos) w.replace(at, 2, column);
        return w;
    };
    struct Table {
        const char* name;
        const char* officeColumn;
        const char* key;
        bool onlyWhenFilled;
    };
    // Tables since version 1 enter the digest only when they hold rows in
    // scope, so a schema upgrade alone never changes a digest.
    static constexpr Table kTables[] = {{"office", "code", "code", false},
                                        {"commitment", "office", "id", false},
                                        {"fulfilment", "office", "event_id", false},
                                        {"complaint", "office", "id", false},
                                        {"rating", "office", "event_id", false},
                                        {"clerk", "office", "office, id", true},
                                        {"revision", "office", "event_id", true},
                                        {"complaint_step", "office", "event_id", true},
                                        {"breach", "office", "id", true},
                                        {"breach_step", "office", "event_id", true}};
    Sha256 h;
    h.update("shouxin.state.v1");
    for (const Table& t : kTables) {
        sql::Statement q(db, std::string("SELECT * FROM ") + t.name + " WHERE " + cond(t.officeColumn) +
                                    " ORDER BY " + t.key);
        for (std::size_t i = 0; i < codes.size(); ++i)
            q.bind(static_cast<int>(i + 1), codes[i]);
        bool named = false;
        if (!t.onlyWhenFilled) {
            feedField(h, 'T', t.name);
            named = true;
        }
        while (q.step()) {
            if (!named) {
                feedField(h, 'T', t.name);
                named = true;
            }
            feedField(h, 'R', "");
            for (int c = 0; c < q.columnCount(); ++c) {
                switch (q.columnType(c)) {
                    case SQLITE_NULL:
                        feedField(h, 'n', "");
                        break;
                    case SQLITE_INTEGER:
                        feedField(h, 'i', std::to_string(q.integer(c)));
                        break;
                    default:
                        feedField(h, 't', q.text(c));
                        break;
                }
            }
        }
    }
    return h.finishHex();
}

}  // namespace shouxin
