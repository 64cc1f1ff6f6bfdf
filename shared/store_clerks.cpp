// The store's clerk accounts: who they are, their roles (rules.hpp), PIN
// checks with a lockout that survives a restart, and the office key.
#include "shared/store.hpp"

#include "shared/crypto.hpp"
#include "shared/pin.hpp"
#include "shared/rules.hpp"
#include "shared/store_impl.hpp"

namespace shouxin {

namespace fs = std::filesystem;
using namespace store_detail;

namespace store_detail {

Store::Clerk readClerk(const sql::Statement& q) {
    return {q.text(0), q.text(1), q.text(2), parseRole(q.text(3)).value_or(Role::clerk), q.integer(4) != 0,
            q.integer(5) != 0};
}

}  // namespace store_detail

std::optional<Store::Clerk> Store::Impl::clerkById(std::string_view id) const {
    auto q = db->cached(
        "SELECT id, office, name, role, disabled, pin_hash NOT LIKE 'sealed:%' FROM clerk WHERE office = (SELECT value FROM node WHERE "
        "key = 'office') AND id = ?1");
    q->bind(1, id);
    if (!q->step()) return std::nullopt;
    return readClerk(*q);
}

Problems Store::Impl::checkRole(const Payload& payload, std::string_view actor) const {
    const bool anyClerk = [&] {
        auto q = db->cached(
            "SELECT EXISTS(SELECT 1 FROM clerk WHERE office = (SELECT value FROM node WHERE key = "
            "'office'))");
        q->step();
        return q->integer(0) != 0;
    }();
    if (!anyClerk || actor.rfind("clerk:", 0) != 0) return {};
    const auto who = clerkById(actor.substr(6));
    if (!who) return {{"actor", "error.clerk.unknown", std::string(actor)}};
    if (who->disabled) return {{"actor", "error.clerk.disabled", std::string(actor)}};
    return rules::checkRole(who->role, payload, actor);
}

std::vector<Store::Clerk> Store::clerks() const {
    std::vector<Clerk> out;
    auto q = m_impl->db->cached(
        "SELECT id, office, name, role, disabled, pin_hash NOT LIKE 'sealed:%' FROM clerk WHERE office = (SELECT value FROM node WHERE key "
        "= "
        "'office') ORDER BY id");
    while (q->step())
        out.push_back(readClerk(*q));
    return out;
}

std::optional<Store::Clerk> Store::clerk(std::string_view id) const { return m_impl->clerkById(id); }

Store::PinCheck Store::checkPin(std::string_view clerkId, std::string_view pinText, std::int64_t nowMillis) {
    const auto number = [&](Setting key) {
        const std::string v = setting(key);
        return v.empty() ? std::int64_t{0} : std::stoll(v);
    };
    pin::Lockout lock{static_cast<int>(number(Setting::pinFailures)), number(Setting::pinLockedUntil)};
    PinCheck check;
    check.failures = lock.failures;
    if (lock.lockedAt(nowMillis)) {
        check.outcome = PinOutcome::locked;
        check.lockedUntil = lock.lockedUntil;
        return check;
    }
    const auto who = clerk(clerkId);
    if (who && !who->disabled) {
        std::string verifier;
        {
            auto q = m_impl->db->cached("SELECT pin_hash FROM clerk WHERE office = ?1 AND id = ?2");
            q->bind(1, who->office).bind(2, clerkId);
            if (q->step()) verifier = q->text(0);
        }
        const bool sealed = pin::isSealed(verifier);
        if (sealed) {
            const auto opened = pin::unseal(verifier, officeKey());
            if (!opened) {
                check.outcome = PinOutcome::unavailable;
                return check;
            }
            verifier = *opened;
        }
        if (!verifier.empty() && pin::matches(pinText, verifier)) {
            setSetting(Setting::pinFailures, "0");
            setSetting(Setting::pinLockedUntil, "0");
            check.outcome = PinOutcome::ok;
            check.clerk = who;
            check.failures = 0;
            check.mustChangePin = !sealed;
            return check;
        }
    }
    lock = lock.afterFailure(nowMillis);
    setSetting(Setting::pinFailures, std::to_string(lock.failures));
    setSetting(Setting::pinLockedUntil, std::to_string(lock.lockedUntil));
    check.failures = lock.failures;
    check.lockedUntil = lock.lockedUntil;
    check.outcome = lock.lockedAt(nowMillis) ? PinOutcome::locked : PinOutcome::wrong;
    return check;
}

std::string Store::officeKey() const {
    const auto key = readSecretFile(officeKeyFileFor(m_impl->path));
    return key && pin::isOfficeKey(*key) ? *key : std::string();
}

bool Store::setOfficeKey(std::string_view key) {
    if (!pin::isOfficeKey(key)) return false;
    const fs::path path = officeKeyFileFor(m_impl->path);
    fs::path fresh = path;
    fresh += ".new";
    fs::remove(fresh);
    writeSecretFile(fresh, key);
    fs::rename(fresh, path);
    return true;
}

}  // namespace shouxin
