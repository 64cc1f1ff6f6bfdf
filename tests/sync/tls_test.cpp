#include <catch2/catch.hpp>

#include "tests/support/process.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/sync_world.hpp"

using namespace shouxin;
using namespace shouxin::test;

namespace {

// A self-signed district certificate and its key's pin (sha256//BASE64 of
// the SubjectPublicKeyInfo), made with the openssl command.
struct Certificate {
    std::string cert;
    std::string key;
    std::string pin;
};

Certificate makeCertificate(const TempDir& dir, const std::string& name) {
    Certificate c{(dir / (name + ".crt").c_str()).string(), (dir / (name + ".key").c_str()).string(), ""};
    const auto made = runProgram({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                  "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", c.key, "-out", c.cert,
                                  "-days", "2", "-subj", "/CN=district.test"});
    REQUIRE(made.exitCode == 0);
    const auto pin = runProgram({"/bin/sh", "-c",
                                 "openssl x509 -in '" + c.cert +
                                     "' -pubkey -noout | openssl pkey -pubin -outform der | "
                                     "openssl dgst -sha256 -binary | openssl base64"});
    REQUIRE(pin.exitCode == 0);
    c.pin = "sha256//" + pin.out.substr(0, pin.out.find('\n'));
    return c;
}

}  // namespace

TEST_CASE("sync over HTTPS trusts the district's pinned key and nothing else", "[sync][tls]") {
    TempDir dir;
    const auto db = dir / "district.db";
    districtCli(db, {"init", "--district", kDistrict, "--name", "余杭区"});
    const Certificate district = makeCertificate(dir, "district");
    const Certificate impostor = makeCertificate(dir, "impostor");
    ServerProcess server(db, 0, {"--cert", district.cert, "--key", district.key});
    REQUIRE(server.url().rfind("https://", 0) == 0);

    const Kiosk k{(dir / "kiosk.db").string(), kOfficeA};
    REQUIRE(k.cli({"init", "--office", kOfficeA, "--name", "青山镇人民政府"}).exitCode == 0);
    REQUIRE(k.cli({"demo"}).exitCode == 0);

    SECTION("the right pin: enrol and sync") {
        const std::string code = districtCli(db, {"enroll-code", "--office", kOfficeA}).substr(0, 11);
        const auto enrolled =
            k.cli({"enroll", server.url(), code, "--pin", impostor.pin, "--pin", district.pin});
        INFO(enrolled.err);
        REQUIRE(enrolled.exitCode == 0);
        const auto synced = k.cli({"sync", "--once", "--retries", "0"});
        INFO(synced.err);
        REQUIRE(synced.exitCode == 0);
        CHECK(k.digest() == districtCli(db, {"digest", "--office", kOfficeA}).substr(0, 64));
    }
    SECTION("a wrong pin: refused, not retried") {
        const std::string code = districtCli(db, {"enroll-code", "--office", kOfficeA}).substr(0, 11);
        const auto r = k.cli({"enroll", server.url(), code, "--pin", impostor.pin});
        CHECK(r.exitCode == 1);
        CHECK(r.err.find("does not match") != std::string::npos);
    }
    SECTION("no pin and a certificate no CA signed: refused") {
        const std::string code = districtCli(db, {"enroll-code", "--office", kOfficeA}).substr(0, 11);
        const auto r = k.cli({"enroll", server.url(), code});
        CHECK(r.exitCode == 1);
        CHECK(r.err.find("does not match") != std::string::npos);
    }
    SECTION("a malformed pin is refused before any connection") {
        const auto r = k.cli({"enroll", server.url(), "ABCDE-FGHJK", "--pin", "md5//abc"});
        CHECK(r.exitCode == 2);  // wrong usage, as in node.conf
        CHECK(r.err.find("sha256//") != std::string::npos);
    }
}
