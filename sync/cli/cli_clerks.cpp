// `shouxin clerk …` and `office-key`: the office's staff accounts on this
// node, their PINs (sealed with the office key) and the key itself.
#include <termios.h>
#include <unistd.h>

#include <iostream>
#include <string>

#include "shared/crypto.hpp"
#include "shared/i18n.hpp"
#include "shared/pin.hpp"
#include "sync/cli/commands.hpp"

namespace shouxin::cli {
namespace {

// Reads a PIN: one line from stdin with --pin-stdin, else twice from the
// terminal without echo.
Result<std::string> readPin(bool fromStdin) {
    const auto line = [](const char* promptId, bool echoOff) -> std::string {
        if (promptId) std::cerr << bilingual(promptId) << ": " << std::flush;
        termios saved{};
        const bool tty = echoOff && isatty(0) && tcgetattr(0, &saved) == 0;
        if (tty) {
            termios quiet = saved;
            quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
            tcsetattr(0, TCSANOW, &quiet);
        }
        std::string text;
        std::getline(std::cin, text);
        if (tty) {
            tcsetattr(0, TCSANOW, &saved);
            std::cerr << "\n";
        }
        return text;
    };
    const std::string first = line(fromStdin ? nullptr : "cli.pin_prompt", !fromStdin);
    if (!pin::isValid(first)) return Problem{"pin", "error.pin.format", ""};
    if (!fromStdin && line("cli.pin_again", true) != first) return Problem{"pin", "error.pin.mismatch", ""};
    return first;
}

}  // namespace

int cmdClerkAdd(Store& store, const Options& o) {
    const auto role = parseRole(o.role);
    if (!role) return fail("error.clerk.role", o.role);
    std::string id = o.clerkId;
    for (int n = 1; id.empty(); ++n) {
        const std::string candidate = "c" + std::to_string(n);
        if (!store.clerk(candidate)) id = candidate;
    }
    if (store.clerk(id) && !store.clerk(id)->disabled) return fail("error.clerk.exists", id);
    const auto pinText = readPin(o.pinStdin);
    if (!pinText) return fail(pinText.problems());
    const ClerkAdded added{id, store.node().office, o.clerkName, *role, pin::hash(*pinText)};
    const auto event = store.record(added, "system");
    if (!event) return fail(event.problems());
    std::cout << bilingual("cli.clerk_added") << ": " << id << " " << o.clerkName << " ("
              << label("role." + std::string(idOf(*role))) << ")\n";
    return kOk;
}

int cmdClerkList(const Store& store) {
    for (const auto& c : store.clerks()) {
        std::cout << pad(c.id, 12) << pad(c.name, 12) << pad(label("role." + std::string(idOf(c.role))), 18)
                  << (c.disabled        ? label("cli.disabled")
                      : c.pinExposed    ? label("cli.pin_must_change")
                                        : std::string())
                  << "\n";
    }
    return kOk;
}

// A new PIN for an existing account: the account is added again, its
// verifier sealed with the office key like every other.
int cmdClerkSetPin(Store& store, const Options& o) {
    const auto existing = store.clerk(o.clerkId);
    if (!existing || existing->disabled) return fail("error.clerk.unknown", o.clerkId);
    const auto pinText = readPin(o.pinStdin);
    if (!pinText) return fail(pinText.problems());
    const ClerkAdded again{existing->id, existing->office, existing->name, existing->role, pin::hash(*pinText)};
    const auto event = store.record(again, "system");
    if (!event) return fail(event.problems());
    std::cout << bilingual("cli.pin_changed") << ": " << existing->id << "\n";
    return kOk;
}

// The office key, to set up the office's next kiosk with (`init
// --office-key`), or to give an older kiosk the office's key.
int cmdOfficeKey(Store& store, const Options& o) {
    if (!o.officeKey.empty()) {
        if (!store.setOfficeKey(o.officeKey)) return fail("error.office_key", "");
        std::cout << bilingual("cli.office_key_set") << "\n";
        return kOk;
    }
    const std::string key = store.officeKey();
    if (key.empty()) return fail("error.office_key", officeKeyFileFor(o.db).string());
    std::cout << key << "\n";
    std::cerr << bilingual("cli.office_key_secret") << "\n";
    return kOk;
}

int cmdClerkDisable(Store& store, const Options& o) {
    const auto event = store.record(ClerkDisabled{o.clerkId, store.node().office, o.reason}, "system");
    if (!event) return fail(event.problems());
    std::cout << bilingual("cli.clerk_disabled") << ": " << o.clerkId << "\n";
    return kOk;
}

}  // namespace shouxin::cli
