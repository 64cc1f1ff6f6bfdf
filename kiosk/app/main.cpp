// shouxin-kiosk: a thin shell over the kiosk library.
#include "kiosk/app/app.hpp"

int main(int argc, char** argv) {
    const auto parsed = shouxin::kiosk::parseOptions(argc, argv);
    if (parsed.exitCode) return *parsed.exitCode;
    return shouxin::kiosk::run(parsed.options);
}
