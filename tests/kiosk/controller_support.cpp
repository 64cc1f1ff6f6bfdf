#include "tests/kiosk/controller_support.hpp"

#include <catch2/catch.hpp>

#include <utility>

#include "shared/pin.hpp"
#include "shared/store.hpp"
#include "tests/support/scenario.hpp"

namespace shouxin::test {

std::string makeClerkOffice(const std::filesystem::path& db, Date today, bool withSupervisor) {
    Store store = Store::create(db, kOffice, kOfficeName);
    const std::string office = store.node().office;
    REQUIRE(store.record(ClerkAdded{"zhang", office, "张明", Role::clerk, pin::hash("246810")}, "system"));
    if (withSupervisor)
        REQUIRE(
            store.record(ClerkAdded{"li", office, "李䶮", Role::supervisor, pin::hash("135790")}, "system"));
    Commitment c = sampleCommitment("高龄津贴按月发放", Date::fromCivil(2026, 3, 1), today.plusDays(-3));
    c.office = office;
    REQUIRE(store.record(c, "system"));
    return c.id;
}

kiosk::ControllerHooks testHooks(const std::int64_t& now, std::vector<std::string>& traced) {
    kiosk::ControllerHooks hooks;
    hooks.trace = [&traced](std::string_view line) { traced.emplace_back(line); };
    hooks.steadyMillis = [&now] { return now; };
    hooks.wallMillis = [&now] { return now; };
    return hooks;
}

void send(kiosk::Controller& controller, kiosk::Command command) {
    kiosk::Commands commands;
    commands.push(std::move(command));
    controller.apply(commands);
    controller.waitForData();
}

std::unique_ptr<kiosk::Controller> startController(const kiosk::Options& options,
                                                   std::optional<Date> fixedToday,
                                                   kiosk::ControllerHooks hooks) {
    auto controller = std::make_unique<kiosk::Controller>(options, fixedToday, hooks);
    controller->start();
    REQUIRE(controller->openScreen(options.view, options.asClerk));
    controller->waitForData();
    return controller;
}

}  // namespace shouxin::test
