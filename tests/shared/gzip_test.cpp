#include <catch2/catch.hpp>

#include "shared/gzip.hpp"

using namespace shouxin;

TEST_CASE("gunzip gives back what gzip made, fed whole or a byte at a time", "[gzip]") {
    std::string text;
    for (int i = 0; i < 5000; ++i)
        text += "{\"id\":" + std::to_string(i) + ",\"title\":\"危房改造补助申请30日内审核\"},";
    const std::string packed = gzip(text);
    CHECK(packed.size() < text.size() / 5);

    const auto whole = gunzip(packed, text.size());
    REQUIRE(whole);
    CHECK(*whole == text);

    GzipInflater inflater(text.size());
    std::string out;
    for (const char c : packed)
        REQUIRE(inflater.feed(std::string_view(&c, 1), out) != GzipInflater::Status::corrupt);
    CHECK(inflater.finish() == GzipInflater::Status::done);
    CHECK(out == text);
}

TEST_CASE("gunzip stops at its cap instead of expanding a bomb", "[gzip]") {
    const std::string zeros(64u << 20, '\0');
    const std::string bomb = gzip(zeros);
    CHECK(bomb.size() < 100 * 1024);

    const auto refused = gunzip(bomb, 1u << 20);
    REQUIRE(!refused);
    CHECK(refused.problems().front().message == "error.gzip.too_large");

    GzipInflater inflater(1u << 20);
    std::string out;
    CHECK(inflater.feed(bomb, out) == GzipInflater::Status::tooLarge);
    CHECK(out.size() <= (1u << 20));
    CHECK(out.capacity() <= (2u << 20));  // string growth, never the 64 MiB
    CHECK(inflater.feed("more", out) == GzipInflater::Status::tooLarge);

    const auto exact = gunzip(gzip(std::string(1000, 'x')), 1000);
    CHECK(exact.ok());
}

TEST_CASE("gunzip refuses what is not one whole gzip stream", "[gzip]") {
    const std::string packed = gzip("{\"protocol\":1}");
    CHECK(gunzip("{\"protocol\":1}", 1000).problems().front().message == "error.gzip.corrupt");
    CHECK(!gunzip(packed.substr(0, packed.size() - 4), 1000));  // cut short
    CHECK(!gunzip(packed + "x", 1000));                         // bytes after the end
    std::string flipped = packed;
    flipped[flipped.size() - 6] ^= 1;  // a bad CRC
    CHECK(!gunzip(flipped, 1000));
    CHECK(!gunzip("", 1000));
}
