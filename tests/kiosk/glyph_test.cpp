#include <catch2/catch.hpp>

#include <imgui.h>

#include <string>

#include "kiosk/ui/fonts.hpp"
#include "kiosk/ui/glyphs.hpp"
#include "shared/i18n.hpp"
#include "shared/store.hpp"
#include "tests/kiosk/kiosk_support.hpp"
#include "tests/support/scenario.hpp"

using namespace shouxin;
using namespace shouxin::kiosk;
using namespace shouxin::test;

namespace {

// An ImGui context for atlas work; no window is needed to build fonts.
struct Context {
    Context() { ImGui::CreateContext(); }
    ~Context() { ImGui::DestroyContext(); }
};

std::string describe(const std::vector<char32_t>& missing) {
    std::string s;
    for (const char32_t cp : missing)
        s += describeCodePoint(cp) + "  ";
    return s;
}

}  // namespace

TEST_CASE("every character of the catalogue and of the demo office is in the font atlas", "[fonts]") {
    TempDir dir;
    makeDemoOffice(dir / "office.db");
    const Store store = Store::open(dir / "office.db");
    GlyphSet glyphs = catalogueGlyphs();
    addStoreText(glyphs, store);
    // The demo names carry Ext-A characters.
    REQUIRE(glyphs.contains(U'䶮'));
    REQUIRE(glyphs.contains(U'㵘'));

    Context context;
    FontLibrary fonts(SHOUXIN_FONT_DIR);
    for (const bool large : {false, true}) {
        REQUIRE(fonts.build(*ImGui::GetIO().Fonts, glyphs, large));
        const auto missing = fonts.missing(glyphs);
        INFO("missing: " << describe(missing));
        CHECK(missing.empty());
        const ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
        CHECK(atlas.TexWidth <= 4096);
        CHECK(atlas.TexHeight <= 4096);
        // Only what is used: far from the ~21,000 characters of the CJK block.
        CHECK(glyphs.size() < 3000);
    }
}

TEST_CASE("the glyph check reports characters the atlas lacks", "[fonts]") {
    Context context;
    FontLibrary fonts(SHOUXIN_FONT_DIR);
    GlyphSet glyphs = catalogueGlyphs();
    REQUIRE(fonts.build(*ImGui::GetIO().Fonts, glyphs, false));
    // Not in the glyph set, so not in the atlas: reported, not drawn as '?'.
    const auto missing = fonts.missing("兑䶮");
    CHECK(missing == std::vector<char32_t>{U'䶮'});
    // Outside the 16-bit range this ImGui build draws: always reported.
    CHECK(fonts.missing("𠀀") == std::vector<char32_t>{U'𠀀'});
    CHECK(describeCodePoint(U'䶮') == "U+4DAE 䶮");
}

TEST_CASE("a missing font folder falls back to the built-in font with a logged message", "[fonts]") {
    Context context;
    FontLibrary fonts("/nonexistent/fonts");
    CHECK_FALSE(fonts.build(*ImGui::GetIO().Fonts, catalogueGlyphs(), false));
    CHECK_FALSE(fonts.usingCjk());
    REQUIRE(kiosk::fonts().body != nullptr);
    CHECK(fonts.missing("青山").size() == 2);  // reported, not silently '?'
}
