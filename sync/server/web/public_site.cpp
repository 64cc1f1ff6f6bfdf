#include "sync/server/web/public_site.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <fstream>
#include <map>
#include <mutex>
#include <vector>

#include "shared/audit.hpp"
#include "shared/open_data.hpp"
#include "shared/store.hpp"
#include "sync/server/web/pages.hpp"

namespace shouxin::server::web {
namespace fs = std::filesystem;
namespace {

// A search longer than this is no search a person typed.
constexpr std::size_t kMaxQueryBytes = 200;

// A request waits this long at most for a read connection, and at most
// kMaxWaiting requests wait; the others are answered at once. So the
// public side holds at most readers + kMaxWaiting server threads
// (kPublicThreads), each for a page's few milliseconds plus the wait.
constexpr auto kReaderWait = std::chrono::milliseconds(100);

// Read connections, at most `size` open at a time.
class Readers {
public:
    Readers(fs::path db, unsigned size) : m_db(std::move(db)), m_size(size == 0 ? 1 : size) {}

    class Lease {
    public:
        Lease(Readers& owner, std::unique_ptr<Store> store) : m_owner(&owner), m_store(std::move(store)) {}
        Lease(Lease&& other) noexcept = default;
        Lease& operator=(Lease&&) = delete;
        Lease(const Lease&) = delete;
        ~Lease() {
            if (m_store) m_owner->giveBack(std::move(m_store));
        }
        const Store& store() const { return *m_store; }

    private:
        Readers* m_owner;
        std::unique_ptr<Store> m_store;
    };

    /// A connection, waiting up to `wait` for one; nullopt when none came
    /// free in time or too many wait already.
    std::optional<Lease> acquire(std::chrono::milliseconds wait) {
        std::unique_ptr<Store> store;
        {
            std::unique_lock lock(m_mutex);
            if (m_idle.empty() && m_open >= m_size) {
                if (m_waiting >= kMaxWaiting) return std::nullopt;
                ++m_waiting;
                const bool freed = m_freed.wait_for(lock, wait, [this] { return !m_idle.empty(); });
                --m_waiting;
                if (!freed) return std::nullopt;
            }
            if (!m_idle.empty()) {
                store = std::move(m_idle.back());
                m_idle.pop_back();
            } else {
                ++m_open;
            }
        }
        if (!store) {
            try {
                // Checked and migrated when the server opened it.
                store = std::make_unique<Store>(Store::open(m_db));
            } catch (...) {
                std::lock_guard lock(m_mutex);
                --m_open;
                throw;
            }
        }
        return Lease(*this, std::move(store));
    }

private:
    void giveBack(std::unique_ptr<Store> store) {
        {
            std::lock_guard lock(m_mutex);
            m_idle.push_back(std::move(store));
        }
        m_freed.notify_one();
    }

    fs::path m_db;
    unsigned m_size;
    std::mutex m_mutex;
    std::condition_variable m_freed;
    unsigned m_open = 0;
    unsigned m_waiting = 0;
    std::vector<std::unique_ptr<Store>> m_idle;
};

// An open data file as written for one state of the log and one day.
// A file is written again at most this often while the log keeps
// changing (a district-wide history at 100k commitments takes seconds).
constexpr auto kFreshFor = std::chrono::seconds(60);

struct Snapshot {
    std::string mark;  // "<change mark>-<day>"
    Date day;
    std::chrono::steady_clock::time_point written;
    fs::path file;
};

// An open snapshot and the state it was written for (its ETag).
struct Opened {
    int fd = -1;
    std::string mark;
};

bool isCommitmentId(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (const char c : id) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == '-')) return false;
    }
    return true;
}

void setHtml(HttpResponse& res, const Rendered& page, Lang lang) {
    res.status = page.status;
    res.setContent(page.html, "text/html; charset=utf-8");
    res.setHeader("Content-Language", lang == Lang::zh ? "zh-CN" : "en");
}

}  // namespace

struct PublicSite::Impl {
    SiteOptions options;
    KeyPair key;
    Readers readers;
    std::string district;
    std::string districtName;

    std::mutex snapshotMutex;  // the map below
    std::map<std::string, Snapshot> snapshots;
    std::mutex buildMutex;  // one open data file written at a time

    // An overview reads every commitment (about 100 ms at 100k): it is
    // rendered once per state of the log, day, scope, language and order.
    std::mutex overviewMutex;
    std::string overviewMark;
    std::map<std::string, Rendered> overviews;

    Rendered overview(const PageContext& ctx, const Store& store, const std::string& mark,
                      const std::string& scope) {
        std::string cacheKey = scope + (ctx.lang == Lang::zh ? "|zh" : "|en");
        for (const auto& [name, value] : ctx.params) {
            if (name == "sort") cacheKey += "|" + value;
        }
        {
            std::lock_guard lock(overviewMutex);
            if (overviewMark == mark) {
                const auto it = overviews.find(cacheKey);
                if (it != overviews.end()) return it->second;
            }
        }
        Rendered page = overviewPage(ctx, store, scope);
        std::lock_guard lock(overviewMutex);
        if (overviewMark != mark) {
            overviews.clear();
            overviewMark = mark;
        }
        // Any sort= text makes a key: keep a bounded few.
        if (overviews.size() < 64) overviews.emplace(cacheKey, page);
        return page;
    }

    Impl(SiteOptions o, KeyPair k)
        : options(std::move(o)), key(std::move(k)), readers(options.db, options.readers) {
        if (options.cacheDir.empty()) options.cacheDir = fs::path(options.db.string() + ".open-data");
        fs::create_directories(options.cacheDir);
        // Files of an earlier run describe an older log: start afresh.
        for (const auto& entry : fs::directory_iterator(options.cacheDir)) fs::remove(entry.path());
        auto lease = readers.acquire(kReaderWait);
        const NodeInfo node = lease->store().node();
        district = node.office;
        districtName = node.officeName;
    }

    // A region below the server that it knows: an office in it is named here.
    static bool holds(const Store& store, const std::string& region) {
        return !store.offices(region).empty();
    }

    PageContext context(const HttpRequest& req) const {
        PageContext ctx;
        ctx.lang = req.param("lang") == "en" ? Lang::en : Lang::zh;
        ctx.today = options.today.value_or(Date::today());
        ctx.districtName = districtName;
        ctx.serverCode = district;
        ctx.path = req.path;
        for (const auto& [name, value] : req.params) {
            if (name != "lang") ctx.params.emplace_back(name, value);
        }
        return ctx;
    }

    // The open data file `name` for this state of the log and `today`,
    // opened for reading: the one written last when it is of this state,
    // or of today and under kFreshFor old; else written now. While another
    // file is being written the last one is handed out, whatever its age;
    // fd -1 when there is none. Opened under the lock that replaces files,
    // so a file is never removed between being picked and being opened (an
    // open one stays readable).
    Opened snapshot(const std::string& name, const std::string& mark, Date today,
                    const std::function<void(std::ostream&)>& write) {
        const auto openKept = [&](bool usable) -> Opened {
            const auto it = snapshots.find(name);
            if (it == snapshots.end()) return {};
            const Snapshot& kept = it->second;
            const bool fresh = kept.mark == mark ||
                               (kept.day == today && std::chrono::steady_clock::now() - kept.written < kFreshFor);
            if (usable && !fresh) return {};
            return {::open(kept.file.c_str(), O_RDONLY | O_CLOEXEC), kept.mark};
        };
        {
            std::lock_guard lock(snapshotMutex);
            if (Opened kept = openKept(true); kept.fd >= 0) return kept;
        }
        std::unique_lock build(buildMutex, std::try_to_lock);
        if (!build.owns_lock()) {
            std::lock_guard lock(snapshotMutex);
            return openKept(false);
        }
        const fs::path file = options.cacheDir / (mark + "-" + name);
        const fs::path part = fs::path(file.string() + ".part");
        {
            std::ofstream out(part, std::ios::binary | std::ios::trunc);
            write(out);
            out.close();
            if (!out) {
                fs::remove(part);
                throw std::runtime_error("cannot write " + part.string());
            }
        }
        fs::rename(part, file);
        std::lock_guard lock(snapshotMutex);
        Snapshot& kept = snapshots[name];
        if (!kept.file.empty() && kept.file != file) fs::remove(kept.file);
        kept = {mark, today, std::chrono::steady_clock::now(), file};
        return openKept(true);
    }

    void openData(const PageContext& ctx, const Store& store, const std::string& rest, const std::string& mark,
                  HttpResponse& res) {
        // "log.jsonl", or "<scope>/<what>.<format>"
        std::string name;
        std::string type;
        std::function<void(std::ostream&)> write;
        if (rest == "log.jsonl") {
            name = "log.jsonl";
            type = "application/x-ndjson; charset=utf-8";
            write = [this, &store](std::ostream& out) { writeAuditLog(store, key, out); };
        } else {
            const auto slash = rest.find('/');
            const auto dot = rest.rfind('.');
            if (slash == std::string::npos || dot == std::string::npos || dot < slash) return notFound(ctx, res);
            const std::string scope = rest.substr(0, slash);
            const std::string what = rest.substr(slash + 1, dot - slash - 1);
            const auto format = parseDataFormat(rest.substr(dot + 1));
            const bool known = inScope(district, scope) && (isOfficeCode(scope) || isRegionCode(scope));
            if (!known || !format || (what != "commitments" && what != "history" && what != "figures"))
                return notFound(ctx, res);
            name = scope + "-" + what + "." + std::string(idOf(*format));
            type = *format == DataFormat::csv ? "text/csv; charset=utf-8" : "application/json; charset=utf-8";
            const Date today = ctx.today;
            const DataFormat f = *format;
            write = [&store, scope, what, today, f](std::ostream& out) {
                if (what == "commitments") writeCommitments(store, scope, today, f, out);
                if (what == "history") writeHistory(store, scope, today, f, out);
                if (what == "figures") writeFigures(store, scope, today, f, out);
            };
        }
        const Opened opened = snapshot(name, mark, ctx.today, write);
        if (opened.fd < 0) return busy(ctx, res);
        res.status = 200;
        res.fileDescriptor = opened.fd;
        // The tag of the state the file was written for.
        for (auto& [header, value] : res.headers) {
            if (header == "ETag") value = "\"" + opened.mark + "\"";
        }
        res.contentType = type;
        res.setHeader("Content-Disposition", "inline; filename=\"shouxin-" + name + "\"");
        res.setHeader("Access-Control-Allow-Origin", "*");
    }

    void notFound(const PageContext& ctx, HttpResponse& res) const {
        setHtml(res, errorPage(ctx, 404, "web.error.not_found"), ctx.lang);
    }
    void busy(const PageContext& ctx, HttpResponse& res) const {
        setHtml(res, errorPage(ctx, 503, "web.error.busy"), ctx.lang);
        res.setHeader("Retry-After", "1");
        res.setHeader("Cache-Control", "no-store");
    }
};

PublicSite::PublicSite(SiteOptions options, KeyPair districtKey)
    : m_impl(std::make_unique<Impl>(std::move(options), std::move(districtKey))) {}
PublicSite::~PublicSite() = default;

std::optional<HttpResponse> PublicSite::admit(const HttpRequest& req) const {
    if (req.method == "GET" || req.method == "HEAD") return std::nullopt;
    HttpResponse res;
    const PageContext ctx = m_impl->context(req);
    setHtml(res, errorPage(ctx, 405, "web.error.method"), ctx.lang);
    res.setHeader("Allow", "GET, HEAD");
    return res;
}

void PublicSite::answer(const HttpRequest& req, HttpResponse& res) {
    Impl& impl = *m_impl;
    const PageContext ctx = impl.context(req);
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "no-referrer");
    res.setHeader("Content-Security-Policy",
                  "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; "
                  "frame-ancestors 'none'");
    const std::string& path = req.path;
    const std::string query = req.param("q");
    if (query.size() > kMaxQueryBytes) {
        setHtml(res, errorPage(ctx, 400, "web.error.query_too_long"), ctx.lang);
        return;
    }
    auto lease = impl.readers.acquire(kReaderWait);
    if (!lease) return impl.busy(ctx, res);
    const Store& store = lease->store();

    // Every page and file is a function of the log and the day: the same
    // tag, the same bytes (for this URL).
    const std::string mark = std::to_string(store.changeMark()) + "-" + ctx.today.toString();
    const std::string etag = "\"" + mark + "\"";
    res.setHeader("ETag", etag);
    res.setHeader("Cache-Control", "public, max-age=60");
    if (req.header("If-None-Match") == etag) {
        res.status = 304;
        return;
    }
    if (path.rfind("/data/", 0) == 0) return impl.openData(ctx, store, path.substr(6), mark, res);

    Rendered page;
    const std::string code = path.rfind("/o/", 0) == 0 ? path.substr(3) : std::string();
    if (path == "/") {
        page = impl.overview(ctx, store, mark, impl.district);
    } else if (path == "/search") {
        page = searchPage(ctx, store, query);
    } else if (path == "/data") {
        page = dataPage(ctx, store);
    } else if (path.rfind("/c/", 0) == 0 && isCommitmentId(path.substr(3))) {
        page = commitmentPage(ctx, store, path.substr(3));
    } else if (isOfficeCode(code) && inScope(impl.district, code)) {
        page = officePage(ctx, store, code);
    } else if (isRegionCode(code) && code.size() > impl.district.size() && inScope(impl.district, code) &&
               impl.holds(store, code)) {
        page = impl.overview(ctx, store, mark, code);
    } else {
        page = errorPage(ctx, 404, "web.error.not_found");
    }
    setHtml(res, page, ctx.lang);
}

}  // namespace shouxin::server::web
