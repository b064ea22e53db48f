#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every test given as an argument and ends with "N passed, N failed".
# An argument is a command line. One that prints TAP ("ok N", "not ok N";
# cmocka does when CMOCKA_MESSAGE_OUTPUT=TAP) counts each case; any other is
# one test, passed when it exits 0. A command that exits non-zero counts as
# a failure even if its cases looked fine (a sanitizer abort). Skipped cases
# are reported, never counted as passed. Each command gets at most
# FWC_TEST_TIMEOUT seconds (600): a hang fails it instead of stalling the
# run. Exit status: 0 only if all passed.
set -u
passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$@"; do
  name=${t%% *}
  CMOCKA_MESSAGE_OUTPUT=TAP timeout --kill-after=10 "${FWC_TEST_TIMEOUT:-600}" $t >"$log" 2>&1
  rc=$?
  [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && echo "FAIL $name: no end after ${FWC_TEST_TIMEOUT:-600} s" >>"$log"
  # A skipped case ("ok N # SKIP" in TAP, "not ok N # SKIP" from cmocka)
  # is reported as skipped, never counted as passed.
  ok=$(grep -E '^ok [0-9]+' "$log" | grep -vc '# SKIP')
  bad=$(grep -E '^not ok [0-9]+' "$log" | grep -vc '# SKIP')
  skip=$(grep -E '^(not )?ok [0-9]+' "$log" | grep -c '# SKIP')
  if [ $((ok + bad + skip)) -eq 0 ]; then
    # Not a TAP producer: one test, judged by its exit status.
    if [ "$rc" -eq 0 ]; then ok=1; else bad=1; fi
  elif [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
    bad=1 # it died (a sanitizer abort) after reporting cases as fine
    echo "FAIL $name exited $rc"
  fi
  passed=$((passed + ok)); failed=$((failed + bad)); skipped=$((skipped + skip))
  echo "${name#build/}: $ok passed, $bad failed"
  [ "$bad" -ne 0 ] && grep -vE '^ok ' "$log"
done

if [ "$skipped" -ne 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
