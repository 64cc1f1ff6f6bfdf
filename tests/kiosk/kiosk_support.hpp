#pragma once
// Helpers for the kiosk's window tests: a private Xvfb, a background
// kiosk process, a demo office made with the real CLI, and PNG statistics.
#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

namespace shouxin::test {

/// An Xvfb server on a display number it picks itself (-displayfd); sets
/// DISPLAY and LIBGL_ALWAYS_SOFTWARE for this process and its children.
class Xvfb {
public:
    Xvfb();
    ~Xvfb();
    Xvfb(const Xvfb&) = delete;
    Xvfb& operator=(const Xvfb&) = delete;
    bool ok() const { return !m_display.empty(); }
    const std::string& display() const { return m_display; }

private:
    pid_t m_pid = -1;
    std::string m_display;
};

/// A program running in the background; killed and reaped on destruction.
class Background {
public:
    explicit Background(const std::vector<std::string>& argv);
    ~Background();
    Background(const Background&) = delete;
    Background& operator=(const Background&) = delete;
    bool running();
    /// Sends SIGTERM and waits up to `seconds` for the exit; returns the exit
    /// status, or -1 when it did not exit (then it is killed).
    int terminate(double seconds);

private:
    pid_t m_pid = -1;
};

/// A demo office (青山镇人民政府, 330110104) made with `shouxin init` and `demo`.
void makeDemoOffice(const std::filesystem::path& db);

struct ImageStats {
    int width = 0;
    int height = 0;
    std::size_t distinctColours = 0;
    double dominantShare = 1.0;  // share of pixels in the most common colour
};
/// Reads a PNG; width 0 when it cannot.
ImageStats imageStats(const std::filesystem::path& png);
/// Share of pixels that differ between two PNGs of the same size (1 if not).
double pixelDifference(const std::filesystem::path& a, const std::filesystem::path& b);

std::string readText(const std::filesystem::path& file);
/// How many lines of a trace file are exactly `line`.
int countLines(const std::filesystem::path& file, const std::string& line);

}  // namespace shouxin::test
