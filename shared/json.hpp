#pragma once
// Bounded reading of untrusted JSON, and the writer's small helpers, for
// the codecs inside shared/ only (wire.cpp, event.cpp, audit.cpp). It
// includes rapidjson, so no header that other modules use may include it.
//
// Every document is checked by a linear scan before the parser allocates
// anything: nesting depth, members per object, items per array and string
// length, so that neither the parser nor any walk over the document can
// recurse far or grow without bound. The parser then runs iteratively, and
// every object is checked for duplicate keys.
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace shouxin::json {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

/// A member of the object being written.
inline void put(Writer& w, const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
inline void put(Writer& w, const char* key, std::int64_t value) {
    w.Key(key);
    w.Int64(value);
}

/// The deepest nesting any caller may allow (the scan keeps one fixed-size
/// entry per level).
inline constexpr std::size_t kDepthCap = 16;
/// Escaped JSON text is at most this many times longer than the bytes it
/// decodes to (`\u0001` for one byte).
inline constexpr std::size_t kEscapeFactor = 6;

struct Limits {
    std::size_t maxBodyBytes = std::numeric_limits<std::size_t>::max();
    std::size_t maxDepth = 8;           // nested objects and arrays, the root counting 1
    std::size_t maxMembers = 64;        // in any one object
    std::size_t maxItems = 64;          // in any one array
    std::size_t maxStringBytes = 4096;  // any string or key, as written (escapes included)
};

/// Parses `json` into `doc`, whose root must be an object. Problems name
/// `what` ("body", "payload") or the path of the offending member, with ids
/// error.text.utf8, error.json.syntax, error.json.type, error.json.too_long,
/// error.json.too_deep, error.json.too_many, error.json.duplicate_field.
/// Numbers reach the document as int64 values; an integer outside int64 is
/// kept as an infinite double, so readInteger() refuses it by range, and a
/// number written with a fraction or exponent as a finite double, refused by
/// type. Empty result: `doc` holds the object.
Problems parseObject(std::string_view json, std::string_view what, const Limits& limits,
                     rapidjson::Document& doc);

/// Reads an integer in [min, max] into `out`. A float is error.json.type, an
/// integer outside the range error.json.range; either is added to `problems`
/// under `field`, and `out` is left alone.
bool readInteger(const rapidjson::Value& v, const std::string& field, std::int64_t min, std::int64_t max,
                 std::int64_t& out, Problems& problems);

/// Reads a string of at most `maxBytes` (once unescaped) into `out`: else
/// error.json.type or error.json.too_long under `field`.
bool readString(const rapidjson::Value& v, const std::string& field, std::size_t maxBytes, std::string& out,
                Problems& problems);

}  // namespace shouxin::json
