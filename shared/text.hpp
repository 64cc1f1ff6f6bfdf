#pragma once
// UTF-8 text checks shared by every input path.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace shouxin {

/// True when `text` is well-formed UTF-8 (no overlongs, no surrogates,
/// nothing above U+10FFFF).
bool isValidUtf8(std::string_view text);

/// Number of code points in well-formed UTF-8 text.
std::size_t codePointCount(std::string_view text);

/// Checks one text field: valid UTF-8, no control characters (newline and
/// tab are allowed only when `multiline`), length in code points within
/// [minLength, maxLength]. Returns the problem, if any.
std::optional<Problem> checkText(std::string_view field, std::string_view text, std::size_t minLength,
                                 std::size_t maxLength, bool multiline = false);

/// Lower-case hex of raw bytes, and back (nullopt on bad hex).
/// `text` without the white space (ASCII) at either end.
std::string trim(std::string_view text);

enum class Clock { utc, local };
/// Unix milliseconds as strftime's `format` on the UTC or the local clock.
std::string formatTime(std::int64_t unixMillis, const char* format, Clock clock);

/// Unix milliseconds (as the node table keeps them) as local
/// "YYYY-MM-DD HH:MM:SS"; "—" when empty or not a number.
std::string localTime(std::string_view unixMillis);

std::string toHex(std::string_view bytes);
std::optional<std::string> fromHex(std::string_view hex);

}  // namespace shouxin
