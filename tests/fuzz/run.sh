#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run libFuzzer targets one after another and report each as a TAP line.
#
#   tests/fuzz/run.sh -t SECONDS build/fuzz/TARGET ...
#
# Each target runs SECONDS on its scratch corpus build/fuzz/corpus/TARGET,
# with tests/fuzz/corpus/TARGET read as seeds (libFuzzer writes new inputs
# only into the first directory, so the committed seeds stay as they are)
# and tests/fuzz/TARGET.dict as its dictionary when present. Any crash,
# failed property, leak, timeout (10 s for one input) or memory blow-up
# (2 GiB) fails the target and leaves the input in
# build/fuzz/artifacts/TARGET/. Prints "1..N", then per target
# "ok N - TARGET: E execs, ..." or "not ok N - ...", and the tail of
# libFuzzer's log for a failure. Exit status 0 only if all passed.
set -u
seconds=15
if [ "${1:-}" = "-t" ]; then
  seconds=$2
  shift 2
fi
[ "$#" -gt 0 ] || { echo "usage: $0 -t SECONDS FUZZER..."; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

# Distinct exit codes tell a crash from a timeout; any other non-zero
# status (an out-of-memory kill, a sanitizer's own code) is a failure too.
crash_code=77
timeout_code=78

echo "1..$#"
n=0
failed=0
for bin in "$@"; do
  n=$((n + 1))
  name=$(basename "$bin")
  corpus=build/fuzz/corpus/$name
  artifacts=build/fuzz/artifacts/$name
  log=build/fuzz/logs/$name.log
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -error_exitcode=$crash_code -timeout_exitcode=$timeout_code \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "${dict[@]}" \
    "$corpus" "tests/fuzz/corpus/$name" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  files=$(find "$corpus" -type f | wc -l)
  bytes=$(find "$corpus" -type f -printf '%s\n' | awk '{ s += $1 } END { print s + 0 }')
  summary="$name: ${execs:-0} execs in ${seconds} s, cov ${cov:-?}, corpus $files files / $bytes bytes"
  case $rc in
    0) echo "ok $n - $summary" ;;
    "$crash_code") what="crash, failed property or leak" ;;
    "$timeout_code") what="an input ran over 10 s" ;;
    *) what="exit status $rc" ;;
  esac
  if [ "$rc" -ne 0 ]; then
    failed=$((failed + 1))
    echo "not ok $n - $summary: $what; input in $artifacts/, log $log"
    grep -E 'ERROR|property does not hold|SUMMARY|^#[0-9]+ |Test unit written' "$log" |
      grep -v ' pulse ' | tail -n 15 | sed 's/^/# /'
  fi
done
[ "$failed" -eq 0 ]
