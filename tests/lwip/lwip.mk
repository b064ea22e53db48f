# SPDX-License-Identifier: MIT
# port/lwip (fwc over lwIP's sockets and sys layer), tested on lwIP's real
# stack: Debian's liblwip (lwIP 2.1.3 with its unix port: the tapif netif
# and the pthread sys_arch) in a private network namespace with a TAP
# device (tests/lwip/netns.sh; needs root, /dev/net/tun and iproute2).
#   conformance_lwip   tests/port/conformance.c over port/lwip
# The library, port/lwip and the tests are built with clang, ASan and
# UBSan, and with the lock hooks on (CONFIG_FWC_LOCKS); port/lwip is also
# compiled by gcc, to stay warning-free under both.
LWIP_PKGS := liblwip-dev iproute2 pkgconf
build/.deps-lwip: | build/.deps-test
	$(call deps_check,$@,$(LWIP_PKGS))

# lwIP's headers are its own business: -isystem keeps our warnings ours.
LWIP_INCDIR := $(or $(patsubst -I%,%,$(filter -I%,$(shell pkg-config --cflags-only-I lwip 2>/dev/null))),/usr/include/lwip)
LWIP_LIBS := $(or $(shell pkg-config --libs lwip 2>/dev/null),-llwip) -lpthread
LWIP_FLAGS := -isystem $(LWIP_INCDIR) -DCONFIG_FWC_LOCKS=1 -Iport/lwip -Itests/port -Itests/lwip -Itests/threads
$(eval $(call variant,lwip,clang,-O1 -g $(SAN) $(LWIP_FLAGS),build/.deps-lwip))
$(eval $(call variant,lwipgcc,gcc,-Os -g $(LWIP_FLAGS),build/.deps-lwip))
-include $(shell find build/lwip build/lwipgcc -name '*.d' -type f 2>/dev/null)

LWIP_PORT_SRCS := $(wildcard port/lwip/*.c)
LWIP_LIB_OBJS := $(patsubst %.c,build/lwip/%.o,$(filter-out src/secret/%,$(LIB_SRCS)) $(LWIP_PORT_SRCS))
build/lwip/libfwc-lwip.a: $(LWIP_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
LWIP_HOST_OBJS := build/lwip/tests/lwip/lwip_host.o

build/lwip/tests/port/conformance_lwip: $(addprefix build/lwip/tests/port/,conformance.o peer_kernel.o) \
		build/lwip/tests/lwip/setup_lwip.o $(LWIP_HOST_OBJS) build/lwip/libfwc-lwip.a
	clang $(SAN) -o $@ $^ -lcmocka $(LWIP_LIBS)

LWIP_TESTS := build/lwip/tests/port/conformance_lwip
TEST_RUNS += "tests/lwip/netns.sh -- build/lwip/tests/port/conformance_lwip"

# fwc end to end over lwIP: token, API request, upload with its SHA-256
# checked; and several tasks (lwIP's sys_thread_new) sharing one client
# while the token renews (tests/threads/shared_client.c).
LWIP_PROG_OBJS := $(LWIP_HOST_OBJS) build/lwip/tests/threads/emu_util.o \
	build/lwip/examples/token/secret_file.o build/lwip/libfwc-lwip.a
build/lwip/tests/lwip/lwip_e2e: build/lwip/tests/lwip/lwip_e2e.o $(LWIP_PROG_OBJS)
	clang $(SAN) -o $@ $^ $(MBEDTLS_228) $(LWIP_LIBS)
build/lwip/tests/threads/shared_client_lwip.o: tests/threads/shared_client.c $(CONFIG_H) | build/.deps-lwip
	@mkdir -p $(@D)
	clang $(CSTD) $(WARN) -O1 -g $(SAN) $(LWIP_FLAGS) -Itests/threads -DSHARED_CLIENT_LWIP $(CPPFLAGS) -MMD -MP -c $< -o $@
build/lwip/tests/threads/shared_client_lwip: build/lwip/tests/threads/shared_client_lwip.o $(LWIP_PROG_OBJS)
	clang $(SAN) -o $@ $^ $(MBEDTLS_228) $(LWIP_LIBS)

LWIP_TESTS += build/lwip/tests/lwip/lwip_e2e build/lwip/tests/threads/shared_client_lwip
# --tcp-nodelay: lwIP delays its ACKs up to 250 ms, and the emulator's
# Nagle then holds each answer's body that long (~150 ms a request, 42
# requests in the shared-client run instead of ~27,000).
TEST_RUNS += "tests/lwip/netns.sh --emulator --tcp-nodelay -- build/lwip/tests/lwip/lwip_e2e" \
	"tests/lwip/netns.sh --emulator --tcp-nodelay -- build/lwip/tests/threads/shared_client_lwip"
TEST_DEPS += $(LWIP_TESTS) $(patsubst %.c,build/lwipgcc/%.o,$(LWIP_PORT_SRCS))
