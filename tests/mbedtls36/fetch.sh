#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Unpack mbedTLS 3.6 (Debian 13's libmbedtls-dev) into a build-local prefix,
# so fwc is built and tested against both LTS lines on a Debian 12 machine.
# The system's apt sources stay untouched: a private apt configuration reads
# the trixie suite from the same mirror this machine already uses.
#   fetch.sh OUTDIR     -> OUTDIR/root/usr/include, OUTDIR/root/usr/lib/<triplet>
set -euo pipefail
out=${1:?usage: fetch.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

. "$(dirname "$0")/../private_apt.sh"
mkdir -p "$out/debs"
private_apt "$out/apt" "deb trixie main"
(cd "$out/debs" && apt-get "${APT_OPTS[@]}" -qq download libmbedtls-dev/trixie)
rm -rf "$out/root"
for deb in "$out"/debs/libmbedtls-dev_3.6*.deb; do dpkg -x "$deb" "$out/root"; done
grep -q 'MBEDTLS_VERSION_STRING  *"3\.6' "$out/root/usr/include/mbedtls/build_info.h" ||
  { echo "unpacked mbedTLS is not 3.6" >&2; exit 1; }
echo "mbedTLS $(sed -n 's/.*MBEDTLS_VERSION_STRING  *"\(.*\)".*/\1/p' \
  "$out/root/usr/include/mbedtls/build_info.h") in $out/root"
