#include "kiosk/app/screenshot.hpp"

#include <GLFW/glfw3.h>
#include <stb_image_write.h>

#include <cstdint>
#include <vector>

namespace shouxin::kiosk {

bool writeScreenshot(const std::filesystem::path& file, int width, int height) {
    const auto w = static_cast<std::size_t>(width);
    const auto h = static_cast<std::size_t>(height);
    std::vector<std::uint8_t> pixels(w * h * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // GL's rows run bottom-up, PNG's top-down.
    std::vector<std::uint8_t> flipped(pixels.size());
    for (std::size_t y = 0; y < h; ++y) {
        const auto* src = pixels.data() + (h - 1 - y) * w * 3;
        std::copy(src, src + w * 3, flipped.data() + y * w * 3);
    }
    return stbi_write_png(file.c_str(), width, height, 3, flipped.data(), width * 3) != 0;
}

}  // namespace shouxin::kiosk
