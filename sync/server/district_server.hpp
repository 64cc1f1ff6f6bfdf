#pragma once
// The district sync server: the protocol of docs/PROTOCOL.md over
// http_server.hpp (libmicrohttpd), on a district database made by
// Store::createDistrict.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "shared/domain.hpp"

namespace shouxin::server {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 0;                    // 0: the OS picks one
    std::filesystem::path certFile;  // TLS when both are given
    std::filesystem::path keyFile;
    /// The public pages' address when it is not this server's own (behind a
    /// proxy): told to kiosks at enrolment for their QR codes.
    std::string publicSite;
    /// Where the public pages and open data read from: a read replica of
    /// the district's PostgreSQL database (a hot standby); empty: the
    /// district's own database. Sync always reads and writes the primary.
    std::filesystem::path publicDb;
    /// The date overdue is derived for on the public pages; nullopt: today.
    std::optional<Date> today;
};

class DistrictServer {
public:
    /// `db`: a file or a PostgreSQL URL; `keyFile`: the district's key file
    /// (empty: keyFileFor(db), beside the file).
    explicit DistrictServer(const std::filesystem::path& db, const std::filesystem::path& keyFile = {});
    ~DistrictServer();
    DistrictServer(const DistrictServer&) = delete;
    DistrictServer& operator=(const DistrictServer&) = delete;

    /// Binds; returns the port (the OS's pick for port 0), or -1.
    int bind(const ServerOptions& options);
    /// Serves until stop(); blocks.
    void run();
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace shouxin::server
