#pragma once
// Runs a program to completion, as a test would from a shell, capturing its
// output; no shell in between, so arguments need no quoting.
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

}  // namespace shouxin::test
