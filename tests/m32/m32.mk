# The unit tests as 32-bit code (gcc -m32, with AddressSanitizer and
# UndefinedBehaviorSanitizer), against Debian 12's i386 mbedTLS and cmocka
# unpacked into the build (tests/m32/fetch_i386.sh): the targets are 32-bit,
# so size_t, long and pointers are 4 bytes there, and overflow checks that
# hold on amd64 must hold here too.
M32_PKGS := gcc-multilib
M32 := build/m32/pkgs
M32_LIB := $(M32)/root/usr/lib/i386-linux-gnu
build/.deps-m32: | build/.deps-test
	$(call deps_check,$@,$(M32_PKGS))
$(M32)/.stamp: tests/m32/fetch_i386.sh | build/.deps-m32
	tests/m32/fetch_i386.sh $(M32)
	@touch $@

M32_FLAGS := -m32 -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all
$(eval $(call variant,m32,gcc,$(M32_FLAGS),$(M32)/.stamp))
-include $(shell find build/m32/src build/m32/tests -name '*.d' -type f 2>/dev/null)

M32_UNIT := $(addprefix build/m32/tests/unit/,$(UNIT_TESTS))
build/m32/tests/unit/%: build/m32/tests/unit/%.o \
		$(filter-out %/secret_build.o,$(patsubst %.c,build/m32/%.o,$(LIB_SRCS))) \
		$(patsubst %.c,build/m32/%.o,$(TEST_SUPPORT))
	gcc $(M32_FLAGS) -o $@ $^ -L$(M32_LIB) -Wl,-rpath,$(CURDIR)/$(M32_LIB) -lcmocka \
	  $(M32_LIB)/libmbedtls.a $(M32_LIB)/libmbedx509.a $(M32_LIB)/libmbedcrypto.a

# tests/m32/check.sh first checks that each program really is 32-bit.
TEST_DEPS += $(M32_UNIT)
TEST_RUNS += "tests/m32/check.sh $(M32_UNIT)"
