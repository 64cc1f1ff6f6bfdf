#pragma once
// Every node setting (Store::setting), in one typed list: what it holds,
// who writes it and who reads it. Kept in the node table under
// "setting.<key>"; the keys are stored in databases in the field, so a key
// is never renamed.
#include <cstdint>
#include <string_view>

namespace shouxin {

enum class Setting : std::uint8_t {
    // Enrolment and transport (sync client; `shouxin enroll`, `set-server`).
    serverUrl,       // the district's base URL
    token,           // this device's bearer token
    pins,            // "sha256//A;sha256//B", or "" for CA verification
    district,        // the district's 6-digit code
    districtDevice,  // the district's own device, pinned at enrolment (Store::pinDistrict)
    districtKey,     // the district's public key (hex), pinned at enrolment
    publicSite,      // the district's public web site, as it said at enrolment (QR codes)
    // Sync progress (sync client; shown by `shouxin status` and the kiosk).
    cursor,           // the district sequence number pulled up to
    lastSync,         // Unix ms of the last full round
    lastError,        // reason id of the last failed round
    lastErrorDetail,  // its detail
    lastErrorAt,      // Unix ms
    clockSkew,        // server time minus ours, ms
    clockOffset,      // added to our clock for new stamps, ms (Store::record)
    receipt,          // the district's latest receipt: "seq head_hash dseq signature" (Store::keepReceipt)
    epoch,            // the district's (a server: the level above's) incarnation last seen (Store::followEpoch)
    epochRepull,      // "1" while the pull from the start after a new epoch has not reached the end
    // The PIN pad's lockout, surviving a restart (Store::checkPin).
    pinFailures,     // failed attempts in a row
    pinLockedUntil,  // Unix ms
    // Healing a damaged node file from the district (sync/client/heal.hpp).
    healFrom,  // the damaged copy kept aside, while its own events are still to be recovered from it
};

/// Every setting, in declaration order.
inline constexpr Setting kAllSettings[] = {
    Setting::serverUrl,   Setting::token,       Setting::pins,           Setting::district,
    Setting::districtDevice, Setting::districtKey, Setting::publicSite,  Setting::cursor,
    Setting::lastSync,    Setting::lastError,   Setting::lastErrorDetail, Setting::lastErrorAt,
    Setting::clockSkew,   Setting::clockOffset, Setting::receipt,        Setting::epoch,
    Setting::epochRepull, Setting::pinFailures, Setting::pinLockedUntil, Setting::healFrom,
};

/// The key a setting is stored under (without the "setting." prefix).
constexpr std::string_view keyOf(Setting s) {
    switch (s) {
        case Setting::serverUrl:
            return "server_url";
        case Setting::token:
            return "token";
        case Setting::pins:
            return "pins";
        case Setting::district:
            return "district";
        case Setting::districtDevice:
            return "district_device";
        case Setting::districtKey:
            return "district_key";
        case Setting::publicSite:
            return "public_site";
        case Setting::cursor:
            return "cursor";
        case Setting::lastSync:
            return "last_sync";
        case Setting::lastError:
            return "last_error";
        case Setting::lastErrorDetail:
            return "last_error_detail";
        case Setting::lastErrorAt:
            return "last_error_at";
        case Setting::clockSkew:
            return "clock_skew_ms";
        case Setting::clockOffset:
            return "clock_offset_ms";
        case Setting::receipt:
            return "receipt";
        case Setting::epoch:
            return "epoch";
        case Setting::epochRepull:
            return "epoch_repull";
        case Setting::pinFailures:
            return "pin_failures";
        case Setting::pinLockedUntil:
            return "pin_locked_until";
        case Setting::healFrom:
            return "heal_from";
    }
    return "";
}

}  // namespace shouxin
