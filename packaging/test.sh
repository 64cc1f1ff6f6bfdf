#!/usr/bin/env bash
# README command (2): install what is missing, build, run every test, then
# fuzz the decoders of untrusted bytes (SHOUXIN_FUZZ_SECONDS per target,
# default 30).
# .ci/run calls this, so CI proves the install steps too.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
# ccache by paths relative to the checkout, so that a fresh clone in another
# folder (as CI makes) reuses what an earlier build compiled.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
cmake --preset dev
cmake --build --preset dev
ctest --preset dev "$@"
packaging/fuzz.sh "${SHOUXIN_FUZZ_SECONDS:-30}"
