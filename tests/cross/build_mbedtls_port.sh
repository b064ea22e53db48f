#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build mbedTLS 2.28 (Debian's source) with fwc's constrained config,
# port/mbedtls/fwc_mbedtls_config.h, for the Cortex-M4 build (make cross,
# make size) or the host (make heap measures that config's heap):
#
#   build_mbedtls_port.sh OUTDIR CC "CFLAGS"
#     -> OUTDIR/lib/libmbedtls.a libmbedx509.a libmbedcrypto.a
#
# The source is unpacked once into OUTDIR/src; the library is rebuilt when
# the compiler, the flags or the config file change.
set -euo pipefail
usage='usage: build_mbedtls_port.sh OUTDIR CC "CFLAGS"'
out=${1:?$usage}
cc=${2:?$usage}
cflags=${3:?$usage}
here=$(cd "$(dirname "$0")/../.." && pwd)
config_dir=$here/port/mbedtls

"$here/tests/bench/mbedtls_source.sh" 2.28 "$out/src"
out=$(cd "$out" && pwd)
src=$out/src

flags="$cflags -I$config_dir -DMBEDTLS_CONFIG_FILE='<fwc_mbedtls_config.h>'"
id="$cc $flags $(sha256sum "$config_dir/fwc_mbedtls_config.h" | cut -c1-64)"
if [ -f "$out/lib/libmbedcrypto.a" ] && [ "$(cat "$out/build.id" 2>/dev/null)" = "$id" ]; then
  exit 0
fi
rm -rf "$out/lib"
make -C "$src/library" -s clean >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)
make -C "$src/library" -j"$jobs" -s CC="$cc" AR="${cc%gcc}ar" CFLAGS="$flags" \
  libmbedcrypto.a libmbedx509.a libmbedtls.a >/dev/null
mkdir -p "$out/lib"
cp "$src"/library/libmbed{tls,x509,crypto}.a "$out/lib/"
echo "$id" > "$out/build.id"
echo "mbedTLS $(cat "$src/.version") for $cc with port/mbedtls/fwc_mbedtls_config.h in $out"
