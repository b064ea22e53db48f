#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Every public header guards its declarations with extern "C" (the C++
# program, built by config.mk, proves the linkage of what it names; this
# catches a header whose functions it does not name yet), and the C++
# program runs. Usage: check_cxx.sh PROGRAM
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
bad=0
for h in "$top"/include/fwc/*.h; do
    grep -q '^extern "C" {' "$h" || { echo "FAIL: ${h#$top/} has no extern \"C\""; bad=1; }
done
[ $bad = 0 ] || exit 1
"$1"
