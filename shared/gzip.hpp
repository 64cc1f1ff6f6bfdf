#pragma once
// gzip (RFC 1952) for sync bodies. Inflating is bounded: a few KiB on the
// wire can expand to gigabytes (a "gzip bomb"), so the inflater stops as
// soon as its output would pass a cap, before allocating it. No HTTP types.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "shared/result.hpp"

namespace shouxin {

/// gzip of `data` at the default level; throws std::runtime_error only if
/// zlib itself fails (out of memory).
std::string gzip(std::string_view data);

/// A streaming gunzip with a cap on the expanded size: feed it the body as
/// it arrives; it appends what it inflates to `out` and fails, for good,
/// once the output would exceed `maxOut`, or on a corrupt stream.
class GzipInflater {
public:
    enum class Status {
        more,      // fine so far; the stream has not ended
        done,      // the gzip stream ended (trailing bytes are an error)
        tooLarge,  // the output would exceed maxOut
        corrupt,   // not gzip, a bad checksum, or bytes after the end
    };

    explicit GzipInflater(std::size_t maxOut);
    ~GzipInflater();
    GzipInflater(const GzipInflater&) = delete;
    GzipInflater& operator=(const GzipInflater&) = delete;

    /// Inflates `chunk`, appending to `out`. After tooLarge or corrupt,
    /// every further call returns the same.
    Status feed(std::string_view chunk, std::string& out);
    /// The state once the input has ended: done, or corrupt for a stream cut
    /// short, or the failure met before.
    Status finish() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

/// One-shot gunzip of a whole body, refused (message "error.gzip.too_large"
/// or "error.gzip.corrupt") rather than expanded past `maxOut` bytes.
Result<std::string> gunzip(std::string_view data, std::size_t maxOut);

}  // namespace shouxin
