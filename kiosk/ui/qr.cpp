#include "kiosk/ui/qr.hpp"

#include <qrencode.h>

#include <cmath>
#include <string>

namespace shouxin::kiosk {

std::optional<QrCode> encodeQr(std::string_view text) {
    const std::string data(text);
    QRcode* raw = QRcode_encodeData(static_cast<int>(data.size()),
                                    reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M);
    if (!raw) return std::nullopt;
    QrCode code;
    code.width = raw->width;
    const auto n = static_cast<std::size_t>(raw->width) * static_cast<std::size_t>(raw->width);
    code.dark.resize(n);
    for (std::size_t i = 0; i < n; ++i)
        code.dark[i] = static_cast<std::uint8_t>(raw->data[i] & 1u);
    QRcode_free(raw);
    return code;
}

void drawQr(ImDrawList* list, ImVec2 origin, float side, const QrCode& code) {
    constexpr int kQuiet = 4;
    const int modules = code.width + 2 * kQuiet;
    // Whole pixels per module keep the code sharp for phone cameras.
    const float unit = std::floor(side / static_cast<float>(modules));
    const float drawn = unit * static_cast<float>(modules);
    const ImVec2 o(std::floor(origin.x + (side - drawn) / 2), std::floor(origin.y + (side - drawn) / 2));
    list->AddRectFilled(o, ImVec2(o.x + drawn, o.y + drawn), IM_COL32_WHITE);
    for (int y = 0; y < code.width; ++y) {
        for (int x = 0; x < code.width; ++x) {
            if (!code.at(x, y)) continue;
            const ImVec2 a(o.x + static_cast<float>(x + kQuiet) * unit,
                           o.y + static_cast<float>(y + kQuiet) * unit);
            list->AddRectFilled(a, ImVec2(a.x + unit, a.y + unit), IM_COL32_BLACK);
        }
    }
}

}  // namespace shouxin::kiosk
