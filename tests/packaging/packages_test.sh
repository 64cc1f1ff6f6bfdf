#!/usr/bin/env bash
# The Debian packages, as CPack makes them from this build (the same rules
# as packaging/deb.sh, which uses the release build): the three packages
# and their control fields, exactly the files each installs, the conffiles
# and maintainer scripts, every systemd unit through systemd-analyze verify
# in a root of the three packages unpacked, the desktop entry, and the
# shipped settings files read by the programs themselves.
#
# usage: packages_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
# Under pipefail a reader that stops early (head, grep -q) can fail the
# pipeline by SIGPIPE when the writer is slow: take the first line with
# sed -n 1p, which reads everything, and match on captured text.
build=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}
ok() { echo "ok: $*"; }

(cd "$build" && cpack -G DEB -B "$work/debs" >"$work/cpack.log" 2>&1) || {
  cat "$work/cpack.log"
  fail "cpack"
}
version=$(sed -n 's/^set(CPACK_PACKAGE_VERSION "\(.*\)")$/\1/p' "$build/CPackConfig.cmake")
[[ -n "$version" ]] || fail "no version in CPackConfig.cmake"
arch=$(dpkg --print-architecture)

field() { dpkg-deb -f "$work/debs/$1_${version}_$arch.deb" "$2"; }
files() { dpkg-deb -c "$work/debs/$1_${version}_$arch.deb" | awk '$1 !~ /^d/ {print $6}' | sort; }

for package in shouxin-node shouxin-kiosk shouxin-district; do
  deb=$work/debs/${package}_${version}_$arch.deb
  [[ -f "$deb" ]] || fail "no $deb"
  [[ "$(field "$package" Package)" == "$package" ]] || fail "$package: Package"
  [[ "$(field "$package" Version)" == "$version" ]] || fail "$package: Version"
  [[ "$(field "$package" Architecture)" == "$arch" ]] || fail "$package: Architecture"
  [[ -n "$(field "$package" Maintainer)" ]] || fail "$package: Maintainer"
  summary=$(field "$package" Description | sed -n 1p)
  [[ "$summary" == Shouxin* ]] || fail "$package: the description's summary is '$summary'"
  depends=$(field "$package" Depends)
  # dpkg-shlibdeps found the libraries the programs link.
  for lib in libc6 libsqlite3-0 libsodium23 libcurl4 libstdc++6; do
    [[ "$depends" == *"$lib "* || "$depends" == *"$lib," ]] || fail "$package does not depend on $lib: $depends"
  done
  # Maintainer scripts: present, executable, valid sh; conffiles listed.
  mkdir -p "$work/control"
  dpkg-deb -e "$deb" "$work/control/$package"
  for script in postinst prerm postrm; do
    [[ -x "$work/control/$package/$script" ]] || fail "$package: $script is not executable"
    sh -n "$work/control/$package/$script" || fail "$package: $script is not valid sh"
    grep -q '^set -e' "$work/control/$package/$script" || fail "$package: $script lacks set -e"
  done
  dpkg-deb -x "$deb" "$work/root"
done
ok "three packages, version $version, with their control fields"

depends=$(field shouxin-kiosk Depends)
for dep in "shouxin-node (= $version)" fonts-noto-cjk libglfw3 libqrencode4 libespeak-ng1; do
  [[ "$depends" == *"$dep"* ]] || fail "shouxin-kiosk does not depend on $dep"
done
[[ "$(field shouxin-kiosk Recommends)" == "cage, xwayland" ]] || fail "shouxin-kiosk: Recommends"
for package in shouxin-node shouxin-district; do
  [[ "$(field $package Depends)" == *adduser* ]] || fail "$package: the postinst needs adduser"
done
ok "dependencies: libraries by dpkg-shlibdeps, fonts, the node, adduser"

expect() {
  local package=$1
  shift
  diff <(printf '%s\n' "$@" | sort) <(files "$package") || fail "$package installs other files than these"
}
expect shouxin-node ./etc/shouxin/node.conf ./lib/systemd/system/shouxin-sync.service \
  ./lib/systemd/system/shouxin-sync.timer ./usr/bin/shouxin ./usr/share/man/man1/shouxin.1.gz \
  ./usr/share/doc/shouxin-node/DEPLOY.md \
  ./usr/share/doc/shouxin-node/changelog.gz ./usr/share/doc/shouxin-node/copyright
expect shouxin-kiosk ./etc/shouxin/kiosk.conf ./etc/pam.d/shouxin-kiosk ./lib/systemd/system/shouxin-kiosk.service \
  ./usr/bin/shouxin-kiosk ./usr/share/man/man1/shouxin-kiosk.1.gz ./usr/share/applications/shouxin-kiosk.desktop \
  ./usr/share/icons/hicolor/scalable/apps/shouxin-kiosk.svg ./usr/share/doc/shouxin-kiosk/DEPLOY.md \
  ./usr/share/doc/shouxin-kiosk/changelog.gz ./usr/share/doc/shouxin-kiosk/copyright \
  ./usr/share/doc/shouxin-kiosk/examples/x11/10-shouxin-kiosk.conf \
  ./usr/share/doc/shouxin-kiosk/examples/x11/50-shouxin-kiosk.conf \
  ./usr/share/doc/shouxin-kiosk/examples/x11/kiosk-x-session ./usr/share/doc/shouxin-kiosk/examples/x11/nodm \
  ./usr/share/doc/shouxin-kiosk/examples/x11/shouxin-kiosk.desktop
expect shouxin-district ./etc/shouxin/district.conf ./lib/systemd/system/shouxin-district.service \
  ./lib/systemd/system/shouxin-district-backup.service ./lib/systemd/system/shouxin-district-backup.timer \
  ./usr/bin/shouxin-district ./usr/share/man/man1/shouxin-district.1.gz ./usr/share/doc/shouxin-district/DEPLOY.md \
  ./usr/share/doc/shouxin-district/changelog.gz ./usr/share/doc/shouxin-district/copyright
ok "each package installs exactly its files"

diff <(printf '/etc/shouxin/node.conf\n') "$work/control/shouxin-node/conffiles" || fail "node conffiles"
diff <(printf '/etc/shouxin/kiosk.conf\n/etc/pam.d/shouxin-kiosk\n') "$work/control/shouxin-kiosk/conffiles" ||
  fail "kiosk conffiles"
diff <(printf '/etc/shouxin/district.conf\n') "$work/control/shouxin-district/conffiles" || fail "district conffiles"
for bin in shouxin shouxin-kiosk shouxin-district; do
  kind=$(file -b "$work/root/usr/bin/$bin")
  [[ "$kind" == *stripped* && "$kind" != *"not stripped"* ]] || fail "$bin is not stripped: $kind"
done
ok "conffiles are the settings and the PAM service; binaries stripped"

# Every unit as systemd reads it, in a root where its programs exist: the
# three packages, this machine's systemd units and cage (the kiosk
# package's Recommends, installed by packaging/install-deps.sh).
mkdir -p "$work/root/usr/bin"
cp -a /lib/systemd/system/. "$work/root/lib/systemd/system/"
cp /usr/bin/cage "$work/root/usr/bin/cage" || fail "cage is not installed (packaging/install-deps.sh)"
units=(shouxin-sync.service shouxin-sync.timer shouxin-kiosk.service shouxin-district.service
  shouxin-district-backup.service shouxin-district-backup.timer)
verify=$(cd "$work/root" && systemd-analyze verify --root="$work/root" "${units[@]/#/lib/systemd/system/}" 2>&1) ||
  fail "systemd-analyze verify: $verify"
if grep -E 'shouxin' <<<"$verify"; then fail "systemd-analyze verify warns about our units"; fi
for unit in shouxin-district shouxin-sync shouxin-district-backup; do
  for setting in NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes 'SystemCallFilter=@system-service' \
    User=shouxin StateDirectory=shouxin; do
    grep -q "^$setting" "$work/root/lib/systemd/system/$unit.service" || fail "$unit.service lacks $setting"
  done
done
ok "systemd-analyze verify passes on every unit; the services are hardened"

if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$work/root/usr/share/applications/shouxin-kiosk.desktop" || fail "desktop entry"
  ok "desktop-file-validate"
fi

# The shipped settings files, read by the unpacked programs: every name is
# one of theirs and every value passes its check (each then stops at the
# database, which does not exist here: nothing was created).
export SHOUXIN_CONFIG_DIR=$work/root/etc/shouxin
check_settings() {
  local program=$1
  shift
  local out
  out=$("$work/root/usr/bin/$program" "$@" 2>&1) && fail "$program $*: ran without a database"
  if grep -qi 'configuration file\|usage\|Run with --help' <<<"$out"; then
    fail "$program $* rejects its shipped settings or usage: $out"
  fi
}
check_settings shouxin sync --once
check_settings shouxin-district serve
# Each unit's own command line, with the shipped settings.
for unit in shouxin-sync shouxin-district shouxin-district-backup; do
  read -r -a command <<<"$(sed -n 's/^ExecStart=//p' "$work/root/lib/systemd/system/$unit.service")"
  check_settings "$(basename "${command[0]}")" "${command[@]:1}"
done
out=$("$work/root/usr/bin/shouxin-kiosk" --screenshot "$work/x.png" 2>&1) || true
if grep -q 'configuration file' <<<"$out"; then fail "shouxin-kiosk rejects its shipped settings: $out"; fi
ok "the shipped settings files pass the programs' own checks"
