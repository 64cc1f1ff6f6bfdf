#!/usr/bin/env bash
# README command (1): install what is missing, build, and show a demo office.
# The demo node lives in build/demo/ and is made once; delete that folder
# for a fresh one.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
cmake --preset dev
cmake --build --preset dev

shouxin=build/bin/shouxin
db=build/demo/office.db
if [[ ! -f "$db" ]]; then
  mkdir -p build/demo
  "$shouxin" --db "$db" init --office 330110104 --name 青山镇人民政府
  "$shouxin" --db "$db" demo
fi
"$shouxin" --db "$db" verify
"$shouxin" --db "$db" status

# The kiosk on the demo office, when there is a display to show it on.
if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  echo "Opening the kiosk (close its window to finish)"
  build/bin/shouxin-kiosk --db "$db"
fi
