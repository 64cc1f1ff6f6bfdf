#include "shared/text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <cstdint>

namespace shouxin {
namespace {

// Decodes one code point starting at `i`; returns its length, or 0 when the
// bytes there are not well-formed UTF-8 (Unicode 15, table 3-7).
std::size_t decodeOne(std::string_view s, std::size_t i, char32_t& out) {
    const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[k]); };
    const std::uint8_t b0 = byte(i);
    if (b0 < 0x80) {
        out = b0;
        return 1;
    }
    std::size_t len = 0;
    std::uint8_t lo = 0x80;
    std::uint8_t hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        return 0;
    }
    if (i + len > s.size()) return 0;
    const std::uint8_t b1 = byte(i + 1);
    if (b1 < lo || b1 > hi) return 0;
    char32_t cp = b0 & (0xFF >> (len + 1));
    for (std::size_t k = 1; k < len; ++k) {
        const std::uint8_t b = byte(i + k);
        if (k > 1 && (b < 0x80 || b > 0xBF)) return 0;
        cp = (cp << 6) | (b & 0x3F);
    }
    out = cp;
    return len;
}

}  // namespace

bool isValidUtf8(std::string_view text) {
    char32_t cp = 0;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t n = decodeOne(text, i, cp);
        if (n == 0) return false;
        i += n;
    }
    return true;
}

std::size_t codePointCount(std::string_view text) {
    std::size_t count = 0;
    for (const char c : text) {
        if ((static_cast<std::uint8_t>(c) & 0xC0) != 0x80) ++count;
    }
    return count;
}

std::optional<Problem> checkText(std::string_view field, std::string_view text, std::size_t minLength,
                                 std::size_t maxLength, bool multiline) {
    const auto problem = [&](const char* message, std::string detail) {
        return Problem{std::string(field), message, std::move(detail)};
    };
    if (!isValidUtf8(text)) return problem("error.text.utf8", "not valid UTF-8");
    char32_t cp = 0;
    for (std::size_t i = 0; i < text.size();) {
        i += decodeOne(text, i, cp);
        const bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0);
        if (control && !(multiline && (cp == '\n' || cp == '\t'))) {
            return problem("error.text.control",
                           "control character U+" + toHex(std::string(1, static_cast<char>(cp))));
        }
    }
    const std::size_t length = codePointCount(text);
    if (length < minLength) {
        return problem(minLength == 1 ? "error.text.empty" : "error.text.short",
                       std::to_string(length) + " < " + std::to_string(minLength));
    }
    if (length > maxLength) {
        return problem("error.text.long", std::to_string(length) + " > " + std::to_string(maxLength));
    }
    return std::nullopt;
}

std::string toHex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto b = static_cast<std::uint8_t>(c);
        out.push_back(kDigits[b >> 4]);
        out.push_back(kDigits[b & 0x0F]);
    }
    return out;
}

std::optional<std::string> fromHex(std::string_view hex) {
    if (hex.size() % 2 != 0) return std::nullopt;
    const auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(hex.size() / 2);
    for (std::size_t i = 0; i < hex.size(); i += 2) {
        const int hi = nibble(hex[i]);
        const int lo = nibble(hex[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
    }
    return out;
}

std::string trim(std::string_view text) {
    std::size_t b = 0;
    std::size_t e = text.size();
    while (b < e && std::isspace(static_cast<unsigned char>(text[b])))
        ++b;
    while (e > b && std::isspace(static_cast<unsigned char>(text[e - 1])))
        --e;
    return std::string(text.substr(b, e - b));
}

std::string formatTime(std::int64_t unixMillis, const char* format, Clock clock) {
    const auto t = static_cast<std::time_t>(unixMillis / 1000);
    std::tm tm{};
    if (clock == Clock::utc)
        gmtime_r(&t, &tm);
    else
        localtime_r(&t, &tm);
    char buf[64];
    return std::strftime(buf, sizeof buf, format, &tm) > 0 ? buf : "";
}

std::string localTime(std::string_view unixMillis) {
    std::int64_t millis = 0;
    const auto [end, ec] = std::from_chars(unixMillis.data(), unixMillis.data() + unixMillis.size(), millis);
    if (unixMillis.empty() || ec != std::errc() || end != unixMillis.data() + unixMillis.size()) return "—";
    return formatTime(millis, "%Y-%m-%d %H:%M:%S", Clock::local);
}

}  // namespace shouxin
