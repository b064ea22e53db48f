# SPDX-License-Identifier: MIT
# `make bench`: host speed, fwc against curl (docs/PERFORMANCE.md, "Host
# speed"). A benchmark, not a test: `make test` neither builds nor runs it.
# Included from the top-level Makefile with every tests/*/*.mk.
#
# One emulator over HTTPS on loopback for the whole run, started by
# tests/server/with_emulator.sh with its control endpoint and a fresh
# throwaway CA (build/bench/pki, remade each run), then tests/bench/bench.py:
# token fetch (fwc token vs curl), a token + 10 API calls over one
# connection (bench_probe vs one curl process), a 256 MiB upload (fwc upload
# vs curl posting the same chunks, and the same with the device's 2 KiB
# I/O buffer; client CPU per MiB against mbedTLS's AES-GCM alone). Table on
# stdout, Markdown in build/bench/results.md and in docs/PERFORMANCE.md
# ("Host speed", "Measured", replaced on each run). BENCH_ARGS passes options to bench.py
# (e.g. BENCH_ARGS="--upload-mib 64 --token-runs 10").

BENCH := build/bench
BENCH_PKGS := curl valgrind
BENCH_ARGS ?=

build/.deps-bench: | build/.deps-test
	$(call deps_check,$@,$(BENCH_PKGS))

# Built like build/fwc: -O2 against build/libfwc.a (-Os), Debian's mbedTLS.
$(BENCH)/bench_probe: tests/bench/bench_probe.c examples/token/secret_file.c build/libfwc.a
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -O2 $(CPPFLAGS) $< examples/token/secret_file.c build/libfwc.a \
	  $(MBEDTLS_228) -o $@

# The same tool built as a device builds the library: the default 2 KiB
# I/O buffer (Kconfig FWC_IO_BUFFER_SIZE), so 2 KiB TLS records, where
# build/fwc has Linux's 16 KiB (Makefile, CLI_LINUX). Same log level and
# optimisation as build/fwc, so the buffer is the one difference.
BENCH_DEV := -Os -g -ffunction-sections -fdata-sections -DCONFIG_FWC_LOG_LEVEL=4
$(eval $(call variant,benchdev,gcc,$(BENCH_DEV),build/.deps-build))
-include $(shell find build/benchdev -name '*.d' -type f 2>/dev/null)
build/benchdev/libfwc.a: $(benchdev_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(BENCH)/fwc-dev2k: examples/cli/main.c build/benchdev/libfwc.a
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) $(BENCH_DEV) $(CPPFLAGS) -Iport/posix $< build/benchdev/libfwc.a \
	  $(MBEDTLS_228) -o $@

# The same tool on Debian 13's mbedTLS 3.6 (linked statically from the
# private unpack in build/mbedtls-3.6), built as build/fwc is (CLI_FLAGS:
# Linux-sized, 16 KiB records): it offers TLS 1.3, as curl does, so the
# token fetch is also compared handshake for handshake.
$(eval $(call variant,cli36,gcc,-Os -g -isystem $(M36)/root/usr/include $(CLI_FLAGS),$(M36)/.stamp))
-include $(shell find build/cli36 -name '*.d' -type f 2>/dev/null)
build/cli36/libfwc.a: $(cli36_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
$(BENCH)/fwc-m36: examples/cli/main.c build/cli36/libfwc.a
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -Os -g $(CLI_FLAGS) -isystem $(M36)/root/usr/include $(CPPFLAGS) \
	  -Iport/posix $< build/cli36/libfwc.a $(MBEDTLS_36) -o $@

# mbedTLS's AES-256-GCM alone on one core: the ceiling under fwc's upload,
# for each mbedTLS line the tool is built on.
$(BENCH)/bench_gcm: tests/bench/bench_gcm.c | build/.deps-build
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -O2 $< -lmbedcrypto -o $@
$(BENCH)/bench_gcm36: tests/bench/bench_gcm.c | $(M36)/.stamp
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -O2 -isystem $(M36)/root/usr/include $< $(M36_LIB)/libmbedcrypto.a \
	  -lpthread -o $@

# The launcher that times each client and reads its own rusage.
$(BENCH)/bench_run: tests/bench/bench_run.c
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -O2 $< -o $@

# --tcp-nodelay: see the emulator's docstring; without it most answers
# wait ~40 ms for a delayed ACK, for both clients, and that is all a
# token fetch would measure.
BENCH_BINS := build/fwc $(BENCH)/bench_probe $(BENCH)/bench_run $(BENCH)/fwc-dev2k \
	$(BENCH)/fwc-m36 $(BENCH)/bench_gcm $(BENCH)/bench_gcm36
bench: $(BENCH_BINS) | build/.deps-bench
	@rm -rf $(BENCH)/pki
	@FWC_PKI_DIR=$(CURDIR)/$(BENCH)/pki tests/server/with_emulator.sh --control --tcp-nodelay -- \
	  $(PYTHON) tests/bench/bench.py --fwc build/fwc --probe $(BENCH)/bench_probe \
	  --launcher $(BENCH)/bench_run --fwc-dev2k $(BENCH)/fwc-dev2k --fwc-m36 $(BENCH)/fwc-m36 --gcm $(BENCH)/bench_gcm --gcm36 $(BENCH)/bench_gcm36 \
	  --out $(BENCH) --doc docs/PERFORMANCE.md $(BENCH_ARGS)

.PHONY: bench
