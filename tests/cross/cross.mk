# `make cross`: the capture task (examples/rtos_task) with fwc, its port and
# mbedTLS (port/mbedtls's config), compiled and linked for Cortex-M4 with
# arm-none-eabi-gcc and newlib, with the same warnings as the host build;
# and the same task over port/lwip against lwIP's headers (below).
# `make test` builds it and checks the result (tests/cross/check_elf.sh).
#
# Included from the top-level Makefile; uses CSTD, WARN, CPPFLAGS, LIB_SRCS.

CROSS_CC := arm-none-eabi-gcc
CROSS_PKGS := gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi dpkg-dev
CROSS_ARCH := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
CROSS_OPT := -Os -ffunction-sections -fdata-sections
CROSS_MBEDTLS := build/cross/mbedtls
# The device build: mbedTLS's constrained config, and fwc asking for a
# 2 KiB maximum fragment so the 4 KiB input record buffer suffices.
CROSS_DEFS := -Iport/mbedtls -DMBEDTLS_CONFIG_FILE='<fwc_mbedtls_config.h>' \
	-isystem $(CROSS_MBEDTLS)/src/include -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=2 \
	-DCONFIG_FWC_TLS13=0
# The port the cross build links: the annotated template until a device
# port exists for the target.
CROSS_PORT := port/template/port_template.c
CROSS_APP := examples/rtos_task/task.c examples/rtos_task/capture.c examples/rtos_task/board_stub.c
CROSS_OBJS := $(patsubst %.c,build/cross/%.o,$(filter-out src/secret/%,$(LIB_SRCS)) \
	$(CROSS_PORT) $(CROSS_APP))

build/.deps-cross:
	$(call deps_check,$@,$(CROSS_PKGS))

$(CROSS_MBEDTLS)/lib/libmbedcrypto.a: tests/cross/build_mbedtls_port.sh \
		port/mbedtls/fwc_mbedtls_config.h | build/.deps-cross
	tests/cross/build_mbedtls_port.sh $(CROSS_MBEDTLS) $(CROSS_CC) "$(CROSS_ARCH) $(CROSS_OPT)"

# jsmn is header-only; the cross compiler must not see the rest of the
# host's /usr/include, so it gets a folder holding jsmn.h alone.
build/cross/include/jsmn.h: | build/.deps-build
	@mkdir -p $(@D)
	cp /usr/include/jsmn.h $@

build/cross/%.o: %.c $(CONFIG_H) $(CROSS_MBEDTLS)/lib/libmbedcrypto.a build/cross/include/jsmn.h \
		| build/.deps-cross
	@mkdir -p $(@D)
	$(CROSS_CC) $(CSTD) $(WARN) $(CROSS_ARCH) $(CROSS_OPT) -fstack-usage $(CPPFLAGS) \
	  $(CROSS_DEFS) -isystem build/cross/include -Iexamples/rtos_task -MMD -MP -c $< -o $@

build/cross/rtos_task.elf: $(CROSS_OBJS)
	$(CROSS_CC) $(CROSS_ARCH) --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections \
	  -Wl,-Map=$(@:.elf=.map) -o $@ $^ \
	  -L$(CROSS_MBEDTLS)/lib -lmbedtls -lmbedx509 -lmbedcrypto

cross: build/cross/rtos_task.elf
	@arm-none-eabi-size $<

-include $(shell find build/cross/src build/cross/port build/cross/examples -name '*.d' -type f 2>/dev/null)

# The same task over port/lwip: fwc, port/lwip, the task and its lwIP board
# file compiled against Debian's lwIP headers with the target's own
# lwipopts.h and arch/ (examples/rtos_task/lwip), locks on, then linked into
# one relocatable object. lwIP itself is the board's build, so it is not
# linked here; check_lwip_link.sh checks that all that object still needs is
# lwIP's API, the board's HAL, mbedTLS and the C library.
CROSS_LWIP_FLAGS := -Iport/lwip -Iexamples/rtos_task/lwip -isystem /usr/include/lwip \
	-DCONFIG_FWC_LOCKS=1
CROSS_LWIP_OBJS := $(patsubst %.c,build/cross-lwip/%.o,$(filter-out src/secret/%,$(LIB_SRCS)) \
	$(wildcard port/lwip/*.c) examples/rtos_task/task.c examples/rtos_task/capture.c \
	examples/rtos_task/board_lwip.c)
build/cross-lwip/%.o: %.c $(CONFIG_H) $(CROSS_MBEDTLS)/lib/libmbedcrypto.a build/cross/include/jsmn.h \
		| build/.deps-cross build/.deps-lwip
	@mkdir -p $(@D)
	$(CROSS_CC) $(CSTD) $(WARN) $(CROSS_ARCH) $(CROSS_OPT) $(CPPFLAGS) $(CROSS_DEFS) \
	  $(CROSS_LWIP_FLAGS) -isystem build/cross/include -Iexamples/rtos_task -MMD -MP -c $< -o $@
build/cross-lwip/rtos_task_lwip.o: $(CROSS_LWIP_OBJS)
	arm-none-eabi-ld -r -o $@ $^
-include $(shell find build/cross-lwip -name '*.d' -type f 2>/dev/null)

cross: build/cross-lwip/rtos_task_lwip.o

TEST_DEPS += build/cross/rtos_task.elf build/cross-lwip/rtos_task_lwip.o
TEST_RUNS += "tests/cross/check_elf.sh build/cross/rtos_task.elf $(CROSS_OBJS)" \
	"tests/cross/check_lwip_link.sh build/cross-lwip/rtos_task_lwip.o"

.PHONY: cross
