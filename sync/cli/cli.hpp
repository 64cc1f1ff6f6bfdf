#pragma once
// `shouxin`, the office node's command line.

namespace shouxin::cli {

/// Parses the arguments and runs one command. Exit status: 0 done, 1 the
/// command failed (bad input, failed verification), 2 wrong usage.
int run(int argc, char** argv);

}  // namespace shouxin::cli
