#include "shared/wire.hpp"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "shared/json.hpp"

namespace shouxin::wire {
namespace {

using json::put;
using json::Writer;


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

// Field caps at decode time, in bytes once unescaped. Content rules (UUIDs,
// codes, hex) come later, from checkEnvelope() and the registry.
constexpr std::size_t kIdBytes = 36;
constexpr std::size_t kOfficeBytes = 9;
constexpr std::size_t kActorBytes = 64;
constexpr std::size_t kTypeBytes = 40;
constexpr std::size_t kHashBytes = 64;
constexpr std::size_t kSignatureBytes = 128;
constexpr std::size_t kCodeBytes = 32;
constexpr std::size_t kKeyBytes = 64;
constexpr std::size_t kTokenBytes = 64;
constexpr std::size_t kNameBytes = 256;
constexpr std::size_t kOutcomeBytes = 16;
constexpr std::size_t kStampBytes = 40;
constexpr std::size_t kTextBytes = 4096;  // reason and detail in answers
constexpr std::size_t kUrlBytes = 512;
// Arrays in messages that carry none today (room for a newer peer's).
constexpr std::size_t kOtherItems = 64;
// Sequence numbers stay exact in any JSON reader (2^53).
constexpr std::int64_t kMaxSeq = std::int64_t{1} << 53;
constexpr std::int64_t kMaxInt64 = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMaxInt = std::numeric_limits<int>::max();

json::Limits limits(std::size_t maxItems, std::size_t maxField, std::size_t maxBody) {
    json::Limits l;
    l.maxBodyBytes = maxBody;
    l.maxItems = maxItems;
    l.maxStringBytes = maxField * json::kEscapeFactor;
    return l;
}

// Reads the members of one object of a message, adding a problem under the
// member's path for anything missing, of the wrong type, out of range or too
// long. Unknown members are ignored, so that newer peers can add some.
class Reader {
public:
    Reader(const rapidjson::Value& v, std::string path, Problems& problems)
        : m_v(v), m_path(std::move(path)), m_problems(problems) {}

    std::string str(const char* key, std::size_t maxBytes) {
        std::string out;
        if (const auto* v = member(key)) json::readString(*v, m_path + key, maxBytes, out, m_problems);
        return out;
    }
    /// A member newer peers send and older ones do not: "" when absent.
    std::string optStr(const char* key, std::size_t maxBytes) {
        if (!m_v.IsObject() || !m_v.HasMember(key)) return {};
        return str(key, maxBytes);
    }
    std::int64_t integer(const char* key, std::int64_t min, std::int64_t max) {
        std::int64_t out = 0;
        if (const auto* v = member(key)) json::readInteger(*v, m_path + key, min, max, out, m_problems);
        return out;
    }
    std::optional<std::int64_t> optInteger(const char* key, std::int64_t min, std::int64_t max) {
        if (!m_v.IsObject() || !m_v.HasMember(key)) return std::nullopt;
        return integer(key, min, max);
    }
    bool boolean(const char* key) {
        const auto* v = member(key);
        if (!v) return false;
        if (!v->IsBool()) return wrong(key), false;
        return v->GetBool();
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
    /// The member is present (a newer peer's optional one).
    bool has(const char* key) const { return m_v.IsObject() && m_v.HasMember(key); }
    Problems& problems() { return m_problems; }
    const std::string& path() const { return m_path; }

private:
    const rapidjson::Value* member(const char* key) {
        if (!m_v.IsObject()) {
            if (!m_notObject) m_problems.push_back({m_path, "error.json.type", "not an object"});
            m_notObject = true;
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
    Problems& m_problems;
    bool m_notObject = false;
};

// An HLC stamp: plain decimal digits (no sign, no leading zero but "0" itself)
// that fit the int64 SQLite stores.
std::uint64_t stamp(Reader& r, const char* key) {
    const std::size_t reported = r.problems().size();
    const std::string text = r.str(key, kStampBytes);
    if (r.problems().size() != reported) return 0;  // missing, not a string or too long
    const std::string field = r.path() + key;
    const bool digits =
        !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits || (text.size() > 1 && text[0] == '0')) {
        r.problems().push_back({field, "error.json.type", text});
        return 0;
    }
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.size() > 19 || ec != std::errc() || end != text.data() + text.size()) {
        r.problems().push_back({field, "error.json.range", text});
        return 0;
    }
    return static_cast<std::uint64_t>(value);
}

Event readEvent(Reader& r) {
    Event e;
    e.id = r.str("id", kIdBytes);
    e.office = r.str("office", kOfficeBytes);
    e.device = r.str("device", kIdBytes);
    e.seq = r.integer("seq", 1, kMaxSeq);
    e.hlc = stamp(r, "hlc");
    e.actor = r.str("actor", kActorBytes);
    e.type = r.str("type", kTypeBytes);
    e.payloadVersion = static_cast<int>(r.integer("payload_version", 0, kMaxInt));
    e.payload = r.str("payload", kMaxPayloadBytes);
    e.prevHash = r.str("prev_hash", kHashBytes);
    e.hash = r.str("hash", kHashBytes);
    return e;
}

template <class T, class Read>
Result<T> decode(std::string_view json, const json::Limits& limits, Read read) {
    rapidjson::Document doc;
    Problems problems = json::parseObject(json, "body", limits, doc);
    if (!problems.empty()) return problems;
    Reader r(doc, "", problems);
    T value = read(r);
    if (!problems.empty()) return problems;
    return value;
}

std::vector<Event> readEvents(Reader& r, const char* key, std::vector<std::int64_t>* dseqs = nullptr) {
    std::vector<Event> out;
    const auto* list = r.array(key);
    if (!list) return out;
    out.reserve(list->Size());
    std::size_t i = 0;
    for (const auto& item : list->GetArray()) {
        Reader er(item, std::string(key) + "[" + std::to_string(i++) + "].", r.problems());
        out.push_back(readEvent(er));
        if (dseqs) dseqs->push_back(er.integer("dseq", 0, kMaxInt64));
    }
    return out;
}

void putHead(Writer& w, const ChainHead& h) {
    w.StartObject();
    put(w, "seq", h.seq);
    put(w, "hash", h.hash);
    put(w, "signature", h.signature);
    w.EndObject();
}

void putReceipt(Writer& w, const Receipt& r) {
    w.StartObject();
    put(w, "device", r.device);
    put(w, "seq", r.seq);
    put(w, "head_hash", r.headHash);
    put(w, "dseq", r.dseq);
    put(w, "signature", r.signature);
    w.EndObject();
}

ChainHead readHead(Reader& r, const char* key) {
    ChainHead out;
    if (const auto* head = r.object(key)) {
        Reader h(*head, r.path() + key + ".", r.problems());
        out.seq = h.integer("seq", 0, kMaxSeq);
        out.hash = h.str("hash", kHashBytes);
        out.signature = h.str("signature", kSignatureBytes);
    }
    return out;
}

Receipt readReceipt(Reader& r, const char* key) {
    Receipt out;
    if (const auto* receipt = r.object(key)) {
        Reader h(*receipt, r.path() + key + ".", r.problems());
        out.device = h.str("device", kIdBytes);
        out.seq = h.integer("seq", 0, kMaxSeq);
        out.headHash = h.str("head_hash", kHashBytes);
        out.dseq = h.integer("dseq", 0, kMaxInt64);
        out.signature = h.str("signature", kSignatureBytes);
    }
    return out;
}

void putRegions(Writer& w, const std::vector<Region>& regions) {
    w.Key("regions");
    w.StartArray();
    for (const Region& g : regions) {
        w.StartObject();
        put(w, "code", g.code);
        put(w, "name", g.name);
        put(w, "device", g.device);
        put(w, "public_key", g.publicKey);
        w.EndObject();
    }
    w.EndArray();
}

// A server's incarnation, optional (older servers send none): exactly
// kEpochBytes lower-case hex characters when present.
std::string readEpoch(Reader& r) {
    if (!r.has("epoch")) return {};
    const std::size_t reported = r.problems().size();
    std::string text = r.str("epoch", kEpochBytes);
    if (r.problems().size() != reported) return {};
    if (!isEpoch(text)) {
        r.problems().push_back({r.path() + "epoch", "error.json.type", text});
        return {};
    }
    return text;
}

// Regions above a server: province, city, district at most.
constexpr std::size_t kMaxRegions = 3;

std::vector<Region> readRegions(Reader& r) {
    std::vector<Region> out;
    if (!r.has("regions")) return out;
    const auto* list = r.array("regions");
    if (!list) return out;
    if (list->Size() > kMaxRegions) {
        r.problems().push_back({"regions", "error.json.too_many", std::to_string(list->Size())});
        return out;
    }
    std::size_t i = 0;
    for (const auto& item : list->GetArray()) {
        Reader g(item, "regions[" + std::to_string(i++) + "].", r.problems());
        Region region;
        region.code = g.str("code", kOfficeBytes);
        region.name = g.str("name", kNameBytes);
        region.device = g.str("device", kIdBytes);
        region.publicKey = g.str("public_key", kKeyBytes);
        out.push_back(std::move(region));
    }
    return out;
}

// Reason and detail are clipped (on a code point boundary) to what every
// decoder accepts.
std::string clippedText(std::string_view text) {
    if (text.size() <= kTextBytes) return std::string(text);
    std::size_t n = kTextBytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80)
        --n;
    return std::string(text.substr(0, n));
}

}  // namespace

bool isEpoch(std::string_view text) {
    return text.size() == kEpochBytes &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

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
        if (!r.publicSite.empty()) put(w, "public_site", r.publicSite);
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
        putHead(w, r.head);
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
            put(w, "reason", clippedText(res.reason));
            put(w, "detail", clippedText(res.detail));
            w.EndObject();
        }
        w.EndArray();
        w.Key("receipt");
        putReceipt(w, r.receipt);
        put(w, "head_seq", r.headSeq);
        put(w, "server_time", r.serverTime);
        if (!r.epoch.empty()) put(w, "epoch", r.epoch);
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
        if (!r.regions.empty()) putRegions(w, r.regions);
        if (!r.epoch.empty()) put(w, "epoch", r.epoch);
    });
}

std::string encode(const ErrorBody& r) {
    return object([&](Writer& w) {
        put(w, "reason", clippedText(r.reason));
        put(w, "detail", clippedText(r.detail));
        if (r.headSeq >= 0) put(w, "head_seq", r.headSeq);
    });
}

Result<EnrollRequest> decodeEnrollRequest(std::string_view json) {
    return decode<EnrollRequest>(json, limits(kOtherItems, kKeyBytes, kMaxBodyBytes), [](Reader& r) {
        EnrollRequest e;
        e.protocol = static_cast<int>(r.integer("protocol", 0, kMaxInt));
        e.code = r.str("code", kCodeBytes);
        e.device = r.str("device", kIdBytes);
        e.office = r.str("office", kOfficeBytes);
        e.publicKey = r.str("public_key", kKeyBytes);
        return e;
    });
}

Result<EnrollResponse> decodeEnrollResponse(std::string_view json) {
    return decode<EnrollResponse>(json, limits(kOtherItems, kNameBytes, kMaxBodyBytes), [](Reader& r) {
        EnrollResponse e;
        e.token = r.str("token", kTokenBytes);
        e.device = r.str("device", kIdBytes);
        e.office = r.str("office", kOfficeBytes);
        e.district = r.str("district", kOfficeBytes);
        e.districtName = r.str("district_name", kNameBytes);
        e.districtDevice = r.str("district_device", kIdBytes);
        e.districtKey = r.str("district_key", kKeyBytes);
        e.publicSite = r.optStr("public_site", kUrlBytes);
        return e;
    });
}

Result<DistrictInfo> decodeDistrictInfo(std::string_view json) {
    return decode<DistrictInfo>(json, limits(kOtherItems, kNameBytes, kMaxBodyBytes), [](Reader& r) {
        DistrictInfo d;
        d.district = r.str("district", kOfficeBytes);
        d.districtName = r.str("district_name", kNameBytes);
        d.districtDevice = r.str("district_device", kIdBytes);
        d.districtKey = r.str("district_key", kKeyBytes);
        return d;
    });
}

Result<PushRequest> decodePushRequest(std::string_view json) {
    const auto bounds = limits(kMaxBatchEvents, kMaxPayloadBytes, kMaxBodyBytes);
    return decode<PushRequest>(json, bounds, [](Reader& r) {
        PushRequest p;
        p.protocol = static_cast<int>(r.integer("protocol", 0, kMaxInt));
        p.head = readHead(r, "head");
        p.events = readEvents(r, "events");
        return p;
    });
}

Result<PushResponse> decodePushResponse(std::string_view json) {
    const auto bounds = limits(kMaxBatchEvents, kTextBytes, std::numeric_limits<std::size_t>::max());
    return decode<PushResponse>(json, bounds, [](Reader& r) {
        PushResponse p;
        if (const auto* list = r.array("results")) {
            p.results.reserve(list->Size());
            std::size_t n = 0;
            for (const auto& item : list->GetArray()) {
                Reader i(item, "results[" + std::to_string(n++) + "].", r.problems());
                EventResult res;
                res.id = i.str("id", kIdBytes);
                const std::string outcome = i.str("outcome", kOutcomeBytes);
                if (outcome == "accepted")
                    res.outcome = EventOutcome::accepted;
                else if (outcome == "duplicate")
                    res.outcome = EventOutcome::duplicate;
                else if (outcome == "rejected")
                    res.outcome = EventOutcome::rejected;
                else
                    r.problems().push_back({i.path() + "outcome", "error.json.type", outcome});
                res.dseq = i.integer("dseq", 0, kMaxInt64);
                res.reason = i.str("reason", kTextBytes);
                res.detail = i.str("detail", kTextBytes);
                p.results.push_back(std::move(res));
            }
        }
        p.receipt = readReceipt(r, "receipt");
        p.headSeq = r.integer("head_seq", 0, kMaxSeq);
        p.serverTime = r.integer("server_time", 0, kMaxInt64);
        p.epoch = readEpoch(r);
        return p;
    });
}

Result<PullResponse> decodePullResponse(std::string_view json) {
    const auto bounds = limits(kMaxPullLimit, kMaxPayloadBytes, std::numeric_limits<std::size_t>::max());
    return decode<PullResponse>(json, bounds, [](Reader& r) {
        PullResponse p;
        p.events = readEvents(r, "events", &p.dseqs);
        p.next = r.integer("next", 0, kMaxInt64);
        p.more = r.boolean("more");
        p.serverTime = r.integer("server_time", 0, kMaxInt64);
        p.regions = readRegions(r);
        p.epoch = readEpoch(r);
        return p;
    });
}

Result<ErrorBody> decodeErrorBody(std::string_view json) {
    const auto bounds = limits(kOtherItems, kTextBytes, std::numeric_limits<std::size_t>::max());
    return decode<ErrorBody>(json, bounds, [](Reader& r) {
        ErrorBody e;
        e.reason = r.str("reason", kTextBytes);
        e.detail = r.str("detail", kTextBytes);
        e.headSeq = r.optInteger("head_seq", 0, kMaxSeq).value_or(-1);
        return e;
    });
}

std::string encode(const RelayRequest& r) {
    return object([&](Writer& w) {
        put(w, "protocol", std::int64_t{r.protocol});
        w.Key("runs");
        w.StartArray();
        for (const RelayRun& run : r.runs) {
            w.StartObject();
            put(w, "device", run.device);
            put(w, "office", run.office);
            put(w, "public_key", run.publicKey);
            w.Key("head");
            putHead(w, run.head);
            w.Key("receipt");
            putReceipt(w, run.receipt);
            w.Key("events");
            w.StartArray();
            for (const Event& e : run.events)
                putEvent(w, e);
            w.EndArray();
            w.EndObject();
        }
        w.EndArray();
    });
}

std::string encode(const RelayResponse& r) {
    return object([&](Writer& w) {
        w.Key("results");
        w.StartArray();
        for (const RelayResult& res : r.results) {
            w.StartObject();
            put(w, "device", res.device);
            put(w, "outcome", std::string_view(res.accepted ? "accepted" : "refused"));
            put(w, "reason", clippedText(res.reason));
            put(w, "detail", clippedText(res.detail));
            put(w, "head_seq", res.headSeq);
            w.Key("receipt");
            putReceipt(w, res.receipt);
            w.EndObject();
        }
        w.EndArray();
        put(w, "server_time", r.serverTime);
        if (!r.epoch.empty()) put(w, "epoch", r.epoch);
    });
}

Result<RelayRequest> decodeRelayRequest(std::string_view json) {
    // Every array is bounded before it is read: runs, and each run's events;
    // the total is held to kMaxRelayEvents after.
    const auto bounds = limits(std::max(kMaxRelayRuns, kMaxRelayEvents), kMaxPayloadBytes, kMaxExpandedBytes);
    auto decoded = decode<RelayRequest>(json, bounds, [](Reader& r) {
        RelayRequest p;
        p.protocol = static_cast<int>(r.integer("protocol", 0, kMaxInt));
        const auto* list = r.array("runs");
        if (!list) return p;
        if (list->Size() > kMaxRelayRuns) {
            r.problems().push_back({"runs", "error.json.too_many", std::to_string(list->Size())});
            return p;
        }
        std::size_t i = 0;
        std::size_t events = 0;
        for (const auto& item : list->GetArray()) {
            Reader one(item, "runs[" + std::to_string(i++) + "].", r.problems());
            RelayRun run;
            run.device = one.str("device", kIdBytes);
            run.office = one.str("office", kOfficeBytes);
            run.publicKey = one.str("public_key", kKeyBytes);
            run.head = readHead(one, "head");
            run.receipt = readReceipt(one, "receipt");
            const auto* evs = one.array("events");
            events += evs ? evs->Size() : 0;
            if (events > kMaxRelayEvents) {
                r.problems().push_back({"runs", "error.json.too_many", std::to_string(events) + " events"});
                return p;
            }
            run.events = readEvents(one, "events");
            p.runs.push_back(std::move(run));
        }
        return p;
    });
    return decoded;
}

Result<RelayResponse> decodeRelayResponse(std::string_view json) {
    const auto bounds = limits(kMaxRelayRuns, kTextBytes, std::numeric_limits<std::size_t>::max());
    return decode<RelayResponse>(json, bounds, [](Reader& r) {
        RelayResponse p;
        if (const auto* list = r.array("results")) {
            std::size_t n = 0;
            for (const auto& item : list->GetArray()) {
                Reader i(item, "results[" + std::to_string(n++) + "].", r.problems());
                RelayResult res;
                res.device = i.str("device", kIdBytes);
                const std::string outcome = i.str("outcome", kOutcomeBytes);
                if (outcome != "accepted" && outcome != "refused")
                    r.problems().push_back({i.path() + "outcome", "error.json.type", outcome});
                res.accepted = outcome == "accepted";
                res.reason = i.str("reason", kTextBytes);
                res.detail = i.str("detail", kTextBytes);
                res.headSeq = i.integer("head_seq", 0, kMaxSeq);
                res.receipt = readReceipt(i, "receipt");
                p.results.push_back(std::move(res));
            }
        }
        p.serverTime = r.integer("server_time", 0, kMaxInt64);
        p.epoch = readEpoch(r);
        return p;
    });
}

std::string encodeEvent(const Event& e) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    putEvent(w, e);
    return {buffer.GetString(), buffer.GetSize()};
}

Result<Event> decodeEvent(std::string_view json, std::size_t maxBytes) {
    // Room for the members a caller adds beside the event's own.
    return decode<Event>(json, limits(kOtherItems, kMaxPayloadBytes, maxBytes),
                         [](Reader& r) { return readEvent(r); });
}

}  // namespace shouxin::wire
