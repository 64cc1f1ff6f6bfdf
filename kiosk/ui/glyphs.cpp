#include "kiosk/ui/glyphs.hpp"

#include <cstdint>

#include "shared/i18n.hpp"
#include "shared/store.hpp"

namespace shouxin::kiosk {

std::vector<char32_t> codePointsOf(std::string_view text) {
    std::vector<char32_t> out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b0 = static_cast<std::uint8_t>(text[i]);
        std::size_t len = 0;
        char32_t cp = 0;
        if (b0 < 0x80) {
            len = 1;
            cp = b0;
        } else if ((b0 & 0xE0) == 0xC0) {
            len = 2;
            cp = b0 & 0x1Fu;
        } else if ((b0 & 0xF0) == 0xE0) {
            len = 3;
            cp = b0 & 0x0Fu;
        } else if ((b0 & 0xF8) == 0xF0) {
            len = 4;
            cp = b0 & 0x07u;
        } else {
            ++i;  // stray continuation or invalid lead byte
            continue;
        }
        if (i + len > text.size()) break;
        bool ok = true;
        for (std::size_t k = 1; k < len; ++k) {
            const auto b = static_cast<std::uint8_t>(text[i + k]);
            if ((b & 0xC0) != 0x80) {
                ok = false;
                break;
            }
            cp = (cp << 6) | (b & 0x3Fu);
        }
        if (ok) out.push_back(cp);
        i += ok ? len : 1;
    }
    return out;
}

bool GlyphSet::add(std::string_view text) {
    bool grew = false;
    for (const char32_t cp : codePointsOf(text)) {
        if (cp < 0x20) continue;  // control characters are never drawn
        grew |= m_chars.insert(cp).second;
    }
    return grew;
}

bool GlyphSet::merge(const GlyphSet& other) {
    bool grew = false;
    for (const char32_t cp : other.m_chars)
        grew |= m_chars.insert(cp).second;
    return grew;
}

GlyphSet catalogueGlyphs() {
    GlyphSet glyphs;
    glyphs.add(kSymbolText);
    for (const auto id : catalogueIds()) {
        glyphs.add(tr(id, Lang::zh));
        glyphs.add(tr(id, Lang::en));
    }
    return glyphs;
}

void addStoreText(GlyphSet& glyphs, const Store& store) {
    store.forEachText([&](std::string_view text) { glyphs.add(text); });
}

}  // namespace shouxin::kiosk
