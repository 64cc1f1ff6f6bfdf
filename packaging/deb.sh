#!/usr/bin/env bash
# Builds the Debian packages into build/package/packages/:
#   shouxin-node_VERSION_ARCH.deb, shouxin-kiosk_…, shouxin-district_…
# compiled with Debian's hardening flags (dpkg-buildflags, hardening=+all),
# then checks them with lintian when it is installed.
#   packaging/deb.sh                                 the project's version
#   SHOUXIN_PACKAGE_VERSION=0.1.9 packaging/deb.sh   another (upgrade tests)
set -euo pipefail
cd "$(dirname "$0")/.."

export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
export DEB_BUILD_MAINT_OPTIONS=hardening=+all
version_flag=(-USHOUXIN_PACKAGE_VERSION)  # the project's, unless told
[[ -n "${SHOUXIN_PACKAGE_VERSION:-}" ]] && version_flag=(-DSHOUXIN_PACKAGE_VERSION="$SHOUXIN_PACKAGE_VERSION")
cmake --preset package "${version_flag[@]}" \
  -DCMAKE_CXX_FLAGS="$(dpkg-buildflags --get CPPFLAGS) $(dpkg-buildflags --get CXXFLAGS)" \
  -DCMAKE_EXE_LINKER_FLAGS="$(dpkg-buildflags --get LDFLAGS)" >/dev/null
cmake --build --preset package
out=build/package/packages
rm -rf "$out" && mkdir -p "$out"
(cd build/package && cpack -G DEB -B "$PWD/packages" >/dev/null)
rm -rf "$out/_CPack_Packages"
ls -1 "$out"/*.deb
if command -v lintian >/dev/null; then
  # Clean but for the tags packaging/debian/lintian-explained explains.
  lintian --fail-on error,warning --suppress-tags-from-file packaging/debian/lintian-explained "$out"/*.deb
fi
