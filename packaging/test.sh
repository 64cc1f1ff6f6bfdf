#!/usr/bin/env bash
# README command (2): install what is missing, build, run every test, then
# the sync and kiosk-worker tests under ThreadSanitizer, then fuzz the
# decoders of untrusted bytes (SHOUXIN_FUZZ_SECONDS per target, default 30).
# .ci/run calls this, so CI proves the install steps too.
set -euo pipefail
cd "$(dirname "$0")/.."

packaging/install-deps.sh
# ccache by paths relative to the checkout, so that a fresh clone in another
# folder (as CI makes) reuses what an earlier build compiled.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}" CCACHE_NOHASHDIR=1
# Room for the dev, tsan and fuzz builds' objects together (about 6 GB):
# with ccache's default 5 GB each build evicted the others' and CI
# compiled cold.
export CCACHE_MAXSIZE="${CCACHE_MAXSIZE:-12G}"
cmake --preset dev
cmake --build --preset dev
ctest --preset dev "$@"
# ThreadSanitizer on the sync and kiosk-worker tests (tests/tsan.cmake says
# which, and why): before fuzzing, so that a race fails CI without waiting
# for the fuzzers' minutes. A report from any process of a test (the
# servers and kiosks they start too) fails its last test. Measured on the
# two shared cores with four other builds running (load 10-18): the cold
# build about 18 CPU-minutes (55 min wall there), 1.5 min from ccache;
# the 51 tests 1.7 CPU-minutes (3 min 38 s wall there).
cmake --preset tsan
cmake --build --preset tsan
ctest --preset tsan
packaging/fuzz.sh "${SHOUXIN_FUZZ_SECONDS:-30}"
