#include "sync/server/district_cli.hpp"

int main(int argc, char** argv) { return shouxin::server::runCli(argc, argv); }
