#include "sync/cli/cli.hpp"

int main(int argc, char** argv) { return shouxin::cli::run(argc, argv); }
