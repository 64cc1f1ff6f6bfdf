#pragma once
// `shouxin-district`, the district server's command line.

namespace shouxin::server {

/// Exit status: 0 done, 1 refused or failed, 2 wrong usage.
int runCli(int argc, char** argv);

}  // namespace shouxin::server
