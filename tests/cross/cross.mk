# SPDX-License-Identifier: MIT
# `make cross`: the capture task (examples/rtos_task) with fwc, its port and
# mbedTLS (port/mbedtls's config), compiled and linked for Cortex-M4 with
# arm-none-eabi-gcc and newlib, with the same warnings as the host build;
# and the same task over port/lwip against lwIP's headers (below).
# `make test` builds it and checks the result (tests/cross/check_elf.sh).
#
# Included from the top-level Makefile; uses CSTD, WARN, CPPFLAGS, LIB_SRCS.

# The target: CROSS_CPU (cortex-m4 by default, cortex-m33, ...) or a whole
# CROSS_ARCH (its -mcpu= names the CPU). Each CPU builds in its own folder,
# build/cross/<cpu>/, mbedTLS included, so a changed target rebuilds
# everything for it and never mixes its objects with another's; a changed
# CROSS_ARCH for the same CPU rebuilds through the folder's .flags.
#   make cross                         Cortex-M4, build/cross/cortex-m4/rtos_task.elf
#   make cross CROSS_CPU=cortex-m33    Cortex-M33 (v8-M mainline, FPv5)
CROSS_CC := arm-none-eabi-gcc
CROSS_PKGS := gcc-arm-none-eabi binutils-arm-none-eabi libnewlib-arm-none-eabi dpkg-dev
CROSS_ARCH_cortex-m4 := -mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16
CROSS_ARCH_cortex-m33 := -mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mfpu=fpv5-sp-d16
ifeq ($(origin CROSS_ARCH),undefined)
CROSS_CPU ?= cortex-m4
CROSS_ARCH := $(or $(CROSS_ARCH_$(CROSS_CPU)),-mcpu=$(CROSS_CPU) -mthumb)
else
CROSS_CPU := $(or $(patsubst -mcpu=%,%,$(filter -mcpu=%,$(CROSS_ARCH))),custom)
endif
CROSS_OPT := -Os -ffunction-sections -fdata-sections
# The port the cross build links: the annotated template until a device
# port exists for the target.
CROSS_PORT := port/template/port_template.c
CROSS_APP := examples/rtos_task/task.c examples/rtos_task/capture.c examples/rtos_task/board_stub.c
# The device build: mbedTLS's constrained config, and fwc asking for a
# 2 KiB maximum fragment so the 4 KiB input record buffer suffices.
cross_defs = -Iport/mbedtls -DMBEDTLS_CONFIG_FILE='<fwc_mbedtls_config.h>' \
	-isystem $(1)/mbedtls/src/include -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=2 \
	-DCONFIG_FWC_TLS13=0

build/.deps-cross:
	$(call deps_check,$@,$(CROSS_PKGS))

# jsmn is header-only; the cross compiler must not see the rest of the
# host's /usr/include, so it gets a folder holding jsmn.h alone.
build/cross/include/jsmn.h: | build/.deps-build
	@mkdir -p $(@D)
	cp /usr/include/jsmn.h $@

# cross_cpu(folder, arch): mbedTLS, fwc, the task and the ELF for one CPU.
define cross_cpu
$(1)/.flags: FORCE
	@mkdir -p $$(@D)
	@echo '$(2)' | cmp -s - $$@ || echo '$(2)' > $$@
$(1)/mbedtls/lib/libmbedcrypto.a: tests/cross/build_mbedtls_port.sh \
		port/mbedtls/fwc_mbedtls_config.h $(1)/.flags | build/.deps-cross
	tests/cross/build_mbedtls_port.sh $(1)/mbedtls $(CROSS_CC) "$(2) $(CROSS_OPT)"
$(1)/%.o: %.c $(CONFIG_H) $(1)/mbedtls/lib/libmbedcrypto.a build/cross/include/jsmn.h \
		| build/.deps-cross
	@mkdir -p $$(@D)
	$(CROSS_CC) $(CSTD) $(WARN) $(2) $(CROSS_OPT) -fstack-usage $(CPPFLAGS) \
	  $(call cross_defs,$(1)) -isystem build/cross/include -Iexamples/rtos_task -MMD -MP -c $$< -o $$@
$(1)_CROSS_OBJS := $(patsubst %.c,$(1)/%.o,$(filter-out src/secret/%,$(LIB_SRCS)) $(CROSS_PORT) $(CROSS_APP))
$(1)/rtos_task.elf: $$($(1)_CROSS_OBJS)
	$(CROSS_CC) $(2) --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections \
	  -Wl,-Map=$$(@:.elf=.map) -o $$@ $$^ \
	  -L$(1)/mbedtls/lib -lmbedtls -lmbedx509 -lmbedcrypto
-include $(shell find $(1)/src $(1)/port $(1)/examples -name '*.d' -type f 2>/dev/null)
endef
CROSS_DIR := build/cross/$(CROSS_CPU)
CROSS_MBEDTLS := $(CROSS_DIR)/mbedtls
CROSS_DEFS := $(call cross_defs,$(CROSS_DIR))
$(eval $(call cross_cpu,$(CROSS_DIR),$(CROSS_ARCH)))
# make test builds the default CPU and a second one, Cortex-M33, whatever
# the command line chose (tests/build/check_cross_cpu.sh checks each ELF).
CROSS_M4 := build/cross/cortex-m4
CROSS_M33 := build/cross/cortex-m33
ifneq ($(CROSS_DIR),$(CROSS_M4))
$(eval $(call cross_cpu,$(CROSS_M4),$(CROSS_ARCH_cortex-m4)))
endif
ifneq ($(CROSS_DIR),$(CROSS_M33))
$(eval $(call cross_cpu,$(CROSS_M33),$(CROSS_ARCH_cortex-m33)))
endif
CROSS_OBJS := $($(CROSS_DIR)_CROSS_OBJS)

cross: $(CROSS_DIR)/rtos_task.elf
	@arm-none-eabi-size $<

# The same task over port/lwip: fwc, port/lwip, the task and its lwIP board
# file compiled against Debian's lwIP headers with the target's own
# lwipopts.h and arch/ (examples/rtos_task/lwip), locks on, then linked into
# one relocatable object. lwIP itself is the board's build, so it is not
# linked here; check_lwip_link.sh checks that all that object still needs is
# lwIP's API, the board's HAL, mbedTLS and the C library.
CROSS_LWIP_FLAGS := -Iport/lwip -Iexamples/rtos_task/lwip -isystem /usr/include/lwip \
	-DCONFIG_FWC_LOCKS=1
CROSS_LWIP := $(CROSS_DIR)/lwip
CROSS_LWIP_OBJS := $(patsubst %.c,$(CROSS_LWIP)/%.o,$(filter-out src/secret/%,$(LIB_SRCS)) \
	$(wildcard port/lwip/*.c) examples/rtos_task/task.c examples/rtos_task/capture.c \
	examples/rtos_task/board_lwip.c)
$(CROSS_LWIP)/%.o: %.c $(CONFIG_H) $(CROSS_MBEDTLS)/lib/libmbedcrypto.a build/cross/include/jsmn.h \
		| build/.deps-cross build/.deps-lwip
	@mkdir -p $(@D)
	$(CROSS_CC) $(CSTD) $(WARN) $(CROSS_ARCH) $(CROSS_OPT) $(CPPFLAGS) $(CROSS_DEFS) \
	  $(CROSS_LWIP_FLAGS) -isystem build/cross/include -Iexamples/rtos_task -MMD -MP -c $< -o $@
$(CROSS_LWIP)/rtos_task_lwip.o: $(CROSS_LWIP_OBJS)
	arm-none-eabi-ld -r -o $@ $^
-include $(shell find $(CROSS_LWIP) -name '*.d' -type f 2>/dev/null)

cross: $(CROSS_LWIP)/rtos_task_lwip.o

TEST_DEPS += $(CROSS_M4)/rtos_task.elf $(CROSS_M33)/rtos_task.elf $(CROSS_LWIP)/rtos_task_lwip.o
TEST_RUNS += "tests/cross/check_elf.sh $(CROSS_M4)/rtos_task.elf $($(CROSS_M4)_CROSS_OBJS)" \
	"tests/cross/check_lwip_link.sh $(CROSS_LWIP)/rtos_task_lwip.o" \
	"tests/build/check_cross_cpu.sh $(CROSS_M4) v7E-M VFPv4-D16" \
	"tests/build/check_cross_cpu.sh $(CROSS_M33) v8-M.mainline FPv5/FP-D16"

.PHONY: cross
