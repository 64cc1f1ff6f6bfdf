#include "sync/cli/commands.hpp"

#include <iostream>

#include "shared/i18n.hpp"

namespace shouxin::cli {

int fail(const Problems& problems) {
    std::cerr << bilingual("cli.error") << ":\n" << describe(problems) << "\n";
    return kFailed;
}

// Wrong usage: a flag or a line of the configuration file.
int usage(const Problems& problems) {
    std::cerr << bilingual("cli.error") << ":\n" << describe(problems) << "\n";
    return kUsage;
}

int fail(std::string_view messageId, std::string_view detail) {
    return fail(Problems{{"", std::string(messageId), std::string(detail)}});
}

namespace {

// Terminal columns of UTF-8 text: CJK and full-width characters take two.
std::size_t displayWidth(std::string_view text) {
    std::size_t width = 0;
    for (std::size_t i = 0; i < text.size();) {
        const auto b = static_cast<unsigned char>(text[i]);
        const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        width += len >= 3 ? 2 : 1;
        i += len;
    }
    return width;
}

}  // namespace

std::string pad(std::string_view text, std::size_t width) {
    std::string out(text);
    for (std::size_t w = displayWidth(text); w < width; ++w)
        out += ' ';
    return out;
}

std::string label(std::string_view messageId) {
    return std::string(tr(messageId, Lang::zh)) + " " + std::string(tr(messageId, Lang::en));
}

}  // namespace shouxin::cli
