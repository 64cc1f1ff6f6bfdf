#!/usr/bin/env bash
# Installs exactly the Debian 12 packages Shouxin needs that are missing.
# Idempotent: a second run installs nothing. Runs apt-get as root, or through
# sudo. Nothing is fetched from anywhere but the system's apt sources.
#
#   packaging/install-deps.sh            build, run and test dependencies
#   packaging/install-deps.sh --runtime  only what the built programs need
set -euo pipefail

build_pkgs=(
  build-essential cmake ninja-build pkg-config ccache git
  libimgui-dev libstb-dev libglfw3-dev libgl-dev libfreetype-dev
  libsqlite3-dev sqlite3 libcurl4-openssl-dev libcereal-dev rapidjson-dev libcli11-dev catch2
  libmicrohttpd-dev zlib1g-dev libsodium-dev libqrencode-dev libespeak-ng-dev libpcaudio-dev
  libcairo2-dev libpango1.0-dev libpq-dev
  help2man
)
# Reading aloud: the synthesiser, its voices (cmn, yue, en) and the audio
# library it plays through.
# libpq: the district's database may be PostgreSQL.
runtime_pkgs=(fonts-noto-cjk libespeak-ng1 espeak-ng-data libpcaudio0 libpq5)
# The kiosk's window tests: a virtual X server, Mesa's software OpenGL,
# xdotool taps and ImageMagick screenshots. The district's public pages:
# Chromium, headless. Fuzzing: clang 14 and its libFuzzer and sanitizer
# runtimes. The disclosure report: poppler's pdftoppm, pdftotext and pdffonts.
# The packages: lintian, desktop-file-validate, and debootstrap for the
# install test in a clean Debian root (packaging/install-test.sh).
# The district on PostgreSQL: a throwaway PostgreSQL 15 cluster per test
# process (tests/support/postgres_cluster.cpp), with pg_trgm from contrib.
# The locked kiosk session (tests/packaging/kiosk_session_test.sh): cage with
# Xwayland on wlroots' headless backend, grim for its screenshots, Xlib for
# the test's close request; the test is skipped where cage is missing.
test_pkgs=(xvfb xauth xdotool imagemagick libgl1-mesa-dri curl openssl chromium clang libclang-rt-14-dev
  poppler-utils postgresql postgresql-contrib cage xwayland grim libx11-dev lintian desktop-file-utils debootstrap)

wanted=("${runtime_pkgs[@]}")
if [[ "${1:-}" != "--runtime" ]]; then
  wanted+=("${build_pkgs[@]}" "${test_pkgs[@]}")
fi

missing=()
for pkg in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages are installed"
  exit 0
fi

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null; then
  as_root=(sudo)
else
  echo "install-deps: missing ${missing[*]}; run this script as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
