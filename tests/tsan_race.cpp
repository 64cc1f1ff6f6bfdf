// A deliberate data race (tests/tsan.cmake): that ThreadSanitizer reports
// it shows that the tsan preset's programs are instrumented and that a
// report reaches the test's output.
#include <thread>

namespace {
int g_shared = 0;
}

int main() {
    std::thread other([] { g_shared = 1; });
    g_shared = 2;
    other.join();
    return g_shared == 0 ? 1 : 0;
}
