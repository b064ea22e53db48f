# SPDX-License-Identifier: MIT
# The unit tests as 32-bit ARM code: built with arm-linux-gnueabihf-gcc
# (AddressSanitizer and UndefinedBehaviorSanitizer) against Debian 12's armhf
# mbedTLS and cmocka unpacked into the build (tests/arm32/fetch_armhf.sh),
# run under qemu-arm. The targets are 32-bit ARM: size_t, long and pointers
# are 4 bytes, char is unsigned, and overflow checks that hold on amd64 must
# hold here too. qemu-user runs them whatever the kernel's own 32-bit
# support (some kernels of this project's machines have none).
#
# libc6-dev-armhf-cross is only a Recommends of the compiler, which
# --no-install-recommends skips: named here, or no libc headers.
# gcc-arm-linux-gnueabihf conflicts with gcc-multilib in Debian 12, so the
# project uses no -m32 build.
ARM32_PKGS := gcc-arm-linux-gnueabihf libc6-dev-armhf-cross libasan8-armhf-cross libubsan1-armhf-cross qemu-user
ARM32 := build/arm32/pkgs
ARM32_LIB := $(ARM32)/root/usr/lib/arm-linux-gnueabihf
build/.deps-arm32: | build/.deps-test
	$(call deps_check,$@,$(ARM32_PKGS))
$(ARM32)/.stamp: tests/arm32/fetch_armhf.sh tests/private_apt.sh | build/.deps-arm32
	tests/arm32/fetch_armhf.sh $(ARM32)
	@touch $@

ARM32_CC := arm-linux-gnueabihf-gcc
ARM32_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	-isystem $(ARM32)/root/usr/include
$(eval $(call variant,arm32,$(ARM32_CC),$(ARM32_FLAGS),$(ARM32)/.stamp))
-include $(shell find build/arm32/src build/arm32/tests -name '*.d' -type f 2>/dev/null)

ARM32_UNIT := $(addprefix build/arm32/tests/unit/,$(UNIT_TESTS))
build/arm32/tests/unit/%: build/arm32/tests/unit/%.o \
		$(filter-out %/secret_build.o,$(patsubst %.c,build/arm32/%.o,$(LIB_SRCS))) \
		$(patsubst %.c,build/arm32/%.o,$(TEST_SUPPORT))
	$(ARM32_CC) $(ARM32_FLAGS) -o $@ $^ -L$(ARM32_LIB) -lcmocka \
	  $(ARM32_LIB)/libmbedtls.a $(ARM32_LIB)/libmbedx509.a $(ARM32_LIB)/libmbedcrypto.a

# Two programs that must fail, so a sanitizer that stopped working under
# qemu-arm cannot pass for a clean run.
build/arm32/tests/arm32/%: tests/arm32/%.c | $(ARM32)/.stamp
	@mkdir -p $(@D)
	$(ARM32_CC) $(CSTD) -O0 -g -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ $<
ARM32_CANARIES := build/arm32/tests/arm32/canary_asan build/arm32/tests/arm32/canary_ubsan

TEST_DEPS += $(ARM32_UNIT) $(ARM32_CANARIES)
TEST_RUNS += "tests/arm32/check.sh $(ARM32_LIB) $(ARM32_CANARIES) -- $(ARM32_UNIT)"
