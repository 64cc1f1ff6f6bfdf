#include "tests/kiosk/kiosk_support.hpp"

#include <fcntl.h>
#include <signal.h>
#include <stb_image.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "tests/support/process.hpp"

namespace shouxin::test {

namespace {

pid_t spawn(const std::vector<std::string>& argv, int keepFd = -1) {
    const pid_t pid = fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        const int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        if (keepFd >= 0) fcntl(keepFd, F_SETFD, 0);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    return pid;
}

void stop(pid_t pid) {
    if (pid <= 0) return;
    kill(pid, SIGTERM);
    for (int i = 0; i < 50; ++i) {
        int status = 0;
        if (waitpid(pid, &status, WNOHANG) == pid) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
}

struct Image {
    int w = 0;
    int h = 0;
    std::vector<unsigned char> rgb;
};

Image load(const std::filesystem::path& png) {
    Image img;
    int channels = 0;
    unsigned char* data = stbi_load(png.c_str(), &img.w, &img.h, &channels, 3);
    if (!data) return {};
    img.rgb.assign(data, data + static_cast<std::size_t>(img.w) * static_cast<std::size_t>(img.h) * 3);
    stbi_image_free(data);
    return img;
}

}  // namespace

Xvfb::Xvfb() {
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) return;
    m_pid = spawn(
        {"Xvfb", "-displayfd", std::to_string(fds[1]), "-screen", "0", "1280x1024x24", "-nolisten", "tcp"},
        fds[1]);
    close(fds[1]);
    std::string number;
    char c = 0;
    while (read(fds[0], &c, 1) == 1 && c != '\n')
        number += c;
    close(fds[0]);
    if (number.empty()) return;
    m_display = ":" + number;
    setenv("DISPLAY", m_display.c_str(), 1);
    setenv("LIBGL_ALWAYS_SOFTWARE", "1", 1);
}

Xvfb::~Xvfb() { stop(m_pid); }

Background::Background(const std::vector<std::string>& argv) : m_pid(spawn(argv)) {}
Background::~Background() { stop(m_pid); }

bool Background::running() {
    int status = 0;
    return waitpid(m_pid, &status, WNOHANG) == 0;
}

int Background::terminate(double seconds) {
    ::kill(m_pid, SIGTERM);
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (std::chrono::steady_clock::now() < until) {
        int status = 0;
        if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
}

void makeDemoOffice(const std::filesystem::path& db) {
    const auto init = runProgram(
        {SHOUXIN_CLI, "--db", db.string(), "init", "--office", "330110104", "--name", "青山镇人民政府"});
    if (init.exitCode != 0) throw std::runtime_error("shouxin init failed: " + init.err);
    const auto demo = runProgram({SHOUXIN_CLI, "--db", db.string(), "demo"});
    if (demo.exitCode != 0) throw std::runtime_error("shouxin demo failed: " + demo.err);
}

ImageStats imageStats(const std::filesystem::path& png) {
    const Image img = load(png);
    ImageStats s;
    if (img.w == 0) return s;
    s.width = img.w;
    s.height = img.h;
    // A counter for every colour, allocated once (64 MB) and cleared where
    // used: a hash map, or a sort, took longer than rendering the picture.
    static std::vector<std::uint32_t> counts(std::size_t{1} << 24);
    std::vector<std::uint32_t> seen;
    std::size_t most = 0;
    for (std::size_t i = 0; i + 2 < img.rgb.size(); i += 3) {
        const auto key = static_cast<std::uint32_t>(img.rgb[i] << 16 | img.rgb[i + 1] << 8 | img.rgb[i + 2]);
        if (counts[key]++ == 0) seen.push_back(key);
        most = std::max(most, std::size_t{counts[key]});
    }
    for (const std::uint32_t key : seen)
        counts[key] = 0;
    s.distinctColours = seen.size();
    s.dominantShare = static_cast<double>(most) / static_cast<double>(img.rgb.size() / 3);
    return s;
}

double pixelDifference(const std::filesystem::path& a, const std::filesystem::path& b) {
    const Image x = load(a);
    const Image y = load(b);
    if (x.w == 0 || x.w != y.w || x.h != y.h) return 1.0;
    std::size_t differ = 0;
    for (std::size_t i = 0; i + 2 < x.rgb.size(); i += 3) {
        if (x.rgb[i] != y.rgb[i] || x.rgb[i + 1] != y.rgb[i + 1] || x.rgb[i + 2] != y.rgb[i + 2]) ++differ;
    }
    return static_cast<double>(differ) / static_cast<double>(x.rgb.size() / 3);
}

std::string readText(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

int countLines(const std::filesystem::path& file, const std::string& line) {
    std::istringstream in(readText(file));
    std::string l;
    int n = 0;
    while (std::getline(in, l))
        n += l == line ? 1 : 0;
    return n;
}

}  // namespace shouxin::test
