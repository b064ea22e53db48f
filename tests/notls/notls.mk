# SPDX-License-Identifier: MIT
# fwc without its own TLS (CONFIG_FWC_TLS_MBEDTLS=0), as a device whose
# modem terminates TLS builds it: the library and the POSIX port without
# its sockets (port/posix/net.c), linked into tests/notls/modem_main.c with
# no mbedTLS library. The link itself is the first check: a reference to
# mbedTLS or to fwc_port_tcp_* would leave a symbol undefined.
$(eval $(call variant,notls,gcc,-O1 -g -DCONFIG_FWC_TLS_MBEDTLS=0,build/.deps-build))
-include $(shell find build/notls -name '*.d' -type f 2>/dev/null)

NOTLS_OBJS := $(patsubst %.c,build/notls/%.o,$(filter-out %/secret_build.c,$(LIB_SRCS)) \
	$(filter-out port/posix/net.c,$(PORT_SRCS)))
build/notls/modem: build/notls/tests/notls/modem_main.o $(NOTLS_OBJS)
	gcc -o $@ $^

TEST_DEPS += build/notls/modem
TEST_RUNS += "tests/notls/check.sh build/notls/modem"
