#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# fwc built as Buildroot or Yocto build it: the release tree unpacked
# elsewhere (no build/ from this tree), `make` with another compiler and
# the distribution's flags, then `make install DESTDIR=staging PREFIX=/usr`;
# the installed tree is checked file by file.
#   check_buildroot.sh [CC]      (clang by default)
# Checks that the build took the caller's CC, CFLAGS, CPPFLAGS and LDFLAGS,
# added no -Werror, installed no package (make deps is separate), and that
# the staging tree holds the static and shared libraries with their soname
# links, every public header with internal/, the tool and a fwc.pc that
# names /usr (not the staging folder) and mbedTLS for static links. TAP.
set -u
root=$(pwd)
cc=${1:-clang}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
n=0
fails=0
check() { # check DESCRIPTION COMMAND...
  n=$((n + 1))
  if "${@:2}" >"$work/check.log" 2>&1; then echo "ok $n - $1"
  else echo "not ok $n - $1"; sed 's/^/# /' "$work/check.log" | tail -n 20; fails=$((fails + 1)); fi
}
echo "1..14"

# The source as a release tarball carries it: no build/, no .config, no .git.
src=$work/fwc-src
mkdir -p "$src"
tar -C "$root" --exclude=./build --exclude=./.git --exclude=./.config -cf - . | tar -C "$src" -xf -
stage=$work/staging
# -frecord-gcc-switches keeps each object's command line in the binary, so
# the flags that reached the compiler can be read back; --hash-style=sysv
# is a linker flag visible in the result (Debian's default is gnu).
flags="-O2 -g0 -fstack-protector-strong -frecord-gcc-switches"
make_log=$work/make.log
build() {
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u WERROR make -C "$src" -j2 CC="$cc" CFLAGS="$flags" \
    CPPFLAGS="-DFWC_BUILDROOT_MARK=1" LDFLAGS="-Wl,--hash-style=sysv" all >"$make_log" 2>&1 &&
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u WERROR make -C "$src" CC="$cc" CFLAGS="$flags" \
    CPPFLAGS="-DFWC_BUILDROOT_MARK=1" LDFLAGS="-Wl,--hash-style=sysv" \
    install DESTDIR="$stage" PREFIX=/usr >>"$make_log" 2>&1
}
check "make CC=$cc CFLAGS=... && make install DESTDIR=... PREFIX=/usr" build || cat "$make_log" | tail -n 20 | sed 's/^/# /'

compiled_with() { # every compile line used CC and the flags, none -Werror
  grep -E '(^| )-c [^ ]+\.c' "$make_log" >"$work/compiles"
  [ -s "$work/compiles" ] || { echo "no compile lines"; return 1; }
  ! grep -v "^$cc " "$work/compiles" || { echo "lines not run by $cc"; return 1; }
  ! grep -v -- "$flags" "$work/compiles" || { echo "lines without CFLAGS"; return 1; }
  ! grep -v -- "-DFWC_BUILDROOT_MARK=1" "$work/compiles" || { echo "lines without CPPFLAGS"; return 1; }
}
check "every object compiled by $cc with CFLAGS and CPPFLAGS" compiled_with
check "no -Werror in a user's build" sh -c "! grep -q -- -Werror '$make_log'"
check "no package installed or checked (no apt-get, no deps stamp)" \
  sh -c "! grep -qE 'apt-get|installing:|missing Debian packages' '$make_log' && ! ls '$src'/build/.deps-* 2>/dev/null"

usr=$stage/usr
lib=$usr/lib
version=$(sed -n 's/^#define FWC_VERSION "\([0-9.]*\)".*/\1/p' "$root/include/fwc/version.h")
check "static and shared libraries with soname links" sh -c "
  test -f '$lib/libfwc.a' && test -f '$lib/libfwc.so.$version' &&
  soname=\$(readelf -d '$lib/libfwc.so.$version' | sed -n 's/.*SONAME.*\[\(.*\)\]/\1/p') &&
  test -n \"\$soname\" && test \"\$(readlink '$lib/'\$soname)\" = libfwc.so.$version &&
  test \"\$(readlink '$lib/libfwc.so')\" = libfwc.so.$version"
check "the shared library is position-independent code from $cc" sh -c "
  readelf -p .comment '$lib/libfwc.so.$version' | grep -qi '$cc' &&
  ! readelf -d '$lib/libfwc.so.$version' | grep -q TEXTREL"
check "CFLAGS recorded in the objects (-frecord-gcc-switches)" sh -c "
  readelf -p .GCC.command.line '$lib/libfwc.a' 2>/dev/null | grep -q -- -fstack-protector-strong ||
  strings '$lib/libfwc.a' | grep -q -- -fstack-protector-strong"
check "LDFLAGS reached the shared library and the tool (--hash-style=sysv)" sh -c "
  for f in '$lib/libfwc.so.$version' '$usr/bin/fwc'; do
    readelf -S \$f | grep -q ' .hash ' && ! readelf -S \$f | grep -q ' .gnu.hash ' || exit 1; done"
headers_complete() {
  local h
  for h in "$root"/include/fwc/*.h "$root"/include/fwc/internal/*.h; do
    cmp -s "$h" "$usr/include/fwc/${h#"$root"/include/fwc/}" || { echo "missing or different: $h"; return 1; }
  done
}
check "every public header and internal/ installed" headers_complete
check "the tool installed and runs" sh -c "'$usr/bin/fwc' --help 2>&1 | grep -qi usage || '$usr/bin/fwc' 2>&1 | grep -qi usage"
pc_right() {
  local pc=$lib/pkgconfig/fwc.pc
  grep -qx 'prefix=/usr' "$pc" && grep -qx 'libdir=/usr/lib' "$pc" && ! grep -q "$stage" "$pc" &&
    grep -q '^Libs.private:.*-lmbedcrypto' "$pc" && grep -qx "Version: $version" "$pc" &&
    PKG_CONFIG_SYSROOT_DIR=$stage PKG_CONFIG_LIBDIR=$lib/pkgconfig pkg-config --cflags fwc | grep -q -- "-I$usr/include"
}
check "fwc.pc names /usr, the version and mbedTLS; with a sysroot it points into staging" pc_right
nothing_else() { # the staging tree holds fwc's files and nothing else
  (cd "$stage" && find . -type f -o -type l | sort) >"$work/files"
  ! grep -vE '^\./usr/(lib/(libfwc\.(a|so.*)|pkgconfig/fwc\.pc)|include/fwc/.*\.h|bin/fwc|share/man/man1/fwc\.1)$' "$work/files"
}
check "nothing installed outside fwc's own files" nothing_else

# A build from a .config installs headers that carry its values: a caller
# compiled against them, with no flags of its own, sees the library's
# CONFIG_FWC_IO_BUFFER_SIZE (and so its struct fwc_client).
configured() {
  local stage2=$work/staging-config
  (cd "$src" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u WERROR make -s defconfig >/dev/null &&
    sed -i 's/^CONFIG_FWC_IO_BUFFER_SIZE=.*/CONFIG_FWC_IO_BUFFER_SIZE=8192/' .config &&
    env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u WERROR make -s -j2 CC="$cc" install DESTDIR="$stage2" PREFIX=/usr) &&
  printf '#include <fwc/client.h>\ntypedef char same[CONFIG_FWC_IO_BUFFER_SIZE == 8192 ? 1 : -1];\n' |
    cc -std=c99 -fsyntax-only -I"$stage2/usr/include" -x c -
}
check "from a .config: the installed config.h carries the library's values" configured

# CROSS_COMPILE picks the toolchain: 32-bit ARM (armhf), against the armhf
# mbedTLS headers make test unpacks (tests/arm32) and jsmn's lone header.
crossed() {
  local out=$work/fwc-cross
  mkdir -p "$out" && tar -C "$src" --exclude=./build --exclude=./.config -cf - . | tar -C "$out" -xf - &&
  env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u WERROR make -C "$out" -j2 CROSS_COMPILE=arm-linux-gnueabihf- \
    CPPFLAGS="-isystem $root/build/arm32/pkgs/root/usr/include -isystem $root/build/cross/include" \
    static >"$work/cross.log" 2>&1 || { tail -n 20 "$work/cross.log"; return 1; }
  grep -q '^arm-linux-gnueabihf-ar rcs build/libfwc.a' "$work/cross.log" || { echo "not the prefixed ar"; return 1; }
  ! grep -E '(^| )-c ' "$work/cross.log" | grep -v '^arm-linux-gnueabihf-gcc ' || { echo "not the prefixed cc"; return 1; }
  readelf -h "$out/build/libfwc.a" | grep 'Machine:' | sort -u | tee "$work/machines"
  [ "$(wc -l <"$work/machines")" = 1 ] && grep -q 'Machine: *ARM$' "$work/machines"
}
check "CROSS_COMPILE=arm-linux-gnueabihf-: every object of libfwc.a is 32-bit ARM" crossed
exit $((fails > 0))
