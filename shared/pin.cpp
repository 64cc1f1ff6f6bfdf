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

Lockout Lockout::afterFailure(std::int64_t nowMillis) const {
    Lockout next{failures + 1, 0};
    if (next.failures >= kFreeTries) {
        const int doublings = std::min(next.failures - kFreeTries, 20);
        next.lockedUntil = nowMillis + std::min(kMaxLockMillis, kFirstLockMillis << doublings);
    }
    return next;
}

}  // namespace shouxin::pin
