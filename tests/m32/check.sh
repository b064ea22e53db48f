#!/usr/bin/env bash
# Runs the 32-bit unit tests (tests/m32/m32.mk), each only after checking
# that it really is a 32-bit x86 program. Their TAP-less cmocka output is
# summarised as one TAP line per program.
set -u
echo "1..$#"
n=0
fails=0
for prog in "$@"; do
  n=$((n + 1))
  if ! readelf -h "$prog" 2>/dev/null | grep -q 'Class:.*ELF32' ||
     ! readelf -h "$prog" | grep -q 'Machine:.*80386'; then
    echo "not ok $n - $prog is not a 32-bit program"
    fails=$((fails + 1))
    continue
  fi
  out=$("$prog" 2>&1)
  rc=$?
  if [ "$rc" = 0 ]; then
    echo "ok $n - $prog (32-bit): $(printf '%s\n' "$out" | grep -c '^\[       OK \]') cases"
  else
    echo "not ok $n - $prog (32-bit): exit $rc"
    printf '%s\n' "$out" | grep -vE '^\[ +(RUN|OK) +\]' | sed 's/^/# /' | head -n 40
    fails=$((fails + 1))
  fi
done
exit $((fails > 0))
