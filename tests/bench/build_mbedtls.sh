#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build mbedTLS from Debian's source package with other TLS buffer sizes (and
# options), for the heap measurement's constrained settings
# (tests/bench/heap.mk, docs/TLS-MEMORY.md).
#
#   build_mbedtls.sh 2.28|3.6 OUTDIR [IN_LEN OUT_LEN [SYMBOL...]]
#     -> OUTDIR/include (-> src/include: the headers, config changed)
#        OUTDIR/lib/libmbedtls.a libmbedx509.a libmbedcrypto.a
# IN_LEN/OUT_LEN default to 4096/2048; each SYMBOL is one more config option
# to switch on (e.g. MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS).
#
# The source is Debian's own, with Debian's patches, fetched by
# tests/bench/mbedtls_source.sh into OUTDIR/src. Only the library is built, with
# Debian's config (upstream's plus what debian/rules sets) and three
# changes: MBEDTLS_SSL_IN_CONTENT_LEN, MBEDTLS_SSL_OUT_CONTENT_LEN, and
# MBEDTLS_SSL_MAX_FRAGMENT_LENGTH on (Debian has it on already). Upstream's
# and Debian's configs stay beside it as *.upstream and *.debian.
set -euo pipefail
usage="usage: build_mbedtls.sh 2.28|3.6 OUTDIR [IN_LEN OUT_LEN [SYMBOL...]]"
line=${1:?$usage}
out=${2:?$usage}
in_len=${3:-4096}
out_len=${4:-2048}
shift $(($# < 4 ? $# : 4))
extra=("$@")
case "$line" in
  2.28) config=include/mbedtls/config.h ;;
  3.6)  config=include/mbedtls/mbedtls_config.h ;;
  *) echo "unknown mbedTLS line $line (2.28 or 3.6)" >&2; exit 2 ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)

# Debian's source for this line, unpacked once into $out/src.
"$(dirname "$0")/mbedtls_source.sh" "$line" "$out/src"
src="$out/src"
version=$(cat "$src/.version")

# ---- Config: Debian's, with the two lengths changed -----------------------
# Debian's config is upstream's plus the `scripts/config.py set/unset` lines
# its debian/rules runs before building; replay them, then change ours.
[ -f "$src/$config.upstream" ] || cp "$src/$config" "$src/$config.upstream"
cp "$src/$config.upstream" "$src/$config.debian"
grep -oE 'scripts/config\.py +(set|unset) +MBEDTLS_[A-Z0-9_]+' "$src/debian/rules" |
  while read -r _ op name; do
    (cd "$src" && python3 scripts/config.py -f "$config.debian" "$op" "$name")
  done
cp "$src/$config.debian" "$src/$config.new"
(cd "$src" &&
  python3 scripts/config.py -f "$config.new" set MBEDTLS_SSL_IN_CONTENT_LEN "$in_len" &&
  python3 scripts/config.py -f "$config.new" set MBEDTLS_SSL_OUT_CONTENT_LEN "$out_len" &&
  python3 scripts/config.py -f "$config.new" set MBEDTLS_SSL_MAX_FRAGMENT_LENGTH &&
  for sym in ${extra[@]+"${extra[@]}"}; do
    python3 scripts/config.py -f "$config.new" set "$sym" || exit 1
  done)
if ! cmp -s "$src/$config.new" "$src/$config"; then
  mv "$src/$config.new" "$src/$config"
  rm -rf "${out:?}/lib"
  make -C "$src/library" -s clean >/dev/null
else
  rm -f "$src/$config.new"
fi

# ---- Library only --------------------------------------------------------
if [ ! -f "$out/lib/libmbedcrypto.a" ]; then
  # The library's own Makefile, out of the tree's programs and tests.
  jobs=$(nproc 2>/dev/null || echo 2)
  make -C "$src/library" -j"$jobs" -s CC=gcc CFLAGS="-O2 -g0" \
    libmbedcrypto.a libmbedx509.a libmbedtls.a >/dev/null
  mkdir -p "$out/lib"
  cp "$src"/library/libmbed{tls,x509,crypto}.a "$out/lib/"
fi
ln -sfn src/include "$out/include"
echo "mbedTLS $version (Debian source, IN $in_len / OUT $out_len, MFL on${extra[*]:+, ${extra[*]}}) in $out"
