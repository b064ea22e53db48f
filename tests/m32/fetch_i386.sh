#!/usr/bin/env bash
# Unpack Debian 12's i386 mbedTLS and cmocka into a build-local prefix, so
# the unit tests also build and run as 32-bit code (gcc -m32) on an amd64
# machine: the targets are 32-bit, and size_t, pointers and long are 4
# bytes there. The system's apt sources and dpkg architectures stay
# untouched: a private apt configuration downloads the i386 packages from
# the mirror this machine already uses, and dpkg -x unpacks them.
#   fetch_i386.sh OUTDIR   -> OUTDIR/root/usr/include, OUTDIR/root/usr/lib/i386-linux-gnu
set -euo pipefail
out=${1:?usage: fetch_i386.sh OUTDIR}
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
echo "deb [arch=i386 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror bookworm main" \
  > "$apt_dir/sources.list"
opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
      -o "Dir::State::lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
      -o "APT::Architecture=i386" -o "APT::Architectures=i386"
      -o "APT::Sandbox::User=root" -o "Debug::NoLocking=1")
apt-get "${opts[@]}" -qq update
rm -f "$out"/debs/*.deb
(cd "$out/debs" && apt-get "${opts[@]}" -qq download \
  libmbedtls-dev libmbedtls14 libmbedx509-1 libmbedcrypto7 libcmocka-dev libcmocka0)
rm -rf "$out/root"
for deb in "$out"/debs/*.deb; do dpkg -x "$deb" "$out/root"; done
[ -f "$out/root/usr/lib/i386-linux-gnu/libmbedcrypto.a" ] ||
  { echo "i386 mbedTLS missing after unpacking" >&2; exit 1; }
echo "i386 mbedTLS and cmocka in $out/root"
