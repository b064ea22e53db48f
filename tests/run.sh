#!/usr/bin/env bash
# Runs every test given as an argument and ends with "N passed, N failed".
# An argument is a command line. A cmocka binary (build/*/tests/unit/*)
# reports each of its cases in TAP; any other command is one test, passed
# when it exits 0. A binary that dies (a sanitizer abort) counts as a
# failure even if its cases looked fine. Exit status: 0 only if all passed.
set -u
passed=0
failed=0
skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in "$@"; do
  name=${t%% *}
  case "$name" in
    */tests/unit/*)
      CMOCKA_MESSAGE_OUTPUT=TAP $t >"$log" 2>&1
      rc=$?
      ok=$(grep -cE '^ok [0-9]+ ' "$log")
      bad=$(grep -E '^not ok [0-9]+' "$log" | grep -vc '# SKIP')
      skip=$(grep -cE '^not ok [0-9]+ # SKIP' "$log")
      passed=$((passed + ok)); failed=$((failed + bad)); skipped=$((skipped + skip))
      if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
        failed=$((failed + 1)); bad=1
        echo "FAIL $name exited $rc"
      fi
      echo "$(basename "$name"): $ok passed, $bad failed"
      [ "$bad" -ne 0 ] && grep -vE '^ok ' "$log"
      ;;
    *)
      if $t >"$log" 2>&1; then
        passed=$((passed + 1)); echo "PASS $name"
      else
        failed=$((failed + 1)); echo "FAIL $name"; cat "$log"
      fi
      ;;
  esac
done

if [ "$skipped" -ne 0 ]; then
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
