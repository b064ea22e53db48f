# SPDX-License-Identifier: MIT
# The unit tests and the integration probes again, built without sanitizers
# (valgrind cannot run ASan binaries) and run under valgrind's memcheck: no
# invalid read or write, no use of uninitialised memory, no leak
# (tests/valgrind/memcheck.sh wraps each program).
VG_PKGS := valgrind
build/.deps-valgrind: | build/.deps-test
	$(call deps_check,$@,$(VG_PKGS))

$(eval $(call variant,vg,gcc,-O1 -g,build/.deps-test))
-include $(shell find build/vg -name '*.d' -type f 2>/dev/null)

VG_SRC_OBJS := $(filter-out %/secret_build.o,$(patsubst %.c,build/vg/%.o,$(LIB_SRCS)))
VG_UNIT := $(addprefix build/vg/tests/unit/,$(UNIT_TESTS))
build/vg/tests/unit/%: build/vg/tests/unit/%.o $(VG_SRC_OBJS) \
		$(patsubst %.c,build/vg/%.o,$(TEST_SUPPORT))
	gcc -o $@ $^ -lcmocka $(MBEDTLS_228)

build/vg/libfwc.a: $(vg_LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^
build/vg/tests/integration/%.bin: build/vg/tests/integration/%.o build/vg/libfwc.a
	gcc -o $@ $^ $(MBEDTLS_228) -lcmocka
# The harnesses start a probe by its path; this one runs it under memcheck.
# The fwc tool is built without sanitizers already (build/fwc).
memcheck_wrapper = @mkdir -p $(@D); \
	printf '\#!/bin/sh\nexec "%s" "%s" "$$@"\n' $(CURDIR)/tests/valgrind/memcheck.sh \
	  $(CURDIR)/$< > $@; chmod +x $@
build/vg/probes/%: build/vg/tests/integration/%.bin tests/valgrind/memcheck.sh
	$(memcheck_wrapper)
build/vg/probes/fwc: build/fwc tests/valgrind/memcheck.sh
	$(memcheck_wrapper)

VG_PROBES := $(addprefix build/vg/probes/,tls_probe token_probe upload_probe fwc)
TEST_DEPS += build/.deps-valgrind $(VG_UNIT) $(VG_PROBES) build/vg/tests/integration/test_port_posix.bin
TEST_RUNS += "tests/valgrind/memcheck.sh --tap $(VG_UNIT) build/vg/tests/integration/test_port_posix.bin" \
	"tests/integration/test_tls.py build/vg/probes/tls_probe" \
	"tests/integration/test_token.py build/vg/probes/token_probe" \
	"tests/integration/test_upload.py build/vg/probes/upload_probe" \
	"tests/integration/test_cli.py build/vg/probes/fwc"
