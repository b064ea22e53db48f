# SPDX-License-Identifier: MIT
# tls_probe for tests/integration/test_tls.py, included from the top-level
# Makefile. The time-floor cases set the clock the probe sees
# (FWC_PROBE_WALL_TIME): the probe is linked with -Wl,--wrap=time, so fwc's
# port and mbedTLS's own validity checks read the same faked clock, as on a
# device. --wrap reaches only what is linked statically, so mbedTLS 2.28
# comes from Debian's archives here, not its shared libraries.

MBEDTLS_228_STATIC := $(addprefix /usr/lib/$(TRIPLET)/,libmbedtls.a libmbedx509.a libmbedcrypto.a)
TLS_PROBE_OBJS = build/asan/tests/integration/tls_probe.o $(1)/src/tls_mbedtls.o build/asan/libfwc-notls.a

build/asan/tests/integration/tls_probe: $(call TLS_PROBE_OBJS,build/asan)
	clang $(SAN) -Wl,--wrap=time -o $@ $^ $(MBEDTLS_228_STATIC)
build/asan36/tests/integration/tls_probe: $(call TLS_PROBE_OBJS,build/asan36)
	@mkdir -p $(@D)
	clang $(SAN) -Wl,--wrap=time -o $@ $^ $(MBEDTLS_36)
# The same probe under valgrind (tests/valgrind/valgrind.mk runs test_tls.py
# with it).
build/vg/tests/integration/tls_probe.bin: build/vg/tests/integration/tls_probe.o build/vg/libfwc.a
	gcc -Wl,--wrap=time -o $@ $^ $(MBEDTLS_228_STATIC)

# An mbedTLS without MBEDTLS_HAVE_TIME_DATE stops the build unless the
# configuration says so (Kconfig FWC_TLS_MBEDTLS_WITHOUT_DATES), both lines.
TEST_DEPS += $(M36)/.stamp
TEST_RUNS += "tests/integration/check_no_dates.sh system $(M36)/root/usr/include"
