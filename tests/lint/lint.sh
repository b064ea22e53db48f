#!/usr/bin/env bash
# Static analysis of the product code (src/, port/, examples/): cppcheck and
# clang-tidy (cppcheck's options are below; clang-tidy's checks in .clang-tidy). Any
# finding fails. Each tool first proves it can fail, on a planted bug.
# TAP output: one line per tool and self-check.
set -u
cd "$(dirname "$0")/../.."
files=(src/*.c port/posix/*.c port/lwip/*.c port/template/*.c examples/*/*.c)
# port/lwip and the RTOS example see lwIP through the target's lwipopts.h
# and arch/ (examples/rtos_task/lwip) and Debian's lwIP headers.
includes=(-Iinclude -Isrc -Iport/posix -Iexamples/rtos_task -Iport/lwip -Iexamples/rtos_task/lwip
          -isystem /usr/include/lwip)
planted=$(mktemp -d)
trap 'rm -rf "$planted"' EXIT
# An out-of-bounds write and a string conversion that cannot report errors.
printf '#include <stdlib.h>\nint f(const char *s) { int a[4]; a[4] = atoi(s); return a[0]; }\n' \
  > "$planted/bug.c"

run_cppcheck() {
  # variableScope is off: the code declares locals at the top of a block.
  cppcheck --std=c99 --enable=warning,style,performance,portability --inline-suppr -q \
    --error-exitcode=1 --suppress=variableScope -UFWC_CONFIG_HEADER "${includes[@]}" "$@"
}
run_clang_tidy() {
  clang-tidy --quiet "$@" -- -std=c99 "${includes[@]}" 2>&1 | grep -E 'warning:|error:'
  return "${PIPESTATUS[0]}"
}

n=0
fails=0
report() { # report OK DESCRIPTION [OUTPUT]
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
  [ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/# /'
}
echo "1..4"
run_cppcheck "$planted/bug.c" >/dev/null 2>&1
report $(($? == 0)) "cppcheck catches a planted out-of-bounds write"
out=$(cd "$planted" && cp "$OLDPWD/.clang-tidy" . && run_clang_tidy bug.c)
report $(($? == 0)) "clang-tidy catches a planted atoi"
out=$(run_cppcheck "${files[@]}" 2>&1)
report $? "cppcheck: no findings in ${#files[@]} files" "$out"
out=$(run_clang_tidy "${files[@]}")
report $? "clang-tidy: no findings in ${#files[@]} files" "$out"
exit $((fails > 0))
