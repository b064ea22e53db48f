#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Unpack Debian 12's armhf mbedTLS and cmocka into a build-local prefix, for
# the 32-bit ARM unit tests (tests/arm32/arm32.mk): built with
# arm-linux-gnueabihf-gcc, run under qemu-arm. The system's apt sources and
# dpkg architectures stay untouched (tests/private_apt.sh).
#   fetch_armhf.sh OUTDIR -> OUTDIR/root/usr/include, OUTDIR/root/usr/lib/arm-linux-gnueabihf
set -euo pipefail
out=${1:?usage: fetch_armhf.sh OUTDIR}
mkdir -p "$out/debs"
out=$(cd "$out" && pwd)
. "$(dirname "$0")/../private_apt.sh"

private_apt "$out/apt" "deb [arch=armhf] bookworm main" armhf
rm -f "$out"/debs/*.deb
(cd "$out/debs" && apt-get "${APT_OPTS[@]}" -qq download \
  libmbedtls-dev libmbedtls14 libmbedx509-1 libmbedcrypto7 libcmocka-dev libcmocka0)
rm -rf "$out/root"
for deb in "$out"/debs/*.deb; do dpkg -x "$deb" "$out/root"; done
[ -f "$out/root/usr/lib/arm-linux-gnueabihf/libmbedcrypto.a" ] ||
  { echo "armhf mbedTLS missing after unpacking" >&2; exit 1; }
echo "armhf mbedTLS and cmocka in $out/root"
