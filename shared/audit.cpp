// The district's event log as open data, and its standalone verifier.
//
// What is published, and what not. Every accepted event is written exactly
// as stored: its hash covers its payload, and the state digest covers the
// folded state, so nothing in either can be left out without making both
// unverifiable. That is safe because the two secrets inside payloads travel
// only sealed:
//  - a complainant's contact (complaint.filed "sealed_contact") is a
//    libsodium sealed box to the district's key, made on the kiosk the
//    moment it is typed; validate(Complaint) accepts nothing else, so no
//    accepted event holds a readable contact. Only the district's secret
//    key opens it.
//  - a clerk's PIN verifier (clerk.added "pin_hash") is sealed with the
//    office key that only the office's kiosks hold (pin.hpp); the district
//    sets aside any that arrives readable (InsertOptions::sealedPinsOnly).
// Two kinds of event are written without their payload ("withheld"):
//  - events the district set aside: their content was refused, so it is
//    unvalidated bytes from a device (a readable verifier is one reason to
//    refuse), and it is in no state. The envelope and hash stay, so the
//    chain is checked through them.
//  - a legacy clerk.added accepted before verifiers were sealed: its
//    readable Argon2id string would give the PIN away to an offline guess.
//    Its hash, and so the digest, cannot be checked then, and the verifier
//    says so.
#include "shared/audit.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>

#include "shared/event.hpp"
#include "shared/i18n.hpp"
#include "shared/json.hpp"
#include "shared/pin.hpp"
#include "shared/wire.hpp"

namespace shouxin {

namespace fs = std::filesystem;

namespace {

using json::put;
using json::Writer;

constexpr std::string_view kWithheldSetAside = "set_aside";
constexpr std::string_view kWithheldPin = "pin_verifier";


template <class Fill>
void line(std::ostream& out, Fill fill) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.StartObject();
    fill(w);
    w.EndObject();
    out.write(buffer.GetString(), static_cast<std::streamsize>(buffer.GetSize()));
    out.put('\n');
}

std::string jsonString(std::string_view text) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    w.String(text.data(), static_cast<rapidjson::SizeType>(text.size()));
    return {buffer.GetString(), buffer.GetSize()};
}

bool holdsReadablePin(const Event& e) {
    if (e.type != event_type::kClerkAdded) return false;
    const auto payload = decodePayload(e.type, e.payloadVersion, e.payload);
    if (!payload) return false;
    const auto* added = std::get_if<ClerkAdded>(&*payload);
    return added && !pin::isSealed(added->pinVerifier);
}

// An event line: the event's members as pushes and pulls carry them
// (wire::encodeEvent), then kind first and the log's own members last.
void eventLine(std::ostream& out, const Store::LoggedEvent& logged) {
    Event e = logged.event;
    std::string_view withheld;
    if (logged.setAside) {
        withheld = kWithheldSetAside;
    } else if (holdsReadablePin(e)) {
        withheld = kWithheldPin;
    }
    if (!withheld.empty()) e.payload.clear();
    std::string text = wire::encodeEvent(e);
    text.pop_back();
    out << "{\"kind\":\"event\"," << std::string_view(text).substr(1) << ",\"dseq\":";
    if (logged.setAside)
        out << "null,\"set_aside\":" << jsonString(logged.reason);
    else
        out << logged.dseq;
    if (!withheld.empty()) out << ",\"withheld\":\"" << withheld << '"';
    out << "}\n";
}

}  // namespace

void writeAuditLog(const Store& district, const KeyPair& districtKey, std::ostream& out) {
    if (!district.isDistrict()) throw std::invalid_argument("not a district store");
    district.readConsistently([&] {
        const NodeInfo me = district.node();
        if (districtKey.publicKeyHex != me.publicKeyHex)
            throw std::invalid_argument("not this district's key");
        const std::int64_t lastDseq = district.lastDistrictSeq();
        const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
        line(out, [&](Writer& w) {
            put(w, "kind", "header");
            put(w, "format", kAuditLogFormat);
            put(w, "district", me.office);
            put(w, "name", me.officeName);
            put(w, "device", me.device);
            put(w, "public_key", me.publicKeyHex);
            put(w, "generated_at", std::int64_t{now});
            put(w, "last_dseq", lastDseq);
        });
        for (const auto& d : district.deviceHeads()) {
            // The district's own chain is signed by the district itself.
            std::string headSignature = d.headSignature;
            if (d.device == me.device && d.headSeq > 0)
                headSignature = signHex(districtKey, chainHeadMessage(d.device, d.headSeq, d.headHash));
            line(out, [&](Writer& w) {
                put(w, "kind", "device");
                put(w, "device", d.device);
                put(w, "office", d.office);
                put(w, "public_key", d.publicKeyHex);
                put(w, "head_seq", d.headSeq);
                put(w, "head_hash", d.headHash);
                put(w, "head_signature", headSignature);
                put(w, "key_signature",
                    signHex(districtKey, deviceKeyMessage(d.device, d.office, d.publicKeyHex)));
                put(w, "receipt_dseq", lastDseq);
                put(w, "receipt_signature",
                    signHex(districtKey, receiptMessage(d.device, d.headSeq, d.headHash, lastDseq)));
            });
        }
        std::int64_t events = 0;
        district.forEachLoggedEvent([&](const Store::LoggedEvent& logged) {
            eventLine(out, logged);
            ++events;
        });
        const std::string digest = district.digest("");
        line(out, [&](Writer& w) {
            put(w, "kind", "state");
            put(w, "district", me.office);
            put(w, "last_dseq", lastDseq);
            put(w, "events", events);
            put(w, "digest", digest);
            put(w, "signature", signHex(districtKey, logStateMessage(me.office, lastDseq, digest)));
        });
    });
    out.flush();
}

// ---- Reading ----------------------------------------------------------------

namespace {

constexpr std::int64_t kMaxNumber = std::int64_t{1} << 53;

// Reads one line of at most kMaxAuditLineBytes (without its '\n'); false
// at the end of the input. A longer line sets `tooLong` and is not kept.
bool readLine(std::streambuf& in, std::string& out, bool& tooLong, bool& ended) {
    out.clear();
    tooLong = false;
    ended = false;
    int c = in.sbumpc();
    if (c == std::char_traits<char>::eof()) return false;
    while (c != std::char_traits<char>::eof() && c != '\n') {
        if (out.size() >= kMaxAuditLineBytes) {
            tooLong = true;
            return true;
        }
        out.push_back(static_cast<char>(c));
        c = in.sbumpc();
    }
    ended = c == '\n';
    return true;
}

// The members of one line's object, each read once.
class Line {
public:
    explicit Line(std::string_view text) {
        json::Limits limits;
        limits.maxBodyBytes = kMaxAuditLineBytes;
        limits.maxDepth = 2;
        limits.maxMembers = 32;
        limits.maxItems = 0;
        limits.maxStringBytes = kMaxPayloadBytes * json::kEscapeFactor;
        m_problems = json::parseObject(text, "line", limits, m_doc);
    }
    bool parsed() const { return m_problems.empty(); }
    const Problems& problems() const { return m_problems; }

    std::string str(const char* key, std::size_t maxBytes = 4096) {
        std::string out;
        if (const auto* v = member(key)) json::readString(*v, key, maxBytes, out, m_problems);
        return out;
    }
    std::int64_t integer(const char* key) {
        std::int64_t out = 0;
        if (const auto* v = member(key)) json::readInteger(*v, key, 0, kMaxNumber, out, m_problems);
        return out;
    }
    bool isNull(const char* key) const {
        const auto it = m_doc.FindMember(key);
        return it != m_doc.MemberEnd() && it->value.IsNull();
    }
    bool has(const char* key) const { return m_doc.HasMember(key); }
    std::string optStr(const char* key) { return has(key) ? str(key) : std::string(); }

private:
    const rapidjson::Value* member(const char* key) {
        const rapidjson::Value& doc = m_doc;
        const auto it = doc.FindMember(key);
        if (it == doc.MemberEnd()) {
            m_problems.push_back({key, "error.json.missing_field", key});
            return nullptr;
        }
        return &it->value;
    }
    rapidjson::Document m_doc;
    Problems m_problems;
};

// The event id a damaged line seems to carry, to name it all the same.
std::string idIn(std::string_view text) {
    constexpr std::string_view kKey = "\"id\":\"";
    const auto at = text.find(kKey);
    if (at == std::string_view::npos || at + kKey.size() + 36 > text.size()) return {};
    const std::string id(text.substr(at + kKey.size(), 36));
    return isUuid(id) ? id : std::string();
}

struct Device {
    std::size_t line = 0;
    std::string office;
    std::string publicKey;
    std::int64_t headSeq = 0;
    std::string headHash;
};

// Text of at most N bytes kept inline: the ids and hashes of millions of
// events without a heap allocation each. Longer text is cut, which the
// envelope check has reported already.
template <std::size_t N>
struct Fixed {
    static_assert(N < 256);
    std::array<char, N> bytes{};
    std::uint8_t size = 0;

    Fixed() = default;
    explicit Fixed(std::string_view text) : size(static_cast<std::uint8_t>(std::min(text.size(), N))) {
        std::copy_n(text.data(), size, bytes.data());
    }
    std::string_view view() const { return {bytes.data(), size}; }
    std::string str() const { return std::string(view()); }
};

// What the chain check keeps of each event line.
struct Link {
    std::int64_t seq = 0;
    std::size_t line = 0;
    Fixed<36> id;
    Fixed<64> hash;
    Fixed<64> prevHash;
};

// A scratch directory, removed with everything in it.
struct ScratchDir {
    fs::path path;
    ScratchDir() : path(fs::temp_directory_path() / ("shouxin-audit-" + newUuidV7())) {
        fs::create_directories(path);
        fs::permissions(path, fs::perms::owner_all, fs::perm_options::replace);
    }
    ~ScratchDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    ScratchDir(const ScratchDir&) = delete;
    ScratchDir& operator=(const ScratchDir&) = delete;
};

class Auditor {
public:
    explicit Auditor(std::string_view key) : m_key(key) {}

    AuditReport run(std::istream& in) {
        std::streambuf* buffer = in.rdbuf();
        if (!buffer) return unreadable(0, "audit.unreadable", "");
        std::string text;
        bool tooLong = false;
        bool ended = false;
        while (readLine(*buffer, text, tooLong, ended)) {
            ++m_line;
            if (m_line > kMaxAuditLines)
                return unreadable(m_line, "audit.too_many_lines", std::to_string(kMaxAuditLines));
            if (tooLong) return unreadable(m_line, "audit.line_too_long", "");
            if (m_line == 1) {
                if (!header(text)) return std::move(m_report);
                continue;
            }
            if (m_stateSeen) {
                finding("audit.line", "after the state line");
                continue;
            }
            if (!ended) {
                // The last line lacks its newline: cut off mid-write.
                finding("audit.truncated", "the last line ends without a newline", "", 0, idIn(text));
                continue;
            }
            body(text);
        }
        if (m_line == 0) return unreadable(0, "audit.empty", "");
        finish();
        return std::move(m_report);
    }

private:
    AuditReport unreadable(std::size_t lineNo, const char* id, std::string detail) {
        stop(lineNo, id, std::move(detail));
        return std::move(m_report);
    }
    // Reading stops: the input is not a log this can read.
    void stop(std::size_t lineNo, const char* id, std::string detail) {
        m_report.readable = false;
        m_report.findings.push_back({lineNo, "", 0, "", id, std::move(detail)});
    }

    void finding(const char* id, std::string detail, std::string device = {}, std::int64_t seq = 0,
                 std::string eventId = {}, std::size_t lineNo = 0) {
        m_report.findings.push_back(
            {lineNo ? lineNo : m_line, std::move(device), seq, std::move(eventId), id, std::move(detail)});
    }

    bool header(std::string_view text) {
        Line l(text);
        if (!l.parsed() || l.str("kind") != "header" || l.str("format") != kAuditLogFormat) {
            stop(1, "audit.header", l.parsed() ? "" : describe(l.problems()));
            return false;
        }
        m_district = l.str("district", 6);
        m_districtName = l.str("name");
        m_districtDevice = l.str("device", 36);
        const std::string key = l.str("public_key", 64);
        m_lastDseq = l.integer("last_dseq");
        if (!l.problems().empty() || !isRegionCode(m_district) || !isUuid(m_districtDevice)) {
            stop(1, "audit.header", describe(l.problems()));
            return false;
        }
        if (key != m_key) finding("audit.key", key + " != " + m_key);
        // The refold's replica: the district's identity as the given key
        // and the header name it, nothing of its own.
        try {
            m_scratch = std::make_unique<ScratchDir>();
            m_replica = std::make_unique<Store>(
                Store::createReplica(m_scratch->path / "refold.db", m_district, m_districtDevice, m_key));
        } catch (const std::exception& e) {
            finding("audit.digest", std::string("refold impossible: ") + e.what());
        }
        return true;
    }

    void body(std::string_view text) {
        Line l(text);
        if (!l.parsed()) {
            const std::string id = idIn(text);
            finding("audit.line", describe(l.problems()), "", 0, id);
            if (!id.empty()) ++m_report.events;
            return;
        }
        const std::string kind = l.str("kind");
        if (kind == "device") {
            device(l);
        } else if (kind == "event") {
            event(l, text);
        } else if (kind == "state") {
            state(l);
        } else {
            finding("audit.line", "kind \"" + kind + "\"");
        }
    }

    void device(Line& l) {
        ++m_report.devices;
        Device d;
        d.line = m_line;
        const std::string id = l.str("device", 36);
        d.office = l.str("office", 9);
        d.publicKey = l.str("public_key", 64);
        d.headSeq = l.integer("head_seq");
        d.headHash = l.str("head_hash", 64);
        const std::string headSignature = l.str("head_signature", 128);
        const std::string keySignature = l.str("key_signature", 128);
        const std::int64_t receiptDseq = l.integer("receipt_dseq");
        const std::string receiptSignature = l.str("receipt_signature", 128);
        if (!l.problems().empty()) {
            finding("audit.line", describe(l.problems()), id);
            return;
        }
        if (m_devices.count(id)) {
            finding("audit.duplicate", "device listed twice", id);
            return;
        }
        if (!verifySignature(m_key, deviceKeyMessage(id, d.office, d.publicKey), keySignature))
            finding("audit.device_key", "public key " + d.publicKey, id);
        if (id == m_districtDevice && d.publicKey != m_key)
            finding("audit.device_key", "the district's own device signs with another key", id);
        if (!verifySignature(m_key, receiptMessage(id, d.headSeq, d.headHash, receiptDseq), receiptSignature))
            finding("audit.receipt", "head " + std::to_string(d.headSeq) + " " + d.headHash, id, d.headSeq);
        if (d.headSeq > 0 &&
            !verifySignature(d.publicKey, chainHeadMessage(id, d.headSeq, d.headHash), headSignature)) {
            finding("error.verify.head_signature", "head " + std::to_string(d.headSeq), id, d.headSeq);
        }
        m_devices.emplace(id, std::move(d));
    }

    void event(Line& l, std::string_view text) {
        ++m_report.events;
        const std::string idHere = idIn(text);
        auto decoded = wire::decodeEvent(text, kMaxAuditLineBytes);
        const bool setAside = l.has("set_aside");
        if (setAside) l.str("set_aside", 256);  // a catalogue id: a string, or a problem below
        const std::string withheld = l.optStr("withheld");
        std::int64_t dseq = 0;
        if (!l.isNull("dseq")) dseq = l.integer("dseq");
        if (!decoded || !l.problems().empty()) {
            Problems all = decoded ? Problems{} : decoded.problems();
            all.insert(all.end(), l.problems().begin(), l.problems().end());
            finding("audit.line", describe(all), "", 0, idHere);
            return;
        }
        const Event& e = *decoded;
        const auto name = [&](const char* id, std::string detail) {
            finding(id, std::move(detail), e.device, e.seq, e.id);
        };
        if (!m_devices.count(e.device)) name("audit.device_unknown", e.device);
        if (setAside) {
            ++m_report.setAside;
            m_inSetAside = true;
        } else if (m_inSetAside || dseq <= m_dseq || dseq > m_lastDseq) {
            name("audit.order", "dseq " + std::to_string(dseq) + " after " + std::to_string(m_dseq));
        }
        if (!setAside) m_dseq = std::max(m_dseq, dseq);
        m_links[e.device].push_back(
            {e.seq, m_line, Fixed<36>(e.id), Fixed<64>(e.hash), Fixed<64>(e.prevHash)});

        bool hashOk = true;
        if (!withheld.empty()) {
            // Set aside: its content is in no state, nothing to refold.
            if (withheld == kWithheldPin) {
                name("audit.withheld", "clerk.added");
            } else if (withheld != kWithheldSetAside || !setAside) {
                name("audit.line", "withheld \"" + withheld + "\"");
            }
            return;
        }
        if (Problems p = checkEnvelope(e); !p.empty()) {
            name("audit.line", describe(p));
            hashOk = false;
        } else if (computeHash(e) != e.hash) {
            name("error.verify.hash", "content does not match its hash");
            hashOk = false;
        }
        if (setAside || !hashOk) return;  // a set-aside event with its content shown: checked, not folded
        m_pending.push_back(e);
        m_pendingDseqs.push_back(dseq);
        m_pendingLines.push_back(m_line);
        if (m_pending.size() >= 256) flush();
    }

    void state(Line& l) {
        m_stateSeen = true;
        const std::string district = l.str("district", 6);
        const std::int64_t lastDseq = l.integer("last_dseq");
        const std::int64_t events = l.integer("events");
        m_report.digest = l.str("digest", 64);
        const std::string signature = l.str("signature", 128);
        if (!l.problems().empty()) {
            finding("audit.line", describe(l.problems()));
            return;
        }
        if (!verifySignature(m_key, logStateMessage(district, lastDseq, m_report.digest), signature))
            finding("audit.state_signature", "digest " + m_report.digest);
        if (district != m_district || lastDseq != m_lastDseq)
            finding("audit.state_signature", "district " + district + " last_dseq " +
                                                 std::to_string(lastDseq) + " differ from the header's");
        if (events != m_report.events)
            finding("audit.count", std::to_string(events) + " != " + std::to_string(m_report.events));
        m_stateLine = m_line;
    }

    // Folds the events read so far into the replica, in district order, by
    // the same rules and code as any node that pulls them.
    void flush() {
        if (m_pending.empty()) return;
        if (m_replica) {
            try {
                const auto results = m_replica->applyPulled(m_pending, m_pendingDseqs, m_pendingDseqs.back());
                for (std::size_t i = 0; i < results.size(); ++i) {
                    const ApplyResult& r = results[i];
                    const Event& e = m_pending[i];
                    if (r.outcome == ApplyResult::Outcome::accepted) continue;
                    const char* id = r.outcome == ApplyResult::Outcome::duplicate ? "audit.duplicate"
                                                                                  : "audit.refold_refused";
                    finding(id, r.problems.empty() ? std::string() : describe(r.problems), e.device, e.seq,
                            e.id, m_pendingLines[i]);
                }
            } catch (const std::exception& ex) {
                finding("audit.digest", std::string("refold failed: ") + ex.what());
                m_replica.reset();
            }
        }
        m_pending.clear();
        m_pendingDseqs.clear();
        m_pendingLines.clear();
    }

    // Every device's chain: seq 1 to its head, each linked to the one before,
    // ending where the device line (signed by the device) says.
    void checkChains() {
        for (auto& [id, links] : m_links) {
            std::sort(links.begin(), links.end(), [](const Link& a, const Link& b) { return a.seq < b.seq; });
            std::int64_t expect = 1;
            std::string_view prev = kGenesisHash;
            for (const Link& link : links) {
                if (link.seq < expect) {
                    finding("audit.duplicate", "seq " + std::to_string(link.seq), id, link.seq, link.id.str(),
                            link.line);
                    continue;
                }
                if (link.seq > expect) {
                    finding("error.verify.gap",
                            "missing seq " + std::to_string(expect) +
                                (link.seq > expect + 1 ? "-" + std::to_string(link.seq - 1) : ""),
                            id, link.seq, link.id.str(), link.line);
                } else if (link.prevHash.view() != prev) {
                    finding("error.verify.prev", "does not link to the event before it", id, link.seq,
                            link.id.str(), link.line);
                }
                expect = link.seq + 1;
                prev = link.hash.view();
            }
        }
        for (const auto& [id, d] : m_devices) {
            const auto it = m_links.find(id);
            const std::int64_t lastSeq =
                it == m_links.end() || it->second.empty() ? 0 : it->second.back().seq;
            const std::string lastHash =
                it == m_links.end() || it->second.empty() ? kGenesisHash : it->second.back().hash.str();
            if (lastSeq != d.headSeq || (d.headSeq > 0 && lastHash != d.headHash)) {
                finding("audit.head",
                        "head " + std::to_string(d.headSeq) + ", log ends at " + std::to_string(lastSeq), id,
                        d.headSeq, "", d.line);
            }
        }
    }

    void finish() {
        flush();
        checkChains();
        if (!m_stateSeen) finding("audit.truncated", "no state line", "", 0, "", m_line);
        if (m_replica) {
            m_report.refoldedDigest = m_replica->digest("");
            m_replica.reset();
        }
        m_scratch.reset();
        if (m_stateSeen && m_report.digest != m_report.refoldedDigest) {
            finding("audit.digest", m_report.digest + " != " + m_report.refoldedDigest, "", 0, "",
                    m_stateLine);
        }
        std::stable_sort(m_report.findings.begin(), m_report.findings.end(),
                         [](const AuditFinding& a, const AuditFinding& b) { return a.line < b.line; });
    }

    std::string m_key;
    AuditReport m_report;
    std::size_t m_line = 0;
    std::string m_district;
    std::string m_districtName;
    std::string m_districtDevice;
    std::int64_t m_lastDseq = 0;
    std::int64_t m_dseq = 0;
    bool m_inSetAside = false;
    bool m_stateSeen = false;
    std::size_t m_stateLine = 0;
    std::map<std::string, Device> m_devices;
    std::map<std::string, std::vector<Link>> m_links;
    std::unique_ptr<ScratchDir> m_scratch;
    std::unique_ptr<Store> m_replica;
    std::vector<Event> m_pending;
    std::vector<std::int64_t> m_pendingDseqs;
    std::vector<std::size_t> m_pendingLines;
};

}  // namespace

AuditReport auditLog(std::istream& in, std::string_view districtKeyHex) {
    try {
        Auditor auditor(districtKeyHex);
        return auditor.run(in);
    } catch (const std::exception& e) {
        AuditReport report;
        report.readable = false;
        report.findings.push_back({0, "", 0, "", "audit.unreadable", e.what()});
        return report;
    }
}

std::string describe(const AuditReport& report) {
    std::string out;
    for (const auto& f : report.findings) {
        if (f.line > 0) out += "line " + std::to_string(f.line) + ": ";
        out += bilingual(f.messageId);
        if (!f.device.empty()) out += " — device " + f.device;
        if (f.seq != 0) out += " seq " + std::to_string(f.seq);
        if (!f.eventId.empty()) out += " event " + f.eventId;
        if (!f.detail.empty()) out += " (" + f.detail + ")";
        out += "\n";
    }
    if (!report.ok()) {
        return out + bilingual("audit.failed") + " (" + std::to_string(report.findings.size()) + ")\n";
    }
    return out + bilingual("audit.ok") + "\n" + bilingual("audit.events") + ": " +
           std::to_string(report.events) + ", " + bilingual("audit.set_aside") + ": " +
           std::to_string(report.setAside) + ", " + bilingual("audit.devices") + ": " +
           std::to_string(report.devices) + "\n" + bilingual("audit.digest_label") + ": " + report.digest +
           "\n";
}

}  // namespace shouxin
