#include "kiosk/app/screenshot.hpp"

#include <GLFW/glfw3.h>
#include <zlib.h>

#include <array>
#include <cstdint>
#include <fstream>
#include <string_view>
#include <vector>

namespace shouxin::kiosk {

namespace {

void putBigEndian(std::vector<std::uint8_t>& out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        out.push_back(static_cast<std::uint8_t>(v >> shift));
}

/// A PNG chunk: length, type, data, and the CRC of type and data.
void putChunk(std::vector<std::uint8_t>& out, std::string_view type, const std::vector<std::uint8_t>& data) {
    putBigEndian(out, static_cast<std::uint32_t>(data.size()));
    const std::size_t crcFrom = out.size();
    out.insert(out.end(), type.begin(), type.end());
    out.insert(out.end(), data.begin(), data.end());
    const uLong crc = crc32(0, out.data() + crcFrom, static_cast<uInt>(out.size() - crcFrom));
    putBigEndian(out, static_cast<std::uint32_t>(crc));
}

/// PNG scanlines (a filter byte, then the row's RGB; top-down) as a PNG
/// file, deflated at zlib's fastest level: a picture of the screen is
/// mostly flat colour, which that level already packs well, and stb's
/// encoder took longer than rendering the picture.
bool writePng(const std::filesystem::path& file, int width, int height,
              const std::vector<std::uint8_t>& raw) {
    uLongf packedSize = compressBound(static_cast<uLong>(raw.size()));
    std::vector<std::uint8_t> packed(packedSize);
    if (compress2(packed.data(), &packedSize, raw.data(), static_cast<uLong>(raw.size()), Z_BEST_SPEED) !=
        Z_OK)
        return false;
    packed.resize(packedSize);

    std::vector<std::uint8_t> header;
    putBigEndian(header, static_cast<std::uint32_t>(width));
    putBigEndian(header, static_cast<std::uint32_t>(height));
    header.insert(header.end(), {8, 2, 0, 0, 0});  // 8-bit RGB, deflate, standard filters, no interlace
    constexpr std::array<std::uint8_t, 8> kSignature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<std::uint8_t> png(kSignature.begin(), kSignature.end());
    putChunk(png, "IHDR", header);
    putChunk(png, "IDAT", packed);
    putChunk(png, "IEND", {});
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(png.data()), static_cast<std::streamsize>(png.size()));
    return static_cast<bool>(out);
}

}  // namespace

bool writeScreenshot(const std::filesystem::path& file, int width, int height) {
    const auto w = static_cast<std::size_t>(width);
    const auto h = static_cast<std::size_t>(height);
    std::vector<std::uint8_t> pixels(w * h * 3);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadBuffer(GL_BACK);
    glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, pixels.data());
    // GL's rows run bottom-up, PNG's top-down; each row unfiltered.
    std::vector<std::uint8_t> scanlines;
    scanlines.reserve((w * 3 + 1) * h);
    for (std::size_t y = 0; y < h; ++y) {
        const auto* src = pixels.data() + (h - 1 - y) * w * 3;
        scanlines.push_back(0);
        scanlines.insert(scanlines.end(), src, src + w * 3);
    }
    return writePng(file, width, height, scanlines);
}

}  // namespace shouxin::kiosk
