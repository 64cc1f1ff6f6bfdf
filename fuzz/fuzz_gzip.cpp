// Push bodies as they arrive, gzip'd, before anything else reads them: the
// inflater never crashes and never hands out more than its cap, fed whole
// or in pieces, and both ways agree.
#include "fuzz/fuzz.hpp"
#include "shared/gzip.hpp"

using namespace shouxin;

namespace {

constexpr std::size_t kCap = 1 << 18;  // small, so bombs hit it quickly

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fuzz::text(data, size);
    const auto whole = gunzip(input, kCap);
    fuzz::check(!whole || whole->size() <= kCap, "gunzip stays under its cap");

    // The same bytes in uneven chunks, as a network delivers them.
    GzipInflater inflater(kCap);
    std::string out;
    auto status = GzipInflater::Status::more;
    for (std::size_t at = 0, step = 1;
         at < input.size() && (status == GzipInflater::Status::more || status == GzipInflater::Status::done);
         at += step, step = step * 3 % 61 + 1) {
        status = inflater.feed(input.substr(at, step), out);
        fuzz::check(out.size() <= kCap, "the streaming inflater stays under its cap");
    }
    if (status == GzipInflater::Status::more || status == GzipInflater::Status::done) status = inflater.finish();
    fuzz::check(whole.ok() == (status == GzipInflater::Status::done), "whole and streamed agree on success");
    if (whole) fuzz::check(*whole == out, "whole and streamed inflate to the same bytes");
    return 0;
}
