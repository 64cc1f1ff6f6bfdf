#pragma once
// Which screen the kiosk shows, decided in one place: every change of
// screen, whether a view asked for it or the controller learnt something
// (a PIN was right, a record was saved, nobody touched the screen), goes
// through navigate(). Pure, so that back, home, idle reset and the clerk
// gate are tested without a window or a store.
#include <optional>
#include <string>
#include <variant>

#include "kiosk/ui/app_state.hpp"
#include "kiosk/ui/clerk.hpp"

namespace shouxin::kiosk {

/// A PIN was right: the clerk's dashboard, with nothing behind it.
struct LoggedIn {};
/// The clerk left: no clerk screen stays on show or behind "back".
struct LoggedOut {};
/// A clerk's record was stored: the commitment it is about (`subject`, ""
/// for none) as residents see it now, with the form gone from "back".
struct Saved {
    std::string subject;
};
/// Nobody at the kiosk: Home, every filter and typed text wiped.
struct IdleReset {};

/// What moves the kiosk between screens.
using NavInput = std::variant<Command, LoggedIn, LoggedOut, Saved, IdleReset>;

/// Where the kiosk goes, and whether the screen or its inputs changed so
/// that its data must be read again.
struct NavStep {
    Navigation nav;
    bool reload = false;
};

/// Whether `session` may send `command`: clerk screens only with a clerk
/// logged in, supervisor tools only for a supervisor, the PIN pad only
/// without a session. Whatever a view pushed, the controller asks again.
bool allowed(const Command& command, const std::optional<ClerkSession>& session);

/// The navigation after `input`; a command `session` may not send leaves
/// `current` as it is. Commands that do not navigate (settings, clerk
/// writes) leave it too.
NavStep navigate(const Navigation& current, const NavInput& input,
                 const std::optional<ClerkSession>& session);

}  // namespace shouxin::kiosk
