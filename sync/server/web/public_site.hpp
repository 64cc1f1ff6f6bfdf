#pragma once
// The district's public side (DESIGN.md, "The district on the web"): the
// pages people read (/, /o/OFFICE, /c/ID, /search) and the open data
// (/data, /data/SCOPE/WHAT.FORMAT, /data/log.jsonl), GET and HEAD only.
//
// It never takes the sync side's lock: pages read through their own
// SQLite connections (WAL readers see the last commit and never block the
// writer), at most `readers` at a time, and at most as many requests wait
// (briefly) for one. Any more are told to come back (503, Retry-After) at
// once rather than holding a server thread, so a crowd of readers cannot
// starve kiosks' sync of the server's threads.
#include <filesystem>
#include <memory>
#include <optional>

#include "shared/crypto.hpp"
#include "shared/domain.hpp"
#include "sync/server/http_server.hpp"

namespace shouxin::server::web {

/// Requests that may wait for a reader; with SiteOptions::readers, the
/// most server threads the public side holds at once.
inline constexpr unsigned kMaxWaiting = 8;

struct SiteOptions {
    std::filesystem::path db;
    std::optional<Date> today;  // nullopt: the server's today, each request
    unsigned readers = 2;       // pages rendered at once: the CPU the public side may take
    /// Where open data files are written once per state of the log
    /// (default: "<db>.open-data" beside the database).
    std::filesystem::path cacheDir;
};

class PublicSite {
public:
    /// `districtKey` signs the published event log's receipts and state.
    PublicSite(SiteOptions options, KeyPair districtKey);
    ~PublicSite();
    PublicSite(const PublicSite&) = delete;
    PublicSite& operator=(const PublicSite&) = delete;

    /// Before any body byte: anything but GET and HEAD is refused (405).
    std::optional<HttpResponse> admit(const HttpRequest& request) const;
    void answer(const HttpRequest& request, HttpResponse& response);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace shouxin::server::web
