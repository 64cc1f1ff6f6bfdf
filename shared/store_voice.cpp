// The store's reads of residents' complaints and ratings and of breach
// records (政务失信记录): what the kiosk, the command line and the district
// show, and the facts the voice figures count.
#include "shared/store.hpp"

#include "shared/rules.hpp"
#include "shared/store_impl.hpp"
#include "shared/ticket.hpp"

namespace shouxin {

using namespace store_detail;

namespace {

// A complaint's status from its answer, steps and the rating of its answer
// (domain.hpp, ComplaintStatus); `c` is the complaint table.
constexpr const char* kComplaintStatus =
    "CASE WHEN EXISTS(SELECT 1 FROM complaint_step s WHERE s.complaint = c.id AND s.step = 'closed') "
    "  OR EXISTS(SELECT 1 FROM rating r WHERE r.complaint = c.id) THEN 'closed' "
    "WHEN c.answer IS NOT NULL THEN 'answered' "
    "WHEN EXISTS(SELECT 1 FROM complaint_step s WHERE s.complaint = c.id AND s.step = 'handling') "
    "  THEN 'handling' ELSE 'received' END";

std::string complaintSelect(const std::string& where) {
    return std::string("SELECT c.id, c.office, c.ticket, c.commitment, c.reason, c.text, c.filed, ") +
           kComplaintStatus +
           ", c.answer, c.answered_on, c.answered_by, "
           "(SELECT r.score FROM rating r WHERE r.complaint = c.id ORDER BY r.date DESC, r.event_id DESC "
           "LIMIT 1), "
           "c.sealed_contact != '' FROM complaint c WHERE " +
           where;
}

Store::ComplaintView readComplaint(const sql::Statement& q) {
    Store::ComplaintView v;
    v.id = q.text(0);
    v.office = q.text(1);
    v.ticket = q.text(2);
    v.commitment = q.text(3);
    v.reason = parseComplaintReason(q.text(4)).value_or(ComplaintReason::other);
    v.text = q.text(5);
    v.filed = Date::parse(q.text(6)).value_or(Date{});
    const std::string status = q.text(7);
    for (const auto s : {ComplaintStatus::received, ComplaintStatus::handling, ComplaintStatus::answered,
                         ComplaintStatus::closed})
        if (idOf(s) == status) v.status = s;
    if (!q.isNull(8)) v.answer = q.text(8);
    if (!q.isNull(9)) v.answeredOn = Date::parse(q.text(9));
    if (!q.isNull(10)) v.answeredBy = q.text(10);
    if (!q.isNull(11)) v.answerRating = static_cast<int>(q.integer(11));
    v.contactSealed = q.integer(12) != 0;
    return v;
}

// Rows of `office` in a scope: an office, a district (every office in it),
// or "" for all held.
constexpr const char* kInScope = "(?1 = '' OR substr(%s, 1, length(?1)) = ?1)";

std::string scopeCondition(const char* column) {
    std::string out = kInScope;
    out.replace(out.find("%s"), 2, column);
    return out;
}

constexpr const char* kBreachColumns =
    "b.id, b.office, b.commitment, b.actor, b.note, b.confirmed, b.object_by, b.rectify_by, b.stage, "
    "b.stage_date, b.objected, COALESCE((SELECT title FROM commitment WHERE id = b.commitment), '')";

Store::BreachRecord readBreach(const sql::Statement& q) {
    Store::BreachRecord r;
    r.breach.id = q.text(0);
    r.breach.office = q.text(1);
    r.breach.commitment = q.text(2);
    r.actor = q.text(3);
    r.breach.note = q.text(4);
    r.breach.confirmed = Date::parse(q.text(5)).value_or(Date{});
    r.breach.objectBy = Date::parse(q.text(6)).value_or(Date{});
    r.breach.rectifyBy = Date::parse(q.text(7)).value_or(Date{});
    r.stage = parseBreachStage(q.text(8)).value_or(BreachStage::confirmed);
    r.stageDate = Date::parse(q.text(9)).value_or(Date{});
    r.objected = q.integer(10) != 0;
    r.commitmentTitle = q.text(11);
    return r;
}

}  // namespace

std::optional<Store::ComplaintView> Store::complaintByTicket(std::string_view ticket) const {
    sql::Statement q(*m_impl->db, complaintSelect("c.ticket = ?1"));
    q.bind(1, ticket);
    if (!q.step()) return std::nullopt;
    return readComplaint(q);
}

std::optional<Store::ComplaintView> Store::complaint(std::string_view id) const {
    sql::Statement q(*m_impl->db, complaintSelect("c.id = ?1"));
    q.bind(1, id);
    if (!q.step()) return std::nullopt;
    return readComplaint(q);
}

std::vector<Store::ComplaintView> Store::complaints(std::string_view scope, bool openOnly,
                                                    std::size_t limit) const {
    std::string where = scopeCondition("c.office");
    if (openOnly) where += std::string(" AND ") + kComplaintStatus + " IN ('received', 'handling')";
    sql::Statement q(*m_impl->db, complaintSelect(where + " ORDER BY c.filed, c.id LIMIT ?2"));
    q.bind(1, scope);
    q.bind(2, static_cast<std::int64_t>(limit));
    std::vector<ComplaintView> out;
    while (q.step())
        out.push_back(readComplaint(q));
    return out;
}

std::string Store::sealedContact(std::string_view complaintId) const {
    sql::Statement q(*m_impl->db, "SELECT sealed_contact FROM complaint WHERE id = ?1");
    q.bind(1, complaintId);
    return q.step() ? q.text(0) : std::string();
}

namespace {

void readSteps(const sql::Db& db, Store::BreachRecord& r) {
    auto q = db.cached(
        "SELECT event_id, actor, step, note, date FROM breach_step WHERE breach = ?1 ORDER BY hlc, event_id");
    q->bind(1, r.breach.id);
    while (q->step()) {
        BreachStep step;
        step.breach = r.breach.id;
        step.step = parseBreachStep(q->text(2)).value_or(BreachStepKind::objected);
        step.note = q->text(3);
        step.date = Date::parse(q->text(4)).value_or(Date{});
        r.steps.push_back({q->text(0), q->text(1), std::move(step)});
    }
    q->reset();
}

std::vector<Store::BreachRecord> readBreaches(const sql::Db& db, const std::string& sql,
                                              std::string_view key) {
    sql::Statement q(db, sql);
    q.bind(1, key);
    std::vector<Store::BreachRecord> out;
    while (q.step())
        out.push_back(readBreach(q));
    for (auto& r : out)
        readSteps(db, r);
    return out;
}

}  // namespace

std::optional<Store::BreachRecord> Store::breach(std::string_view id) const {
    auto found = readBreaches(*m_impl->db,
                              std::string("SELECT ") + kBreachColumns + " FROM breach b WHERE b.id = ?1", id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

std::vector<Store::BreachRecord> Store::breaches(std::string_view scope) const {
    return readBreaches(*m_impl->db,
                        std::string("SELECT ") + kBreachColumns + " FROM breach b WHERE " +
                            scopeCondition("b.office") + " ORDER BY b.confirmed DESC, b.id",
                        scope);
}

std::vector<Store::BreachRecord> Store::breachesOf(std::string_view commitmentId) const {
    return readBreaches(*m_impl->db,
                        std::string("SELECT ") + kBreachColumns +
                            " FROM breach b WHERE b.commitment = ?1 ORDER BY b.confirmed, b.id",
                        commitmentId);
}

VoiceFacts Store::voiceFacts(std::string_view scope) const {
    const sql::Db& db = *m_impl->db;
    VoiceFacts facts;
    {
        sql::Statement q(
            db, "SELECT office, filed, answered_on FROM complaint c WHERE " + scopeCondition("c.office"));
        q.bind(1, scope);
        while (q.step()) {
            VoiceFacts::ComplaintFact f{q.text(0), Date::parse(q.text(1)).value_or(Date{}), std::nullopt};
            if (!q.isNull(2)) f.answered = Date::parse(q.text(2));
            facts.complaints.push_back(std::move(f));
        }
    }
    {
        sql::Statement q(db,
                            "SELECT office, score, date FROM rating r WHERE " + scopeCondition("r.office"));
        q.bind(1, scope);
        while (q.step()) {
            facts.ratings.push_back(
                {q.text(0), static_cast<int>(q.integer(1)), Date::parse(q.text(2)).value_or(Date{})});
        }
    }
    {
        sql::Statement q(
            db, "SELECT office, stage, confirmed FROM breach b WHERE " + scopeCondition("b.office"));
        q.bind(1, scope);
        while (q.step()) {
            facts.breaches.push_back({q.text(0), parseBreachStage(q.text(1)).value_or(BreachStage::confirmed),
                                      Date::parse(q.text(2)).value_or(Date{})});
        }
    }
    return facts;
}

Problems Store::Impl::checkVoice(const Payload& payload, const NodeInfo& node) {
    const auto complaintOf = [&](const std::string& id) -> std::optional<Store::ComplaintView> {
        sql::Statement q(*db, complaintSelect("c.id = ?1"));
        q.bind(1, id);
        if (!q.step()) return std::nullopt;
        return readComplaint(q);
    };
    if (const auto* c = std::get_if<Complaint>(&payload)) {
        if (c->office != node.office) return {{"office", "error.office.not_ours", c->office}};
        const auto ticket = parseTicket(c->ticket);
        if (!ticket || *ticket != c->ticket || !ticketOfOffice(*ticket, node.office))
            return {{"ticket", "error.ticket", c->ticket}};
        sql::Statement taken(*db, "SELECT 1 FROM complaint WHERE ticket = ?1");
        taken.bind(1, c->ticket);
        if (taken.step()) return {{"ticket", "error.complaint.ticket_taken", c->ticket}};
        if (!c->commitment.empty() && !commitmentById(c->commitment))
            return {{"commitment", "error.commitment.unknown", c->commitment}};
        return {};
    }
    if (const auto* a = std::get_if<ComplaintAnswer>(&payload)) {
        const auto current = complaintOf(a->complaint);
        if (!current) return {{"complaint", "error.complaint.unknown", a->complaint}};
        return rules::checkAnswer(current->status);
    }
    if (const auto* s = std::get_if<ComplaintStep>(&payload)) {
        const auto current = complaintOf(s->complaint);
        if (!current) return {{"complaint", "error.complaint.unknown", s->complaint}};
        if (s->step == ComplaintStepKind::contactRead && !district)
            return {{"step", "error.auth.district_only", std::string(idOf(s->step))}};
        return rules::checkComplaintStep(current->status, s->step);
    }
    if (const auto* rt = std::get_if<Rating>(&payload)) {
        if (!rt->commitment.empty() && !commitmentById(rt->commitment))
            return {{"commitment", "error.commitment.unknown", rt->commitment}};
        if (rt->complaint.empty()) return {};
        const auto current = complaintOf(rt->complaint);
        if (!current) return {{"complaint", "error.complaint.unknown", rt->complaint}};
        return rules::checkAnswerRating(current->status);
    }
    if (const auto* b = std::get_if<Breach>(&payload)) {
        const auto commitment = commitmentById(b->commitment);
        if (!commitment) return {{"commitment", "error.commitment.unknown", b->commitment}};
        if (commitment->commitment.office != b->office)
            return {{"office", "error.office.not_ours", commitment->commitment.office}};
        if (!district && b->office != node.office) return {{"office", "error.office.not_ours", b->office}};
        if (Problems p = rules::checkBreachConfirm(*commitment); !p.empty()) return p;
        sql::Statement open(
            *db, "SELECT 1 FROM breach WHERE commitment = ?1 AND stage NOT IN ('annulled', 'repaired')");
        open.bind(1, b->commitment);
        if (open.step()) return {{"commitment", "error.breach.exists", b->commitment}};
        return {};
    }
    if (const auto* s = std::get_if<BreachStep>(&payload)) {
        sql::Statement q(*db, "SELECT stage, objected, object_by FROM breach WHERE id = ?1");
        q.bind(1, s->breach);
        if (!q.step()) return {{"breach", "error.breach.unknown", s->breach}};
        if (rules::isDistrictStep(s->step) != district)
            return {{"step", district ? "error.breach.office_step" : "error.auth.district_only",
                     std::string(idOf(s->step))}};
        rules::BreachProgress now;
        now.stage = parseBreachStage(q.text(0)).value_or(BreachStage::confirmed);
        now.objected = q.integer(1) != 0;
        now.objectBy = Date::parse(q.text(2)).value_or(Date{});
        return rules::checkBreachStep(now, *s);
    }
    return {};
}

}  // namespace shouxin
