# fwc build. `make` builds build/libfwc.a; `make test` builds and runs every
# test and ends with one line "N passed, N failed".
#
# Variants, each in its own folder under build/:
#   gcc    the library as shipped (-Os), and what the heap check reads
#   clang  the same sources, to keep them warning-free under both compilers
#   asan   clang with AddressSanitizer + UndefinedBehaviorSanitizer: the
#          library and the unit tests that run against it

.DEFAULT_GOAL := all
SHELL := /bin/bash
# Debian's python3 has kconfiglib; a pyenv or venv python3 on PATH may not.
PYTHON ?= /usr/bin/python3

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
CSTD := -std=c99
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

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
CPPFLAGS := -Iinclude -Isrc $(CONFIG_FLAGS) $(if $(FWC_BUILD_EPOCH),-DFWC_BUILD_EPOCH=$(FWC_BUILD_EPOCH))

LIB_SRCS := $(wildcard src/*.c)

# Build-provisioned secrets (CONFIG_FWC_SECRET_BUILD): the secrets file,
# named in .config or given as FWC_SECRETS_FILE=..., becomes a masked
# header under build/gen, and src/secret/secret_build.c the secret hook.
SECRET_BUILD := $(shell grep -qs '^CONFIG_FWC_SECRET_BUILD=y' .config && echo y)
ifeq ($(SECRET_BUILD),y)
FWC_SECRETS_FILE ?= $(shell sed -n 's/^CONFIG_FWC_SECRETS_FILE="\(.*\)"$$/\1/p' .config)
LIB_SRCS += src/secret/secret_build.c
# The header must follow the file's path and contents, not only its date:
# an older file for another customer must still rebuild it. The stamp is
# rewritten only when path or hash change.
SECRETS_ID := $(FWC_SECRETS_FILE) $(shell sha256sum "$(FWC_SECRETS_FILE)" 2>/dev/null | cut -c1-64)
build/gen/secrets.id: FORCE
	@mkdir -p $(@D)
	@echo '$(SECRETS_ID)' | cmp -s - $@ || echo '$(SECRETS_ID)' > $@
build/gen/fwc_secrets.h: build/gen/secrets.id src/secret/gen_header.py | build/.deps-build
	$(PYTHON) src/secret/gen_header.py "$(FWC_SECRETS_FILE)" $@ $(CURDIR)
SECRETS_H := build/gen/fwc_secrets.h
endif
PORT_SRCS := $(wildcard port/posix/*.c)
TEST_SUPPORT := tests/unit/fake_port.c tests/unit/script_transport.c
UNIT_TESTS := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))

# ---- Dependencies: Debian packages, installed when missing and root ------

BUILD_PKGS := gcc make libc6-dev binutils libmbedtls-dev libjsmn-dev
TEST_PKGS := clang libclang-rt-dev libcmocka-dev python3 python3-kconfiglib openssl \
	tinyproxy
CONFIG_PKGS := python3 python3-kconfiglib

# deps_check(stamp, packages): FWC_SKIP_DEPS=1 skips it on non-Debian hosts.
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
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	        apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
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

# ---- Configuration -------------------------------------------------------

# "# CONFIG_X is not set" becomes 0, not "undefined", so a default of y in
# config.h cannot switch back on what menuconfig switched off.
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
$(eval $(call variant,gcc,gcc,-Os -g -ffunction-sections -fdata-sections,build/.deps-build))
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
OPTION_OBJS := build/allowhttp/src/tcp_plain.o build/mfl/src/tls_mbedtls.o \
	build/mfl36/src/tls_mbedtls.o build/gcc/port/template/port_template.o

-include $(shell find build/gcc build/clang build/asan build/gcc36 build/asan36 build/allowhttp \
	build/mfl build/mfl36 build/verbose -name '*.d' -type f 2>/dev/null)

build/libfwc.a: $(gcc_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

all: build/libfwc.a build/examples/token build/examples/upload build/fwc

# The command-line tool (examples/cli) on the POSIX port.
build/fwc: examples/cli/main.c build/libfwc.a
	gcc $(CSTD) $(WARN) -O2 $(CPPFLAGS) $< build/libfwc.a $(MBEDTLS_228) -o $@

# The examples share examples/token/secret_file.c, the secret hook.
build/examples/%: examples/%/main.c examples/token/secret_file.c build/libfwc.a
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -O2 $(CPPFLAGS) $< examples/token/secret_file.c build/libfwc.a \
	  $(MBEDTLS_228) -o $@

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

# Each tests/*/*.mk brings its own targets (make heap, make fuzz, ...) and
# may add what `make test` builds (TEST_DEPS) and runs (TEST_RUNS, one
# quoted command each), so a new kind of test touches only its own folder.
TEST_DEPS :=
TEST_RUNS :=
include $(sort $(wildcard tests/*/*.mk))

# Everything make test runs, built; `make test-build` stops there (a quick
# check that a change compiles everywhere: variants, probes, cross builds).
TEST_BUILD := all $(TEST_DEPS) $(clang_LIB_OBJS) build/gcc36/src/tls_mbedtls.o $(OPTION_OBJS) \
	$(UNIT_BINS) $(PROBES) $(TOKEN_PROBES) $(UPLOAD_PROBES) build/verbose/tests/unit/test_oauth \
	build/allowhttp/tests/unit/test_url build/asan/tests/integration/test_port_posix
test-build: $(TEST_BUILD) | build/.deps-test

test: $(TEST_BUILD) | build/.deps-test
	@tests/run.sh \
	  "tests/check_no_heap.sh $(gcc_LIB_OBJS)" \
	  "tests/check_config.sh" \
	  "tests/check_build_secret.sh" \
	  "tests/server/with_emulator.sh -- build/examples/token" \
	  "tests/server/with_emulator.sh -- examples/cli/demo.sh" \
	  "tests/server/with_emulator.sh -- build/examples/upload build/libfwc.a /fotoweb/archives/5000-Uploads/" \
	  $(UNIT_BINS) \
	  build/allowhttp/tests/unit/test_url \
	  build/verbose/tests/unit/test_oauth \
	  build/asan/tests/integration/test_port_posix \
	  "tests/integration/test_tls.py $(PROBES)" \
	  "tests/integration/test_token.py $(TOKEN_PROBES)" \
	  "tests/integration/test_upload.py $(UPLOAD_PROBES)" \
	  "tests/integration/test_cli.py build/fwc" \
	  $(TEST_RUNS)

clean:
	rm -rf build

FORCE:
.PHONY: all test test-build demo clean menuconfig defconfig FORCE
# Keep intermediate objects: they are what the heap check and later builds reuse.
.SECONDARY:
