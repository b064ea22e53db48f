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
$(NH)/lwip/%.o: tests/target/host/lwipopts.h | $(LWIP_STAMP) build/.deps-test
	@mkdir -p $(@D)
	clang -O1 -g $(SAN) -w -Itests/target/host -I$(LWIP_SRC)/src/include -c $(LWIP_SRC)/src/$*.c -o $@
$(NH)/%.o: %.c $(CONFIG_H) | $(LWIP_STAMP) build/.deps-lwip
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g $(SAN) $(NH_FLAGS) $(CPPFLAGS) -MMD -MP -c $< -o $@
-include $(shell find $(NH) -name '*.d' -type f 2>/dev/null)

NH_PORT_OBJS := $(NH)/tests/port/peer_kernel.o $(NH)/tests/target/host/host_board.o \
	$(patsubst %.c,$(NH)/%.o,$(NOSYS_PORT_SRCS)) $(patsubst %.c,$(NH)/lwip/%.o,$(LWIP_CORE))
$(NH)/conformance_nosys: $(NH)/tests/port/conformance.o $(NH_PORT_OBJS)
	clang $(SAN) -o $@ $^ -lcmocka
# Connecting by name through lwIP's DNS client, against the namespace's
# name server (tests/port/dns_peer.py, netns.sh --dns).
$(NH)/conformance_dns_nosys: $(NH)/tests/port/conformance_dns.o $(NH_PORT_OBJS)
	clang $(SAN) -o $@ $^ -lcmocka

# The target's gmtime (port/mbedtls, FWC_MBEDTLS_ARENA) against the host's.
NH_GMTIME := -Iport/mbedtls '-DMBEDTLS_CONFIG_FILE=<fwc_mbedtls_config.h>' -DFWC_MBEDTLS_ARENA=1
$(NH)/test_gmtime: tests/target/host/test_gmtime.c port/mbedtls/fwc_mbedtls_gmtime.c 		port/mbedtls/fwc_mbedtls_config.h | build/.deps-test
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g $(SAN) $(NH_GMTIME) -o $@ $(filter %.c,$^)

# The same port compiled by gcc too, warning-free under both.
$(NH)-gcc/%.o: %.c $(CONFIG_H) | $(LWIP_STAMP) build/.deps-lwip
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -Os $(NH_FLAGS) $(CPPFLAGS) -c $< -o $@

conformance-nosys: $(NH)/conformance_nosys $(NH)/conformance_dns_nosys \
		$(patsubst %.c,$(NH)-gcc/%.o,$(NOSYS_PORT_SRCS))
	tests/lwip/netns.sh -- $(NH)/conformance_nosys
	tests/lwip/netns.sh --dns -- $(NH)/conformance_dns_nosys

# tests/lint/lint.sh reads lwIP's headers from the fetched source too.
TEST_DEPS += $(LWIP_STAMP) $(NH)/conformance_nosys $(NH)/conformance_dns_nosys \
	$(patsubst %.c,$(NH)-gcc/%.o,$(NOSYS_PORT_SRCS))
TEST_RUNS += "tests/lwip/netns.sh -- $(NH)/conformance_nosys" \
	"tests/lwip/netns.sh --dns -- $(NH)/conformance_dns_nosys" $(NH)/test_gmtime
TEST_DEPS += $(NH)/test_gmtime

.PHONY: conformance-nosys

# ---- The firmware ------------------------------------------------------

TGT := build/target
TGT_CC := arm-none-eabi-gcc
TGT_PKGS := qemu-system-arm dnsmasq-base openssl
build/.deps-target: | build/.deps-cross build/.deps-lwip
	$(call deps_check,$@,$(TGT_PKGS))

TGT_ARCH := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
TGT_OPT := -Os -g -ffunction-sections -fdata-sections
TGT_MBEDTLS := $(TGT)/mbedtls
# mbedTLS with port/mbedtls's configuration and its heap in a static arena
# (FWC_MBEDTLS_ARENA); fwc asking for MFL 2048 and TLS 1.2, as make cross.
TGT_TLS := -Iport/mbedtls -DMBEDTLS_CONFIG_FILE='<fwc_mbedtls_config.h>' -DFWC_MBEDTLS_ARENA=1 \
	-isystem $(TGT_MBEDTLS)/src/include -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=2 -DCONFIG_FWC_TLS13=0
TGT_INC := -Itests/target/board -isystem $(LWIP_SRC)/src/include -Iport/lwip_nosys -Iport/lwip \
	-Iexamples/rtos_task -isystem build/cross/include

$(TGT_MBEDTLS)/lib/libmbedcrypto.a: tests/cross/build_mbedtls_port.sh \
		port/mbedtls/fwc_mbedtls_config.h | build/.deps-cross
	tests/cross/build_mbedtls_port.sh $(TGT_MBEDTLS) $(TGT_CC) \
	  "$(TGT_ARCH) $(TGT_OPT) -DFWC_MBEDTLS_ARENA=1"

# fwc, its port, the board, the firmware and the shared capture code: fwc's
# warnings. lwIP: its own code, its own (default) warnings.
$(TGT)/obj/%.o: %.c $(CONFIG_H) $(TGT_MBEDTLS)/lib/libmbedcrypto.a build/cross/include/jsmn.h \
		| $(LWIP_STAMP) build/.deps-cross
	@mkdir -p $(@D)
	$(TGT_CC) $(CSTD) $(WARN) $(TGT_ARCH) $(TGT_OPT) -fstack-usage $(CPPFLAGS) $(TGT_TLS) \
	  $(TGT_INC) -MMD -MP -c $< -o $@
$(TGT)/lwip/%.o: tests/target/board/lwipopts.h tests/target/board/arch/cc.h | $(LWIP_STAMP) build/.deps-cross
	@mkdir -p $(@D)
	$(TGT_CC) $(TGT_ARCH) $(TGT_OPT) -Itests/target/board -I$(LWIP_SRC)/src/include \
	  -c $(LWIP_SRC)/src/$*.c -o $@
-include $(shell find $(TGT)/obj -name '*.d' -type f 2>/dev/null)

TGT_FWC_OBJS := $(patsubst %.c,$(TGT)/obj/%.o,$(filter-out src/secret/%,$(LIB_SRCS)))
TGT_PORT_OBJS := $(patsubst %.c,$(TGT)/obj/%.o,$(NOSYS_PORT_SRCS) port/mbedtls/fwc_mbedtls_gmtime.c)
TGT_APP_OBJS := $(patsubst %.c,$(TGT)/obj/%.o,tests/target/firmware.c \
	examples/rtos_task/capture.c $(wildcard tests/target/board/*.c))
# Archives by owner: the linker script gathers each one's code (fwc's share
# of the flash is what libfwc.a brings).
$(TGT)/libfwc.a: $(TGT_FWC_OBJS)
	@rm -f $@
	arm-none-eabi-ar rcs $@ $^
$(TGT)/libfwcport.a: $(TGT_PORT_OBJS)
	@rm -f $@
	arm-none-eabi-ar rcs $@ $^
$(TGT)/liblwip.a: $(patsubst %.c,$(TGT)/lwip/%.o,$(LWIP_CORE))
	@rm -f $@
	arm-none-eabi-ar rcs $@ $^

# newlib-nano for memcpy and friends; no crt0 (the board's startup.c), no
# system call stubs: anything that would need one fails the link.
$(TGT)/fwc.elf: $(TGT_APP_OBJS) $(TGT)/libfwc.a $(TGT)/libfwcport.a $(TGT)/liblwip.a \
		tests/target/board/mps2_an386.ld
	$(TGT_CC) $(TGT_ARCH) --specs=nano.specs -nostartfiles -T tests/target/board/mps2_an386.ld \
	  -Wl,--gc-sections -Wl,-Map=$(@:.elf=.map) -o $@ $(TGT_APP_OBJS) -Wl,--start-group \
	  $(TGT)/libfwc.a $(TGT)/libfwcport.a $(TGT)/liblwip.a \
	  $(TGT_MBEDTLS)/lib/libmbedtls.a $(TGT_MBEDTLS)/lib/libmbedx509.a \
	  $(TGT_MBEDTLS)/lib/libmbedcrypto.a -lc -lgcc -Wl,--end-group

target: $(TGT)/fwc.elf build/examples/token | build/.deps-target
	tests/target/run.sh $(TGT)/fwc.elf build/examples/token

TEST_DEPS += $(TGT)/fwc.elf build/examples/token build/.deps-target
TEST_RUNS += "tests/target/run.sh $(TGT)/fwc.elf build/examples/token"

.PHONY: target
