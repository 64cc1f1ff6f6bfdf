#!/usr/bin/env bash
# README command (1): install what is missing, build, and start the kiosk on
# a demo office that syncs with a district server running on this machine.
# The demo lives in build/demo/ and is made once; delete that folder for a
# fresh one. Without a display it syncs once and prints the office's status.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset dev
cmake --build --preset dev

bin=build/bin
demo=build/demo
office=$demo/office.db
district=$demo/district.db
mkdir -p "$demo"
[[ -f "$district" ]] || "$bin/shouxin-district" --db "$district" init --district 330110 --name 余杭区
[[ -f "$office" ]] || {
  "$bin/shouxin" --db "$office" init --office 330110104 --name 青山镇人民政府
  "$bin/shouxin" --db "$office" demo
  # Two demo accounts for clerk mode (the 工作人员 button in the kiosk's footer).
  echo 123456 | "$bin/shouxin" --db "$office" clerk add --id zhang --name 张明 --role clerk --pin-stdin
  echo 654321 | "$bin/shouxin" --db "$office" clerk add --id li --name 李䶮 --role supervisor --pin-stdin
}

# The district server on a free loopback port, stopped when this script ends.
"$bin/shouxin-district" --db "$district" serve --listen 127.0.0.1:0 >"$demo/district.log" 2>&1 &
server=$!
cleanup() { kill $server 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 50); do grep -q '^listening on' "$demo/district.log" && break; sleep 0.1; done
url=$(sed -n 's/^listening on //p' "$demo/district.log")
echo "district server: $url (its public pages: $url/ ; the kiosk's QR codes lead to $url/c/…)"

# Enrol once; the server's port changes each run, so point the node at it.
if [[ -z "$(sqlite3 "$office" "select value from node where key = 'setting.token'")" ]]; then
  code=$("$bin/shouxin-district" --db "$district" enroll-code --office 330110104 | sed -n 1p)
  "$bin/shouxin" --db "$office" enroll "$url" "$code"
else
  "$bin/shouxin" --db "$office" set-server "$url"
fi
"$bin/shouxin" --db "$office" sync --once
"$bin/shouxin" --db "$office" verify
"$bin/shouxin" --db "$office" status

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "Opening the kiosk; it syncs with the district every 15 s (close its window to finish)."
  echo "Clerk mode: 张明 (clerk) PIN 123456, 李䶮 (supervisor) PIN 654321."
  "$bin/shouxin-kiosk" --db "$office" --sync-interval 15
fi
