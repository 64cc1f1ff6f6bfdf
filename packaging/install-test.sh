#!/usr/bin/env bash
# The packages installed as county IT installs them, in a clean Debian 12
# root made by debootstrap from Debian's own archive (minbase: nothing of
# this machine's), with apt fetching every dependency:
#
#   1. the previous version's packages (the same tree built as 0.1.9)
#      install; the postinst made the user, the data folder and enabled
#      the units; a database of an older Shouxin (schema 6) waits;
#   2. the district is initialised and served as its unit serves it, a node
#      is initialised, enrolled by node.conf (URL and pinned TLS key) and
#      synced as its timer syncs it: the digests agree;
#   3. the packages upgrade to this version: the settings an administrator
#      edited are kept, every database migrates and verifies, sync goes on;
#   4. backups of both, taken while the server runs, restore: the node's
#      over a damaged file, the district's after a loss;
#   5. purge leaves no file of ours behind.
#
# Needs root, debootstrap and ~1.5 GB. The first run takes a few minutes
# more: the clean root is kept in build/install-test/base for the next.
#   packaging/install-test.sh            (or SHOUXIN_INSTALL_TEST=1 ctest)
# Its last result is in docs/DEPLOY.md's "Tested" section.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=$PWD

mirror=${SHOUXIN_DEBIAN_MIRROR:-http://deb.debian.org/debian}
top=$source_dir/build/install-test
base=$top/base
root=$top/root
work=$top/work
prev_version=0.1.9
started=$(date +%s)

say() { echo "[$(($(date +%s) - started)) s] $*"; }
fail() {
  echo "FAIL: $*" >&2
  [[ -f "$work/server.log" ]] && sed 's/^/  server: /' "$work/server.log" >&2
  exit 1
}

[[ $(id -u) -eq 0 ]] || fail "run as root (debootstrap and chroot)"
command -v debootstrap >/dev/null || fail "debootstrap is missing (packaging/install-deps.sh)"

unmount() {
  for m in "$root/tmp/.X11-unix" "$root/dev" "$root/proc"; do
    if mountpoint -q "$m"; then umount -l "$m"; fi
  done
}
stop_server() {
  local pid
  pid=$(pgrep -n -f '^/usr/bin/shouxin-district serve' || true)
  if [[ -n "$pid" ]]; then
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
}
cleanup() {
  stop_server || true
  unmount
}
trap cleanup EXIT

# --- The packages: the previous version, then this one. --------------------
say "building the packages ($prev_version and this version)"
rm -rf "$work" && mkdir -p "$work/prev" "$work/new"
SHOUXIN_PACKAGE_VERSION=$prev_version packaging/deb.sh >"$work/deb-prev.log" 2>&1 || fail "deb.sh $prev_version"
cp build/package/packages/*.deb "$work/prev/"
packaging/deb.sh >"$work/deb.log" 2>&1 || fail "deb.sh"
cp build/package/packages/*.deb "$work/new/"
version=$(dpkg-deb -f "$work"/new/shouxin-node_*.deb Version)
arch=$(dpkg --print-architecture)

# --- A clean Debian 12 root. -------------------------------------------------
if [[ ! -d "$base" ]]; then
  say "debootstrap --variant=minbase bookworm from $mirror"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase bookworm "$base.tmp" "$mirror" >"$top/debootstrap.log" 2>&1 ||
    fail "debootstrap (see $top/debootstrap.log)"
  mv "$base.tmp" "$base"
fi
unmount
rm -rf "$root"
cp -a "$base" "$root"
mount -t proc proc "$root/proc"
mount --bind /dev "$root/dev"
cp /etc/resolv.conf "$root/etc/resolv.conf"
# No daemon starts inside the root (there is no systemd in it either).
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mkdir -p "$root/tmp/debs"
cp -r "$work/prev" "$work/new" "$root/tmp/debs/"

in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
as_shouxin() { in_root runuser -u shouxin -- "$@"; }
# The command a unit runs, as the unit's own file says.
exec_start() { sed -n 's/^ExecStart=//p' "$root/lib/systemd/system/$1"; }

say "apt-get update in the clean root"
in_root apt-get -q update >"$work/apt.log" 2>&1 || fail "apt-get update"

# --- 1. The previous version installs. ----------------------------------------
say "installing shouxin-node, shouxin-kiosk, shouxin-district $prev_version and their dependencies"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  /tmp/debs/prev/shouxin-{node,kiosk,district}_${prev_version}_$arch.deb >>"$work/apt.log" 2>&1 || {
  tail -20 "$work/apt.log"
  fail "apt-get install"
}
for p in shouxin-node shouxin-kiosk shouxin-district; do
  [[ $(in_root dpkg-query -W -f='${Status} ${Version}' $p) == "install ok installed $prev_version" ]] ||
    fail "$p is not installed"
done
in_root getent passwd shouxin >/dev/null || fail "the postinst made no shouxin user"
[[ $(in_root stat -c '%U:%G %a' /var/lib/shouxin) == "shouxin:shouxin 750" ]] || fail "/var/lib/shouxin"
for link in timers.target.wants/shouxin-sync.timer multi-user.target.wants/shouxin-district.service \
  timers.target.wants/shouxin-district-backup.timer; do
  [[ -L "$root/etc/systemd/system/$link" ]] || fail "not enabled: $link"
done
[[ ! -e "$root/etc/systemd/system/graphical.target.wants/shouxin-kiosk.service" ]] ||
  fail "the kiosk session was enabled at install"
say "ok: installed $prev_version; the user, /var/lib/shouxin (0750) and the enabled units are there"

# An older Shouxin's node database (schema 6), to be migrated by the upgrade.
mkdir -p "$root/var/lib/shouxin/v6"
sqlite3 "$root/var/lib/shouxin/v6/office.db" <tests/fixtures/node_v6.sql
in_root chown -R shouxin:shouxin /var/lib/shouxin/v6

# --- 2. District and node, as their units run them. ---------------------------
say "district: TLS key, init, serve; node: init, demo, enrol by node.conf, sync"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$root/etc/shouxin/district.key" \
  -out "$root/etc/shouxin/district.crt" 2>/dev/null
in_root chgrp shouxin /etc/shouxin/district.key
chmod 0640 "$root/etc/shouxin/district.key"
pin="sha256//$(openssl x509 -in "$root/etc/shouxin/district.crt" -pubkey -noout | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | base64)"
as_shouxin shouxin-district init --district 330110 --name 余杭区 >/dev/null || fail "district init"

port=0
start_server() {
  # The unit's command, on a port the OS picks at first and the same one
  # after (a flag overrides district.conf).
  read -r -a serve <<<"$(exec_start shouxin-district.service)"
  as_shouxin "${serve[@]}" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  for _ in $(seq 100); do
    local listening
    listening=$(sed -n 's|^listening on https://127.0.0.1:\([0-9]*\)$|\1|p' "$work/server.log")
    if [[ -n "$listening" ]]; then
      port=$listening
      return 0
    fi
    sleep 0.1
  done
  fail "the district server did not start"
}
start_server
as_shouxin shouxin init --office 330110104 --name 青山镇人民政府 >/dev/null || fail "node init"
as_shouxin shouxin demo >/dev/null || fail "node demo"
# county IT edits node.conf: the district's address and its pinned key.
sed -i "s|^#url = .*|url = https://127.0.0.1:$port|; s|^#pin = .*|pin = $pin|" "$root/etc/shouxin/node.conf"
code=$(as_shouxin shouxin-district enroll-code --office 330110104 | sed -n 1p)
as_shouxin shouxin enroll "$code" >/dev/null || fail "enrol with the code alone"
read -r -a sync_round <<<"$(exec_start shouxin-sync.service)"
as_shouxin "${sync_round[@]}" >/dev/null || fail "sync, as the timer runs it"
node_digest() { as_shouxin shouxin digest | sed -n 1p; }
district_digest() { as_shouxin shouxin-district digest --office 330110104 | sed -n 1p; }
[[ "$(node_digest)" == "$(district_digest)" ]] || fail "digests differ after the first sync"
say "ok: enrolled by node.conf with the code alone, synced by the timer's command; digests agree"

# --- 3. Upgrade to this version. -------------------------------------------------
stop_server
say "upgrading to $version"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
  /tmp/debs/new/shouxin-{node,kiosk,district}_${version}_$arch.deb >>"$work/apt.log" 2>&1 || fail "upgrade"
for p in shouxin-node shouxin-kiosk shouxin-district; do
  [[ $(in_root dpkg-query -W -f='${Version}' $p) == "$version" ]] || fail "$p did not upgrade"
done
grep -q "^url = https://127.0.0.1:$port" "$root/etc/shouxin/node.conf" || fail "the upgrade lost node.conf's edit"
[[ -L "$root/etc/systemd/system/timers.target.wants/shouxin-sync.timer" ]] || fail "the upgrade disabled the timer"
as_shouxin shouxin verify >/dev/null || fail "the node does not verify after the upgrade"
as_shouxin shouxin-district verify >/dev/null || fail "the district does not verify after the upgrade"
v6=$(as_shouxin shouxin --db /var/lib/shouxin/v6/office.db digest | sed -n 1p)
[[ "$v6" == fe017d544403990c4c8acb7b49ee619909037eb98c2ea56ef56da17a2234d15b ]] ||
  fail "the schema 6 database's digest changed: $v6"
as_shouxin shouxin --db /var/lib/shouxin/v6/office.db verify >/dev/null || fail "the schema 6 database does not verify"
start_server
# A clerk's first report on the new version goes up with the next round.
in_root runuser -u shouxin -- shouxin clerk add --name 王芳 --role supervisor --id c1 --pin-stdin <<<"135790" \
  >/dev/null || fail "clerk add"
first=$(as_shouxin shouxin list --status in_progress | sed -n 1p | cut -d' ' -f1)
as_shouxin shouxin report --commitment "$first" --status in_progress --progress 90 --note "升级后的第一条进展" \
  --clerk c1 >/dev/null || fail "a report after the upgrade"
as_shouxin "${sync_round[@]}" >/dev/null || fail "sync after the upgrade"
[[ "$(node_digest)" == "$(district_digest)" ]] || fail "digests differ after the upgrade"
say "ok: upgraded; node.conf's edit kept, the units' state kept, a schema 6 database migrated and verified, sync goes on"

# The kiosk as installed, with its settings from kiosk.conf and the fonts
# its package depends on, drawing Home on this machine's virtual X server.
if command -v Xvfb >/dev/null; then
  Xvfb :77 -screen 0 1280x1024x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  mkdir -p "$root/tmp/.X11-unix"
  mount --bind /tmp/.X11-unix "$root/tmp/.X11-unix"
  for _ in $(seq 50); do [[ -S /tmp/.X11-unix/X77 ]] && break; sleep 0.1; done
  in_root runuser -u shouxin -- env DISPLAY=:77 LIBGL_ALWAYS_SOFTWARE=1 shouxin-kiosk --size 1280x1024 \
    --screenshot /var/lib/shouxin/kiosk-home.png >"$work/kiosk.log" 2>&1 || {
    cat "$work/kiosk.log"
    fail "the installed kiosk did not draw Home"
  }
  cp "$root/var/lib/shouxin/kiosk-home.png" "$top/kiosk-home-from-package.png"
  rm "$root/var/lib/shouxin/kiosk-home.png"
  umount -l "$root/tmp/.X11-unix"
  kill "$xvfb_pid"
  say "ok: the installed kiosk drew Home ($top/kiosk-home-from-package.png)"
fi

# --- 4. Backups while the server runs; restores. ---------------------------------
say "backing up both while the server runs; restoring"
as_shouxin shouxin backup /var/lib/shouxin/office-backup.db >/dev/null || fail "node backup"
read -r -a nightly <<<"$(exec_start shouxin-district-backup.service)"
as_shouxin "${nightly[@]}" >/dev/null || fail "district backup, as the timer runs it"
district_backup=$(ls -1 "$root"/var/lib/shouxin/backups/*.db | tail -1)
[[ -n "$district_backup" ]] || fail "the nightly backup wrote nothing"
before=$(node_digest)
# A damaged node file: its pages overwritten.
dd if=/dev/urandom of="$root/var/lib/shouxin/office.db" bs=4096 seek=2 count=4 conv=notrunc status=none
as_shouxin shouxin restore /var/lib/shouxin/office-backup.db >/dev/null || fail "node restore over a damaged file"
as_shouxin shouxin verify >/dev/null || fail "the restored node does not verify"
[[ "$(node_digest)" == "$before" ]] || fail "the restored node's digest differs"
as_shouxin "${sync_round[@]}" >/dev/null || fail "sync after the node's restore"
[[ "$(node_digest)" == "$(district_digest)" ]] || fail "digests differ after the node's restore"
district_before=$(district_digest)
stop_server
rm -rf "$root"/var/lib/shouxin/district.db*
as_shouxin shouxin-district restore "${district_backup#"$root"}" >/dev/null || fail "district restore"
as_shouxin shouxin-district verify >/dev/null || fail "the restored district does not verify"
[[ "$(district_digest)" == "$district_before" ]] || fail "the restored district's digest differs"
start_server
as_shouxin "${sync_round[@]}" >/dev/null || fail "sync after the district's restore"
[[ "$(node_digest)" == "$(district_digest)" ]] || fail "digests differ after the district's restore"
stop_server
say "ok: backed up while serving; the node restored over a damaged file, the district after its loss; sync agrees"

# --- 5. Purge. ---------------------------------------------------------------------
say "purging"
in_root env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q shouxin-kiosk shouxin-node shouxin-district \
  >>"$work/apt.log" 2>&1 || fail "purge"
# What is left may only be what the administrator made: the TLS key pair.
left=$(cd "$root" && find etc/shouxin etc/pam.d/shouxin-kiosk usr/bin/shouxin* lib/systemd/system/shouxin* \
  etc/systemd/system -name '*shouxin*' 2>/dev/null | grep -v '^etc/shouxin\(/district\.\(crt\|key\)\)\?$' || true)
[[ -z "$left" ]] || fail "purge left: $left"
[[ ! -e "$root/var/lib/shouxin/office.db" && ! -e "$root/var/lib/shouxin/district.db" ]] ||
  fail "purge left the databases"
say "ok: purged; no file, unit link or setting of ours is left (the TLS key pair the administrator made and the shouxin user stay)"
echo "install test passed: $prev_version → $version in a clean Debian 12 root, $(($(date +%s) - started)) s"
