#include "shared/pin.hpp"

#include <sodium.h>

#include <algorithm>
#include <stdexcept>

namespace shouxin::pin {

bool isValid(std::string_view pin) {
    return pin.size() == kLength && std::all_of(pin.begin(), pin.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string hash(std::string_view pin) {
    if (!isValid(pin)) throw std::invalid_argument("not a six-digit PIN");
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, pin.data(), pin.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("out of memory hashing a PIN");
    }
    return out;
}

bool matches(std::string_view pin, const std::string& hashString) {
    if (!isValid(pin) || sodium_init() < 0) return false;
    return crypto_pwhash_str_verify(hashString.c_str(), pin.data(), pin.size()) == 0;
}

namespace {

std::optional<std::string> keyBytes(std::string_view hex) {
    if (!isOfficeKey(hex)) return std::nullopt;
    std::string key(crypto_secretbox_KEYBYTES, '\0');
    sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), hex.data(), hex.size(), nullptr,
                   nullptr, nullptr);
    return key;
}

}  // namespace

std::string newOfficeKey() {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    unsigned char key[crypto_secretbox_KEYBYTES];
    crypto_secretbox_keygen(key);
    char hex[2 * sizeof key + 1];
    sodium_bin2hex(hex, sizeof hex, key, sizeof key);
    sodium_memzero(key, sizeof key);
    return hex;
}

bool isOfficeKey(std::string_view text) {
    return text.size() == 2 * crypto_secretbox_KEYBYTES &&
           std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

bool isSealed(std::string_view verifier) { return verifier.substr(0, kSealedPrefix.size()) == kSealedPrefix; }

std::string seal(std::string_view verifier, std::string_view officeKeyHex) {
    const auto key = keyBytes(officeKeyHex);
    if (!key || sodium_init() < 0) throw std::invalid_argument("not an office key");
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + verifier.size(), '\0');
    auto* out = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(verifier.data()),
                          verifier.size(), out, reinterpret_cast<const unsigned char*>(key->data()));
    std::string b64(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(b64.data(), b64.size(), out, box.size(), sodium_base64_VARIANT_ORIGINAL);
    b64.pop_back();  // the terminating NUL
    return std::string(kSealedPrefix) + b64;
}

std::optional<std::string> unseal(std::string_view sealed, std::string_view officeKeyHex) {
    const auto key = keyBytes(officeKeyHex);
    if (!key || !isSealed(sealed) || sodium_init() < 0) return std::nullopt;
    const std::string_view b64 = sealed.substr(kSealedPrefix.size());
    std::string box(b64.size(), '\0');
    std::size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), b64.data(), b64.size(), nullptr,
                          &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        return std::nullopt;
    }
    const auto* in = reinterpret_cast<const unsigned char*>(box.data());
    std::string verifier(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(verifier.data()), in + crypto_secretbox_NONCEBYTES,
                                   length - crypto_secretbox_NONCEBYTES, in,
                                   reinterpret_cast<const unsigned char*>(key->data())) != 0) {
        return std::nullopt;
    }
    return verifier;
}

Lockout Lockout::afterFailure(std::int64_t nowMillis) const {
    Lockout next{failures + 1, 0};
    if (next.failures >= kFreeTries) {
        const int doublings = std::min(next.failures - kFreeTries, 20);
        next.lockedUntil = nowMillis + std::min(kMaxLockMillis, kFirstLockMillis << doublings);
    }
    return next;
}

}  // namespace shouxin::pin
