#include "shared/crypto.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>

#include "shared/sql.hpp"
#include "shared/text.hpp"

namespace shouxin {
namespace {

// libsodium must be initialised once before use; sodium_init is thread-safe
// and idempotent.
void ensureSodium() {
    static const bool kReady = sodium_init() >= 0;
    if (!kReady) throw std::runtime_error("libsodium failed to initialise");
}

const unsigned char* bytesOf(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

crypto_hash_sha256_state* stateOf(unsigned char* storage) {
    static_assert(sizeof(crypto_hash_sha256_state) <= 128);
    return reinterpret_cast<crypto_hash_sha256_state*>(storage);
}

}  // namespace

std::string sha256Hex(std::string_view bytes) {
    Sha256 h;
    h.update(bytes);
    return h.finishHex();
}

Sha256::Sha256() {
    ensureSodium();
    crypto_hash_sha256_init(stateOf(m_state));
}

void Sha256::update(std::string_view bytes) {
    crypto_hash_sha256_update(stateOf(m_state), bytesOf(bytes), bytes.size());
}

std::string Sha256::finishHex() {
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(stateOf(m_state), out);
    return toHex(std::string_view(reinterpret_cast<const char*>(out), sizeof out));
}

std::string randomBytes(std::size_t n) {
    ensureSodium();
    std::string out(n, '\0');
    randombytes_buf(out.data(), n);
    return out;
}

std::string newUuidV7() {
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    return newUuidV7(std::chrono::duration_cast<std::chrono::milliseconds>(now).count());
}

std::string newUuidV7(std::int64_t unixMillis) {
    std::string b = randomBytes(16);
    const auto ms = static_cast<std::uint64_t>(unixMillis);
    for (int i = 0; i < 6; ++i)
        b[static_cast<std::size_t>(i)] = static_cast<char>(ms >> (40 - 8 * i));
    b[6] = static_cast<char>((b[6] & 0x0F) | 0x70);  // version 7
    b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);  // RFC 9562 variant
    const std::string hex = toHex(b);
    return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) +
           "-" + hex.substr(20);
}

KeyPair newKeyPair() {
    ensureSodium();
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    crypto_sign_keypair(pk, sk);
    KeyPair keys{toHex({reinterpret_cast<const char*>(pk), sizeof pk}),
                 toHex({reinterpret_cast<const char*>(sk), sizeof sk})};
    sodium_memzero(sk, sizeof sk);
    return keys;
}

std::filesystem::path keyFileFor(const std::filesystem::path& dbPath) {
    std::filesystem::path p = dbPath;
    p += ".key";
    return p;
}

std::filesystem::path districtKeyFile(const std::filesystem::path& db, const std::filesystem::path& keysDir) {
    if (!keysDir.empty()) return keysDir / "district.key";
    return sql::isUrl(db.string()) ? std::filesystem::path() : keyFileFor(db);
}

void writeSecretFile(const std::filesystem::path& path, std::string_view text) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + path.string());
    const std::string line = std::string(text) + "\n";
    const bool ok =
        ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot write " + path.string());
}

std::optional<std::string> readSecretFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::string word;
    if (!(in >> word)) return std::nullopt;
    return word;
}

void writeKeyFile(const std::filesystem::path& path, const KeyPair& keys) {
    writeSecretFile(path, keys.secretKeyHex);
}

std::optional<KeyPair> readKeyFile(const std::filesystem::path& path) {
    const auto hex = readSecretFile(path);
    if (!hex) return std::nullopt;
    const auto sk = fromHex(*hex);
    if (!sk || sk->size() != crypto_sign_SECRETKEYBYTES) return std::nullopt;
    // libsodium's secret key carries the public key in its second half.
    return KeyPair{toHex(sk->substr(32)), *hex};
}

std::filesystem::path officeKeyFileFor(const std::filesystem::path& dbPath) {
    std::filesystem::path p = dbPath;
    p += ".office-key";
    return p;
}

std::string chainHeadMessage(std::string_view device, std::int64_t seq, std::string_view headHash) {
    return "shouxin-chain-head/1\n" + std::string(device) + "\n" + std::to_string(seq) + "\n" +
           std::string(headHash);
}

std::string receiptMessage(std::string_view device, std::int64_t seq, std::string_view headHash,
                           std::int64_t dseq) {
    return "shouxin-receipt/1\n" + std::string(device) + "\n" + std::to_string(seq) + "\n" +
           std::string(headHash) + "\n" + std::to_string(dseq);
}

std::string deviceKeyMessage(std::string_view device, std::string_view office,
                             std::string_view publicKeyHex) {
    return "shouxin-device-key/1\n" + std::string(device) + "\n" + std::string(office) + "\n" +
           std::string(publicKeyHex);
}

std::string logStateMessage(std::string_view district, std::int64_t lastDseq, std::string_view digest) {
    return "shouxin-log-state/1\n" + std::string(district) + "\n" + std::to_string(lastDseq) + "\n" +
           std::string(digest);
}

bool equalConstantTime(std::string_view a, std::string_view b) {
    ensureSodium();
    return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string signHex(const KeyPair& keys, std::string_view message) {
    ensureSodium();
    const auto sk = fromHex(keys.secretKeyHex);
    if (!sk || sk->size() != crypto_sign_SECRETKEYBYTES) throw std::runtime_error("bad secret key");
    unsigned char sig[crypto_sign_BYTES];
    crypto_sign_detached(sig, nullptr, bytesOf(message), message.size(), bytesOf(*sk));
    return toHex({reinterpret_cast<const char*>(sig), sizeof sig});
}

bool verifySignature(std::string_view publicKeyHex, std::string_view message, std::string_view signatureHex) {
    ensureSodium();
    const auto pk = fromHex(publicKeyHex);
    const auto sig = fromHex(signatureHex);
    if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES || !sig || sig->size() != crypto_sign_BYTES) {
        return false;
    }
    return crypto_sign_verify_detached(bytesOf(*sig), bytesOf(message), message.size(), bytesOf(*pk)) == 0;
}

namespace {

std::optional<std::string> fromBase64(std::string_view text) {
    std::string bytes(text.size(), '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(bytes.data()), bytes.size(), text.data(),
                          text.size(), nullptr, &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
        return std::nullopt;
    }
    bytes.resize(length);
    return bytes;
}

}  // namespace

std::optional<std::string> sealToDistrict(std::string_view plain, std::string_view districtKeyHex) {
    ensureSodium();
    const auto pk = fromHex(districtKeyHex);
    unsigned char curve[crypto_box_PUBLICKEYBYTES];
    if (!pk || pk->size() != crypto_sign_PUBLICKEYBYTES ||
        crypto_sign_ed25519_pk_to_curve25519(curve, bytesOf(*pk)) != 0) {
        return std::nullopt;
    }
    std::string box(crypto_box_SEALBYTES + plain.size(), '\0');
    crypto_box_seal(reinterpret_cast<unsigned char*>(box.data()), bytesOf(plain), plain.size(), curve);
    std::string b64(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), bytesOf(box), box.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.pop_back();  // the terminating NUL
    sodium_memzero(box.data(), box.size());
    return b64;
}

std::optional<std::string> openSealed(std::string_view sealedBase64, const KeyPair& district) {
    ensureSodium();
    const auto box = fromBase64(sealedBase64);
    const auto pk = fromHex(district.publicKeyHex);
    auto sk = fromHex(district.secretKeyHex);
    if (!box || box->size() <= crypto_box_SEALBYTES || !pk || pk->size() != crypto_sign_PUBLICKEYBYTES ||
        !sk || sk->size() != crypto_sign_SECRETKEYBYTES) {
        return std::nullopt;
    }
    unsigned char curvePk[crypto_box_PUBLICKEYBYTES];
    unsigned char curveSk[crypto_box_SECRETKEYBYTES];
    const bool converted = crypto_sign_ed25519_pk_to_curve25519(curvePk, bytesOf(*pk)) == 0 &&
                           crypto_sign_ed25519_sk_to_curve25519(curveSk, bytesOf(*sk)) == 0;
    sodium_memzero(sk->data(), sk->size());
    std::string plain(box->size() - crypto_box_SEALBYTES, '\0');
    const bool opened = converted && crypto_box_seal_open(reinterpret_cast<unsigned char*>(plain.data()),
                                                          bytesOf(*box), box->size(), curvePk, curveSk) == 0;
    sodium_memzero(curveSk, sizeof curveSk);
    if (!opened) return std::nullopt;
    return plain;
}

bool isSealedBox(std::string_view text, std::size_t maxChars) {
    if (text.size() > maxChars) return false;
    ensureSodium();
    const auto box = fromBase64(text);
    return box && box->size() > crypto_box_SEALBYTES;
}

}  // namespace shouxin
