#pragma once
// The district's registry of devices: one-time enrolment codes, device
// tokens (kept only as hashes) and revocation. Same database file as the
// district's store, own connection; each device's signed chain head is
// stored by Store::applyBatch with the events it signs.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace shouxin::server {

/// Why the registry refused an enrolment; the server maps it to a status
/// and the protocol's reason (district_server.cpp).
enum class EnrolRefusal : std::uint8_t {
    malformed,      // a bad device id, office code or public key, or not directly below this server
    enrolmentCode,  // unknown, used, expired or another office's
    deviceExists,   // the device id is already known
};

/// A device's bearer token, or why there is none.
struct Enrolment {
    std::optional<std::string> token;
    EnrolRefusal refusal = EnrolRefusal::malformed;  // when no token
    std::string field;
    std::string detail;
    explicit operator bool() const { return token.has_value(); }
};

struct Device {
    std::string id;
    std::string office;
    std::string publicKey;
    std::int64_t headSeq = 0;
    std::string headHash;
    bool revoked = false;
};

class Registry {
public:
    explicit Registry(const std::filesystem::path& db);
    ~Registry();
    Registry(const Registry&) = delete;
    Registry& operator=(const Registry&) = delete;

    /// A new one-time code for `office`, valid for `ttlSeconds`; shown as
    /// XXXXX-XXXXX. Only its hash is stored.
    std::string addEnrolmentCode(std::string_view office, std::int64_t ttlSeconds);
    /// Registers a device with a code; returns its bearer token, or why not.
    Enrolment enrol(std::string_view code, std::string_view device, std::string_view office,
                              std::string_view publicKey);
    /// Relayed from the region `by` below: `device` belongs to `office` under
    /// `key`, as that region says. Known already: it must be the same office
    /// and key. New: kept (no token: it never syncs here itself), if its
    /// office is in `by`'s region and, for a region's own device, no other
    /// device speaks for that region. "" when vouched, else why not.
    std::string vouch(const Device& by, std::string_view device, std::string_view office, std::string_view key);
    /// A device's chain head as stored here (0 when unknown).
    std::int64_t headSeq(std::string_view device) const;
    /// The device holding this token, if any (revoked ones included).
    std::optional<Device> authenticate(std::string_view token) const;
    /// Refuses the device from now on; false if no such device.
    bool revoke(std::string_view device);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// "ABCDE-FGHJK" → "ABCDEFGHJK", upper case; "" when it cannot be a code.
std::string normaliseCode(std::string_view code);

}  // namespace shouxin::server
