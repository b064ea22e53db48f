#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The configuration fingerprint (include/fwc/config.h, FWC_CONFIG_FINGERPRINT):
# 1) it covers every CONFIG_FWC_ value the headers build types from (outside
#    comments; config.h itself aside), and nothing else;
# 2) callers built with the library's values, a larger I/O buffer, a
#    boolean that removes a member, and two slots resized to the same total
#    (same sizeof: only the fingerprint tells) each get what they expect
#    from fwc_client_init (fingerprint_main.c).
# Usage: check_fingerprint.sh SAME OTHER... (SAME built like the library;
# the one named *samesize must have SAME's sizeof).
set -eu
[ $# -ge 2 ] || { echo "usage: check_fingerprint.sh SAME OTHER... (make test passes them)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"

strip_comments() { gcc -fpreprocessed -dD -E -P -x c "$1" 2>/dev/null; }
used=$(for h in include/fwc/*.h include/fwc/internal/*.h; do
         [ "$h" = include/fwc/config.h ] || strip_comments "$h"
       done | grep -o 'CONFIG_FWC_[A-Z0-9_]*' | sort -u)
listed=$(strip_comments include/fwc/config.h |
         sed -n '/^#define FWC_CONFIG_FINGERPRINT/,/^$/p' | grep -o 'CONFIG_FWC_[A-Z0-9_]*' | sort -u)
missing=$(comm -23 <(echo "$used") <(echo "$listed"))
extra=$(comm -13 <(echo "$used") <(echo "$listed"))
[ -n "$listed" ] || { echo "FAIL: no FWC_CONFIG_FINGERPRINT in config.h"; exit 1; }
[ -z "$missing" ] || { echo "FAIL: headers build types from values the fingerprint lacks:" $missing; exit 1; }
[ -z "$extra" ] || { echo "FAIL: the fingerprint has values no header uses:" $extra; exit 1; }
echo "the fingerprint covers the $(echo "$listed" | wc -l) values the headers use"

same=$1; shift
same_size=$("$same" | sed -n 's/^size \([0-9]*\):.*/\1/p')
"$same" || { echo "FAIL: $same"; exit 1; }
for prog in "$@"; do
    out=$("$prog") || { echo "$out"; echo "FAIL: $prog"; exit 1; }
    echo "$prog: $out"
    size=$(echo "$out" | sed -n 's/^size \([0-9]*\):.*/\1/p')
    case "$prog" in
    *samesize) [ "$size" = "$same_size" ] ||
        { echo "FAIL: $prog's client is $size B, not $same_size B: it tests sizeof, not the fingerprint"; exit 1; } ;;
    esac
done
echo "callers built with other options are refused with FWC_ERR_CONFIG_MISMATCH"
