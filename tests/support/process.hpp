#pragma once
// Runs a program to completion, as a test would from a shell, capturing its
// output; no shell in between, so arguments need no quoting.
#include <functional>
#include <string>
#include <vector>

namespace shouxin::test {

struct RunResult {
    int exitCode = -1;  // 128 + signal when killed
    std::string out;
    std::string err;
};

/// Runs argv[0] with the arguments, feeding `input` on standard input.
RunResult runProgram(const std::vector<std::string>& argv, const std::string& input = "");

/// Polls `condition` every 20 ms for up to `seconds`; its last answer.
bool waitFor(const std::function<bool()>& condition, double seconds);

/// Starts a program in the background with its output discarded.
int spawnProgram(const std::vector<std::string>& argv);
/// SIGKILLs (when still running) and reaps a spawned program; its exit
/// status, or 128 + signal.
int killProgram(int pid);
/// Waits for a spawned program to end; its exit status.
int waitProgram(int pid);

}  // namespace shouxin::test
