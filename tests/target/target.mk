# SPDX-License-Identifier: MIT
# fwc on a Cortex-M4 with bare-metal lwIP (NO_SYS 1), run in QEMU, and the
# port it runs on (port/lwip_nosys):
#
#   conformance_nosys   tests/port/conformance.c over port/lwip_nosys, with
#                       lwIP (built from Debian's source, NO_SYS 1) driving
#                       the TAP device of tests/lwip/netns.sh's namespace
#                       from one thread, as a bare-metal board does
#   make target         the firmware for QEMU's mps2-an386 (Cortex-M4,
#                       LAN9118): a token over TLS 1.2, an API request and
#                       a 1 MiB upload against the FotoWeb emulator, then
#                       its stack, heap, RAM, flash and instruction counts
#                       (tests/target/run.sh; docs/PERFORMANCE.md)
#
# lwIP's source: `apt-get source lwip` (Debian 12, lwIP 2.1.3) through a
# private apt configuration (tests/target/lwip_source.sh). lwIP itself is
# third-party code, compiled with its own flags; fwc, the port, the board
# and the tests with fwc's warnings.

LWIP_SRC := build/lwip-src/src
LWIP_STAMP := $(LWIP_SRC)/.unpacked
$(LWIP_STAMP): | build/.deps-cross
	tests/target/lwip_source.sh $(LWIP_SRC)

# The lwIP core a NO_SYS TCP/IPv4 client needs: no sockets, no netconn.
LWIP_CORE := core/init.c core/def.c core/dns.c core/inet_chksum.c core/ip.c core/mem.c \
	core/memp.c core/netif.c core/pbuf.c core/raw.c core/stats.c core/sys.c core/tcp.c \
	core/tcp_in.c core/tcp_out.c core/timeouts.c core/udp.c core/ipv4/dhcp.c \
	core/ipv4/etharp.c core/ipv4/icmp.c core/ipv4/ip4.c core/ipv4/ip4_addr.c \
	core/ipv4/ip4_frag.c netif/ethernet.c
NOSYS_PORT_SRCS := port/lwip_nosys/net.c port/lwip_nosys/sys.c port/lwip/board.c

# ---- The conformance suite on the host ---------------------------------

NH := build/nosys-host
NH_FLAGS := -Itests/target/host -isystem $(LWIP_SRC)/src/include -Iport/lwip_nosys -Iport/lwip \
	-Itests/port
$(NH)/lwip/%.o: | $(LWIP_STAMP) build/.deps-test
	@mkdir -p $(@D)
	clang -O1 -g $(SAN) -w -Itests/target/host -I$(LWIP_SRC)/src/include -c $(LWIP_SRC)/src/$*.c -o $@
$(NH)/%.o: %.c $(CONFIG_H) | $(LWIP_STAMP) build/.deps-lwip
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g $(SAN) $(NH_FLAGS) $(CPPFLAGS) -MMD -MP -c $< -o $@
-include $(shell find $(NH) -name '*.d' -type f 2>/dev/null)

$(NH)/conformance_nosys: $(addprefix $(NH)/tests/port/,conformance.o peer_kernel.o) \
		$(NH)/tests/target/host/host_board.o $(patsubst %.c,$(NH)/%.o,$(NOSYS_PORT_SRCS)) \
		$(patsubst %.c,$(NH)/lwip/%.o,$(LWIP_CORE))
	clang $(SAN) -o $@ $^ -lcmocka

# The same port compiled by gcc too, warning-free under both.
$(NH)-gcc/%.o: %.c $(CONFIG_H) | $(LWIP_STAMP) build/.deps-lwip
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -Os $(NH_FLAGS) $(CPPFLAGS) -c $< -o $@

conformance-nosys: $(NH)/conformance_nosys $(patsubst %.c,$(NH)-gcc/%.o,$(NOSYS_PORT_SRCS))
	tests/lwip/netns.sh -- $(NH)/conformance_nosys

TEST_DEPS += $(NH)/conformance_nosys $(patsubst %.c,$(NH)-gcc/%.o,$(NOSYS_PORT_SRCS))
TEST_RUNS += "tests/lwip/netns.sh -- $(NH)/conformance_nosys"

.PHONY: conformance-nosys
