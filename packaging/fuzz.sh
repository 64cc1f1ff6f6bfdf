#!/usr/bin/env bash
# Fuzzes the decoders of untrusted bytes: builds the fuzz preset (clang 14,
# libFuzzer, AddressSanitizer + UBSan) and runs every fuzz target for
# SECONDS each (default 30), one after the other. Each starts from its
# committed seeds in fuzz/corpus/<target>/, copied to a scratch directory so
# that the committed corpus stays as it is. Fails if any target crashes,
# leaks, times out or breaks a property, and prints where the input is.
#
#   packaging/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || ((seconds == 0)); then
  echo "usage: packaging/fuzz.sh [SECONDS]" >&2
  exit 2
fi

cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

bin=build/fuzz/bin
scratch=$(mktemp -d "${TMPDIR:-/tmp}/shouxin-fuzz.XXXXXX")
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

failed=()
printf '%-14s %10s %10s %8s %8s %8s\n' target runs execs/s cov ft corpus
for target in "$bin"/fuzz_*; do
  [[ -x "$target" && "$target" != *.flags ]] || continue
  name=$(basename "$target")
  work="$scratch/$name"
  mkdir -p "$work/corpus" "$work/crashes"
  if [[ -d "fuzz/corpus/$name" ]]; then
    cp -R "fuzz/corpus/$name/." "$work/corpus/"
  fi
  flags=()
  [[ -f "$bin/$name.flags" ]] && read -r -a flags <"$bin/$name.flags"
  status=0
  "$target" "${flags[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -artifact_prefix="$work/crashes/" "$work/corpus" >"$work/log" 2>&1 || status=$?
  # libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/..." and its final stats.
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$work/log" | tail -n 1 || true)
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log")
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$done_line")
  printf '%-14s %10s %10s %8s %8s %8s\n' "$name" "${runs:--}" "${rate:--}" "${cov:--}" "${ft:--}" "${corp:--}"
  if ((status != 0)) || compgen -G "$work/crashes/*" >/dev/null; then
    failed+=("$name")
    echo "fuzz: $name FAILED (exit $status); its log: $work/log" >&2
    grep -E 'ERROR: |SUMMARY: |fuzz property failed|runtime error' "$work/log" | head -n 5 >&2 || true
    for input in "$work"/crashes/*; do
      [[ -e "$input" ]] && echo "fuzz: the input is $input (run: $target $input)" >&2
    done
  fi
done

if ((${#failed[@]} > 0)); then
  echo "fuzz: ${#failed[@]} target(s) failed: ${failed[*]}; logs and inputs in $scratch" >&2
  exit 1
fi
echo "fuzz: every target ran ${seconds}s without a finding"
rm -rf "$scratch"
