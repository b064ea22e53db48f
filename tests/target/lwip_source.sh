#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Unpack Debian 12's lwIP source (2.1.3, with Debian's patches) into a
# folder, once:
#
#   lwip_source.sh SRCDIR
#
# `apt-get source lwip` from bookworm through a private apt configuration
# (tests/private_apt.sh), as tests/bench/mbedtls_source.sh does for mbedTLS:
# the system's apt sources stay untouched. The target firmware
# (tests/target) and the NO_SYS port's host test build lwIP's core from it
# with their own lwipopts.h; Debian's liblwip binary package is built with
# NO_SYS 0 and the unix port, so it cannot serve a bare-metal build.
set -euo pipefail
src=${1:?usage: lwip_source.sh SRCDIR}
mkdir -p "$src"
src=$(cd "$src" && pwd)
out=$(dirname "$src")/$(basename "$src").fetch

command -v dpkg-source >/dev/null || {
  if [ "$(id -u)" = 0 ]; then
    echo "installing dpkg-dev (for apt-get source)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
  else
    echo "apt-get source needs dpkg-dev: sudo apt-get install dpkg-dev" >&2; exit 1
  fi
}

. "$(dirname "$0")/../private_apt.sh"

if [ ! -f "$src/.unpacked" ]; then
  mkdir -p "$out/dl"
  private_apt "$out/apt" "deb-src bookworm main"
  rm -rf "$out/dl"/* "$src"
  (cd "$out/dl" && apt-get "${APT_OPTS[@]}" -qq --download-only source "lwip/bookworm")
  dsc=$(find "$out/dl" -maxdepth 1 -name "lwip_*.dsc" | head -n 1)
  # apt checked the files against the signed indexes; dpkg-source checks
  # them against the .dsc and applies Debian's patches.
  dpkg-source -x "$dsc" "$src" >"$out/dpkg-source.log" 2>&1 ||
    { cat "$out/dpkg-source.log" >&2; exit 1; }
  rm -f "$(dirname "$src")"/lwip_*.orig.tar.*
  touch "$src/.unpacked"
fi
version=$(sed -n 's/^#define LWIP_VERSION_\(MAJOR\|MINOR\|REVISION\)[ \t]*\([0-9]*\).*/\2/p' \
  "$src/src/include/lwip/init.h" | paste -sd. -)
case "$version" in
  2.1.*) ;;
  *) echo "unpacked lwIP is $version, not 2.1" >&2; exit 1 ;;
esac
echo "$version" > "$src/.version"
