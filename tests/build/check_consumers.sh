#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Applications outside fwc's tree build against an installed fwc and fetch
# a token from the emulator, each way in that the README shows:
#   pkg-config   `make install PREFIX=...`, then the README's lines: cc
#                $(pkg-config --cflags --libs fwc), C and C++, on the shared
#                library (its soname checked in the program), and C on the
#                static one
#   CMake        cmake --install of fwc, then find_package(fwc) and
#                fwc::fwc in the application's own project: C and C++, on
#                the static library
#   plain list   fwc.mk's sources and include directories compiled straight
#                into the program, as a build that is neither Make nor CMake
# Run from the top of the tree (make test); builds in a temporary folder.
# TAP, one line per step.
set -u
root=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
hook=$root/examples/token/secret_file.c
src=$root/tests/build/consumer
n=0
fails=0
step() { # step DESCRIPTION COMMAND...: one TAP line, the output kept on failure
  n=$((n + 1))
  if "${@:2}" >"$work/log" 2>&1; then echo "ok $n - $1"
  else echo "not ok $n - $1"; sed 's/^/# /' "$work/log" | tail -n 30; fails=$((fails + 1)); fi
}
echo "1..15"

# ---- pkg-config, from make install ---------------------------------------
pfx=$work/make-prefix
step "make install PREFIX=$pfx" make -s install PREFIX="$pfx" WERROR=1
export PKG_CONFIG_PATH=$pfx/lib/pkgconfig
cc -std=c99 -I"$pfx/include" -c "$hook" -o "$work/hook.o" || exit 1
pc_build() { # pc_build COMPILER SOURCE OUT
  # shellcheck disable=SC2046 # pkg-config's words are meant to split
  "$1" $(pkg-config --cflags fwc) -o "$3" "$2" "$work/hook.o" \
    $(pkg-config --libs fwc) -Wl,-rpath,"$pfx/lib"
}
step "pkg-config: C consumer links" pc_build cc "$src/token.c" "$work/pc_c"
step "pkg-config: C++ consumer links" pc_build c++ "$src/token.cpp" "$work/pc_cxx"
static_build() {
  # shellcheck disable=SC2046
  cc -std=c99 $(pkg-config --cflags fwc) "$src/token.c" "$work/hook.o" \
    "$(pkg-config --variable=libdir fwc)/libfwc.a" -lmbedtls -lmbedx509 -lmbedcrypto -o "$work/pc_static"
  ! readelf -d "$work/pc_static" | grep -q 'NEEDED.*libfwc'
}
step "pkg-config: C consumer links the static library" static_build
soname_used() { readelf -d "$1" | grep -q "NEEDED.*\[libfwc\.so\.[0-9.]*\]"; }
step "pkg-config consumer runs on the shared library (NEEDED libfwc.so.N)" soname_used "$work/pc_c"

# ---- CMake: install, then find_package(fwc) ------------------------------
cpfx=$work/cmake-prefix
cmake_fwc() {
  cmake -S "$root" -B "$work/fwc-build" -DCMAKE_INSTALL_PREFIX="$cpfx" -DCMAKE_BUILD_TYPE=Release &&
    cmake --build "$work/fwc-build" -j2 && cmake --install "$work/fwc-build"
}
step "cmake build and install of fwc" cmake_fwc
cmake_app() { # cmake_app TARGET
  { [ -f "$work/app-build/CMakeCache.txt" ] ||
    cmake -S "$src" -B "$work/app-build" -DCMAKE_PREFIX_PATH="$cpfx" -DFWC_SECRET_HOOK="$hook"; } &&
    cmake --build "$work/app-build" --target "$1"
}
step "find_package(fwc): C consumer links" cmake_app consumer_c
step "find_package(fwc): C++ consumer links" cmake_app consumer_cxx

# ---- The plain source list ------------------------------------------------
plain() {
  local vars
  vars=$(make -s --no-print-directory -f - <<'MK'
FWC_DIR := .
include fwc.mk
all:
	@echo "$(FWC_SRCS) $(FWC_PORT_SRCS)"
	@echo "$(addprefix -I,$(FWC_INCLUDE_DIRS) $(FWC_PRIVATE_INCLUDE_DIRS) $(FWC_PORT_INCLUDE_DIRS))"
MK
)
  # shellcheck disable=SC2046
  cc -std=c99 -o "$work/plain_c" $(sed -n 2p <<<"$vars") $(sed -n 1p <<<"$vars") \
    "$src/token.c" "$hook" -lmbedtls -lmbedx509 -lmbedcrypto
}
step "plain source list (fwc.mk): C consumer builds" plain

# ---- Each fetches a token from the emulator -------------------------------
fetch() { # fetch PROGRAM: a token in hand, said so on stdout
  tests/server/with_emulator.sh -- "$1" | grep -q "token of [1-9][0-9]* characters"
}
step "pkg-config C consumer fetches a token" fetch "$work/pc_c"
step "pkg-config C++ consumer fetches a token" fetch "$work/pc_cxx"
step "find_package C consumer fetches a token" fetch "$work/app-build/consumer_c"
step "find_package C++ consumer fetches a token" fetch "$work/app-build/consumer_cxx"
step "pkg-config static C consumer fetches a token" fetch "$work/pc_static"
step "plain-list C consumer fetches a token" fetch "$work/plain_c"
exit $((fails > 0))
