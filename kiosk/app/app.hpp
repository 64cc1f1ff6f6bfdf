#pragma once
// The kiosk application's shell: GLFW window, OpenGL 3 context, ImGui frame
// loop and font atlas rebuilds, on the UI thread. The state, the commands'
// jobs, login and the idle reset are the controller's (controller.hpp);
// store reads happen once per change, never per frame.
#include "kiosk/app/options.hpp"

namespace shouxin::kiosk {

/// Runs the kiosk until the window closes (or, with --screenshot or
/// --bench-report, until that is done). Returns the process exit code.
int run(const Options& options);

}  // namespace shouxin::kiosk
