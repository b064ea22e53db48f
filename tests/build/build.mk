# SPDX-License-Identifier: MIT
# fwc as other builds use it (README, "Use"), in make test:
# - tests/build/check_consumers.sh: applications outside the tree, in C and
#   C++, built through pkg-config (make install) and find_package(fwc)
#   (CMake's install), and from fwc.mk's plain list, each fetching a token
#   from the emulator;
# - tests/build/check_buildroot.sh: the release tree built as Buildroot
#   does (clang, the distribution's CFLAGS, CPPFLAGS and LDFLAGS) and
#   installed with DESTDIR, the installed tree checked; and a CROSS_COMPILE
#   build for armhf (against tests/arm32's unpacked armhf mbedTLS headers);
# - the Cortex-M33 build's architecture (tests/cross/cross.mk registers it).
BUILDTEST_PKGS := cmake pkgconf g++ clang
build/.deps-buildtest: | build/.deps-test
	$(call deps_check,$@,$(BUILDTEST_PKGS))

TEST_DEPS += build/.deps-buildtest all $(ARM32)/.stamp build/cross/include/jsmn.h
TEST_RUNS += tests/build/check_consumers.sh tests/build/check_buildroot.sh
