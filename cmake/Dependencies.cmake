# Every dependency comes from a Debian 12 package (packaging/install-deps.sh).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(CURL REQUIRED)
find_package(CLI11 REQUIRED)
find_package(ZLIB REQUIRED)

pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
pkg_check_modules(RAPIDJSON REQUIRED IMPORTED_TARGET RapidJSON)
# The district's database may be PostgreSQL (shared/sql_postgres.cpp).
pkg_check_modules(LIBPQ REQUIRED IMPORTED_TARGET libpq)
# The district server's HTTP (built with GnuTLS for HTTPS on Debian).
pkg_check_modules(MICROHTTPD REQUIRED IMPORTED_TARGET libmicrohttpd)

if(SHOUXIN_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED)
  include(Catch)
  # The kiosk session test's close request (tests/packaging/close_request.cpp).
  find_package(X11 REQUIRED)
endif()
