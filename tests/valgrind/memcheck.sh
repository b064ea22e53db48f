#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Run a program under valgrind's memcheck, failing on any memory error or
# leak (exit 99 and valgrind's report on stderr):
#   memcheck.sh PROGRAM [ARG...]
# or, for make test, each program alone and one TAP line per program:
#   memcheck.sh --tap PROGRAM...
set -u
vg=(valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes)
if [ "${1:-}" != --tap ]; then
  exec "${vg[@]}" "$@"
fi
shift
echo "1..$(($# + 1))"
n=0
fails=0
# First prove memcheck fails a program that leaks and reads uninitialised memory.
planted=$(mktemp -d)
trap 'rm -rf "$planted"' EXIT
printf '#include <stdlib.h>\nint main(void) { int *p = malloc(8); return p[1] ? 3 : 0; }\n' \
  > "$planted/bad.c"
cc -O0 -g -o "$planted/bad" "$planted/bad.c"
"${vg[@]}" --log-file=/dev/null "$planted/bad" >/dev/null 2>&1
planted_rc=$?
n=1
if [ "$planted_rc" = 99 ]; then echo "ok 1 - memcheck fails a planted leak"; else echo "not ok 1 - memcheck missed a planted leak"; fails=1; fi
for prog in "$@"; do
  n=$((n + 1))
  log=$(mktemp)
  "${vg[@]}" --log-file="$log" "$prog" >/dev/null 2>&1
  rc=$?
  if [ "$rc" = 0 ]; then
    echo "ok $n - $prog under memcheck: no errors, no leaks"
  else
    echo "not ok $n - $prog under memcheck: exit $rc"
    sed 's/^/# /' "$log" | head -n 40
    fails=$((fails + 1))
  fi
  rm -f "$log"
done
exit $((fails > 0))
