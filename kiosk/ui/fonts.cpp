#include "kiosk/ui/fonts.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imgui_freetype.h>

#include <cstdio>
#include <iostream>

namespace shouxin::kiosk {

namespace {

Fonts g_fonts;

// Simplified Chinese face in Debian's Noto Sans CJK collections.
constexpr int kSimplifiedChineseFace = 2;

std::string utf8Of(char32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

}  // namespace

const Fonts& fonts() { return g_fonts; }

FontSizes fontSizes(bool largeText) {
    if (largeText) return {28.0f, 36.0f, 42.0f, 54.0f, 80.0f};
    return {22.0f, 27.0f, 32.0f, 42.0f, 62.0f};
}

std::string describeCodePoint(char32_t cp) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
    return std::string(code) + " " + utf8Of(cp);
}

FontLibrary::FontLibrary(std::filesystem::path dir) : m_dir(std::move(dir)) {
    m_regular = map(m_dir / "NotoSansCJK-Regular.ttc");
    m_bold = map(m_dir / "NotoSansCJK-Bold.ttc");
}

FontLibrary::~FontLibrary() {
    unmap(m_regular);
    unmap(m_bold);
}

FontLibrary::Mapped FontLibrary::map(const std::filesystem::path& path) {
    Mapped m;
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        std::cerr << "shouxin-kiosk: cannot open font " << path << "\n";
        return m;
    }
    struct stat st {};
    if (::fstat(fd, &st) == 0 && st.st_size > 0) {
        void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
        if (p != MAP_FAILED) {
            m.data = p;
            m.size = static_cast<std::size_t>(st.st_size);
        }
    }
    ::close(fd);
    if (!m.data) std::cerr << "shouxin-kiosk: cannot map font " << path << "\n";
    return m;
}

void FontLibrary::unmap(Mapped& m) {
    if (m.data) ::munmap(m.data, m.size);
    m = {};
}

bool FontLibrary::build(ImFontAtlas& atlas, const GlyphSet& glyphs, bool largeText) {
    atlas.Clear();
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
    atlas.Flags |= ImFontAtlasFlags_NoPowerOfTwoHeight;
    atlas.TexDesiredWidth = 4096;

    ImFontGlyphRangesBuilder builder;
    builder.AddRanges(atlas.GetGlyphRangesDefault());
    for (const char32_t cp : glyphs.chars()) {
        if (cp <= IM_UNICODE_CODEPOINT_MAX) builder.AddChar(static_cast<ImWchar>(cp));
    }
    m_ranges.clear();
    builder.BuildRanges(&m_ranges);

    ImFontGlyphRangesBuilder numbers;
    numbers.AddRanges(atlas.GetGlyphRangesDefault());
    numbers.AddText("％—");
    m_numberRanges.clear();
    numbers.BuildRanges(&m_numberRanges);

    const FontSizes sizes = fontSizes(largeText);
    auto add = [&](const Mapped& file, float size, const ImVector<ImWchar>& ranges) -> ImFont* {
        if (!file.data) return nullptr;
        ImFontConfig cfg;
        // ImGui 1.86 copies font data the atlas does not own (20 MB a face,
        // five faces: most of the kiosk's heap). Handed over as owned, it is
        // used in place; marked not owned right after, Clear() leaves the
        // mapping (which outlives the atlas) alone.
        cfg.FontDataOwnedByAtlas = true;
        cfg.FontNo = kSimplifiedChineseFace;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        std::snprintf(cfg.Name, sizeof cfg.Name, "Noto Sans CJK SC %.0fpx", static_cast<double>(size));
        ImFont* font =
            atlas.AddFontFromMemoryTTF(file.data, static_cast<int>(file.size), size, &cfg, ranges.Data);
        atlas.ConfigData.back().FontDataOwnedByAtlas = false;
        return font;
    };
    const Mapped& bold = m_bold.data ? m_bold : m_regular;
    Fonts f;
    f.body = add(m_regular, sizes.body, m_ranges);  // first font: ImGui's default
    f.small = add(m_regular, sizes.small, m_ranges);
    f.heading = add(bold, sizes.heading, m_ranges);
    f.title = add(bold, sizes.title, m_ranges);
    f.number = add(bold, sizes.number, m_numberRanges);

    m_usingCjk = f.body && f.small && f.heading && f.title && f.number && atlas.Build();
    if (!m_usingCjk) {
        std::cerr << "shouxin-kiosk: Noto Sans CJK SC could not be loaded from " << m_dir
                  << "; falling back to the built-in font (Chinese text will not render)\n";
        atlas.Clear();
        atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
        ImFontConfig cfg;
        cfg.SizePixels = sizes.body;
        ImFont* fallback = atlas.AddFontDefault(&cfg);
        atlas.Build();
        f = {fallback, fallback, fallback, fallback, fallback};
    }
    g_fonts = f;
    m_glyphCount = 0;
    for (const ImFont* font : atlas.Fonts)
        m_glyphCount += static_cast<std::size_t>(font->Glyphs.Size);
    return m_usingCjk;
}

std::vector<char32_t> FontLibrary::missing(const GlyphSet& glyphs) const {
    std::vector<char32_t> out;
    const ImFont* font = g_fonts.body;
    for (const char32_t cp : glyphs.chars()) {
        if (cp > IM_UNICODE_CODEPOINT_MAX || !font || !font->FindGlyphNoFallback(static_cast<ImWchar>(cp)))
            out.push_back(cp);
    }
    return out;
}

std::vector<char32_t> FontLibrary::missing(std::string_view text) const {
    GlyphSet set;
    set.add(text);
    return missing(set);
}

}  // namespace shouxin::kiosk
