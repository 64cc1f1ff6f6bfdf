#pragma once
// What the kiosk's windowless controller tests share: an office node with a
// clerk and an overdue commitment, and a controller started on it as the
// kiosk starts one (deferred integrity check, first screen loaded).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kiosk/app/controller.hpp"
#include "shared/domain.hpp"

namespace shouxin::test {

/// A new node at `db` with the clerk 张明 (zhang, PIN 246810), with
/// `withSupervisor` the supervisor 李䶮 (li, 135790), and one commitment
/// overdue on `today` (three days past its deadline); returns its id.
std::string makeClerkOffice(const std::filesystem::path& db, Date today, bool withSupervisor = false);

/// Hooks whose clocks read `now` (Unix ms, moved by the test) and whose
/// trace lines go to `traced`.
kiosk::ControllerHooks testHooks(const std::int64_t& now, std::vector<std::string>& traced);

/// Applies `command` as a frame would, then waits for every job it started
/// and applies their results.
void send(kiosk::Controller& controller, kiosk::Command command);

/// A controller on `options.db`, started, its start screen's data loaded.
std::unique_ptr<kiosk::Controller> startController(const kiosk::Options& options,
                                                   std::optional<Date> fixedToday,
                                                   kiosk::ControllerHooks hooks);

}  // namespace shouxin::test
