#include "shared/wire.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>

#include "shared/json.hpp"

namespace shouxin::wire {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void put(Writer& w, const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void put(Writer& w, const char* key, std::int64_t value) {
    w.Key(key);
    w.Int64(value);
}

// HLC stamps exceed 2^53, so they travel as decimal strings.
void putEvent(Writer& w, const Event& e) {
    w.StartObject();
    put(w, "id", e.id);
    put(w, "office", e.office);
    put(w, "device", e.device);
    put(w, "seq", e.seq);
    put(w, "hlc", std::to_string(e.hlc));
    put(w, "actor", e.actor);
    put(w, "type", e.type);
    put(w, "payload_version", std::int64_t{e.payloadVersion});
    put(w, "payload", e.payload);
    put(w, "prev_hash", e.prevHash);
    put(w, "hash", e.hash);
    w.EndObject();
}

template <class Fill>
std::string object(Fill fill) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    fill(w);
    w.EndObject();
    return {buffer.GetString(), buffer.GetSize()};
}

// ---- Reading ----------------------------------------------------------------

class Reader {
public:
    explicit Reader(const rapidjson::Value& v, std::string path = "") : m_v(v), m_path(std::move(path)) {}

    bool isObject() const { return m_v.IsObject(); }
    std::string str(const char* key) {
        const auto* v = member(key);
        if (!v) return {};
        if (!v->IsString()) return wrong(key), std::string();
        return {v->GetString(), v->GetStringLength()};
    }
    std::int64_t int64(const char* key) {
        const auto* v = member(key);
        if (!v) return 0;
        if (!v->IsInt64()) return wrong(key), 0;
        return v->GetInt64();
    }
    bool boolean(const char* key) {
        const auto* v = member(key);
        if (!v) return false;
        if (!v->IsBool()) return wrong(key), false;
        return v->GetBool();
    }
    std::optional<std::int64_t> optInt64(const char* key) {
        if (!m_v.IsObject() || !m_v.HasMember(key)) return std::nullopt;
        return int64(key);
    }
    const rapidjson::Value* array(const char* key) {
        const auto* v = member(key);
        if (v && !v->IsArray()) return wrong(key), nullptr;
        return v;
    }
    const rapidjson::Value* object(const char* key) {
        const auto* v = member(key);
        if (v && !v->IsObject()) return wrong(key), nullptr;
        return v;
    }
    Problems& problems() { return m_problems; }

private:
    const rapidjson::Value* member(const char* key) {
        if (!m_v.IsObject()) {
            if (m_problems.empty()) m_problems.push_back({m_path, "error.json.type", "not an object"});
            return nullptr;
        }
        const auto it = m_v.FindMember(key);
        if (it == m_v.MemberEnd()) {
            m_problems.push_back({m_path + key, "error.json.missing_field", key});
            return nullptr;
        }
        return &it->value;
    }
    void wrong(const char* key) { m_problems.push_back({m_path + key, "error.json.type", key}); }

    const rapidjson::Value& m_v;
    std::string m_path;
    Problems m_problems;
};

Event readEvent(const rapidjson::Value& v, const std::string& path, Problems& problems) {
    Reader r(v, path);
    Event e;
    e.id = r.str("id");
    e.office = r.str("office");
    e.device = r.str("device");
    e.seq = r.int64("seq");
    const std::string hlc = r.str("hlc");
    const auto [end, ec] = std::from_chars(hlc.data(), hlc.data() + hlc.size(), e.hlc);
    if (ec != std::errc() || end != hlc.data() + hlc.size()) {
        r.problems().push_back({path + "hlc", "error.json.type", hlc.substr(0, 40)});
    }
    e.actor = r.str("actor");
    e.type = r.str("type");
    e.payloadVersion = static_cast<int>(r.int64("payload_version"));
    e.payload = r.str("payload");
    e.prevHash = r.str("prev_hash");
    e.hash = r.str("hash");
    for (auto& p : r.problems())
        problems.push_back(std::move(p));
    return e;
}

// Bounds every body gets before it is parsed: nesting, members, items and
// string length (a payload travels as one string, escaped).
json::Limits bodyLimits() {
    json::Limits limits;
    limits.maxItems = kMaxPullLimit;
    limits.maxStringBytes = kMaxPayloadBytes * json::kEscapeFactor;
    return limits;
}

template <class T, class Read>
Result<T> decode(std::string_view json, Read read) {
    rapidjson::Document doc;
    if (Problems problems = json::parseObject(json, "body", bodyLimits(), doc); !problems.empty())
        return problems;
    Reader r(doc);
    T value = read(r);
    if (!r.problems().empty()) return r.problems();
    return value;
}

std::vector<Event> readEvents(Reader& r, const char* key, std::vector<std::int64_t>* dseqs = nullptr) {
    std::vector<Event> out;
    const auto* list = r.array(key);
    if (!list) return out;
    int i = 0;
    for (const auto& item : list->GetArray()) {
        const std::string path = std::string(key) + "[" + std::to_string(i++) + "].";
        out.push_back(readEvent(item, path, r.problems()));
        if (dseqs) {
            Reader er(item, path);
            dseqs->push_back(er.int64("dseq"));
            for (auto& p : er.problems())
                r.problems().push_back(std::move(p));
        }
    }
    return out;
}

}  // namespace

std::string_view idOf(EventOutcome o) {
    switch (o) {
        case EventOutcome::accepted:
            return "accepted";
        case EventOutcome::duplicate:
            return "duplicate";
        case EventOutcome::rejected:
            return "rejected";
    }
    return "rejected";
}

std::string encode(const EnrollRequest& r) {
    return object([&](Writer& w) {
        put(w, "protocol", std::int64_t{r.protocol});
        put(w, "code", r.code);
        put(w, "device", r.device);
        put(w, "office", r.office);
        put(w, "public_key", r.publicKey);
    });
}

std::string encode(const EnrollResponse& r) {
    return object([&](Writer& w) {
        put(w, "token", r.token);
        put(w, "device", r.device);
        put(w, "office", r.office);
        put(w, "district", r.district);
        put(w, "district_name", r.districtName);
        put(w, "district_device", r.districtDevice);
        put(w, "district_key", r.districtKey);
    });
}

std::string encode(const DistrictInfo& r) {
    return object([&](Writer& w) {
        put(w, "district", r.district);
        put(w, "district_name", r.districtName);
        put(w, "district_device", r.districtDevice);
        put(w, "district_key", r.districtKey);
    });
}

std::string encode(const PushRequest& r) {
    return object([&](Writer& w) {
        put(w, "protocol", std::int64_t{r.protocol});
        w.Key("head");
        w.StartObject();
        put(w, "seq", r.head.seq);
        put(w, "hash", r.head.hash);
        put(w, "signature", r.head.signature);
        w.EndObject();
        w.Key("events");
        w.StartArray();
        for (const Event& e : r.events)
            putEvent(w, e);
        w.EndArray();
    });
}

std::string encode(const PushResponse& r) {
    return object([&](Writer& w) {
        w.Key("results");
        w.StartArray();
        for (const auto& res : r.results) {
            w.StartObject();
            put(w, "id", res.id);
            put(w, "outcome", idOf(res.outcome));
            put(w, "dseq", res.dseq);
            put(w, "reason", res.reason);
            put(w, "detail", res.detail);
            w.EndObject();
        }
        w.EndArray();
        w.Key("receipt");
        w.StartObject();
        put(w, "device", r.receipt.device);
        put(w, "seq", r.receipt.seq);
        put(w, "head_hash", r.receipt.headHash);
        put(w, "dseq", r.receipt.dseq);
        put(w, "signature", r.receipt.signature);
        w.EndObject();
        put(w, "head_seq", r.headSeq);
        put(w, "server_time", r.serverTime);
    });
}

std::string encode(const PullResponse& r) {
    return object([&](Writer& w) {
        w.Key("events");
        w.StartArray();
        for (std::size_t i = 0; i < r.events.size(); ++i) {
            // The event's fields plus its district sequence.
            rapidjson::StringBuffer one;
            Writer ew(one);
            putEvent(ew, r.events[i]);
            std::string text(one.GetString(), one.GetSize());
            text.pop_back();
            text += ",\"dseq\":" + std::to_string(r.dseqs[i]) + "}";
            w.RawValue(text.data(), text.size(), rapidjson::kObjectType);
        }
        w.EndArray();
        put(w, "next", r.next);
        w.Key("more");
        w.Bool(r.more);
        put(w, "server_time", r.serverTime);
    });
}

std::string encode(const ErrorBody& r) {
    return object([&](Writer& w) {
        put(w, "reason", r.reason);
        put(w, "detail", r.detail);
        if (r.headSeq >= 0) put(w, "head_seq", r.headSeq);
    });
}

Result<EnrollRequest> decodeEnrollRequest(std::string_view json) {
    return decode<EnrollRequest>(json, [](Reader& r) {
        EnrollRequest e;
        e.protocol = static_cast<int>(r.int64("protocol"));
        e.code = r.str("code");
        e.device = r.str("device");
        e.office = r.str("office");
        e.publicKey = r.str("public_key");
        return e;
    });
}

Result<EnrollResponse> decodeEnrollResponse(std::string_view json) {
    return decode<EnrollResponse>(json, [](Reader& r) {
        EnrollResponse e;
        e.token = r.str("token");
        e.device = r.str("device");
        e.office = r.str("office");
        e.district = r.str("district");
        e.districtName = r.str("district_name");
        e.districtDevice = r.str("district_device");
        e.districtKey = r.str("district_key");
        return e;
    });
}

Result<DistrictInfo> decodeDistrictInfo(std::string_view json) {
    return decode<DistrictInfo>(json, [](Reader& r) {
        DistrictInfo d;
        d.district = r.str("district");
        d.districtName = r.str("district_name");
        d.districtDevice = r.str("district_device");
        d.districtKey = r.str("district_key");
        return d;
    });
}

Result<PushRequest> decodePushRequest(std::string_view json) {
    return decode<PushRequest>(json, [](Reader& r) {
        PushRequest p;
        p.protocol = static_cast<int>(r.int64("protocol"));
        if (const auto* head = r.object("head")) {
            Reader h(*head, "head.");
            p.head.seq = h.int64("seq");
            p.head.hash = h.str("hash");
            p.head.signature = h.str("signature");
            for (auto& problem : h.problems())
                r.problems().push_back(std::move(problem));
        }
        p.events = readEvents(r, "events");
        return p;
    });
}

Result<PushResponse> decodePushResponse(std::string_view json) {
    return decode<PushResponse>(json, [](Reader& r) {
        PushResponse p;
        if (const auto* list = r.array("results")) {
            for (const auto& item : list->GetArray()) {
                Reader i(item, "results[].");
                EventResult res;
                res.id = i.str("id");
                const std::string outcome = i.str("outcome");
                if (outcome == "accepted")
                    res.outcome = EventOutcome::accepted;
                else if (outcome == "duplicate")
                    res.outcome = EventOutcome::duplicate;
                else if (outcome == "rejected")
                    res.outcome = EventOutcome::rejected;
                else
                    i.problems().push_back({"results[].outcome", "error.json.type", outcome});
                res.dseq = i.int64("dseq");
                res.reason = i.str("reason");
                res.detail = i.str("detail");
                for (auto& problem : i.problems())
                    r.problems().push_back(std::move(problem));
                p.results.push_back(std::move(res));
            }
        }
        if (const auto* receipt = r.object("receipt")) {
            Reader h(*receipt, "receipt.");
            p.receipt.device = h.str("device");
            p.receipt.seq = h.int64("seq");
            p.receipt.headHash = h.str("head_hash");
            p.receipt.dseq = h.int64("dseq");
            p.receipt.signature = h.str("signature");
            for (auto& problem : h.problems())
                r.problems().push_back(std::move(problem));
        }
        p.headSeq = r.int64("head_seq");
        p.serverTime = r.int64("server_time");
        return p;
    });
}

Result<PullResponse> decodePullResponse(std::string_view json) {
    return decode<PullResponse>(json, [](Reader& r) {
        PullResponse p;
        p.events = readEvents(r, "events", &p.dseqs);
        p.next = r.int64("next");
        p.more = r.boolean("more");
        p.serverTime = r.int64("server_time");
        return p;
    });
}

Result<ErrorBody> decodeErrorBody(std::string_view json) {
    return decode<ErrorBody>(json, [](Reader& r) {
        ErrorBody e;
        e.reason = r.str("reason");
        e.detail = r.str("detail");
        e.headSeq = r.optInt64("head_seq").value_or(-1);
        return e;
    });
}

}  // namespace shouxin::wire
