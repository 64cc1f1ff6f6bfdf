#pragma once
// Noto Sans CJK SC through ImGui's FreeType builder, with glyph ranges built
// from a GlyphSet (ImFontGlyphRangesBuilder), never the full Chinese range.
// The font files are memory-mapped once and shared by every size.
#include <imgui.h>

#include <filesystem>
#include <string>
#include <vector>

#include "kiosk/ui/glyphs.hpp"

namespace shouxin::kiosk {

/// The sizes a screen uses. All point to a valid font after build().
struct Fonts {
    ImFont* small = nullptr;    // notes, formulas
    ImFont* body = nullptr;     // rows, buttons
    ImFont* heading = nullptr;  // section and tile titles (bold)
    ImFont* title = nullptr;    // screen titles (bold)
    ImFont* number = nullptr;   // big figures (bold, digits only)
};

/// The fonts of the current atlas (set by FontLibrary::build).
const Fonts& fonts();

struct FontSizes {
    float small, body, heading, title, number;
};
FontSizes fontSizes(bool largeText);

class FontLibrary {
public:
    /// `dir` holds NotoSansCJK-Regular.ttc and NotoSansCJK-Bold.ttc.
    explicit FontLibrary(std::filesystem::path dir);
    ~FontLibrary();
    FontLibrary(const FontLibrary&) = delete;
    FontLibrary& operator=(const FontLibrary&) = delete;

    /// Clears `atlas` and builds it for `glyphs` at the sizes of the mode.
    /// When the CJK font cannot be loaded, logs why and falls back to
    /// ImGui's built-in font (Latin only); returns false then.
    bool build(ImFontAtlas& atlas, const GlyphSet& glyphs, bool largeText);

    /// Characters of `glyphs` that the body font lacks (drawn as '?').
    std::vector<char32_t> missing(const GlyphSet& glyphs) const;
    /// Characters of `text` that the body font lacks.
    std::vector<char32_t> missing(std::string_view text) const;

    bool usingCjk() const { return m_usingCjk; }
    std::size_t glyphCount() const { return m_glyphCount; }

private:
    struct Mapped {
        void* data = nullptr;
        std::size_t size = 0;
    };
    static Mapped map(const std::filesystem::path& path);
    static void unmap(Mapped& m);

    std::filesystem::path m_dir;
    Mapped m_regular;
    Mapped m_bold;
    ImVector<ImWchar> m_ranges;
    ImVector<ImWchar> m_numberRanges;
    bool m_usingCjk = false;
    std::size_t m_glyphCount = 0;
};

/// Formats a code point as "U+4DAE 䶮" for reports.
std::string describeCodePoint(char32_t cp);

}  // namespace shouxin::kiosk
