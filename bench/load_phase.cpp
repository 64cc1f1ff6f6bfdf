#include "bench/load_phase.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <mutex>
#include <thread>

#include "shared/wire.hpp"

namespace shouxin::bench {
namespace {

using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

std::size_t append(char* data, std::size_t size, std::size_t count, void* body) {
    static_cast<std::string*>(body)->append(data, size * count);
    return size * count;
}

// One kiosk's connection: a curl easy handle kept across requests, so the
// connection stays open (keep-alive), bound to the kiosk's own address.
class Connection {
public:
    Connection(const std::string& baseUrl, const LoadKiosk& kiosk) : m_base(baseUrl) {
        m_curl = curl_easy_init();
        m_interface = "host!" + kiosk.sourceAddress;
        curl_easy_setopt(m_curl, CURLOPT_INTERFACE, m_interface.c_str());
        curl_easy_setopt(m_curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(m_curl, CURLOPT_NOPROXY, "*");
        curl_easy_setopt(m_curl, CURLOPT_CONNECTTIMEOUT, 10L);
        curl_easy_setopt(m_curl, CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(m_curl, CURLOPT_ACCEPT_ENCODING, "gzip");  // as the real client asks
        curl_easy_setopt(m_curl, CURLOPT_WRITEFUNCTION, append);
        curl_easy_setopt(m_curl, CURLOPT_WRITEDATA, &m_body);
        const std::string protocol = std::string(wire::kProtocolHeader) + ": " + std::to_string(wire::kProtocol);
        const std::string auth = "Authorization: Bearer " + kiosk.token;
        for (curl_slist** list : {&m_pullHeaders, &m_pushHeaders}) {
            *list = curl_slist_append(*list, protocol.c_str());
            *list = curl_slist_append(*list, auth.c_str());
            *list = curl_slist_append(*list, "Expect:");
        }
        m_pushHeaders = curl_slist_append(m_pushHeaders, "Content-Type: application/json");
        m_pushHeaders = curl_slist_append(m_pushHeaders, "Content-Encoding: gzip");
    }
    ~Connection() {
        curl_slist_free_all(m_pushHeaders);
        curl_slist_free_all(m_pullHeaders);
        curl_easy_cleanup(m_curl);
    }
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // The status (0 and `error` set when no answer came); the body in body().
    long post(const std::string& path, const std::string& gzipped, std::string& error) {
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDS, gzipped.data());
        curl_easy_setopt(m_curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(gzipped.size()));
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, m_pushHeaders);
        return perform(path, error);
    }
    long get(const std::string& path, std::string& error) {
        curl_easy_setopt(m_curl, CURLOPT_HTTPGET, 1L);
        curl_easy_setopt(m_curl, CURLOPT_HTTPHEADER, m_pullHeaders);
        return perform(path, error);
    }
    const std::string& body() const { return m_body; }

private:
    long perform(const std::string& path, std::string& error) {
        m_body.clear();
        const std::string url = m_base + path;
        curl_easy_setopt(m_curl, CURLOPT_URL, url.c_str());
        const CURLcode rc = curl_easy_perform(m_curl);
        if (rc != CURLE_OK) {
            error = curl_easy_strerror(rc);
            return 0;
        }
        long status = 0;
        curl_easy_getinfo(m_curl, CURLINFO_RESPONSE_CODE, &status);
        return status;
    }

    std::string m_base;
    std::string m_interface;
    CURL* m_curl = nullptr;
    curl_slist* m_pushHeaders = nullptr;
    curl_slist* m_pullHeaders = nullptr;
    std::string m_body;
};

// An error's kind: the request, then the HTTP status and the protocol's
// reason, or the transport's message and after how many whole seconds.
std::string errorKind(const char* request, long status, const std::string& body, const std::string& transport,
                      double ms) {
    if (status == 0)
        return std::string(request) + ": no answer (" + transport + ") after " +
               std::to_string(static_cast<long>(ms / 1000)) + " s";
    const auto refusal = wire::decodeErrorBody(body);
    // A server error says what went wrong (its detail), so that a run names the cause.
    const bool serverError = status >= 500 && refusal && !refusal->detail.empty();
    return std::string(request) + ": HTTP " + std::to_string(status) +
           (refusal && !refusal->reason.empty() ? " " + refusal->reason : std::string()) +
           (serverError ? " (" + refusal->detail.substr(0, 160) + ")" : std::string());
}

// One kiosk's loop: a batch every interval, a pull (all its pages) after
// every few accepted pushes. A failed push is sent again at its next turn,
// as the real client would.
void runKiosk(LoadKiosk& kiosk, const LoadOptions& options, Clock::time_point start, Clock::time_point end,
              double offset, LoadResult& tally) {
    Connection connection(options.baseUrl, kiosk);
    const auto interval = std::chrono::duration_cast<Clock::duration>(
        std::chrono::duration<double>(options.pushIntervalSeconds));
    auto next = start + std::chrono::duration_cast<Clock::duration>(interval * offset);
    std::string error;
    long pushesSincePull = 0;
    while (kiosk.batchesAccepted < kiosk.pushBodies.size()) {
        std::this_thread::sleep_until(std::min(next, end));
        if (Clock::now() >= end) break;
        next = std::max(next + interval, Clock::now());

        const std::size_t batch = kiosk.batchesAccepted;
        auto t = Clock::now();
        long status = connection.post("/v1/push", kiosk.pushBodies[batch], error);
        const double pushMs = msSince(t);
        if (status != 201) {
            ++tally.errors[errorKind("push", status, connection.body(), error, pushMs)];
            continue;
        }
        const auto answer = wire::decodePushResponse(connection.body());
        if (!answer || answer->results.size() != kiosk.batchSizes[batch]) {
            ++tally.errors["push: 201 without a readable body"];
            continue;
        }
        for (const auto& r : answer->results) {
            if (r.outcome == wire::EventOutcome::accepted)
                ++tally.eventsAccepted;
            else
                ++tally.errors["push: event " + std::string(wire::idOf(r.outcome)) + " " + r.reason];
        }
        ++tally.pushes;
        tally.pushMs.push_back(pushMs);
        kiosk.ackedThrough = kiosk.headSeqs[batch];
        ++kiosk.batchesAccepted;

        if (++pushesSincePull < options.pullEvery) continue;
        pushesSincePull = 0;
        for (bool more = true; more && Clock::now() < end;) {
            t = Clock::now();
            status = connection.get("/v1/events?after=" + std::to_string(kiosk.cursor) + "&limit=1000", error);
            const double pullMs = msSince(t);
            if (status != 200) {
                ++tally.errors[errorKind("pull", status, connection.body(), error, pullMs)];
                break;
            }
            const auto page = wire::decodePullResponse(connection.body());
            if (!page || page->dseqs.size() != page->events.size()) {
                ++tally.errors["pull: 200 without a readable body"];
                break;
            }
            ++tally.pulls;
            tally.pullMs.push_back(pullMs);
            tally.eventsPulled += static_cast<long>(page->events.size());
            kiosk.cursor = page->next;
            more = page->more;
        }
    }
}

}  // namespace

long LoadResult::errorCount() const {
    long n = 0;
    for (const auto& [kind, count] : errors)
        n += count;
    return n;
}

double percentile(std::vector<double> ms, double p) {
    if (ms.empty()) return 0;
    std::sort(ms.begin(), ms.end());
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(p * static_cast<double>(ms.size())))];
}

LoadResult runLoad(std::vector<LoadKiosk>& kiosks, const LoadOptions& options) {
    LoadResult total;
    std::mutex m;
    std::vector<std::thread> threads;
    // A moment to start every thread, then each kiosk's first push spread
    // over the first interval, so that the load is steady from the start.
    const auto start = Clock::now() + std::chrono::milliseconds(500);
    const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.seconds));
    for (std::size_t i = 0; i < kiosks.size(); ++i) {
        threads.emplace_back([&, i] {
            LoadResult mine;
            runKiosk(kiosks[i], options, start, end, static_cast<double>(i) / static_cast<double>(kiosks.size()),
                     mine);
            std::lock_guard lock(m);
            total.pushes += mine.pushes;
            total.pulls += mine.pulls;
            total.eventsAccepted += mine.eventsAccepted;
            total.eventsPulled += mine.eventsPulled;
            total.pushMs.insert(total.pushMs.end(), mine.pushMs.begin(), mine.pushMs.end());
            total.pullMs.insert(total.pullMs.end(), mine.pullMs.begin(), mine.pullMs.end());
            for (const auto& [kind, count] : mine.errors)
                total.errors[kind] += count;
        });
    }
    for (auto& t : threads)
        t.join();
    total.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return total;
}

}  // namespace shouxin::bench
