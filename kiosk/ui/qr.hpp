#pragma once
// QR codes (libqrencode) drawn with ImGui's draw list: a resident scans one
// to take a commitment's public page home on the phone.
#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace shouxin::kiosk {

struct QrCode {
    int width = 0;                   // modules per side
    std::vector<std::uint8_t> dark;  // width * width, row-major, 1 = dark
    bool at(int x, int y) const { return dark[static_cast<std::size_t>(y * width + x)] != 0; }
};

/// Encodes ASCII `text` (8-bit mode, error correction M); nullopt on failure.
std::optional<QrCode> encodeQr(std::string_view text);

/// Draws the code with a 4-module quiet zone into a `side` px square at `origin`.
void drawQr(ImDrawList* list, ImVec2 origin, float side, const QrCode& code);

}  // namespace shouxin::kiosk
