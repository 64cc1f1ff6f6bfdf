#pragma once
// What the kiosk's windowless controller tests share: an office node with a
// clerk and an overdue commitment, and a controller started on it as the
// kiosk starts one (deferred integrity check, first screen loaded).
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "kiosk/app/controller.hpp"
#include "shared/domain.hpp"

namespace shouxin::test {

/// A new node at `db` with the clerk 张明 (zhang, PIN 246810), with
/// `withSupervisor` the supervisor 李䶮 (li, 135790), and one commitment
/// overdue on `today` (three days past its deadline); returns its id.
std::string makeClerkOffice(const std::filesystem::path& db, Date today, bool withSupervisor = false);

/// A controller on `options.db`, started, its start screen's data loaded.
std::unique_ptr<kiosk::Controller> startController(const kiosk::Options& options, std::optional<Date> fixedToday,
                                                   kiosk::ControllerHooks hooks);

}  // namespace shouxin::test
