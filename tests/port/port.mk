# SPDX-License-Identifier: MIT
# The port conformance suite (tests/port/conformance.c): port.h's promises
# checked through a port's functions alone, against a peer (peer.h) played
# by the host kernel's sockets. Here for port/posix on loopback, with
# AddressSanitizer and UndefinedBehaviorSanitizer; tests/lwip/lwip.mk runs
# the same suite for port/lwip. tests/integration/test_port_posix.c keeps
# what only the POSIX port promises (names, IPv6).
PORT_CONF_OBJS = $(addprefix build/$(1)/tests/port/,conformance.o peer_kernel.o)
build/asan/tests/port/conformance_posix: $(call PORT_CONF_OBJS,asan) \
		build/asan/tests/port/setup_posix.o build/asan/libfwc-notls.a
	clang $(SAN) -o $@ $^ -lcmocka

TEST_DEPS += build/asan/tests/port/conformance_posix
TEST_RUNS += build/asan/tests/port/conformance_posix
