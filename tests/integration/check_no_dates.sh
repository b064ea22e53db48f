#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An mbedTLS built without MBEDTLS_HAVE_TIME_DATE (ESP-IDF's default)
# checks no certificate dates. src/tls_mbedtls.c must refuse to compile
# against one, naming the macro, unless CONFIG_FWC_TLS_MBEDTLS_WITHOUT_DATES
# says so; with it, it must compile warning-free. The mbedTLS configuration
# is the one given, with MBEDTLS_HAVE_TIME_DATE taken out through
# MBEDTLS_USER_CONFIG_FILE.
#   check_no_dates.sh INCLUDE_DIR ...   ("system" for /usr/include)
# Prints TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo '#undef MBEDTLS_HAVE_TIME_DATE' > "$work/no_dates.h"
n=0
bad=0
tap() { n=$((n + 1)); if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; bad=1; fi; }

for inc in "$@"; do
  flags=(-std=c99 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror -fsyntax-only
         -I"$top/include" -I"$top/src" -I"$work" -DMBEDTLS_USER_CONFIG_FILE='"no_dates.h"')
  [ "$inc" != system ] && flags+=(-isystem "$inc")
  gcc "${flags[@]}" "$top/src/tls_mbedtls.c" >"$work/out" 2>&1
  rc=$?
  [ "$rc" -ne 0 ] && grep -q 'MBEDTLS_HAVE_TIME_DATE' "$work/out"
  tap $? "$inc: without MBEDTLS_HAVE_TIME_DATE the build stops, naming it"
  [ "$rc" -eq 0 ] && cat "$work/out"
  gcc "${flags[@]}" -DCONFIG_FWC_TLS_MBEDTLS_WITHOUT_DATES=1 "$top/src/tls_mbedtls.c"
  tap $? "$inc: ... and builds warning-free with CONFIG_FWC_TLS_MBEDTLS_WITHOUT_DATES"
done
[ "$n" -gt 0 ] || { echo "usage: $0 INCLUDE_DIR ..."; exit 2; }
exit "$bad"
