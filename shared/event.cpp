#include "shared/event.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <set>

#include "shared/crypto.hpp"
#include "shared/json.hpp"
#include "shared/text.hpp"

namespace shouxin {
namespace {

// ---- Canonical JSON writing ------------------------------------------------

class JsonOut {
public:
    JsonOut() { m_writer.StartObject(); }

    JsonOut& str(const char* key, std::string_view value) {
        m_writer.Key(key);
        m_writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
        return *this;
    }
    JsonOut& integer(const char* key, std::int64_t value) {
        m_writer.Key(key);
        m_writer.Int64(value);
        return *this;
    }
    JsonOut& date(const char* key, Date value) { return str(key, value.toString()); }
    JsonOut& optDate(const char* key, const std::optional<Date>& value) {
        if (value) return date(key, *value);
        m_writer.Key(key);
        m_writer.Null();
        return *this;
    }
    JsonOut& strings(const char* key, const std::vector<std::string>& values) {
        m_writer.Key(key);
        m_writer.StartArray();
        for (const auto& v : values)
            m_writer.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
        m_writer.EndArray();
        return *this;
    }
    std::string finish() {
        m_writer.EndObject();
        return {m_buffer.GetString(), m_buffer.GetSize()};
    }

private:
    rapidjson::StringBuffer m_buffer;
    rapidjson::Writer<rapidjson::StringBuffer> m_writer{m_buffer};
};

std::string encode(const OfficeNamed& o) {
    return JsonOut().str("code", o.code).str("name", o.name).finish();
}

std::string encode(const Commitment& c) {
    return JsonOut()
        .str("id", c.id)
        .str("office", c.office)
        .str("category", idOf(c.category))
        .str("kind", idOf(c.kind))
        .str("title", c.title)
        .str("detail", c.detail)
        .str("department", c.department)
        .str("responsible", c.responsible)
        .optDate("deadline", c.deadline)
        .str("time_limit", c.timeLimit)
        .date("published", c.published)
        .finish();
}

std::string encode(const FulfilmentReport& r) {
    return JsonOut()
        .str("commitment", r.commitment)
        .str("status", idOf(r.status))
        .integer("progress", r.progress)
        .str("note", r.note)
        .date("date", r.date)
        .strings("evidence", r.evidence)
        .str("reason", r.reason)
        .str("legal_basis", r.legalBasis)
        .str("based_on", r.basedOn)
        .finish();
}

std::string encode(const Complaint& c) {
    return JsonOut()
        .str("id", c.id)
        .str("office", c.office)
        .str("ticket", c.ticket)
        .str("commitment", c.commitment)
        .str("text", c.text)
        .str("sealed_contact", c.sealedContact)
        .date("filed", c.filed)
        .str("reason", idOf(c.reason))
        .finish();
}

std::string encode(const ComplaintStep& s) {
    return JsonOut()
        .str("complaint", s.complaint)
        .str("step", idOf(s.step))
        .str("note", s.note)
        .date("date", s.date)
        .finish();
}

std::string encode(const Breach& b) {
    return JsonOut()
        .str("id", b.id)
        .str("office", b.office)
        .str("commitment", b.commitment)
        .str("note", b.note)
        .date("confirmed", b.confirmed)
        .date("object_by", b.objectBy)
        .date("rectify_by", b.rectifyBy)
        .finish();
}

std::string encode(const BreachStep& s) {
    return JsonOut()
        .str("breach", s.breach)
        .str("step", idOf(s.step))
        .str("note", s.note)
        .date("date", s.date)
        .finish();
}

std::string encode(const ComplaintAnswer& a) {
    return JsonOut().str("complaint", a.complaint).str("text", a.text).date("date", a.date).finish();
}

std::string encode(const Rating& r) {
    return JsonOut()
        .str("commitment", r.commitment)
        .str("complaint", r.complaint)
        .integer("score", r.score)
        .date("date", r.date)
        .finish();
}

std::string encode(const ClerkAdded& c) {
    return JsonOut()
        .str("clerk", c.clerk)
        .str("office", c.office)
        .str("name", c.name)
        .str("role", idOf(c.role))
        .str("pin_hash", c.pinVerifier)
        .finish();
}

std::string encode(const ClerkDisabled& c) {
    return JsonOut().str("clerk", c.clerk).str("office", c.office).str("reason", c.reason).finish();
}

std::string encode(const CommitmentRevised& r) {
    return JsonOut()
        .str("commitment", r.commitment)
        .str("title", r.title)
        .str("detail", r.detail)
        .str("department", r.department)
        .str("responsible", r.responsible)
        .optDate("deadline", r.deadline)
        .str("time_limit", r.timeLimit)
        .str("reason", r.reason)
        .date("date", r.date)
        .finish();
}

// ---- Strict JSON reading ---------------------------------------------------

// Reads the members of one JSON object, each exactly once, recording a
// problem for anything missing or of the wrong type; done() then rejects
// members nobody asked for.
class JsonIn {
public:
    explicit JsonIn(const rapidjson::Value& object) : m_object(object) {}

    void str(const char* key, std::string& out) {
        if (const auto* v = member(key)) json::readString(*v, key, kMaxPayloadBytes, out, m_problems);
    }
    void integer(const char* key, int& out) {
        if (const auto* v = member(key)) {
            if (v->IsInt())
                out = v->GetInt();
            else
                wrongType(key);
        }
    }
    void date(const char* key, Date& out) {
        std::string text;
        str(key, text);
        if (!text.empty() || m_object.HasMember(key)) parseDate(key, text, out);
    }
    void optDate(const char* key, std::optional<Date>& out) {
        const auto* v = member(key);
        if (!v || v->IsNull()) return;
        if (!v->IsString()) return wrongType(key);
        Date d;
        if (parseDate(key, {v->GetString(), v->GetStringLength()}, d)) out = d;
    }
    void strings(const char* key, std::vector<std::string>& out) {
        const auto* v = member(key);
        if (!v) return;
        if (!v->IsArray()) return wrongType(key);
        for (const auto& item : v->GetArray()) {
            if (!item.IsString()) return wrongType(key);
            out.emplace_back(item.GetString(), item.GetStringLength());
        }
    }
    template <class E, class Parse>
    void enumeration(const char* key, E& out, Parse parse, const char* message) {
        std::string text;
        str(key, text);
        if (m_seen.count(key) == 0) return;
        if (const auto e = parse(text))
            out = *e;
        else
            m_problems.push_back({key, message, text});
    }

    /// Whether the object has `key`: for a member added after version 1,
    /// which older events lack.
    bool has(const char* key) const { return m_object.HasMember(key); }

    // Repeated keys were refused by json::parseObject().
    Problems done() {
        for (const auto& m : m_object.GetObject()) {
            const std::string key(m.name.GetString(), m.name.GetStringLength());
            if (m_seen.count(key) == 0) m_problems.push_back({key, "error.json.unknown_field", key});
        }
        return std::move(m_problems);
    }

private:
    const rapidjson::Value* member(const char* key) {
        const auto it = m_object.FindMember(key);
        if (it == m_object.MemberEnd()) {
            m_problems.push_back({key, "error.json.missing_field", key});
            return nullptr;
        }
        m_seen.insert(key);
        return &it->value;
    }
    void wrongType(const char* key) { m_problems.push_back({key, "error.json.type", key}); }
    bool parseDate(const char* key, std::string_view text, Date& out) {
        if (const auto d = Date::parse(text)) {
            out = *d;
            return true;
        }
        m_problems.push_back({key, "error.date", std::string(text)});
        return false;
    }

    const rapidjson::Value& m_object;
    std::set<std::string> m_seen;
    Problems m_problems;
};

void read(JsonIn& in, OfficeNamed& o) {
    in.str("code", o.code);
    in.str("name", o.name);
}

void read(JsonIn& in, Commitment& c) {
    in.str("id", c.id);
    in.str("office", c.office);
    in.enumeration("category", c.category, parseCategory, "error.category");
    in.enumeration("kind", c.kind, parseKind, "error.kind");
    in.str("title", c.title);
    in.str("detail", c.detail);
    in.str("department", c.department);
    in.str("responsible", c.responsible);
    in.optDate("deadline", c.deadline);
    in.str("time_limit", c.timeLimit);
    in.date("published", c.published);
}

void read(JsonIn& in, FulfilmentReport& r) {
    in.str("commitment", r.commitment);
    in.enumeration("status", r.status, parseStatus, "error.status");
    in.integer("progress", r.progress);
    in.str("note", r.note);
    in.date("date", r.date);
    in.strings("evidence", r.evidence);
    in.str("reason", r.reason);
    in.str("legal_basis", r.legalBasis);
    in.str("based_on", r.basedOn);
}

void read(JsonIn& in, Complaint& c) {
    in.str("id", c.id);
    in.str("office", c.office);
    in.str("ticket", c.ticket);
    in.str("commitment", c.commitment);
    in.str("text", c.text);
    in.str("sealed_contact", c.sealedContact);
    in.date("filed", c.filed);
    if (in.has("reason")) in.enumeration("reason", c.reason, parseComplaintReason, "error.complaint.reason");
}

void read(JsonIn& in, ComplaintStep& s) {
    in.str("complaint", s.complaint);
    in.enumeration("step", s.step, parseComplaintStep, "error.complaint.step");
    in.str("note", s.note);
    in.date("date", s.date);
}

void read(JsonIn& in, Breach& b) {
    in.str("id", b.id);
    in.str("office", b.office);
    in.str("commitment", b.commitment);
    in.str("note", b.note);
    in.date("confirmed", b.confirmed);
    in.date("object_by", b.objectBy);
    in.date("rectify_by", b.rectifyBy);
}

void read(JsonIn& in, BreachStep& s) {
    in.str("breach", s.breach);
    in.enumeration("step", s.step, parseBreachStep, "error.breach.step");
    in.str("note", s.note);
    in.date("date", s.date);
}

void read(JsonIn& in, ComplaintAnswer& a) {
    in.str("complaint", a.complaint);
    in.str("text", a.text);
    in.date("date", a.date);
}

void read(JsonIn& in, Rating& r) {
    in.str("commitment", r.commitment);
    in.str("complaint", r.complaint);
    in.integer("score", r.score);
    in.date("date", r.date);
}

void read(JsonIn& in, ClerkAdded& c) {
    in.str("clerk", c.clerk);
    in.str("office", c.office);
    in.str("name", c.name);
    in.enumeration("role", c.role, parseRole, "error.clerk.role");
    in.str("pin_hash", c.pinVerifier);
}

void read(JsonIn& in, ClerkDisabled& c) {
    in.str("clerk", c.clerk);
    in.str("office", c.office);
    in.str("reason", c.reason);
}

void read(JsonIn& in, CommitmentRevised& r) {
    in.str("commitment", r.commitment);
    in.str("title", r.title);
    in.str("detail", r.detail);
    in.str("department", r.department);
    in.str("responsible", r.responsible);
    in.optDate("deadline", r.deadline);
    in.str("time_limit", r.timeLimit);
    in.str("reason", r.reason);
    in.date("date", r.date);
}

template <class T>
Result<Payload> decodeAs(const rapidjson::Value& object) {
    T value{};
    JsonIn in(object);
    read(in, value);
    Problems problems = in.done();
    if (problems.empty()) problems = validate(value);
    if (!problems.empty()) return problems;
    return Payload{std::move(value)};
}

void appendField(std::string& out, std::string_view bytes) {
    const auto n = static_cast<std::uint32_t>(bytes.size());
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<char>((n >> shift) & 0xFF));
    out.append(bytes);
}

bool isHashHex(std::string_view s) {
    return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
               return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
           });
}

}  // namespace

std::string canonicalBytes(const Event& e) {
    std::string out;
    out.reserve(256 + e.payload.size());
    appendField(out, "shouxin.event.v1");
    appendField(out, e.id);
    appendField(out, e.office);
    appendField(out, e.device);
    appendField(out, std::to_string(e.seq));
    appendField(out, std::to_string(e.hlc));
    appendField(out, e.actor);
    appendField(out, e.type);
    appendField(out, std::to_string(e.payloadVersion));
    appendField(out, e.payload);
    appendField(out, e.prevHash);
    return out;
}

std::string computeHash(const Event& e) { return sha256Hex(canonicalBytes(e)); }

std::string_view eventTypeOf(const Payload& p) {
    static_assert(std::size(event_type::kAll) == std::variant_size_v<Payload>);
    return event_type::kAll[p.index()];
}

std::string encodePayload(const Payload& p) {
    return std::visit([](const auto& value) { return encode(value); }, p);
}

Result<Payload> decodePayload(std::string_view type, int version, std::string_view json) {
    if (version != kPayloadVersion) {
        return Problem{"payload_version", "error.payload_version", std::to_string(version)};
    }
    json::Limits limits;
    limits.maxBodyBytes = kMaxPayloadBytes;
    limits.maxStringBytes = kMaxPayloadBytes;
    rapidjson::Document doc;
    if (Problems problems = json::parseObject(json, "payload", limits, doc); !problems.empty())
        return problems;
    if (type == event_type::kOfficeNamed) return decodeAs<OfficeNamed>(doc);
    if (type == event_type::kCommitmentPublished) return decodeAs<Commitment>(doc);
    if (type == event_type::kFulfilmentReported) return decodeAs<FulfilmentReport>(doc);
    if (type == event_type::kComplaintFiled) return decodeAs<Complaint>(doc);
    if (type == event_type::kComplaintAnswered) return decodeAs<ComplaintAnswer>(doc);
    if (type == event_type::kRatingGiven) return decodeAs<Rating>(doc);
    if (type == event_type::kClerkAdded) return decodeAs<ClerkAdded>(doc);
    if (type == event_type::kClerkDisabled) return decodeAs<ClerkDisabled>(doc);
    if (type == event_type::kCommitmentRevised) return decodeAs<CommitmentRevised>(doc);
    if (type == event_type::kComplaintProgressed) return decodeAs<ComplaintStep>(doc);
    if (type == event_type::kBreachConfirmed) return decodeAs<Breach>(doc);
    if (type == event_type::kBreachProgressed) return decodeAs<BreachStep>(doc);
    return Problem{"type", "error.event_type", std::string(type)};
}

std::string subjectOf(const Payload& p, std::string_view eventId) {
    struct Visitor {
        std::string_view eventId;
        std::string operator()(const OfficeNamed& o) const { return "office:" + o.code; }
        std::string operator()(const Commitment& c) const { return "commitment:" + c.id; }
        std::string operator()(const FulfilmentReport& r) const { return "commitment:" + r.commitment; }
        std::string operator()(const Complaint& c) const { return "complaint:" + c.id; }
        std::string operator()(const ComplaintAnswer& a) const { return "complaint:" + a.complaint; }
        std::string operator()(const Rating&) const { return "rating:" + std::string(eventId); }
        std::string operator()(const ClerkAdded& c) const { return "clerk:" + c.office + "/" + c.clerk; }
        std::string operator()(const ClerkDisabled& c) const { return "clerk:" + c.office + "/" + c.clerk; }
        std::string operator()(const CommitmentRevised& r) const { return "commitment:" + r.commitment; }
        std::string operator()(const ComplaintStep& s) const { return "complaint:" + s.complaint; }
        std::string operator()(const Breach& b) const { return "breach:" + b.id; }
        std::string operator()(const BreachStep& s) const { return "breach:" + s.breach; }
    };
    return std::visit(Visitor{eventId}, p);
}

std::string officeNamedBy(const Payload& p) {
    if (const auto* o = std::get_if<OfficeNamed>(&p)) return o->code;
    if (const auto* c = std::get_if<Commitment>(&p)) return c->office;
    if (const auto* c = std::get_if<Complaint>(&p)) return c->office;
    if (const auto* c = std::get_if<ClerkAdded>(&p)) return c->office;
    if (const auto* c = std::get_if<ClerkDisabled>(&p)) return c->office;
    if (const auto* b = std::get_if<Breach>(&p)) return b->office;
    return {};
}

Problems checkEnvelope(const Event& e) {
    Problems out;
    if (!isUuid(e.id)) out.push_back({"id", "error.id", e.id});
    if (!isOfficeCode(e.office) && !isRegionCode(e.office)) {
        out.push_back({"office", "error.office_code", e.office});
    }
    if (!isUuid(e.device)) out.push_back({"device", "error.id", e.device});
    if (e.seq < 1) out.push_back({"seq", "error.seq", std::to_string(e.seq)});
    if (!isActor(e.actor)) out.push_back({"actor", "error.actor", e.actor.substr(0, 80)});
    if (!isHashHex(e.prevHash)) out.push_back({"prev_hash", "error.hash", e.prevHash.substr(0, 80)});
    if (!isHashHex(e.hash)) out.push_back({"hash", "error.hash", e.hash.substr(0, 80)});
    return out;
}

}  // namespace shouxin
