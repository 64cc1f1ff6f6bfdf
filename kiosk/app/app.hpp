#pragma once
// The kiosk application: GLFW window, OpenGL 3 context, ImGui frame loop,
// command application, idle reset, font atlas rebuilds. The UI thread owns
// all of it; store reads happen once per change, never per frame.
#include "kiosk/app/options.hpp"

namespace shouxin::kiosk {

/// Runs the kiosk until the window closes (or, with --screenshot or
/// --bench-report, until that is done). Returns the process exit code.
int run(const Options& options);

}  // namespace shouxin::kiosk
