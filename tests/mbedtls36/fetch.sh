#!/usr/bin/env bash
# Unpack mbedTLS 3.6 (Debian 13's libmbedtls-dev) into a build-local prefix,
# so fwc is built and tested against both LTS lines on a Debian 12 machine.
# The system's apt sources stay untouched: a private apt configuration reads
# the trixie suite from the same mirror this machine already uses.
#   fetch.sh OUTDIR     -> OUTDIR/root/usr/include, OUTDIR/root/usr/lib/<triplet>
set -euo pipefail
out=${1:?usage: fetch.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)

# The Debian mirror this machine is configured with (deb822 or one-line).
mirror=$(
  { cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ {print $2}';
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -E 's/\[[^]]*\]//' | awk '/^deb / {print $2}'; } |
  grep -E '/debian/?$' | head -n 1 || true)
[ -n "$mirror" ] || { echo "no Debian mirror found in the apt sources" >&2; exit 1; }

apt_dir="$out/apt"
mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$out/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror trixie main" \
  > "$apt_dir/sources.list"
opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
      -o "Dir::State::lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
      -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
apt-get "${opts[@]}" -qq update
(cd "$out/debs" && apt-get "${opts[@]}" -qq download libmbedtls-dev/trixie)
rm -rf "$out/root"
for deb in "$out"/debs/libmbedtls-dev_3.6*.deb; do dpkg -x "$deb" "$out/root"; done
grep -q 'MBEDTLS_VERSION_STRING  *"3\.6' "$out/root/usr/include/mbedtls/build_info.h" ||
  { echo "unpacked mbedTLS is not 3.6" >&2; exit 1; }
echo "mbedTLS $(sed -n 's/.*MBEDTLS_VERSION_STRING  *"\(.*\)".*/\1/p' \
  "$out/root/usr/include/mbedtls/build_info.h") in $out/root"
