#pragma once
// Hashing, identifiers and device keys, all on libsodium.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace shouxin {

/// Lower-case hex SHA-256 of `bytes`.
std::string sha256Hex(std::string_view bytes);

/// Raw 32-byte SHA-256, for building further digests.
class Sha256 {
public:
    Sha256();
    void update(std::string_view bytes);
    std::string finishHex();

private:
    alignas(64) unsigned char m_state[128];
};

/// A fresh UUIDv7 (RFC 9562): 48-bit Unix milliseconds, version 7, random.
std::string newUuidV7();
std::string newUuidV7(std::int64_t unixMillis);

/// Random bytes from the system's CSPRNG.
std::string randomBytes(std::size_t n);

/// An Ed25519 device key pair, hex-encoded.
struct KeyPair {
    std::string publicKeyHex;  // 32 bytes
    std::string secretKeyHex;  // 64 bytes (seed + public key, libsodium form)
};

KeyPair newKeyPair();

/// Writes one line of secret text to a new file with mode 0600 (created
/// exclusively, fsynced). Throws std::runtime_error.
void writeSecretFile(const std::filesystem::path& path, std::string_view text);
/// The first word of a file written by writeSecretFile; nullopt if missing.
std::optional<std::string> readSecretFile(const std::filesystem::path& path);

/// Writes the secret key to `path` with mode 0600 (created exclusively:
/// an existing file is never overwritten). Throws std::runtime_error.
void writeKeyFile(const std::filesystem::path& path, const KeyPair& keys);
/// Reads a key file written by writeKeyFile; nullopt if missing or bad.
std::optional<KeyPair> readKeyFile(const std::filesystem::path& path);
/// The key file of a node database: "<db>.key" beside it.
std::filesystem::path keyFileFor(const std::filesystem::path& dbPath);
/// The district's key file: "district.key" in `keysDir` when one is given
/// (a district on PostgreSQL keeps it there: its database is no file to sit
/// beside), else keyFileFor(db). Empty for a URL without `keysDir`.
std::filesystem::path districtKeyFile(const std::filesystem::path& db, const std::filesystem::path& keysDir);

/// Whether two equally long byte strings are equal, in time that does not
/// depend on where they differ (sodium_memcmp).
bool equalConstantTime(std::string_view a, std::string_view b);

/// The office key file of a node database: "<db>.office-key" beside it
/// (pin.hpp: the key the office's kiosks seal PIN verifiers with).
std::filesystem::path officeKeyFileFor(const std::filesystem::path& dbPath);

/// What a device signs with each push: its chain head.
std::string chainHeadMessage(std::string_view device, std::int64_t seq, std::string_view headHash);
/// Detached Ed25519 signature (hex) of `message`.
std::string signHex(const KeyPair& keys, std::string_view message);
/// What the district signs in its receipt for an accepted push: the
/// device's chain head as the district holds it, and the district's log
/// position after the push.
std::string receiptMessage(std::string_view device, std::int64_t seq, std::string_view headHash,
                           std::int64_t dseq);
bool verifySignature(std::string_view publicKeyHex, std::string_view message, std::string_view signatureHex);
/// What the district signs in its published event log (audit.hpp) for each
/// device: that this device belongs to this office and signs with this key.
std::string deviceKeyMessage(std::string_view device, std::string_view office, std::string_view publicKeyHex);
/// What the district signs at the end of its published event log: its log
/// position and the digest of the state all those events fold to.
std::string logStateMessage(std::string_view district, std::int64_t lastDseq, std::string_view digest);

// ---- Sealed to the district -------------------------------------------------
// A complainant's contact details are sealed to the district's Ed25519 key
// (converted to X25519) in a libsodium sealed box, base64: anyone may seal,
// only the district's secret key opens.

/// Seals `plain` to the district whose Ed25519 public key is
/// `districtKeyHex`; nullopt when that is not a public key.
std::optional<std::string> sealToDistrict(std::string_view plain, std::string_view districtKeyHex);
/// Opens what sealToDistrict made, with the district's key pair; nullopt
/// for any other key or damaged bytes.
std::optional<std::string> openSealed(std::string_view sealedBase64, const KeyPair& district);
/// Whether `text` is the base64 of a sealed box with at least one byte
/// sealed, and at most `maxChars` long: its form, which anyone can check.
bool isSealedBox(std::string_view text, std::size_t maxChars);

}  // namespace shouxin
