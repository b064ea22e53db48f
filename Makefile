# SPDX-License-Identifier: MIT
# fwc build. `make` builds the library (build/libfwc.a and a versioned
# build/libfwc.so), the examples and the fwc tool; `make install` installs
# them with fwc.pc; `make test` builds and runs every test and ends with one
# line "N passed, N failed".
#
# The library build honours CC, AR, CFLAGS, CPPFLAGS, LDFLAGS, CROSS_COMPILE
# and FWC_PORT (posix, lwip, template), warns but does not stop on a warning
# (WERROR=1 makes it stop, as make test does), and never installs packages:
# `make deps` (as root) installs what the build and the tests need, and the
# demo and test targets do it themselves.
#
# Variants, each in its own folder under build/:
#   gcc    the library as shipped ($(CC), default -Os, -fPIC for the shared
#          library), and what the heap check reads
#   clang  the same sources, to keep them warning-free under both compilers
#   asan   clang with AddressSanitizer + UndefinedBehaviorSanitizer: the
#          library and the unit tests that run against it

.DEFAULT_GOAL := all
SHELL := /bin/bash
# Debian's python3 has kconfiglib; a pyenv or venv python3 on PATH may not.
PYTHON ?= /usr/bin/python3

# The warnings every build of the project's own checks stops on.
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
CSTD := -std=c99
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# ---- The library as a user builds it -------------------------------------

# A toolchain prefix (Buildroot, Yocto, a cross SDK) applies to the tools
# make would otherwise pick itself; CC=... and AR=... given anywhere win.
CROSS_COMPILE ?=
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS_COMPILE)ar
endif
CFLAGS ?= -Os -g
# The project's own checks (make test, CI) stop on a warning; a user's
# `make` with another compiler or newer warnings does not.
WERROR ?= $(if $(filter test test-build,$(MAKECMDGOALS)),1)
# A test that runs make again (make install, a file of the build) keeps it,
# rather than rebuilding the library with other flags mid-run.
export WERROR
LIB_WARN := $(filter-out -Werror,$(WARN)) $(if $(filter 1,$(WERROR)),-Werror)
# The user's CPPFLAGS and LDFLAGS go to the library, the tool and the
# examples; CPPFLAGS below is the project's own, which every test uses.
USER_CPPFLAGS := $(CPPFLAGS)
USER_LDFLAGS := $(LDFLAGS)
unexport CPPFLAGS CFLAGS LDFLAGS

# Where make install puts things (DESTDIR is prepended to each).
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
MANDIR ?= $(PREFIX)/share/man
INSTALL ?= install

# The version, from include/fwc/version.h's FWC_VERSION "MAJOR.MINOR.PATCH".
VERSION := $(shell sed -n 's/^\#define FWC_VERSION "\([0-9.]*\)".*/\1/p' include/fwc/version.h)
VERSION_MAJOR := $(word 1,$(subst ., ,$(VERSION)))
VERSION_MINOR := $(word 2,$(subst ., ,$(VERSION)))
# The ABI version in the soname: MAJOR, or 0.MINOR while MAJOR is 0 (where
# semantic versioning lets a MINOR release break callers).
SOVERSION := $(if $(filter 0,$(VERSION_MAJOR)),0.$(VERSION_MINOR),$(VERSION_MAJOR))
SONAME := libfwc.so.$(SOVERSION)

# Configuration: with a .config (make menuconfig / make defconfig) the build
# turns it into build/gen/fwc_config.h; without one, include/fwc/config.h's
# defaults apply.
ifneq ($(wildcard .config),)
CONFIG_H := build/gen/fwc_config.h
CONFIG_FLAGS := -Ibuild/gen -DFWC_CONFIG_HEADER='"fwc_config.h"'
endif
# The build's own date, the floor under the clock for certificate validity
# (docs/TLS.md, "Time"). Reproducible: SOURCE_DATE_EPOCH when set, else the
# last commit's date; without either, src/tls_mbedtls.c's fallback.
FWC_BUILD_EPOCH ?= $(or $(SOURCE_DATE_EPOCH),$(shell git -C "$(CURDIR)" log -1 --format=%ct 2>/dev/null))
override CPPFLAGS := -Iinclude -Isrc $(CONFIG_FLAGS) $(if $(FWC_BUILD_EPOCH),-DFWC_BUILD_EPOCH=$(FWC_BUILD_EPOCH))

# The source lists (fwc.mk, which integrators' own builds read too). Its
# lists must name every file, or the Makefile and CMake would build a
# library with functions missing.
FWC_DIR := .
include fwc.mk
FWC_UNLISTED := $(filter-out $(FWC_SRCS),$(patsubst %,./%,$(wildcard src/*.c))) \
	$(foreach p,posix lwip lwip_nosys template,$(filter-out $(FWC_PORT_SRCS_$(p)),$(patsubst %,./%,$(wildcard port/$(p)/*.c))))
ifneq ($(strip $(FWC_UNLISTED)),)
$(error $(FWC_UNLISTED:./%=%): not in fwc.mk; add each to its list there)
endif
ifeq ($(FWC_PORT_SRCS),)
$(error FWC_PORT=$(FWC_PORT): no such port (posix, lwip, lwip_nosys, template))
endif
LIB_SRCS := $(FWC_SRCS:./%=%)

# Build-provisioned secrets (CONFIG_FWC_SECRET_BUILD): the secrets file,
# named in .config or given as FWC_SECRETS_FILE=..., becomes a masked
# header under build/gen, and src/secret/secret_build.c the secret hook.
SECRET_BUILD := $(shell grep -qs '^CONFIG_FWC_SECRET_BUILD=y' .config && echo y)
ifeq ($(SECRET_BUILD),y)
FWC_SECRETS_FILE ?= $(shell sed -n 's/^CONFIG_FWC_SECRETS_FILE="\(.*\)"$$/\1/p' .config)
LIB_SRCS += $(FWC_SECRET_BUILD_SRCS:./%=%)
# The header must follow the file's path and contents, not only its date:
# an older file for another customer must still rebuild it. The stamp is
# rewritten only when path or hash change.
SECRETS_ID := $(FWC_SECRETS_FILE) $(shell sha256sum "$(FWC_SECRETS_FILE)" 2>/dev/null | cut -c1-64)
build/gen/secrets.id: FORCE
	@mkdir -p $(@D)
	@echo '$(SECRETS_ID)' | cmp -s - $@ || echo '$(SECRETS_ID)' > $@
build/gen/fwc_secrets.h: build/gen/secrets.id src/secret/gen_header.py
	$(PYTHON) src/secret/gen_header.py "$(FWC_SECRETS_FILE)" $@ $(CURDIR)
SECRETS_H := build/gen/fwc_secrets.h
endif
# The library's port (FWC_PORT, posix by default); the tests use posix.
PORT_SRCS := $(FWC_PORT_SRCS_posix:./%=%)
LIB_PORT_SRCS := $(FWC_PORT_SRCS:./%=%)
LIB_PORT_FLAGS := $(if $(filter lwip,$(FWC_PORT)),-Iport/lwip)
TEST_SUPPORT := tests/unit/fake_port.c tests/unit/script_transport.c
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

# ---- Dependencies: Debian packages, installed when missing and root ------

BUILD_PKGS := gcc make libc6-dev binutils libmbedtls-dev libjsmn-dev
TEST_PKGS := clang libclang-rt-dev libcmocka-dev python3 python3-kconfiglib openssl \
	tinyproxy
CONFIG_PKGS := python3 python3-kconfiglib

# deps_check(stamp, packages): FWC_SKIP_DEPS=1 skips it on non-Debian hosts.
# apt-get runs under a lock: with make -j two stamps install at once, and
# the second apt-get would fail on dpkg's lock instead of waiting.
define deps_check
	@mkdir -p $(@D)
	@if [ -z "$$FWC_SKIP_DEPS" ]; then \
	  missing=""; \
	  for p in $(2); do \
	    dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	  done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "installing:$$missing"; \
	      flock build/.deps.lock sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends "$$@" >/dev/null' apt $$missing || exit 1; \
	    else \
	      echo "missing Debian packages:$$missing"; \
	      echo "install them (sudo apt-get install$$missing) or run make as root"; \
	      exit 1; \
	    fi; \
	  fi; \
	fi
	@touch $(1)
endef

build/.deps-build:
	$(call deps_check,$@,$(BUILD_PKGS))
build/.deps-test: | build/.deps-build
	$(call deps_check,$@,$(TEST_PKGS))
build/.deps-config:
	$(call deps_check,$@,$(CONFIG_PKGS))

# `make deps`: everything the build and make test need, at once (as root).
deps: build/.deps-test

# The library build (make, make all, make install, a file of the build)
# uses what is there and never installs; every other goal (demo, test, ...)
# first installs the build's packages, so the product objects wait for them.
LIB_GOALS := all install install-% uninstall clean shared static build/%
LIB_DEPS := $(if $(filter-out $(LIB_GOALS),$(MAKECMDGOALS)),build/.deps-build)

# ---- Configuration -------------------------------------------------------

# `Kconfig` is fwc's own top level around Kconfig.fwc (what a host sources).
# The header defines CONFIG_FWC, so config.h reads it as a configuration
# system's (an absent boolean is off: docs/CONFIGURATION.md); "# CONFIG_X is
# not set" becomes 0 all the same.
build/gen/fwc_config.h: .config
	@mkdir -p $(@D)
	sed -n -e 's/^\(CONFIG_[A-Z0-9_]*\)=y$$/#define \1 1/p' \
	       -e 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$$/#define \1 0/p' \
	       -e 's/^\(CONFIG_[A-Z0-9_]*\)=\(.*\)$$/#define \1 \2/p' $< > $@

menuconfig: build/.deps-config
	$(PYTHON) -m menuconfig Kconfig

defconfig: build/.deps-config
	$(PYTHON) -m alldefconfig Kconfig

# ---- mbedTLS: 2.28 from the system, 3.6 unpacked into the build --------

TRIPLET := $(shell gcc -print-multiarch 2>/dev/null)
M36 := build/mbedtls-3.6
M36_LIB := $(M36)/root/usr/lib/$(TRIPLET)
MBEDTLS_228 := -lmbedtls -lmbedx509 -lmbedcrypto
MBEDTLS_36 := $(M36_LIB)/libmbedtls.a $(M36_LIB)/libmbedx509.a $(M36_LIB)/libmbedcrypto.a -lpthread

$(M36)/.stamp: | build/.deps-test
	tests/mbedtls36/fetch.sh $(M36)
	@touch $@

# ---- Objects, per variant ------------------------------------------------

# variant(name, compiler, flags, packages stamp)
define variant
build/$(1)/%.o: %.c $(CONFIG_H) $(SECRETS_H) | $(4)
	@mkdir -p $$(@D)
	$(2) $(CSTD) $(WARN) $(3) $$(CPPFLAGS) -MMD -MP -c $$< -o $$@
$(1)_LIB_OBJS := $$(patsubst %.c,build/$(1)/%.o,$$(LIB_SRCS) $$(PORT_SRCS))
endef

# The library as shipped: the user's CC, CFLAGS and CPPFLAGS, objects
# -fPIC for the shared library (the static one is made of the same). The
# flags are kept in a file that changes only when they do, so that a
# changed CC or CFLAGS rebuilds.
LIB_FLAGS := $(CSTD) $(LIB_WARN) -ffunction-sections -fdata-sections -fPIC $(CFLAGS) \
	$(CPPFLAGS) $(LIB_PORT_FLAGS) $(USER_CPPFLAGS)
build/gcc/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(LIB_FLAGS)' | cmp -s - $@ || echo '$(CC) $(LIB_FLAGS)' > $@
build/gcc/%.o: %.c $(CONFIG_H) $(SECRETS_H) build/gcc/.flags | $(LIB_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LIB_FLAGS) -MMD -MP -c $< -o $@
gcc_LIB_OBJS := $(patsubst %.c,build/gcc/%.o,$(LIB_SRCS) $(LIB_PORT_SRCS))
$(eval $(call variant,clang,clang,-O2 -g,build/.deps-test))
$(eval $(call variant,asan,clang,-O1 -g $(SAN),build/.deps-test))
# Against mbedTLS 3.6: only tls_mbedtls.c sees mbedTLS, so only it is rebuilt.
$(eval $(call variant,gcc36,gcc,-Os -g -isystem $(M36)/root/usr/include,$(M36)/.stamp))
$(eval $(call variant,asan36,clang,-O1 -g $(SAN) -isystem $(M36)/root/usr/include,$(M36)/.stamp))
# Build options that change code paths, each compiled (and where it matters
# tested) so that none rots: plaintext allowed for test rigs, and TLS with a
# maximum fragment length against both mbedTLS lines.
$(eval $(call variant,allowhttp,clang,-O1 -g $(SAN) -DCONFIG_FWC_ALLOW_HTTP=1,build/.deps-test))
$(eval $(call variant,mfl,gcc,-Os -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=2,build/.deps-build))
$(eval $(call variant,mfl36,gcc,-Os -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=2 -isystem $(M36)/root/usr/include,$(M36)/.stamp))
# The token flow again with the most verbose log (the test checks no secret
# or token reaches it) and with the lock hooks on (balanced around every call).
$(eval $(call variant,verbose,clang,-O1 -g $(SAN) -DCONFIG_FWC_LOG_LEVEL=4 -DCONFIG_FWC_LOCKS=1,build/.deps-test))
build/verbose/tests/unit/test_oauth: build/verbose/tests/unit/test_oauth.o \
		$(filter-out %/secret_build.o,$(patsubst %.c,build/verbose/%.o,$(LIB_SRCS) $(TEST_SUPPORT)))
	clang $(SAN) -o $@ $^ -lcmocka $(MBEDTLS_228)
# The token flow with a fleet's fetch spread (60 s): fwc_token() and
# fwc_request() must sleep it before a due token request, and only then.
$(eval $(call variant,spread,clang,-O1 -g $(SAN) -DCONFIG_FWC_TOKEN_FETCH_SPREAD_S=60,build/.deps-test))
build/spread/tests/unit/test_oauth: build/spread/tests/unit/test_oauth.o \
		$(filter-out %/secret_build.o,$(patsubst %.c,build/spread/%.o,$(LIB_SRCS) $(TEST_SUPPORT)))
	clang $(SAN) -o $@ $^ -lcmocka $(MBEDTLS_228)
OPTION_OBJS := build/allowhttp/src/tcp_plain.o build/mfl/src/tls_mbedtls.o \
	build/mfl36/src/tls_mbedtls.o build/gcc/port/template/port_template.o

-include $(shell find build/gcc build/clang build/asan build/gcc36 build/asan36 build/allowhttp \
	build/mfl build/mfl36 build/verbose build/spread build/cli -name '*.d' -type f 2>/dev/null)

# What the library links: mbedTLS, unless the configuration leaves fwc's TLS out.
LIB_LIBS := $(if $(shell grep -qs '^\# CONFIG_FWC_TLS_MBEDTLS is not set' .config && echo n),,$(MBEDTLS_228))

build/libfwc.a: $(gcc_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

# The shared library: libfwc.so.VERSION, its soname libfwc.so.SOVERSION,
# and libfwc.so for the linker. The application's hooks (fwc_secret_get, a
# board port's functions) stay undefined until the program supplies them.
build/libfwc.so.$(VERSION): $(gcc_LIB_OBJS)
	$(CC) -shared -Wl,-soname,$(SONAME) $(CFLAGS) $(USER_LDFLAGS) -o $@ $^ $(LIB_LIBS)
build/$(SONAME) build/libfwc.so: build/libfwc.so.$(VERSION)
	ln -sf $(<F) $@

static: build/libfwc.a
shared: build/libfwc.so build/$(SONAME)
# The tool and the examples run on the POSIX port; another port builds the
# libraries (and fwc.pc) alone.
all: static shared build/fwc.pc $(if $(filter posix,$(FWC_PORT)),build/examples/token build/examples/upload build/fwc)

# The command-line tool (examples/cli) on the POSIX port, on a library
# with every log line compiled in, among which -v and -v -v choose at run
# time (port/posix/fwc_port_posix.h); a .config's CONFIG_FWC_LOG_LEVEL, if
# there is one, caps them instead. Built as the library is: the user's CC
# and flags, and no package installed by a plain `make`.
CLI_LOG := $(if $(CONFIG_H),,-DCONFIG_FWC_LOG_LEVEL=4)
# Sized for Linux, not for a device: a 16 KiB I/O buffer makes each send a
# full-size TLS record (16 KiB, the most TLS allows, so no maximum fragment
# length either) and one system call, where the device's 2 KiB buffer
# costs eight of each (docs/PERFORMANCE.md, "Host speed"). The library's
# own defaults stay the device's; a .config decides for itself.
CLI_LINUX := $(if $(CONFIG_H),,-DCONFIG_FWC_IO_BUFFER_SIZE=16384 -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=0)
CLI_FLAGS := $(CLI_LOG) $(CLI_LINUX)
build/cli/.flags: FORCE
	@mkdir -p $(@D)
	@echo '$(CC) $(LIB_FLAGS) $(CLI_FLAGS)' | cmp -s - $@ || echo '$(CC) $(LIB_FLAGS) $(CLI_FLAGS)' > $@
build/cli/%.o: %.c $(CONFIG_H) $(SECRETS_H) build/cli/.flags | $(LIB_DEPS)
	@mkdir -p $(@D)
	$(CC) $(LIB_FLAGS) $(CLI_FLAGS) -MMD -MP -c $< -o $@
cli_LIB_OBJS := $(patsubst %.c,build/cli/%.o,$(LIB_SRCS) $(LIB_PORT_SRCS))
build/cli/libfwc.a: $(cli_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^
build/fwc: examples/cli/main.c build/cli/libfwc.a build/cli/.flags
	$(CC) $(CSTD) $(LIB_WARN) $(CFLAGS) $(CLI_FLAGS) $(CPPFLAGS) $(USER_CPPFLAGS) -Iport/posix \
	  $(USER_LDFLAGS) $< build/cli/libfwc.a $(LIB_LIBS) -o $@

# The examples share examples/token/secret_file.c, the secret hook.
build/examples/%: examples/%/main.c examples/token/secret_file.c build/libfwc.a
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(LIB_WARN) $(CFLAGS) $(CPPFLAGS) $(USER_CPPFLAGS) $(USER_LDFLAGS) $< \
	  examples/token/secret_file.c build/libfwc.a $(LIB_LIBS) -o $@

# ---- make install --------------------------------------------------------

# pkg-config's file: mbedTLS 2.28 ships no .pc, so it is named in
# Libs.private (what a static link adds).
# Remade whenever it would differ (another PREFIX, a .config), else untouched.
build/fwc.pc: fwc.pc.in FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@VERSION@|$(VERSION)|g' \
	    -e 's|@LIBS_PRIVATE@|$(LIB_LIBS)|g' $< > $@.new
	@if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

# Built from a .config, the library's values must reach every caller
# without flags of theirs: the installed config.h starts with them.
build/gen/config.h: $(CONFIG_H) include/fwc/config.h
	{ echo '/* The values this fwc was built with (make install from .config). */'; \
	  echo '#ifndef FWC_INSTALLED_CONFIG_H'; echo '#define FWC_INSTALLED_CONFIG_H'; \
	  cat $(CONFIG_H); echo '#endif'; cat include/fwc/config.h; } > $@

# Public headers with internal/ (client.h includes it: struct fwc_client's
# layout), both libraries, the tool and fwc.pc.
install: all $(if $(CONFIG_H),build/gen/config.h)
	$(INSTALL) -d $(DESTDIR)$(INCLUDEDIR)/fwc/internal $(DESTDIR)$(LIBDIR) \
	  $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BINDIR)
	$(INSTALL) -m 644 include/fwc/*.h $(DESTDIR)$(INCLUDEDIR)/fwc/
	$(INSTALL) -m 644 include/fwc/internal/*.h $(DESTDIR)$(INCLUDEDIR)/fwc/internal/
	$(if $(CONFIG_H),$(INSTALL) -m 644 build/gen/config.h $(DESTDIR)$(INCLUDEDIR)/fwc/config.h)
	$(INSTALL) -m 644 build/libfwc.a $(DESTDIR)$(LIBDIR)/
	$(INSTALL) -m 755 build/libfwc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libfwc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf libfwc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libfwc.so
	$(INSTALL) -m 644 build/fwc.pc $(DESTDIR)$(PKGCONFIGDIR)/
	$(if $(filter posix,$(FWC_PORT)),$(INSTALL) -m 755 build/fwc $(DESTDIR)$(BINDIR)/)
	$(if $(wildcard examples/cli/fwc.1),$(INSTALL) -d $(DESTDIR)$(MANDIR)/man1 && \
	  $(INSTALL) -m 644 examples/cli/fwc.1 $(DESTDIR)$(MANDIR)/man1/)

uninstall:
	rm -rf $(DESTDIR)$(INCLUDEDIR)/fwc
	rm -f $(DESTDIR)$(LIBDIR)/libfwc.a $(DESTDIR)$(LIBDIR)/libfwc.so* \
	  $(DESTDIR)$(PKGCONFIGDIR)/fwc.pc $(DESTDIR)$(BINDIR)/fwc $(DESTDIR)$(MANDIR)/man1/fwc.1

# The demo: the fwc tool's main jobs (token, API call, upload) against the
# bundled emulator over HTTPS with a fresh throwaway CA.
demo: build/fwc | build/.deps-test
	@tests/server/with_emulator.sh -- examples/cli/demo.sh

# ---- Tests ---------------------------------------------------------------

# Unit tests run on the fake port (clock, entropy, log, secrets) and
# scripted transports: no sockets. The TLS code is linked but never connects.
ASAN_SRC_OBJS := $(filter-out %/secret_build.o,$(patsubst %.c,build/asan/%.o,$(LIB_SRCS)))
ASAN_SUPPORT_OBJS := $(patsubst %.c,build/asan/%.o,$(TEST_SUPPORT))

build/asan/tests/unit/%: build/asan/tests/unit/%.o $(ASAN_SRC_OBJS) $(ASAN_SUPPORT_OBJS)
	clang $(SAN) -o $@ $^ -lcmocka $(MBEDTLS_228)

# Integration programs link the library as an archive (so a program that
# never asks for a token needs no secret hook), once per mbedTLS line: the
# archive without the TLS object, and that object built for each line.
build/asan/libfwc-notls.a: $(filter-out %/tls_mbedtls.o,$(asan_LIB_OBJS))
	@rm -f $@
	ar rcs $@ $^
build/asan/tests/integration/%: build/asan/tests/integration/%.o build/asan/src/tls_mbedtls.o \
		build/asan/libfwc-notls.a
	clang $(SAN) -o $@ $^ $(MBEDTLS_228) -lcmocka
build/asan36/tests/integration/%: build/asan/tests/integration/%.o build/asan36/src/tls_mbedtls.o \
		build/asan/libfwc-notls.a
	@mkdir -p $(@D)
	clang $(SAN) -o $@ $^ $(MBEDTLS_36) -lcmocka
PROBES := build/asan/tests/integration/tls_probe build/asan36/tests/integration/tls_probe
TOKEN_PROBES := build/asan/tests/integration/token_probe build/asan36/tests/integration/token_probe
UPLOAD_PROBES := build/asan/tests/integration/upload_probe build/asan36/tests/integration/upload_probe

build/allowhttp/tests/unit/test_url: build/allowhttp/tests/unit/test_url.o build/allowhttp/src/url.o
	clang $(SAN) -o $@ $^ -lcmocka


UNIT_BINS := $(addprefix build/asan/tests/unit/,$(UNIT_TESTS))

# What `make test` builds (TEST_DEPS) and runs (TEST_RUNS, one quoted
# command each, in order): the checks above register here, and each
# tests/*/*.mk brings its own targets (make heap, make fuzz, ...) and
# registers its tests the same way, so a new kind of test touches only its
# own folder. `make test` itself lists nothing.
TEST_DEPS := all $(clang_LIB_OBJS) build/gcc36/src/tls_mbedtls.o $(OPTION_OBJS)
TEST_RUNS :=
# The shipped library allocates nothing; the configuration's and the
# build-provisioned secret's checks; the examples and the demo against the
# emulator.
TEST_RUNS += "tests/check_license.sh" \
	"tests/check_no_heap.sh $(gcc_LIB_OBJS)" \
	"tests/check_config.sh" \
	"tests/check_build_secret.sh" \
	"tests/server/with_emulator.sh -- build/examples/token" \
	"tests/server/with_emulator.sh -- examples/cli/demo.sh" \
	"tests/server/with_emulator.sh -- build/examples/upload build/libfwc.a /fotoweb/archives/5000-Uploads/"
# Unit tests (asan), with the build options that change code paths.
TEST_DEPS += $(UNIT_BINS) build/allowhttp/tests/unit/test_url build/verbose/tests/unit/test_oauth \
	build/spread/tests/unit/test_oauth
TEST_RUNS += $(UNIT_BINS) build/allowhttp/tests/unit/test_url build/verbose/tests/unit/test_oauth \
	build/spread/tests/unit/test_oauth
# The POSIX port, TLS, the token and upload flows and the tool, for real.
TEST_DEPS += build/asan/tests/integration/test_port_posix $(PROBES) $(TOKEN_PROBES) $(UPLOAD_PROBES)
TEST_RUNS += build/asan/tests/integration/test_port_posix \
	"tests/integration/test_tls.py $(PROBES)" \
	"tests/integration/test_token.py $(TOKEN_PROBES)" \
	"tests/integration/test_upload.py $(UPLOAD_PROBES)" \
	"tests/integration/test_cli.py build/fwc"
include $(sort $(wildcard tests/*/*.mk))

# Everything make test runs, built; `make test-build` stops there (a quick
# check that a change compiles everywhere: variants, probes, cross builds).
test-build: $(TEST_DEPS) | build/.deps-test

test: $(TEST_DEPS) | build/.deps-test
	@tests/run.sh $(TEST_RUNS)

clean:
	rm -rf build

FORCE:
.PHONY: all static shared install uninstall deps test test-build demo clean menuconfig defconfig FORCE
# Keep intermediate objects: they are what the heap check and later builds reuse.
.SECONDARY:
