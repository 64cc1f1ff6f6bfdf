#include <catch2/catch.hpp>

#include <fstream>
#include <stdexcept>

#include "shared/atomic_file.hpp"
#include "tests/support/temp_dir.hpp"

using namespace shouxin;
namespace fs = std::filesystem;

namespace {
std::string readFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}
}  // namespace

TEST_CASE("a file is written through FILE.part and renamed into place", "[files]") {
    test::TempDir dir;
    const auto file = dir / "out.csv";
    CHECK(writeFileAtomically(file, [&](std::ostream& out) {
        out << "first";
        CHECK(fs::exists(file.string() + ".part"));
        CHECK_FALSE(fs::exists(file));
        return true;
    }));
    CHECK(readFile(file) == "first");
    CHECK_FALSE(fs::exists(file.string() + ".part"));
}

TEST_CASE("a failed write leaves the existing file as it was and no part file", "[files]") {
    test::TempDir dir;
    const auto file = dir / "out.csv";
    REQUIRE(writeFileAtomically(file, [](std::ostream& out) {
        out << "kept";
        return true;
    }));
    CHECK_FALSE(writeFileAtomically(file, [](std::ostream& out) {
        out << "half";
        return false;
    }));
    CHECK_THROWS_AS(writeFileAtomically(file,
                                        [](std::ostream& out) -> bool {
                                            out << "half";
                                            throw std::runtime_error("disk gone");
                                        }),
                    std::runtime_error);
    CHECK(readFile(file) == "kept");
    CHECK_FALSE(fs::exists(file.string() + ".part"));
    CHECK_FALSE(writeFileAtomically(dir / "no-such-dir" / "x", [](std::ostream&) { return true; }));
}

TEST_CASE("syncing a file or its directory answers whether it reached the disk", "[files]") {
    test::TempDir dir;
    const auto file = dir / "synced";
    REQUIRE(writeFileAtomically(file, [](std::ostream& out) {
        out << "x";
        return true;
    }));
    CHECK(syncFile(file));
    CHECK(syncDirectoryOf(file));
    CHECK(syncDirectoryOf(fs::path("relative-name")));  // the working directory
    CHECK_FALSE(syncFile(dir / "missing"));
    CHECK_FALSE(syncDirectoryOf(dir / "missing-dir" / "file"));
    CHECK_FALSE(syncDirectoryOf(file / "not-a-directory"));
}
