#include "shared/json.hpp"

#include <rapidjson/encodedstream.h>
#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

#include "shared/text.hpp"

namespace shouxin::json {
namespace {

// A key as it may appear in a problem's field: at most 64 bytes, cut on a
// code point boundary (the text is valid UTF-8 by then).
std::string_view clipped(std::string_view key) {
    if (key.size() <= 64) return key;
    std::size_t n = 64;
    while (n > 0 && (static_cast<unsigned char>(key[n]) & 0xC0) == 0x80)
        --n;
    return key.substr(0, n);
}

// The linear pre-scan. It follows strings (and their escapes) and brackets
// only, not the full grammar: wherever it stops early or is fooled by broken
// JSON, the parser refuses the same text at or before that point.
class Scan {
public:
    Scan(std::string_view json, std::string_view what, const Limits& limits)
        : m_json(json), m_what(what), m_limits(limits) {}

    std::optional<Problem> run() {
        const std::size_t maxDepth = std::min(m_limits.maxDepth, kDepthCap);
        bool inString = false;
        bool escaped = false;
        bool isKey = false;
        std::size_t start = 0;
        for (std::size_t i = 0; i < m_json.size(); ++i) {
            const char c = m_json[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                    if (isKey) {
                        top().key = m_json.substr(start, i - start);
                        top().expectKey = false;
                    }
                    continue;
                }
                if (i - start >= m_limits.maxStringBytes) {
                    return Problem{isKey ? pathTo(m_depth - 1) : pathTo(m_depth), "error.json.too_long",
                                   "a string over " + std::to_string(m_limits.maxStringBytes) + " bytes"};
                }
                continue;
            }
            switch (c) {
                case '"':
                    inString = true;
                    start = i + 1;
                    isKey = m_depth > 0 && top().object && top().expectKey;
                    break;
                case '{':
                case '[':
                    if (m_depth == maxDepth) {
                        return Problem{pathTo(m_depth), "error.json.too_deep",
                                       "nested deeper than " + std::to_string(maxDepth)};
                    }
                    m_levels[m_depth++] = Level{c == '{', c == '{', 0, {}};
                    break;
                case '}':
                case ']':
                    if (m_depth == 0 || top().object != (c == '}')) return std::nullopt;  // parser refuses
                    --m_depth;
                    break;
                case ',': {
                    if (m_depth == 0) return std::nullopt;
                    Level& level = top();
                    const std::size_t cap = level.object ? m_limits.maxMembers : m_limits.maxItems;
                    if (++level.separators >= cap) {
                        return Problem{
                            pathTo(m_depth - 1), "error.json.too_many",
                            "more than " + std::to_string(cap) + (level.object ? " members" : " items")};
                    }
                    level.expectKey = level.object;
                    break;
                }
                default:
                    break;
            }
        }
        return std::nullopt;
    }

private:
    struct Level {
        bool object = false;
        bool expectKey = false;      // in an object, the next string is a key
        std::size_t separators = 0;  // commas seen at this level
        std::string_view key;        // in an object, the latest key as written
    };

    Level& top() { return m_levels[m_depth - 1]; }

    // The path of a value inside the first `depth` open levels, as the
    // decoders name fields: "events[3].payload"; `what` for the root itself.
    std::string pathTo(std::size_t depth) const {
        std::string out;
        for (std::size_t i = 0; i < depth; ++i) {
            if (m_levels[i].object) {
                if (!out.empty()) out += '.';
                out += clipped(m_levels[i].key);
            } else {
                out += "[" + std::to_string(m_levels[i].separators) + "]";
            }
        }
        if (out.empty() || out.front() == '[') out.insert(0, m_what);
        return out;
    }

    std::string_view m_json;
    std::string_view m_what;
    const Limits& m_limits;
    std::array<Level, kDepthCap> m_levels{};
    std::size_t m_depth = 0;
};

// Builds the document from the parser's events, numbers arriving as their
// text: an integer within int64 becomes an int64; one beyond it an infinite
// double (refused by range); a fraction or exponent a finite double (refused
// by type). Nothing is ever truncated.
class Builder {
public:
    explicit Builder(rapidjson::Document& doc) : m_doc(doc) {}

    bool Null() { return m_doc.Null(); }
    bool Bool(bool b) { return m_doc.Bool(b); }
    bool Int(int i) { return m_doc.Int64(i); }
    bool Uint(unsigned u) { return m_doc.Int64(u); }
    bool Int64(std::int64_t i) { return m_doc.Int64(i); }
    bool Uint64(std::uint64_t u) {
        return u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())
                   ? m_doc.Double(HUGE_VAL)
                   : m_doc.Int64(static_cast<std::int64_t>(u));
    }
    bool Double(double d) { return m_doc.Double(std::isinf(d) ? 0.0 : d); }
    bool RawNumber(const char* text, rapidjson::SizeType length, bool) {
        const char* end = text + length;
        if (std::find_if(text, end, [](char c) { return c == '.' || c == 'e' || c == 'E'; }) != end) {
            double d = 0;
            std::from_chars(text, end, d);
            return Double(d);
        }
        std::int64_t i = 0;
        const auto [stop, ec] = std::from_chars(text, end, i);
        if (ec == std::errc() && stop == end) return m_doc.Int64(i);
        return m_doc.Double(length > 0 && text[0] == '-' ? -HUGE_VAL : HUGE_VAL);
    }
    bool String(const char* s, rapidjson::SizeType length, bool copy) {
        return unescapedUtf8(s, length) && m_doc.String(s, length, copy);
    }
    bool StartObject() { return m_doc.StartObject(); }
    bool Key(const char* s, rapidjson::SizeType length, bool copy) {
        return unescapedUtf8(s, length) && m_doc.Key(s, length, copy);
    }
    bool EndObject(rapidjson::SizeType members) { return m_doc.EndObject(members); }
    bool StartArray() { return m_doc.StartArray(); }
    bool EndArray(rapidjson::SizeType items) { return m_doc.EndArray(items); }

    /// Whether parsing stopped at a string that unescapes to invalid UTF-8.
    bool badUtf8() const { return m_badUtf8; }

private:
    // The parser lets a lone low surrogate escape ("\udc00") through.
    bool unescapedUtf8(const char* s, rapidjson::SizeType length) {
        m_badUtf8 = !isValidUtf8({s, length});
        return !m_badUtf8;
    }

    rapidjson::Document& m_doc;
    bool m_badUtf8 = false;
};

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;

// Refuses any object with a key twice: the first value would silently win,
// and one body must not be readable two ways. Objects are small (the scan
// caps their members), so sorting each one's keys is cheap. Recursion is
// bounded by the scan's depth limit.
void checkKeys(const rapidjson::Value& v, const std::string& path, std::vector<std::string_view>& scratch,
               Problems& problems) {
    if (v.IsArray()) {
        std::size_t i = 0;
        for (const auto& item : v.GetArray()) {
            if (item.IsObject() || item.IsArray()) {
                checkKeys(item, path + "[" + std::to_string(i) + "]", scratch, problems);
            }
            ++i;
        }
        return;
    }
    if (!v.IsObject()) return;
    scratch.clear();
    for (const auto& m : v.GetObject())
        scratch.emplace_back(m.name.GetString(), m.name.GetStringLength());
    std::sort(scratch.begin(), scratch.end());
    for (std::size_t i = 1; i < scratch.size(); ++i) {
        if (scratch[i] == scratch[i - 1] && (i == 1 || scratch[i] != scratch[i - 2])) {
            const std::string key(clipped(scratch[i]));
            problems.push_back({path.empty() ? key : path + "." + key, "error.json.duplicate_field", key});
        }
    }
    for (const auto& m : v.GetObject()) {
        if (m.value.IsObject() || m.value.IsArray()) {
            const std::string key(clipped({m.name.GetString(), m.name.GetStringLength()}));
            checkKeys(m.value, path.empty() ? key : path + "." + key, scratch, problems);
        }
    }
}

}  // namespace

Problems parseObject(std::string_view json, std::string_view what, const Limits& limits,
                     rapidjson::Document& doc) {
    const std::string field(what);
    if (json.size() > limits.maxBodyBytes) {
        return {{field, "error.json.too_long",
                 std::to_string(json.size()) + " > " + std::to_string(limits.maxBodyBytes) + " bytes"}};
    }
    if (!isValidUtf8(json)) return {{field, "error.text.utf8", ""}};
    if (auto problem = Scan(json, what, limits).run()) return {std::move(*problem)};

    rapidjson::ParseResult result;
    bool badUtf8 = false;
    auto generate = [&](rapidjson::Document& target) {
        Builder builder(target);
        rapidjson::MemoryStream bytes(json.data(), json.size());
        rapidjson::EncodedInputStream<rapidjson::UTF8<>, rapidjson::MemoryStream> in(bytes);
        rapidjson::Reader reader;
        result = reader.Parse<kParseFlags>(in, builder);
        badUtf8 = builder.badUtf8();
        return !result.IsError();
    };
    doc.Populate(generate);
    if (badUtf8) return {{field, "error.text.utf8", "an escape at byte " + std::to_string(result.Offset())}};
    if (result.IsError()) {
        return {{field, "error.json.syntax",
                 std::string(rapidjson::GetParseError_En(result.Code())) + " at byte " +
                     std::to_string(result.Offset())}};
    }
    if (!doc.IsObject()) return {{field, "error.json.type", "not an object"}};
    Problems problems;
    std::vector<std::string_view> scratch;
    checkKeys(doc, "", scratch, problems);
    return problems;
}

bool readInteger(const rapidjson::Value& v, const std::string& field, std::int64_t min, std::int64_t max,
                 std::int64_t& out, Problems& problems) {
    if (v.IsInt64()) {
        const std::int64_t n = v.GetInt64();
        if (n < min || n > max) {
            problems.push_back(
                {field, "error.json.range",
                 std::to_string(n) + " not in " + std::to_string(min) + ".." + std::to_string(max)});
            return false;
        }
        out = n;
        return true;
    }
    if (v.IsDouble() && std::isinf(v.GetDouble())) {
        problems.push_back({field, "error.json.range", "beyond 64 bits"});
        return false;
    }
    problems.push_back({field, "error.json.type", v.IsDouble() ? "not an integer" : "not a number"});
    return false;
}

bool readString(const rapidjson::Value& v, const std::string& field, std::size_t maxBytes, std::string& out,
                Problems& problems) {
    if (!v.IsString()) {
        problems.push_back({field, "error.json.type", "not a string"});
        return false;
    }
    if (v.GetStringLength() > maxBytes) {
        problems.push_back(
            {field, "error.json.too_long",
             std::to_string(v.GetStringLength()) + " > " + std::to_string(maxBytes) + " bytes"});
        return false;
    }
    out.assign(v.GetString(), v.GetStringLength());
    return true;
}

}  // namespace shouxin::json
