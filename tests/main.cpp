#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>

int main(int argc, char** argv) {
    // The programs the tests start read no /etc/shouxin of this machine's:
    // a test that wants a configuration file names it with --config.
    setenv("SHOUXIN_CONFIG_DIR", "/nonexistent/shouxin-tests", 0);
    return Catch::Session().run(argc, argv);
}
