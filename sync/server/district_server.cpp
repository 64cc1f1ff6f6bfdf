#include "sync/server/district_server.hpp"

#include <charconv>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <sstream>

#include "shared/crypto.hpp"
#include "shared/hlc.hpp"
#include "shared/store.hpp"
#include "shared/wire.hpp"
#include "sync/server/http_server.hpp"
#include "sync/server/rate_limit.hpp"
#include "sync/server/registry.hpp"
#include "sync/server/store_access.hpp"
#include "sync/server/web/public_site.hpp"

namespace shouxin::server {
namespace {

constexpr const char* kJson = "application/json";

void refuse(HttpResponse& res, int status, std::string reason, std::string detail = "",
            std::int64_t headSeq = -1) {
    res.status = status;
    res.setContent(wire::encode(wire::ErrorBody{std::move(reason), std::move(detail), headSeq}), kJson);
}

// Every refusal of a push or an enrolment, typed, as the protocol answers
// it: the HTTP status, the wire reason, and whether the answer carries the
// device's head (so that it can resume). One table; clients and tests
// rely on these exact statuses and reasons.
struct WireRefusal {
    int status;
    const char* reason;
    bool withHead = false;
};

WireRefusal wireOf(Refusal why) {
    switch (why) {
        case Refusal::idConflict: return {409, "id_conflict", false};
        case Refusal::chainFork: return {409, "chain_fork", false};
        case Refusal::chainGap: return {409, "chain_gap", true};
        case Refusal::chainPrev: return {409, "chain_prev", true};
        case Refusal::hash: return {422, "hash", false};
        case Refusal::envelope:
        case Refusal::content:
        case Refusal::none: break;
    }
    return {400, "malformed", false};
}

WireRefusal wireOf(EnrolRefusal why) {
    switch (why) {
        case EnrolRefusal::malformed: return {400, "malformed", false};
        case EnrolRefusal::deviceExists: return {409, "device_exists", false};
        case EnrolRefusal::enrolmentCode: break;
    }
    return {403, "enrolment_code", false};
}

// Public pages rendered at once: on a two-core server, the CPU the public
// side may take from sync.
constexpr unsigned kPublicReaders = 2;

// Requests of the sync protocol served at once. A push waits for its group
// commit on its thread, so this many pushes can share one commit; pulls
// read on kSyncReaders connections.
constexpr unsigned kSyncThreads = 32;
constexpr std::size_t kSyncReaders = 4;
// The writer's page cache: at 140,000 events, with SQLite's 2 MB, a quarter
// of its time went to reading index pages back from the file.
constexpr int kWriterCacheMebibytes = 64;

// A body bigger than this is no enrolment request (wire or inflated).
constexpr std::size_t kMaxEnrollBytes = 4 * 1024;

std::string readFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return in ? text.str() : std::string();
}

std::optional<std::int64_t> parseInt(const std::string& text) {
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

}  // namespace

struct DistrictServer::Impl {
    std::unique_ptr<HttpServer> http;
    std::mutex runMutex;
    std::condition_variable stopped;
    bool stopping = false;
    NodeInfo node;  // the district's own identity, as its store holds it
    std::string epoch;  // its incarnation, in every answer of the protocol (Store::epoch)
    // Pushes are stored by one writer, with group commit; pulls and the
    // public side read on connections of their own (store_access.hpp).
    std::unique_ptr<GroupCommit> writer;
    ReaderPool readers;
    // The registry's connection serves one request at a time.
    std::mutex registryMutex;
    Registry registry;
    KeyPair key;  // the district's own: it countersigns every accepted push
    RateLimiter enrolmentTries;
    std::string publicSite;  // told to kiosks at enrolment, for their QR codes
    std::filesystem::path db;
    std::filesystem::path keyPath;  // the district's key file
    std::unique_ptr<web::PublicSite> site;  // the pages and open data, on their own connections

    Impl(const std::filesystem::path& path, const std::filesystem::path& keyFile)
        : readers(path, kSyncReaders), registry(path), db(path) {
        // The integrity check, once, before any request; a cache that holds
        // the hot pages of a large district's indexes; checkpoints on a
        // thread of their own (store_access.hpp).
        Store::OpenOptions writing;
        writing.checkIntegrity = true;
        writing.cacheMebibytes = kWriterCacheMebibytes;
        writing.autoCheckpoint = false;
        Store store = Store::open(path, writing);
        if (!store.isDistrict()) throw std::runtime_error(db.string() + " is not a district database");
        node = store.node();
        keyPath = keyFile.empty() ? keyFileFor(db) : keyFile;
        auto keys = readKeyFile(keyPath);
        if (!keys || keys->publicKeyHex != node.publicKeyHex) {
            throw std::runtime_error(keyPath.string() + " is missing or not this district's key");
        }
        key = std::move(*keys);
        // A database made before epochs gets its first one here.
        epoch = store.epoch();
        if (epoch.empty()) epoch = store.renewEpoch();
        writer = std::make_unique<GroupCommit>(std::move(store), Store::open(path));
    }

    wire::Receipt receiptFor(const std::string& device, std::int64_t seq, const std::string& headHash,
                             std::int64_t dseq) {
        wire::Receipt r{device, seq, headHash, dseq, ""};
        r.signature = signHex(key, receiptMessage(r.device, r.seq, r.headHash, r.dseq));
        return r;
    }
    // No handler may outlive the store and registry it uses.
    ~Impl() {
        if (http) http->stop();
    }

    // Protocol version, then the bearer token and the device behind it.
    std::optional<Device> admit(const HttpRequest& req, HttpResponse& res) {
        const auto version = parseInt(req.header(wire::kProtocolHeader));
        if (!version || *version < wire::kOldestProtocol || *version > wire::kProtocol) {
            refuse(res, 426, "protocol",
                   "this server speaks protocol " + std::to_string(wire::kOldestProtocol) + " to " +
                       std::to_string(wire::kProtocol));
            return std::nullopt;
        }
        const std::string auth = req.header("Authorization");
        const std::string token = auth.rfind("Bearer ", 0) == 0 ? auth.substr(7) : std::string();
        auto device = [&] {
            std::lock_guard lock(registryMutex);
            return registry.authenticate(token);
        }();
        if (!device) {
            refuse(res, 401, "token", token.empty() ? "no bearer token" : "unknown token");
            return std::nullopt;
        }
        if (device->revoked) {
            refuse(res, 403, "device_revoked", device->id);
            return std::nullopt;
        }
        return device;
    }

    // Codes are guessed one try at a time: failed tries are rate-limited per
    // address and overall, before the body is even read.
    std::optional<HttpResponse> admitEnrolment(const HttpRequest& req) {
        const auto wait = enrolmentTries.retryAfter(req.peer, hlc::nowMillis());
        if (wait == 0) return std::nullopt;
        HttpResponse res;
        res.setHeader("Retry-After", std::to_string(wait));
        refuse(res, 429, "rate_limited", "too many failed enrolments; retry in " + std::to_string(wait) + " s");
        return res;
    }

    void enroll(const HttpRequest& req, HttpResponse& res) {
        const std::string& address = req.peer;
        const auto request = wire::decodeEnrollRequest(req.body);
        if (!request) {
            enrolmentTries.failed(address, hlc::nowMillis());
            return refuse(res, 400, "malformed", request.problems().front().field);
        }
        if (request->protocol < wire::kOldestProtocol || request->protocol > wire::kProtocol) {
            return refuse(res, 426, "protocol", std::to_string(request->protocol));
        }
        std::lock_guard lock(registryMutex);
        const Enrolment enrolled =
            registry.enrol(request->code, request->device, request->office, request->publicKey);
        if (!enrolled) {
            enrolmentTries.failed(address, hlc::nowMillis());
            const WireRefusal w = wireOf(enrolled.refusal);
            return refuse(res, w.status, w.reason, enrolled.detail);
        }
        const std::string& token = *enrolled.token;
        wire::EnrollResponse answer{token,           request->device, request->office, node.office,
                                    node.officeName, node.device,     node.publicKeyHex, publicSite};
        res.status = 201;
        res.setContent(wire::encode(answer), kJson);
    }

    void district(const HttpRequest& req, HttpResponse& res) {
        if (!admit(req, res)) return;
        res.status = 200;
        res.setContent(wire::encode(wire::DistrictInfo{node.office, node.officeName, node.device, node.publicKeyHex}),
                       kJson);
    }

    void push(const HttpRequest& req, HttpResponse& res) {
        const auto request = wire::decodePushRequest(req.body);
        const auto device = admit(req, res);
        if (!device) return;
        if (!request) {
            const Problem& p = request.problems().front();
            const bool tooMany = p.message == "error.json.too_many";  // e.g. over kMaxBatchEvents events
            return refuse(res, tooMany ? 413 : 400, tooMany ? "too_large" : "malformed",
                          p.field + ": " + p.message);
        }
        if (request->protocol != std::stoi(req.header(wire::kProtocolHeader))) {
            return refuse(res, 400, "malformed", "the body's protocol differs from the header's");
        }
        wire::PushResponse answer;
        answer.serverTime = hlc::nowMillis();
        answer.epoch = epoch;
        answer.headSeq = device->headSeq;
        if (request->events.empty()) {
            answer.receipt =
                receiptFor(device->id, device->headSeq, device->headHash, readers.lend()->lastDistrictSeq());
            res.status = 201;
            res.setContent(wire::encode(answer), kJson);
            return;
        }
        // Scope comes from the device's identity, never from the body.
        const auto& events = request->events;
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& e = events[i];
            if (e.device != device->id || e.office != device->office) {
                return refuse(res, 403, "scope", "event " + e.id + " is not this device's office's");
            }
            if (e.seq != events.front().seq + static_cast<std::int64_t>(i)) {
                return refuse(res, 400, "malformed", "events are not consecutive");
            }
        }
        const Event& last = events.back();
        if (request->head.seq != last.seq || request->head.hash != last.hash ||
            !verifySignature(device->publicKey, chainHeadMessage(device->id, last.seq, last.hash),
                             request->head.signature)) {
            return refuse(res, 422, "signature", "chain head signature does not verify");
        }
        if (events.front().seq > device->headSeq + 1) {
            return refuse(res, 409, "chain_gap", "next expected seq " + std::to_string(device->headSeq + 1),
                          device->headSeq);
        }

        // Hashes checked and payloads decoded here, on this request's
        // thread, so that the one writer does less.
        const auto decoded = Store::prechecked(events);
        PushOutcome stored = writer->push(events, request->head.signature, &decoded);
        if (!stored.failure.empty()) {
            // Nothing of it is stored; the device sends it again later.
            res.setHeader("Retry-After", "5");
            return refuse(res, 503, "unavailable", "the events could not be stored: " + stored.failure);
        }
        const auto& results = stored.results;
        if (results.back().refused()) {
            // applyBatch stored nothing; say why, with a distinct status.
            const Event& e = events[results.size() - 1];
            const ApplyResult& r = results.back();
            const WireRefusal w = wireOf(r.refusal);
            if (w.status != 400) return refuse(res, w.status, w.reason, e.id, w.withHead ? device->headSeq : -1);
            const std::string why = r.problems.empty() ? std::string() : r.problems.front().message;
            return refuse(res, w.status, w.reason, e.id + ": " + why);
        }
        for (std::size_t i = 0; i < results.size(); ++i) {
            wire::EventResult er;
            er.id = events[i].id;
            er.dseq = results[i].dseq;
            switch (results[i].outcome) {
                case ApplyResult::Outcome::accepted:
                    er.outcome = wire::EventOutcome::accepted;
                    break;
                case ApplyResult::Outcome::duplicate:
                    er.outcome = wire::EventOutcome::duplicate;
                    break;
                default:
                    er.outcome = wire::EventOutcome::rejected;
                    er.reason = results[i].problems.front().message;
                    er.detail = results[i].problems.front().field + ": " + results[i].problems.front().detail;
            }
            answer.results.push_back(std::move(er));
        }
        answer.headSeq = last.seq;
        answer.receipt = receiptFor(device->id, last.seq, last.hash, stored.lastDseq);
        res.status = 201;
        res.setContent(wire::encode(answer), kJson);
    }

    // One run relayed from a region below: checked on its own content (the
    // device, its office and key, every event's office, the device's
    // signature and the relaying region's receipt), then stored as the
    // device's own push would be. Why not, in the protocol's words.
    wire::RelayResult relayRun(const Device& by, const wire::RelayRun& run) {
        wire::RelayResult out;
        out.device = run.device;
        const auto refused = [&](const char* reason, std::string detail) {
            out.reason = reason;
            out.detail = std::move(detail);
            std::lock_guard lock(registryMutex);
            out.headSeq = registry.headSeq(run.device);
            return out;
        };
        const auto& events = run.events;
        if (events.empty()) return refused("malformed", "a run without events");
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& e = events[i];
            if (e.device != run.device || e.seq != events.front().seq + static_cast<std::int64_t>(i))
                return refused("malformed", "the run's events are not one device's, consecutive");
            // Nothing from outside the relaying region; an office's device
            // writes its office's records only (as the district checked at push).
            if (!inScope(by.office, e.office) || (isOfficeCode(run.office) && e.office != run.office))
                return refused("scope", "event " + e.id + " is not " + run.office + "'s");
        }
        if (const std::string why = [&] {
                std::lock_guard lock(registryMutex);
                return registry.vouch(by, run.device, run.office, run.publicKey);
            }();
            !why.empty()) {
            return refused("scope", why);
        }
        const Event& last = events.back();
        if (run.head.seq != last.seq || run.head.hash != last.hash ||
            !verifySignature(run.publicKey, chainHeadMessage(run.device, last.seq, last.hash), run.head.signature)) {
            return refused("signature", "the device's chain head signature does not verify");
        }
        const auto& rc = run.receipt;
        if (rc.device != run.device || rc.seq != last.seq || rc.headHash != last.hash ||
            !verifySignature(by.publicKey, receiptMessage(rc.device, rc.seq, rc.headHash, rc.dseq), rc.signature)) {
            return refused("receipt", "the relaying region's receipt does not verify");
        }
        const auto decoded = Store::prechecked(events);
        const PushOutcome stored = writer->push(events, run.head.signature, &decoded,
                                                std::to_string(rc.dseq) + " " + rc.signature);
        if (!stored.failure.empty()) return refused("unavailable", stored.failure);
        const ApplyResult& r = stored.results.back();
        if (r.refused()) {
            const WireRefusal w = wireOf(r.refusal);
            const std::string why = r.problems.empty() ? std::string() : r.problems.front().message;
            return refused(w.reason, events[stored.results.size() - 1].id + ": " + why);
        }
        out.accepted = true;
        out.headSeq = last.seq;
        out.receipt = receiptFor(run.device, last.seq, last.hash, stored.lastDseq);
        return out;
    }

    // POST /v1/relay: a region directly below relays its chains up.
    void relay(const HttpRequest& req, HttpResponse& res) {
        const auto device = admit(req, res);
        if (!device) return;
        if (!isRegionCode(device->office) || !isChildOf(node.office, device->office)) {
            return refuse(res, 403, "scope", "only a region directly below " + node.office + " relays here");
        }
        const auto request = wire::decodeRelayRequest(req.body);
        if (!request) {
            const Problem& p = request.problems().front();
            const bool tooMany = p.message == "error.json.too_many";
            return refuse(res, tooMany ? 413 : 400, tooMany ? "too_large" : "malformed", p.field + ": " + p.message);
        }
        if (request->protocol != std::stoi(req.header(wire::kProtocolHeader))) {
            return refuse(res, 400, "malformed", "the body's protocol differs from the header's");
        }
        wire::RelayResponse answer;
        answer.epoch = epoch;
        for (const auto& run : request->runs) {
            answer.results.push_back(relayRun(*device, run));
            if (!answer.results.back().accepted) break;  // the runs behind it go again next round
        }
        if (answer.results.size() == 1 && answer.results.front().reason == "unavailable") {
            res.setHeader("Retry-After", "5");
            return refuse(res, 503, "unavailable", answer.results.front().detail);
        }
        answer.serverTime = hlc::nowMillis();
        res.status = 201;
        res.setContent(wire::encode(answer), kJson);
    }

    void pull(const HttpRequest& req, HttpResponse& res) {
        const auto device = admit(req, res);
        if (!device) return;
        const auto after = parseInt(req.hasParam("after") ? req.param("after") : "0");
        const auto limit = parseInt(req.hasParam("limit") ? req.param("limit") : "1000");
        // The device's own events after this seq come too (a restored device).
        const auto ownAfter = req.hasParam("own_after") ? parseInt(req.param("own_after"))
                                                        : std::optional<std::int64_t>(Store::kMaxOwnSeq);
        if (!after || !limit || !ownAfter || *limit == 0 || static_cast<std::size_t>(*limit) > wire::kMaxPullLimit) {
            return refuse(res, 400, "malformed",
                          "after >= 0, 1 <= limit <= " + std::to_string(wire::kMaxPullLimit));
        }
        wire::PullResponse answer;
        answer.epoch = epoch;
        auto page = [&] {
            auto reader = readers.lend();
            // The regions above this server, so that every replica below
            // takes their records from their devices alone.
            answer.regions = reader->regionsAbove();
            return reader->eventsAfter(device->office, device->id, *after, static_cast<std::size_t>(*limit),
                                       *ownAfter);
        }();
        answer.more = page.events.size() == static_cast<std::size_t>(*limit);
        answer.next = page.dseqs.empty() ? *after : page.dseqs.back();
        answer.events = std::move(page.events);
        answer.dseqs = std::move(page.dseqs);
        answer.serverTime = hlc::nowMillis();
        res.status = 200;
        res.setContent(wire::encode(answer), kJson);
    }
};

DistrictServer::DistrictServer(const std::filesystem::path& db, const std::filesystem::path& keyFile)
    : m_impl(std::make_unique<Impl>(db, keyFile)) {}
DistrictServer::~DistrictServer() = default;

int DistrictServer::bind(const ServerOptions& options) {
    auto& impl = *m_impl;
    HttpOptions http;
    http.host = options.host;
    http.port = options.port;
    if (!options.certFile.empty() && !options.keyFile.empty()) {
        http.certPem = readFile(options.certFile);
        http.keyPem = readFile(options.keyFile);
        if (http.certPem.empty() || http.keyPem.empty()) return -1;
    }
    // The public side holds at most kPublicReaders + web::kMaxWaiting
    // threads (public_site.hpp); kSyncThreads more serve sync. An idle
    // thread costs an epoll loop and no CPU.
    http.threads = kPublicReaders + web::kMaxWaiting + kSyncThreads;
    impl.publicSite = options.publicSite;
    // The public pages read the district's database, or a read replica of
    // it (--public-db). A database that is no file keeps its open data
    // cache beside the key file (--keys), not beside a URL.
    web::SiteOptions pages{options.publicDb.empty() ? impl.db : options.publicDb, options.today, kPublicReaders, {}};
    if (isDatabaseUrl(impl.db.string())) pages.cacheDir = impl.keyPath.parent_path() / "open-data";
    impl.site = std::make_unique<web::PublicSite>(std::move(pages), impl.key);
    impl.http = std::make_unique<HttpServer>();
    auto& server = *impl.http;
    server.setRefusal([](int status, std::string reason, std::string detail) {
        HttpResponse res;
        refuse(res, status, std::move(reason), std::move(detail));
        return res;
    });
    server.setDecorator([](HttpResponse& res) {
        res.setHeader(wire::kProtocolHeader, std::to_string(wire::kProtocol));
        res.setHeader(wire::kServerTimeHeader, std::to_string(hlc::nowMillis()));
    });
    // Protocol and token are checked on the headers, before any body byte
    // is read or inflated; the handler checks them again under the lock.
    const HttpAdmission admission = [&impl](const HttpRequest& req) -> std::optional<HttpResponse> {
        HttpResponse res;
        if (impl.admit(req, res)) return std::nullopt;
        return res;
    };
    server.route({"POST", "/v1/enroll",
                  [&impl](const HttpRequest& req, HttpResponse& res) { impl.enroll(req, res); },
                  [&impl](const HttpRequest& req) { return impl.admitEnrolment(req); },
                  kMaxEnrollBytes, kMaxEnrollBytes, true});
    server.route({"POST", "/v1/push",
                  [&impl](const HttpRequest& req, HttpResponse& res) { impl.push(req, res); }, admission,
                  wire::kMaxBodyBytes, wire::kMaxExpandedBytes, true});
    server.route({"POST", "/v1/relay",
                  [&impl](const HttpRequest& req, HttpResponse& res) { impl.relay(req, res); }, admission,
                  wire::kMaxBodyBytes, wire::kMaxExpandedBytes, true});
    server.route({"GET", "/v1/district",
                  [&impl](const HttpRequest& req, HttpResponse& res) { impl.district(req, res); }, admission, 0,
                  0, false});
    server.route({"GET", "/v1/events",
                  [&impl](const HttpRequest& req, HttpResponse& res) { impl.pull(req, res); }, admission, 0,
                  0, false});
    // Anything else under /v1/ is no part of the protocol: a JSON 404.
    server.route({"*", "/v1/",
                  [](const HttpRequest& req, HttpResponse& res) { refuse(res, 404, "not_found", req.path); }, nullptr,
                  0, 0, false, true});
    // Everything else is the public side: pages and open data, GET and HEAD.
    web::PublicSite& site = *impl.site;
    server.route({"*", "/", [&site](const HttpRequest& req, HttpResponse& res) { site.answer(req, res); },
                  [&site](const HttpRequest& req) { return site.admit(req); }, 0, 0, false, true});
    return server.start(http);
}

void DistrictServer::run() {
    auto& impl = *m_impl;
    std::unique_lock lock(impl.runMutex);
    impl.stopped.wait(lock, [&impl] { return impl.stopping; });
    lock.unlock();
    if (impl.http) impl.http->stop();
}

void DistrictServer::stop() {
    auto& impl = *m_impl;
    {
        std::lock_guard lock(impl.runMutex);
        impl.stopping = true;
    }
    impl.stopped.notify_all();
}

}  // namespace shouxin::server
