#!/usr/bin/env bash
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
# The source is Debian's own: `apt-get source mbedtls` from bookworm (2.28)
# or trixie (3.6), with Debian's patches applied, read from the same mirror
# this machine's apt sources name. As in tests/mbedtls36/fetch.sh, the
# system's apt configuration stays untouched: a private one (sources list,
# lists, cache) lives under OUTDIR/apt. Only the library is built, with
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
  2.28) suite=bookworm; config=include/mbedtls/config.h ;;
  3.6)  suite=trixie;   config=include/mbedtls/mbedtls_config.h ;;
  *) echo "unknown mbedTLS line $line (2.28 or 3.6)" >&2; exit 2 ;;
esac
mkdir -p "$out"
out=$(cd "$out" && pwd)

command -v dpkg-source >/dev/null || {
  if [ "$(id -u)" = 0 ]; then
    echo "installing dpkg-dev (for apt-get source)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends dpkg-dev >/dev/null
  else
    echo "apt-get source needs dpkg-dev: sudo apt-get install dpkg-dev" >&2; exit 1
  fi
}

# The Debian mirror this machine is configured with (deb822 or one-line),
# found the same way as tests/mbedtls36/fetch.sh does.
mirror=$(
  { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}';
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/\[[^]]*\]//' | awk '/^deb / {print $2}'; } |
  grep -E '/debian/?$' | head -n 1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror found in the apt sources" >&2; exit 1; }

# ---- Source: apt-get source through a private apt configuration ----------
src="$out/src"
if [ ! -f "$src/.unpacked" ]; then
  apt_dir="$out/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$out/dl"
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" \
    > "$apt_dir/sources.list"
  opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
        -o "Dir::State::lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
        -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
  apt-get "${opts[@]}" -qq update
  rm -rf "$out/dl"/* "$src"
  # Download only; unpack below so the target folder is ours to name.
  (cd "$out/dl" && apt-get "${opts[@]}" -qq --download-only source "mbedtls/$suite")
  dsc=$(find "$out/dl" -maxdepth 1 -name "mbedtls_*.dsc" | head -n 1)
  # apt checked each file against the signed Release/Sources indexes;
  # dpkg-source checks them against the .dsc again (its OpenPGP signature
  # only if debian-keyring is installed) and applies Debian's patches.
  dpkg-source -x "$dsc" "$src" >"$out/dpkg-source.log" 2>&1 ||
    { cat "$out/dpkg-source.log" >&2; exit 1; }
  rm -f "$out"/mbedtls_*.orig.tar.* # dpkg-source's link beside the tree
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
