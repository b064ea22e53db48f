# SPDX-License-Identifier: MIT
# The hostile-server catalogue (tests/integration/test_hostile.py,
# docs/HOSTILE.md), included from the top-level Makefile.
#
# Most cases run against the asan probes of both mbedTLS lines. The cases
# that wait out a timeout (slowloris, a stall mid-body, a handshake never
# answered, an upload status that never ends) would cost the default 10 s,
# 30 s and 120 s each; they run against the same probes built with short
# timeouts, in build/hostile (asan, mbedTLS 2.28). The test is told the
# values, and checks each such case waited its timeout out and did not hang.

# connect, io, exchange, upload status (ms): the order test_hostile.py reads.
HOSTILE_CONNECT_MS := 2000
HOSTILE_IO_MS := 2000
HOSTILE_EXCHANGE_MS := 5000
HOSTILE_UPLOAD_STATUS_MS := 5000
HOSTILE_TIMEOUTS := $(HOSTILE_CONNECT_MS),$(HOSTILE_IO_MS),$(HOSTILE_EXCHANGE_MS),$(HOSTILE_UPLOAD_STATUS_MS)
HOSTILE_DEFS := -DCONFIG_FWC_CONNECT_TIMEOUT_MS=$(HOSTILE_CONNECT_MS) \
	-DCONFIG_FWC_IO_TIMEOUT_MS=$(HOSTILE_IO_MS) \
	-DCONFIG_FWC_EXCHANGE_TIMEOUT_MS=$(HOSTILE_EXCHANGE_MS) \
	-DCONFIG_FWC_UPLOAD_STATUS_TIMEOUT_MS=$(HOSTILE_UPLOAD_STATUS_MS)

$(eval $(call variant,hostile,clang,-O1 -g $(SAN) $(HOSTILE_DEFS),build/.deps-test))
-include $(shell find build/hostile -name '*.d' -type f 2>/dev/null)

build/hostile/libfwc.a: $(hostile_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
HOSTILE_PROBES := $(addprefix build/hostile/tests/integration/,token_probe upload_probe tls_probe)
build/hostile/tests/integration/%_probe: build/hostile/tests/integration/%_probe.o \
		build/hostile/libfwc.a
	clang $(SAN) -o $@ $^ $(MBEDTLS_228)

TEST_DEPS += $(HOSTILE_PROBES) $(TOKEN_PROBES) $(UPLOAD_PROBES) $(PROBES)
TEST_RUNS += "tests/integration/test_hostile.py --short build/hostile/tests/integration \
	--timeouts $(HOSTILE_TIMEOUTS) $(TOKEN_PROBES) $(UPLOAD_PROBES) $(PROBES)"
