#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
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
# The bare-metal port (lwIP with NO_SYS 1, the target firmware's
# lwipopts.h, lwIP's headers from Debian's source, which make target
# fetches) and port/mbedtls's gmtime (its arena configuration): a second pass.
lwip_src=build/lwip-src/src/src/include
nosys_files=(port/lwip_nosys/*.c port/mbedtls/*.c)
nosys_includes=(-Iinclude -Isrc -Iport/lwip_nosys -Iport/lwip -Itests/target/board -isystem "$lwip_src"
                -Iport/mbedtls "-DMBEDTLS_CONFIG_FILE=<fwc_mbedtls_config.h>" -DFWC_MBEDTLS_ARENA=1)
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
lint_nosys() { # both tools over the NO_SYS port, with its own include paths
  local rc=0
  [ -d "$lwip_src" ] || { echo "lwIP's source is missing ($lwip_src): make target fetches it"; return 1; }
  # cppcheck knows -I only; lwIP's opt.h must be seen for NO_SYS's value.
  includes=("${nosys_includes[@]/-isystem/-I}")
  run_cppcheck "${nosys_files[@]}" 2>&1 || rc=1
  includes=("${nosys_includes[@]}")
  run_clang_tidy "${nosys_files[@]}" || rc=1
  return $rc
}

n=0
fails=0
report() { # report OK DESCRIPTION [OUTPUT]
  n=$((n + 1))
  if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
  [ -z "${3:-}" ] || printf '%s\n' "$3" | sed 's/^/# /'
}
echo "1..5"
run_cppcheck "$planted/bug.c" >/dev/null 2>&1
report $(($? == 0)) "cppcheck catches a planted out-of-bounds write"
out=$(cd "$planted" && cp "$OLDPWD/.clang-tidy" . && run_clang_tidy bug.c)
report $(($? == 0)) "clang-tidy catches a planted atoi"
out=$(run_cppcheck "${files[@]}" 2>&1)
report $? "cppcheck: no findings in ${#files[@]} files" "$out"
out=$(run_clang_tidy "${files[@]}")
report $? "clang-tidy: no findings in ${#files[@]} files" "$out"
out=$(lint_nosys)
rc=$?
[ -z "$out" ] || rc=1
report $rc "cppcheck and clang-tidy: no findings in the bare-metal port (${#nosys_files[@]} files)" "$out"
exit $((fails > 0))
