# SPDX-License-Identifier: MIT
# libFuzzer harnesses for the pure parsers (docs/SECURITY.md, "Fuzzing").
# Included from the top-level Makefile (with every tests/*/*.mk) and uses
# its variables (CSTD, WARN, CPPFLAGS, CONFIG_H, build/.deps-test).
#
#   make fuzz                     each target for FUZZ_SECONDS (300) in turn
#   make fuzz FUZZ_TARGETS=url    only some of them
#   make test                     each target for FUZZ_SMOKE_SECONDS (15)
#
# A target is tests/fuzz/fuzz_<name>.c, built into build/fuzz/<name> with
# the library's pure sources; its seeds are tests/fuzz/corpus/<name>/, its
# dictionary tests/fuzz/<name>.dict if there is one. Runs grow a scratch
# corpus in build/fuzz/corpus/<name> (the committed seeds are only read)
# and leave crash inputs in build/fuzz/artifacts/<name>/.

FUZZ := build/fuzz
FUZZ_SECONDS ?= 300
FUZZ_SMOKE_SECONDS ?= 15
FUZZ_ALL := $(sort $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS ?= $(FUZZ_ALL)
# The sources a harness may reach: pure functions over caller buffers, no
# I/O, so they link without a port or mbedTLS.
FUZZ_LIB_SRCS := $(addprefix src/,http_parse.c token_response.c json.c json_check.c url.c \
	retry_after.c upload_answer.c wipe.c)
# The library's code gets the same instrumentation as the harnesses, so
# coverage guides the fuzzer through it, and the same strict warnings.
FUZZ_CFLAGS := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -fno-omit-frame-pointer

$(FUZZ)/obj/%.o: %.c $(CONFIG_H) | build/.deps-test
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) $(CPPFLAGS) -MMD -MP -c $< -o $@

$(FUZZ)/libfwc-pure.a: $(patsubst %.c,$(FUZZ)/obj/%.o,$(FUZZ_LIB_SRCS))
	@rm -f $@
	ar rcs $@ $^

FUZZ_BINS := $(addprefix $(FUZZ)/,$(FUZZ_ALL))
$(FUZZ_BINS): $(FUZZ)/%: $(FUZZ)/obj/tests/fuzz/fuzz_%.o $(FUZZ)/libfwc-pure.a
	clang $(FUZZ_CFLAGS) -o $@ $^

# The harnesses must also be warning-free under gcc (compiled, not run).
FUZZ_GCC_OBJS := $(patsubst %,$(FUZZ)/gcc/fuzz_%.o,$(FUZZ_ALL))
$(FUZZ)/gcc/%.o: tests/fuzz/%.c $(CONFIG_H) | build/.deps-build
	@mkdir -p $(@D)
	gcc $(CSTD) $(WARN) -O2 $(CPPFLAGS) -MMD -MP -c $< -o $@

-include $(shell find $(FUZZ)/obj $(FUZZ)/gcc -name '*.d' -type f 2>/dev/null)

fuzz: $(addprefix $(FUZZ)/,$(FUZZ_TARGETS))
	@tests/fuzz/run.sh -t $(FUZZ_SECONDS) $^

TEST_DEPS += $(FUZZ_BINS) $(FUZZ_GCC_OBJS)
TEST_RUNS += "tests/fuzz/run.sh -t $(FUZZ_SMOKE_SECONDS) $(FUZZ_BINS)"

.PHONY: fuzz
