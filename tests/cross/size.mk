# SPDX-License-Identifier: MIT
# `make size`: fwc's flash, static RAM and stack on Cortex-M4 whatever CROSS_CPU says (thumb,
# arm-none-eabi-gcc -Os, -ffunction-sections, --gc-sections), linked into
# tests/cross/size_main.c, a program that fetches a token, makes one API
# request and uploads; and again in the token-only configuration
# (CONFIG_FWC_UPLOAD=0). tests/cross/size.py reads the linker maps for a
# table per module and GCC's call graphs (-fcallgraph-info=su) for the
# worst-case stack. Figures: docs/PERFORMANCE.md.

# size_variant(name, extra flags)
define size_variant
build/size/$(1)/%.o: %.c $(CONFIG_H) $(CROSS_M4)/mbedtls/lib/libmbedcrypto.a build/cross/include/jsmn.h \
		| build/.deps-cross
	@mkdir -p $$(@D)
	$(CROSS_CC) $(CSTD) $(WARN) $(CROSS_ARCH_cortex-m4) $(CROSS_OPT) -fcallgraph-info=su $(CPPFLAGS) \
	  $(call cross_defs,$(CROSS_M4)) $(2) -isystem build/cross/include -MMD -MP -c $$< -o $$@
SIZE_$(1)_OBJS := $$(patsubst %.c,build/size/$(1)/%.o,$(filter-out src/secret/%,$(LIB_SRCS)) \
	$(CROSS_PORT) tests/cross/size_main.c)
build/size/$(1)/program.elf: $$(SIZE_$(1)_OBJS)
	$(CROSS_CC) $(CROSS_ARCH_cortex-m4) --specs=nano.specs --specs=nosys.specs -Wl,--gc-sections \
	  -Wl,-Map=$$(@:.elf=.map) -o $$@ $$^ -L$(CROSS_M4)/mbedtls/lib -lmbedtls -lmbedx509 -lmbedcrypto
endef
$(eval $(call size_variant,full,))
$(eval $(call size_variant,token,-DCONFIG_FWC_UPLOAD=0))
# The token-only configuration with nothing optional: no log, no HTTP Basic.
$(eval $(call size_variant,tokenmin,-DCONFIG_FWC_UPLOAD=0 -DCONFIG_FWC_LOG_LEVEL=0 -DCONFIG_FWC_AUTH_BASIC=0))
-include $(shell find build/size -name '*.d' -type f 2>/dev/null)

SIZE_ELFS := build/size/full/program.elf build/size/token/program.elf build/size/tokenmin/program.elf
size: $(SIZE_ELFS)
	@$(PYTHON) tests/cross/size.py build/size/full build/size/token build/size/tokenmin

.PHONY: size

# make test keeps the two hard limits: no static RAM in fwc and at most
# 1 KiB of fwc's own stack on every path (the flash figures are reported,
# and compared with their targets in docs/PERFORMANCE.md).
TEST_DEPS += $(SIZE_ELFS)
TEST_RUNS += "$(PYTHON) tests/cross/size.py build/size/full build/size/token build/size/tokenmin --check"
