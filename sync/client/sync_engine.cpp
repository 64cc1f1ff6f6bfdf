#include "sync/client/sync_engine.hpp"

#include <algorithm>
#include <future>

#include "shared/event.hpp"
#include "shared/hlc.hpp"
#include "shared/wire.hpp"

namespace shouxin::client {

SyncEngine::SyncEngine(Store& store, Transport& transport, KeyPair keys, EngineOptions options)
    : m_store(store), m_transport(transport), m_keys(std::move(keys)), m_options(options) {}

HttpResponse SyncEngine::exchange(const HttpRequest& request, SyncStats& stats) {
    return received(m_transport.send(request), stats);
}

HttpResponse SyncEngine::received(HttpResponse response, SyncStats& stats) {
    ++stats.requests;
    stats.bytesSent += response.wireBytesSent;
    stats.bytesReceived += response.wireBytesReceived;
    if (response.serverTime) m_skew = *response.serverTime - hlc::nowMillis();
    return response;
}

void SyncEngine::noteClock() {
    if (!m_skew) return;
    // Reported, never trusted for order; a clock far off is clamped: this
    // node's new events are stamped with the district's time. Written once
    // a round (two durable writes), from the round's last answer.
    const std::int64_t skew = *m_skew;
    m_skew.reset();
    m_store.setSetting(Setting::clockSkew, std::to_string(skew));
    m_store.setSetting(Setting::clockOffset, std::to_string(std::llabs(skew) > kClampSkewMillis ? skew : 0));
}

bool SyncEngine::noteEpoch(const std::string& epoch) {
    // A server restored from a backup lacks what was sent or numbered
    // after it: everything goes again (Store::followEpoch).
    return m_store.followEpoch(epoch);
}

Result<wire::EnrollResponse> SyncEngine::enroll(const std::string& code) {
    const NodeInfo node = m_store.node();
    wire::EnrollRequest request{wire::kProtocol, code, node.device, node.office, m_keys.publicKeyHex};
    SyncStats stats;
    const HttpResponse response =
        exchange({"POST", "/v1/enroll", wire::encode(request), false, "", wire::kProtocol}, stats);
    noteClock();
    const Classified c = classify(response, 201);
    if (c.verdict != Verdict::success) return Problem{"enroll", "sync.reason." + c.reason, c.detail};
    auto answer = wire::decodeEnrollResponse(response.body);
    if (!answer) return Problem{"enroll", "sync.reason.unexpected_answer", "body does not parse"};
    m_store.setSetting(Setting::token, answer->token);
    m_store.setSetting(Setting::district, answer->district);
    // A server enrolled at the level above takes that level's own records
    // from its device alone (Store::regionsAbove).
    if (m_store.isDistrict())
        m_store.pinRegionsAbove({{answer->district, answer->districtName, answer->districtDevice, answer->districtKey}});
    // Pinned from now on: district-level acts only from this device, and
    // receipts only under this key.
    m_store.pinDistrict(answer->districtDevice, answer->districtKey);
    // Where the kiosk's QR codes lead (publicSiteOf): only a web address.
    const std::string& site = answer->publicSite;
    const bool web = site.rfind("https://", 0) == 0 || site.rfind("http://", 0) == 0;
    if (web && std::none_of(site.begin(), site.end(), [](unsigned char ch) { return ch <= 0x20 || ch == 0x7f; }))
        m_store.setSetting(Setting::publicSite, site);
    return answer;
}

bool SyncEngine::push(SyncStats& stats, Classified& failure) {
    const std::string token = m_store.setting(Setting::token);
    int gaps = 0;
    for (;;) {
        const auto events = m_store.pendingEvents(m_options.pushBatch);
        if (events.empty()) return true;
        wire::PushRequest request;
        request.events = events;
        request.head.seq = events.back().seq;
        request.head.hash = events.back().hash;
        request.head.signature =
            signHex(m_keys, chainHeadMessage(events.back().device, events.back().seq, events.back().hash));
        const HttpResponse response =
            exchange({"POST", "/v1/push", wire::encode(request), true, token, wire::kProtocol}, stats);
        Classified c = classify(response, 201);
        if (c.verdict == Verdict::success) {
            const auto answer = wire::decodePushResponse(response.body);
            if (!answer || answer->results.size() != events.size()) {
                failure = {Verdict::retry, 0, "unexpected_answer", "201 without a readable body"};
                return false;
            }
            // One result per event sent, in order: an answer that names
            // other events (a byte changed on the way) marks nothing, or the
            // event it missed would stay pending behind later ones and every
            // later batch would be refused as not consecutive.
            for (std::size_t i = 0; i < events.size(); ++i) {
                if (answer->results[i].id != events[i].id) {
                    failure = {Verdict::retry, 0, "unexpected_answer", "201 whose results name other events"};
                    return false;
                }
            }
            // A chain's events are numbered in its order: district numbers
            // out of order were not the district's (two events here would
            // hold one number).
            std::int64_t lastDseq = 0;
            for (const auto& r : answer->results) {
                if (r.outcome == wire::EventOutcome::rejected) continue;
                if (r.dseq <= lastDseq) {
                    failure = {Verdict::retry, 0, "unexpected_answer", "201 with district numbers out of order"};
                    return false;
                }
                lastDseq = r.dseq;
            }
            // A district restored since: send everything again, from the start.
            if (noteEpoch(answer->epoch)) continue;
            // The district countersigns what it accepted; a receipt that does
            // not verify is not the district's word, so nothing is marked
            // sent (a resend is harmless: the district keeps events by id).
            if (!m_store.keepReceipt(answer->receipt)) {
                failure = {Verdict::retry, 0, "receipt", "the receipt does not verify against the pinned key"};
                return false;
            }
            std::vector<Store::Acknowledgement> acks;
            for (const auto& r : answer->results) {
                Store::Acknowledgement ack{r.id, r.dseq, r.outcome == wire::EventOutcome::rejected, r.reason,
                                           r.detail};
                if (r.outcome == wire::EventOutcome::accepted)
                    ++stats.pushed;
                else if (r.outcome == wire::EventOutcome::duplicate)
                    ++stats.duplicates;
                else
                    ++stats.setAside;
                acks.push_back(std::move(ack));
            }
            m_store.acknowledge(acks);
            continue;
        }
        // The district holds less of our chain than we sent from (it was
        // restored from a backup): resend after its head. The answer is not
        // signed, so its number may only ever make us send more: a head at
        // or past our first event is no gap, and taking it would mark
        // events sent that the district never had.
        if (response.status == 409 && c.reason == "chain_gap" && gaps++ < 3) {
            const auto body = wire::decodeErrorBody(response.body);
            if (!body || body->headSeq < 0 || body->headSeq >= events.front().seq - 1) {
                failure = {Verdict::retry, 0, "unexpected_answer", "409 chain_gap without a head behind what was sent"};
                return false;
            }
            m_store.resendAfter(body->headSeq);
            continue;
        }
        failure = c;
        return false;
    }
}

bool SyncEngine::relay(SyncStats& stats, Classified& failure) {
    const std::string token = m_store.setting(Setting::token);
    const std::string aboveKey = m_store.setting(Setting::districtKey);
    int gaps = 0;
    for (;;) {
        const auto runs = m_store.relayBatch(wire::kMaxRelayEvents);
        if (runs.empty()) return true;
        wire::RelayRequest request;
        for (const auto& run : runs) {
            const Event& head = run.events.back();
            wire::RelayRun up{run.device, run.office, run.publicKeyHex, {head.seq, head.hash, run.headSignature},
                              {run.device, head.seq, head.hash, run.headDseq, ""}, run.events};
            // This server's own chain it signs itself; every run carries its
            // receipt, as it would have answered the device.
            if (up.head.signature.empty())
                up.head.signature = signHex(m_keys, chainHeadMessage(run.device, head.seq, head.hash));
            up.receipt.signature = signHex(m_keys, receiptMessage(run.device, head.seq, head.hash, run.headDseq));
            request.runs.push_back(std::move(up));
        }
        const HttpResponse response =
            exchange({"POST", "/v1/relay", wire::encode(request), true, token, wire::kProtocol}, stats);
        const Classified c = classify(response, 201);
        if (c.verdict != Verdict::success) {
            failure = c;
            return false;
        }
        const auto answer = wire::decodeRelayResponse(response.body);
        if (!answer || answer->results.empty() || answer->results.size() > runs.size()) {
            failure = {Verdict::retry, 0, "unexpected_answer", "201 without a readable body"};
            return false;
        }
        // The level above restored since: every chain goes up again.
        if (noteEpoch(answer->epoch)) continue;
        for (std::size_t i = 0; i < answer->results.size(); ++i) {
            const auto& r = answer->results[i];
            const auto& run = runs[i];
            if (r.device != run.device) {
                failure = {Verdict::retry, 0, "unexpected_answer", "results out of order"};
                return false;
            }
            if (r.accepted) {
                // The level above countersigns what it holds; a receipt that
                // does not verify is not its word, and nothing is marked.
                const auto& rc = r.receipt;
                if (rc.device != run.device || rc.seq != run.events.back().seq ||
                    !verifySignature(aboveKey, receiptMessage(rc.device, rc.seq, rc.headHash, rc.dseq), rc.signature)) {
                    failure = {Verdict::retry, 0, "receipt", "the receipt does not verify against the pinned key"};
                    return false;
                }
                stats.pushed += static_cast<std::int64_t>(run.events.size());
                m_store.markRelayed(run.device, rc.seq);
                continue;
            }
            // The level above holds less of this chain than we thought:
            // resend from where it stands. Its number is not signed here, so
            // it may only move the relay back, never past what was sent.
            if ((r.reason == "chain_gap" || r.reason == "chain_prev") && gaps++ < 3) {
                if (r.headSeq < 0 || r.headSeq >= run.events.front().seq) {
                    failure = {Verdict::retry, 0, "unexpected_answer", run.device + ": a head not behind the run sent"};
                    return false;
                }
                m_store.markRelayed(run.device, r.headSeq);
                break;
            }
            // The level above could not store it (its disk): later.
            const Verdict verdict = r.reason == "unavailable" ? Verdict::retry : Verdict::refused;
            failure = {verdict, 0, r.reason, run.device + ": " + r.detail};
            return false;
        }
    }
}

void SyncEngine::pinRegions(const std::vector<wire::Region>& fromAbove) {
    // A node takes its district's word for the regions above it; a server
    // keeps the one it enrolled at (pinned then) and takes that one's word
    // for the rest.
    std::vector<wire::Region> wanted;
    const auto current = m_store.regionsAbove();
    if (m_store.isDistrict() && !current.empty()) wanted.push_back(current.front());
    wanted.insert(wanted.end(), fromAbove.begin(), fromAbove.end());
    if (wanted != current) m_store.pinRegionsAbove(wanted);
}

bool SyncEngine::pinDistrict(SyncStats& stats, Classified& failure) {
    if (!m_store.setting(Setting::districtKey).empty()) return true;
    // Enrolled before enrolment carried the district's identity: learn it
    // once from the district this node's token already trusts.
    const HttpResponse response =
        exchange({"GET", "/v1/district", "", false, m_store.setting(Setting::token), wire::kProtocol}, stats);
    const Classified c = classify(response, 200);
    if (c.verdict != Verdict::success) {
        failure = c;
        return false;
    }
    const auto info = wire::decodeDistrictInfo(response.body);
    if (!info || info->district != m_store.setting(Setting::district)) {
        failure = {Verdict::retry, 0, "unexpected_answer", "200 without a readable district"};
        return false;
    }
    m_store.pinDistrict(info->districtDevice, info->districtKey);
    return true;
}

namespace {

// Each event's hash its own, numbers rising after the cursor asked for, and
// the next cursor the last number (the district's rule; the page's own
// cursor when it is empty).
bool pageHolds(const wire::PullResponse& page, std::int64_t after) {
    std::int64_t last = after;
    for (std::size_t i = 0; i < page.events.size(); ++i) {
        if (page.dseqs[i] <= last || computeHash(page.events[i]) != page.events[i].hash) return false;
        last = page.dseqs[i];
    }
    return page.next == last;
}

}  // namespace

std::int64_t SyncEngine::ownFloor() const {
    // The receipt's number is the district's newest when it stored this
    // device's last push, signed by it: every event numbered up to there
    // was stored before this pull began, so a pull that reaches its last
    // page has been sent every one of them in this device's scope but its
    // own. Not while pulling again after a new epoch: until then the
    // receipt may be the old incarnation's.
    if (m_store.isDistrict() || !m_store.setting(Setting::epochRepull).empty()) return 0;
    const auto receipt = m_store.receipt();
    return receipt ? receipt->dseq : 0;
}

bool SyncEngine::pull(SyncStats& stats, Classified& failure) {
    const std::string token = m_store.setting(Setting::token);
    // This device's own events beyond its chain here come back too: after a
    // restore from a backup, those it pushed since (otherwise none).
    const std::string ownAfter = std::to_string(m_store.ownHeadSeq());
    const auto pageAfter = [&](const std::string& cursor) -> HttpRequest {
        return {"GET",
                "/v1/events?after=" + (cursor.empty() ? std::string("0") : cursor) +
                    "&limit=" + std::to_string(m_options.pullPage) + "&own_after=" + ownAfter,
                "",
                false,
                token,
                wire::kProtocol};
    };
    // The next page travels while this one is stored: it is asked for once
    // this one is read (its `next` is the cursor), and only the transport
    // runs on the other thread. The cursor stored is always that of the
    // page stored with it, so a cut anywhere resumes where it should.
    const std::string cursor = m_store.setting(Setting::cursor);
    std::int64_t after = cursor.empty() ? 0 : std::stoll(cursor);
    const std::int64_t floor = ownFloor();
    HttpResponse response = exchange(pageAfter(cursor), stats);
    for (;;) {
        const Classified c = classify(response, 200);
        if (c.verdict != Verdict::success) {
            failure = c;
            return false;
        }
        const auto page = wire::decodePullResponse(response.body);
        if (!page || page->dseqs.size() != page->events.size()) {
            failure = {Verdict::retry, 0, "unexpected_answer", "200 without a readable body"};
            return false;
        }
        // A district restored since: this page's numbers are the new
        // incarnation's; start again from the first, after sending again
        // what it may lack (syncOnce).
        if (noteEpoch(page->epoch)) {
            m_again = true;
            return true;
        }
        // A page is stored with its cursor in one go: one whose events or
        // numbers are not what the district sent (a byte changed on the
        // way) is not stored, or the cursor would pass an event refused
        // for its hash, or events never brought.
        if (!pageHolds(*page, after)) {
            failure = {Verdict::retry, 0, "unexpected_answer", "200 with a page that does not hold together"};
            return false;
        }
        pinRegions(page->regions);
        std::future<HttpResponse> next;
        if (page->more) {
            next = std::async(std::launch::async,
                              [this, request = pageAfter(std::to_string(page->next))] { return m_transport.send(request); });
        }
        // The last page of a pull moves the cursor past this device's own
        // events too (see ownFloor), which the pages skip: otherwise every
        // round would make the district scan them again, and an idle
        // round would grow with the log.
        const std::int64_t stored = page->more ? page->next : std::max(page->next, floor);
        const auto results = m_store.applyPulled(page->events, page->dseqs, stored);
        for (const auto& r : results) {
            if (r.outcome == ApplyResult::Outcome::accepted) ++stats.pulled;
        }
        if (!page->more) {
            // The pull after a new epoch has reached the end.
            m_store.finishRepull();
            return true;
        }
        after = page->next;
        response = received(next.get(), stats);
    }
}

SyncResult SyncEngine::syncOnce() {
    SyncResult result;
    if (m_store.setting(Setting::token).empty()) {
        result.failure = {Verdict::refused, 0, "not_enrolled", "run enroll first"};
        return result;
    }
    const auto up = [&] {
        return m_store.isDistrict() ? relay(result.stats, result.failure) : push(result.stats, result.failure);
    };
    m_again = false;
    result.ok = pinDistrict(result.stats, result.failure) && up() && pull(result.stats, result.failure);
    if (result.ok && m_again) result.ok = up() && pull(result.stats, result.failure);
    noteClock();
    const std::string now = std::to_string(hlc::nowMillis());
    if (result.ok) {
        m_store.setSetting(Setting::lastSync, now);
        m_store.setSetting(Setting::lastError, "");
        m_store.setSetting(Setting::lastErrorDetail, "");
    } else {
        m_store.setSetting(Setting::lastError, result.failure.reason);
        m_store.setSetting(Setting::lastErrorDetail, result.failure.detail);
        m_store.setSetting(Setting::lastErrorAt, now);
    }
    return result;
}

std::string describeStats(const SyncStats& s, std::int64_t millis) {
    return std::to_string(s.pushed) + " ↑, " + std::to_string(s.duplicates) + " =, " + std::to_string(s.setAside) +
           " ✗, " + std::to_string(s.pulled) + " ↓; " + std::to_string(s.requests) + " requests, " +
           std::to_string(s.bytesSent) + " B sent, " + std::to_string(s.bytesReceived) + " B received; " +
           std::to_string(millis) + " ms";
}

bool isAllowedServerUrl(const std::string& url, bool allowPlainHttp) {
    if (url.rfind("https://", 0) == 0) return url.size() > 8;
    if (url.rfind("http://", 0) != 0) return false;
    if (allowPlainHttp) return true;
    const std::string rest = url.substr(7);
    for (const char* host : {"127.0.0.1", "localhost", "[::1]"}) {
        const std::string h(host);
        if (rest.rfind(h, 0) == 0 &&
            (rest.size() == h.size() || rest[h.size()] == ':' || rest[h.size()] == '/')) {
            return true;
        }
    }
    return false;
}

}  // namespace shouxin::client
