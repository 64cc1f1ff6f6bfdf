#pragma once
// One line of --bench-uptime's output: what the kiosk measured of itself
// over the last --bench-every frames. The kiosk writes it, the uptime
// benchmark and the long-run test read it: the format is here once.
// Header only, standard library only, so that bench/ reads it without
// linking the kiosk.
#include <cstdint>
#include <cstdio>
#include <optional>
#include <sstream>
#include <string>

namespace shouxin::kiosk {

struct UptimeSample {
    std::int64_t frames = 0;      // frames since the start
    long rssKb = 0;               // resident now (not the peak)
    long heapKb = 0;              // malloc's bytes in use
    double frameP50Ms = 0;        // over the frames since the last line, the swap included
    double frameP99Ms = 0;
    double frameMaxMs = 0;
    std::size_t glyphSet = 0;     // characters the atlas must hold
    std::size_t atlasGlyphs = 0;  // glyphs it holds
    int visits = 0;
    int idleResets = 0;
    std::int64_t syncRounds = 0;
    double seconds = 0;           // real seconds since the start
    int fds = 0;                  // open file descriptors
    std::string today;            // the kiosk's date (YYYY-MM-DD), on its clock
    int imguiWindows = 0;         // windows ImGui keeps (each child window is one)
    // Home at rest (after an idle reset, before the next resident's first
    // tap): the same screen in the same state every time, so what it
    // costs should not grow. 0 before the first.
    int restVertices = 0;         // vertices of its last frame
    long restHeapKb = 0;          // malloc's bytes in use then
    long restSqliteKb = 0;        // of which SQLite's (page caches, statements)

    static constexpr const char* kColumns =
        "uptime_columns frames rss_kb heap_kb frame_p50_ms frame_p99_ms frame_max_ms glyph_set "
        "atlas_glyphs visits idle_resets sync_rounds seconds fds today imgui_windows rest_vertices "
        "rest_heap_kb rest_sqlite_kb";

    std::string format() const {
        char buf[384];
        std::snprintf(buf, sizeof buf, "uptime %lld %ld %ld %.3f %.3f %.3f %zu %zu %d %d %lld %.1f %d %s %d %d %ld %ld",
                      static_cast<long long>(frames), rssKb, heapKb, frameP50Ms, frameP99Ms, frameMaxMs,
                      glyphSet, atlasGlyphs, visits, idleResets, static_cast<long long>(syncRounds), seconds,
                      fds, today.empty() ? "-" : today.c_str(), imguiWindows, restVertices, restHeapKb, restSqliteKb);
        return buf;
    }

    /// A line of the kiosk's output; nullopt unless it is an uptime line.
    static std::optional<UptimeSample> parse(const std::string& line) {
        std::istringstream in(line);
        std::string tag;
        UptimeSample s;
        in >> tag >> s.frames >> s.rssKb >> s.heapKb >> s.frameP50Ms >> s.frameP99Ms >> s.frameMaxMs >>
            s.glyphSet >> s.atlasGlyphs >> s.visits >> s.idleResets >> s.syncRounds >> s.seconds >> s.fds >>
            s.today >> s.imguiWindows >> s.restVertices >> s.restHeapKb >>
            s.restSqliteKb;
        if (tag != "uptime" || !in) return std::nullopt;
        return s;
    }
};

}  // namespace shouxin::kiosk
