#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Unpack Debian's mbedTLS source for one line into a folder, once:
#
#   mbedtls_source.sh 2.28|3.6 SRCDIR
#
# `apt-get source mbedtls` from bookworm (2.28) or trixie (3.6), with
# Debian's patches applied, read from the same mirror this machine's apt
# sources name. The system's apt configuration stays untouched: a private
# one (sources list, lists, cache) lives beside SRCDIR. Used by
# tests/bench/build_mbedtls.sh (host builds with other buffer sizes) and
# tests/cross (the Cortex-M4 build with port/mbedtls's config).
set -euo pipefail
usage="usage: mbedtls_source.sh 2.28|3.6 SRCDIR"
line=${1:?$usage}
src=${2:?$usage}
case "$line" in
  2.28) suite=bookworm ;;
  3.6)  suite=trixie ;;
  *) echo "unknown mbedTLS line $line (2.28 or 3.6)" >&2; exit 2 ;;
esac
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

# ---- Source: apt-get source through a private apt configuration ----------
if [ ! -f "$src/.unpacked" ]; then
  mkdir -p "$out/dl"
  private_apt "$out/apt" "deb-src $suite main"
  rm -rf "$out/dl"/* "$src"
  # Download only; unpack below so the target folder is ours to name.
  (cd "$out/dl" && apt-get "${APT_OPTS[@]}" -qq --download-only source "mbedtls/$suite")
  dsc=$(find "$out/dl" -maxdepth 1 -name "mbedtls_*.dsc" | head -n 1)
  # apt checked each file against the signed Release/Sources indexes;
  # dpkg-source checks them against the .dsc again (its OpenPGP signature
  # only if debian-keyring is installed) and applies Debian's patches.
  dpkg-source -x "$dsc" "$src" >"$out/dpkg-source.log" 2>&1 ||
    { cat "$out/dpkg-source.log" >&2; exit 1; }
  rm -f "$(dirname "$src")"/mbedtls_*.orig.tar.* # dpkg-source's link beside the tree
  touch "$src/.unpacked"
fi
# Upstream's changelog fragments live in a folder named ChangeLog.d, which the
# top-level Makefile's `find build -name '*.d'` would take for a dependency
# file. The library build does not need it.
rm -rf "$src/ChangeLog.d"
version=$(cat "$src/include/mbedtls/version.h" "$src/include/mbedtls/build_info.h" 2>/dev/null |
  sed -n 's/.*MBEDTLS_VERSION_STRING  *"\([0-9.]*\)".*/\1/p' | head -n 1 || true)
case "$version" in
  "$line".*) ;;
  *) echo "unpacked mbedTLS is $version, not $line" >&2; exit 1 ;;
esac
echo "$version" > "$src/.version"
