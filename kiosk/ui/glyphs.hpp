#pragma once
// The set of characters the kiosk can show: every catalogue text, the
// kiosk's own symbols, and the text of the records. The font atlas is built
// from exactly this set (never the full Chinese range) and rebuilt when it
// grows.
#include <set>
#include <string_view>
#include <vector>

namespace shouxin {
class Store;
}

namespace shouxin::kiosk {

/// The code points of UTF-8 text; malformed bytes are skipped.
std::vector<char32_t> codePointsOf(std::string_view text);

class GlyphSet {
public:
    /// Adds the characters of `text`; true when any was new.
    bool add(std::string_view text);
    /// Adds the characters of `other`; true when any was new.
    bool merge(const GlyphSet& other);
    bool contains(char32_t cp) const { return m_chars.count(cp) != 0; }
    std::size_t size() const { return m_chars.size(); }
    const std::set<char32_t>& chars() const { return m_chars; }

private:
    std::set<char32_t> m_chars;
};

/// Every catalogue text in both languages plus the kiosk's symbols.
GlyphSet catalogueGlyphs();
/// Adds every text the store holds (Store::forEachText).
void addStoreText(GlyphSet& glyphs, const Store& store);

/// Text the kiosk draws that is not in the catalogue (digits, punctuation).
inline constexpr std::string_view kSymbolText =
    "0123456789%.,:;!?()[]{}<>/+-=×÷·—–…“”‘’、。，：；（）《》【】％－／·~#*_&@|\\'\" "
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ年月日天";

}  // namespace shouxin::kiosk
