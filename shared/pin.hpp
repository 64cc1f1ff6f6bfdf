#pragma once
// Clerk PINs: six digits, kept only as Argon2id hashes (libsodium
// crypto_pwhash_str at the interactive limits), and the pad's lockout: five
// failed tries lock it, each further failure doubling the delay.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace shouxin::pin {

inline constexpr int kLength = 6;
inline constexpr int kFreeTries = 5;
inline constexpr std::int64_t kFirstLockMillis = 30'000;
inline constexpr std::int64_t kMaxLockMillis = 60 * 60 * 1000;

/// Exactly six ASCII digits.
bool isValid(std::string_view pin);
/// The Argon2id hash string of a valid PIN (takes a noticeable fraction of
/// a second and 64 MiB by design: call it off the UI thread).
std::string hash(std::string_view pin);
/// Whether `pin` matches `hashString` (same cost as hash()).
bool matches(std::string_view pin, const std::string& hashString);

// ---- Verifiers stay with the office ---------------------------------------
//
// A six-digit PIN's Argon2id string is cracked offline in hours, so it
// never travels readable: the office's kiosks share an office key (32
// random bytes, in a file beside each kiosk's database, copied when a kiosk
// is set up) and the verifier travels in clerk.added sealed with it
// (XSalsa20-Poly1305, libsodium crypto_secretbox). The district and every
// other office see only the sealed form.

inline constexpr std::string_view kSealedPrefix = "sealed:";

/// A new office key, hex.
std::string newOfficeKey();
/// Whether `text` is an office key (64 hex digits).
bool isOfficeKey(std::string_view text);
/// "sealed:" + base64(nonce | secretbox(verifier)).
std::string seal(std::string_view verifier, std::string_view officeKeyHex);
/// The verifier inside a sealed one; nullopt when the key is not the one it
/// was sealed with or the text is damaged.
std::optional<std::string> unseal(std::string_view sealed, std::string_view officeKeyHex);
/// Whether a stored verifier is sealed (else a legacy readable Argon2id
/// string, which travelled before verifiers were sealed).
bool isSealed(std::string_view verifier);

/// The pad's failure state, kept in the node's database so that it
/// survives a restart.
struct Lockout {
    int failures = 0;                // consecutive failed tries
    std::int64_t lockedUntil = 0;    // Unix ms; 0 when not locked

    bool lockedAt(std::int64_t nowMillis) const { return nowMillis < lockedUntil; }
    /// After a failed try at `nowMillis`: from the fifth failure on, locked
    /// for 30 s, 60 s, 120 s, ... up to an hour.
    Lockout afterFailure(std::int64_t nowMillis) const;
};

}  // namespace shouxin::pin
