#include "bench/figures.hpp"

#include <cstdio>
#include <cstdlib>

namespace shouxin::bench {

void figure(const std::string& key, double value, const std::string& unit) {
    const char* path = std::getenv("SHOUXIN_BENCH_FIGURES");
    if (path == nullptr || *path == '\0') return;
    if (FILE* out = std::fopen(path, "a")) {
        std::fprintf(out, "%s\t%.10g\t%s\n", key.c_str(), value, unit.c_str());
        std::fclose(out);
    }
}

}  // namespace shouxin::bench
