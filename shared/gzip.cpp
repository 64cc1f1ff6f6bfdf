#include "shared/gzip.hpp"

#include <zlib.h>

#include <algorithm>
#include <stdexcept>

namespace shouxin {
namespace {

// zlib's windowBits: 15 (32 KiB window) + 16 for the gzip wrapper.
constexpr int kGzipWindowBits = 15 + 16;
// Output is produced in steps of this size, so that a cap is checked before
// anything larger than it is allocated.
constexpr std::size_t kStep = 64 * 1024;

}  // namespace

std::string gzip(std::string_view data) {
    z_stream z{};
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw std::runtime_error("deflateInit2 failed");
    }
    std::string out(deflateBound(&z, static_cast<uLong>(data.size())) + 32, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    z.avail_in = static_cast<uInt>(data.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    const int rc = deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    if (rc != Z_STREAM_END) throw std::runtime_error("gzip failed");
    return out;
}

struct GzipInflater::Impl {
    z_stream z{};
    std::size_t maxOut = 0;
    std::size_t produced = 0;
    Status status = Status::more;
};

GzipInflater::GzipInflater(std::size_t maxOut) : m_impl(std::make_unique<Impl>()) {
    m_impl->maxOut = maxOut;
    if (inflateInit2(&m_impl->z, kGzipWindowBits) != Z_OK) throw std::runtime_error("inflateInit2 failed");
}

GzipInflater::~GzipInflater() { inflateEnd(&m_impl->z); }

GzipInflater::Status GzipInflater::feed(std::string_view chunk, std::string& out) {
    Impl& s = *m_impl;
    if (s.status == Status::tooLarge || s.status == Status::corrupt) return s.status;
    if (s.status == Status::done) {
        // One member only: anything after the end is not ours to accept.
        if (!chunk.empty()) s.status = Status::corrupt;
        return s.status;
    }
    z_stream& z = s.z;
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(chunk.data()));
    z.avail_in = static_cast<uInt>(chunk.size());
    while (true) {
        // Room for at most one step, and never past the cap (+1 so that a
        // stream that would exceed it is seen doing so).
        const std::size_t room = std::min(kStep, s.maxOut - s.produced + 1);
        const std::size_t before = out.size();
        out.resize(before + room);
        z.next_out = reinterpret_cast<Bytef*>(out.data() + before);
        z.avail_out = static_cast<uInt>(room);
        const int rc = inflate(&z, Z_NO_FLUSH);
        const std::size_t made = room - z.avail_out;
        out.resize(before + made);
        s.produced += made;
        if (s.produced > s.maxOut) {
            out.resize(out.size() - (s.produced - s.maxOut));
            return s.status = Status::tooLarge;
        }
        if (rc == Z_STREAM_END) {
            s.status = z.avail_in == 0 ? Status::done : Status::corrupt;
            return s.status;
        }
        if (rc == Z_BUF_ERROR) return s.status;  // needs more input: no progress possible
        if (rc != Z_OK) return s.status = Status::corrupt;
        if (z.avail_in == 0 && z.avail_out != 0) return s.status;  // all input consumed
    }
}

GzipInflater::Status GzipInflater::finish() const {
    return m_impl->status == Status::more ? Status::corrupt : m_impl->status;
}

Result<std::string> gunzip(std::string_view data, std::size_t maxOut) {
    GzipInflater inflater(maxOut);
    std::string out;
    inflater.feed(data, out);
    switch (inflater.finish()) {
        case GzipInflater::Status::done:
            return out;
        case GzipInflater::Status::tooLarge:
            return Problem{"", "error.gzip.too_large", std::to_string(maxOut) + " bytes at most"};
        default:
            return Problem{"", "error.gzip.corrupt", ""};
    }
}

}  // namespace shouxin
