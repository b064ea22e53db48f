# SPDX-License-Identifier: MIT
# Several tasks sharing one client (CONFIG_FWC_LOCKS):
# - the request and upload unit tests again with the lock hooks on: the
#   fake lock aborts when anything takes it twice, and the tests check it
#   is held through the whole exchange (build/verbose: -DCONFIG_FWC_LOCKS=1);
# - tests/threads/shared_client.c on the POSIX port, built with
#   ThreadSanitizer: N pthreads share one client against the emulator while
#   the token expires again and again (the lwIP build of the same program,
#   on lwIP's sys_thread_new, is in tests/lwip/lwip.mk).
VERBOSE_LOCK_UNITS := build/verbose/tests/unit/test_request build/verbose/tests/unit/test_upload
$(VERBOSE_LOCK_UNITS): build/verbose/tests/unit/%: build/verbose/tests/unit/%.o \
		$(filter-out %/secret_build.o,$(patsubst %.c,build/verbose/%.o,$(LIB_SRCS) $(TEST_SUPPORT)))
	clang $(SAN) -o $@ $^ -lcmocka $(MBEDTLS_228)

TSAN := -fsanitize=thread -fno-omit-frame-pointer
$(eval $(call variant,tsan,clang,-O1 -g $(TSAN) -DCONFIG_FWC_LOCKS=1 -Itests/threads,build/.deps-test))
-include $(shell find build/tsan -name '*.d' -type f 2>/dev/null)
TSAN_LIB_OBJS := $(filter-out %/secret_build.o,$(tsan_LIB_OBJS))
build/tsan/tests/threads/shared_client: build/tsan/tests/threads/shared_client.o \
		build/tsan/tests/threads/emu_util.o build/tsan/examples/token/secret_file.o $(TSAN_LIB_OBJS)
	clang $(TSAN) -o $@ $^ $(MBEDTLS_228) -lpthread

TEST_DEPS += $(VERBOSE_LOCK_UNITS) build/tsan/tests/threads/shared_client
# --tcp-nodelay: without it each answer waits for the client's delayed ACK
# (the emulator writes head and body apart, and Nagle holds the body), and
# the run makes ~130 requests instead of ~28,000: too few to contend.
TEST_RUNS += $(VERBOSE_LOCK_UNITS) \
	"tests/server/with_emulator.sh --control --tcp-nodelay -- build/tsan/tests/threads/shared_client"
