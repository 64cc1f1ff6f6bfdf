// The kiosk at scale: 100,000 commitments and 500,000 fulfilment reports
// (made as bench/kiosk_node.hpp says). Then shouxin-kiosk --bench-report
// runs under the current X display, and a bare ImGui window gives the
// memory baseline.
//
//   shouxin_kiosk_bench [commitments] [reports]
//
// SHOUXIN_BENCH_KEEP=1 keeps the generated database (in the temp folder's
// shouxin-kiosk-bench/) and reuses it on the next run, for profiling.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>

#include "bench/figures.hpp"
#include "bench/kiosk_node.hpp"

namespace fs = std::filesystem;
using namespace shouxin;

namespace {

double secondsSince(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

std::map<std::string, std::string> runReport(const std::string& command) {
    std::map<std::string, std::string> out;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return out;
    char line[512];
    while (std::fgets(line, sizeof line, pipe)) {
        std::string s(line);
        if (!s.empty() && s.back() == '\n') s.pop_back();
        const auto space = s.rfind(' ');
        if (s.rfind("search_ms", 0) == 0) {
            const auto first = s.find(' ');
            out[s.substr(0, first)] = s.substr(first + 1);
        } else if (space != std::string::npos) {
            out[s.substr(0, space)] = s.substr(space + 1);
        }
    }
    pclose(pipe);
    return out;
}

}  // namespace

int main(int argc, char** argv) {
    const long commitments = argc > 1 ? std::atol(argv[1]) : 100000;
    const long reports = argc > 2 ? std::atol(argv[2]) : 500000;
    const fs::path dir = fs::temp_directory_path() / "shouxin-kiosk-bench";
    const fs::path db = dir / "office.db";
    const char* keepEnv = std::getenv("SHOUXIN_BENCH_KEEP");
    const bool keep = keepEnv && std::string(keepEnv) == "1";
    const bool reuse = keep && fs::exists(db);
    if (!reuse) {
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    const auto genStart = std::chrono::steady_clock::now();
    if (!reuse) bench::makeKioskNode(SHOUXIN_CLI, db, commitments, reports);
    const double genSeconds = secondsSince(genStart);

    const std::string kiosk = std::string(SHOUXIN_KIOSK) + " --db " + db.string();
    auto r = runReport(kiosk + " --bench-report 2>/dev/null");
    auto bare = runReport(kiosk + " --bare 2>/dev/null");
    if (r.empty() || bare.empty()) {
        std::fprintf(stderr, "kiosk_bench: the kiosk did not report (is DISPLAY set?)\n");
        return 1;
    }
    const double ownMb =
        (std::atof(r["peak_rss_kb"].c_str()) - std::atof(bare["peak_rss_kb"].c_str())) / 1024.0;
    std::printf("kiosk at %ld commitments, %ld fulfilment reports (generated in %.1f s, %.0f MB on disk)\n\n",
                commitments, reports, genSeconds, static_cast<double>(fs::file_size(db)) / 1e6);
    std::printf("%-44s %14s %12s\n", "measure", "value", "target");
    // With a key, the figure (the value's first number) goes to the summary too.
    auto row = [](const char* name, const std::string& value, const char* target, const char* key = nullptr,
                  const char* unit = "ms") {
        std::printf("%-44s %14s %12s\n", name, value.c_str(), target);
        if (key != nullptr && !value.empty()) bench::figure(key, std::atof(value.c_str()), unit);
    };
    row("start to first frame (ms)", r["first_frame_ms"], "< 500", "kiosk.first_frame_ms");
    row("start to Home's figures shown (ms)", r["home_ready_ms"], "", "kiosk.home_ready_ms");
    row("peak RSS, kiosk (MB)", std::to_string(std::atol(r["peak_rss_kb"].c_str()) / 1024), "",
        "kiosk.peak_mb", "MB");
    row("peak RSS, bare ImGui window (MB)", std::to_string(std::atol(bare["peak_rss_kb"].c_str()) / 1024),
        "", "kiosk.bare_peak_mb", "MB");
    row("kiosk's own memory above bare (MB)", std::to_string(static_cast<long>(ownMb)), "< 64",
        "kiosk.own_mb", "MB");
    row("open the largest area (ms)", r["open_area_ms"], "", "kiosk.open_area_ms");
    row("rows in that area", r["area_rows"], "");
    row("atlas rebuild due after opening it (0/1)", r["open_area_atlas_due"], "");
    row("frame CPU while scrolling, p50 (ms)", r["frame_p50_ms"], "", "kiosk.frame_p50_ms");
    row("frame CPU while scrolling, p99 (ms)", r["frame_p99_ms"], "< 4", "kiosk.frame_p99_ms");
    row("frame CPU while scrolling, max (ms)", r["frame_max_ms"], "");
    row("whole frame incl. llvmpipe swap, p50 (ms)", r["frame_swap_p50_ms"], "");
    row("whole frame incl. llvmpipe swap, p99 (ms)", r["frame_swap_p99_ms"], "", "kiosk.frame_swap_p99_ms");
    row("search 1 char 补 (ms, hits)", r["search_ms[补]"], "< 30", "kiosk.search_1char_ms");
    row("search 2 chars 补贴 (ms, hits)", r["search_ms[补贴]"], "< 30", "kiosk.search_2chars_ms");
    row("search 4 chars 养老服务 (ms, hits)", r["search_ms[养老服务]"], "< 30", "kiosk.search_4chars_ms");
    row("search 1 char in no record 鱻 (ms, hits)", r["search_ms[鱻]"], "< 30", "kiosk.search_nomatch_ms");
    row("records' glyphs landed, after Home shown (ms)", r["glyph_scan_ms"], "");
    row("atlas rebuilt for them, UI thread (ms)", r["atlas_rebuild_ms"], "", "kiosk.atlas_rebuild_ms");
    row("integrity check finished by the end", r["integrity_check_done"], "");
    row("font atlas (px)", r["atlas"], "");
    row("glyphs in atlas (all sizes)", r["atlas_glyphs"], "");
    row("characters in glyph set", r["glyph_set"], "");
    if (!reuse) bench::figure("kiosk.generate_s", genSeconds, "s");
    if (!keep) fs::remove_all(dir);
    return 0;
}
