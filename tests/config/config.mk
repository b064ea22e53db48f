# SPDX-License-Identifier: MIT
# Configuration as applications build it (docs/CONFIGURATION.md):
# - host_kconfig.py: Kconfig.fwc sourced by a host's Kconfig, its headers
#   generated as Zephyr and ESP-IDF generate them (kconfiglib), every fwc
#   boolean turned off and its code gone;
# - the fingerprint: callers compiled with other options than the library
#   (build/libfwc.a, the defaults) refused by fwc_client_init;
# - C++: every public header compiled as C++ and linked against the library.
#
# Included from the top-level Makefile; uses CSTD, WARN, CPPFLAGS, PYTHON,
# MBEDTLS_228.

CXX_PKGS := g++
build/.deps-cxx: | build/.deps-build
	$(call deps_check,$@,$(CXX_PKGS))

# fingerprint_prog(name, EXPECT_MISMATCH, the caller's own CONFIG_ values)
define fingerprint_prog
build/config/fp_$(1): tests/config/fingerprint_main.c build/libfwc.a | build/.deps-build
	@mkdir -p $$(@D)
	gcc $(CSTD) $(WARN) -O1 $(CPPFLAGS) -DEXPECT_MISMATCH=$(2) $(3) $$< build/libfwc.a \
	  $(MBEDTLS_228) -o $$@
FINGERPRINT_PROGS += build/config/fp_$(1)
endef
FINGERPRINT_PROGS :=
$(eval $(call fingerprint_prog,same,0,))
$(eval $(call fingerprint_prog,bigio,1,-DCONFIG_FWC_IO_BUFFER_SIZE=8192))
$(eval $(call fingerprint_prog,noupload,1,-DCONFIG_FWC_UPLOAD=0))
$(eval $(call fingerprint_prog,locks,1,-DCONFIG_FWC_LOCKS=1))
# 96 + 256 bytes of header slots become 104 + 248: sizeof stays, the
# layout does not.
$(eval $(call fingerprint_prog,samesize,1,-DCONFIG_FWC_HTTP_CONTENT_TYPE_MAX=104 \
	-DCONFIG_FWC_HTTP_LOCATION_MAX=248))

# Every public header force-included, as two C++ dialects, with the
# warnings a strict C++ application builds with.
PUBLIC_HEADERS := $(wildcard include/fwc/*.h)
CXX_WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
build/config/cxx_headers: tests/config/cxx_headers.cpp $(PUBLIC_HEADERS) build/libfwc.a \
		| build/.deps-cxx
	@mkdir -p $(@D)
	g++ -std=c++20 $(CXX_WARN) $(CPPFLAGS) $(addprefix -include ,$(PUBLIC_HEADERS)) \
	  -fsyntax-only $<
	g++ -std=c++11 $(CXX_WARN) $(CPPFLAGS) $(addprefix -include ,$(PUBLIC_HEADERS)) \
	  $< build/libfwc.a $(MBEDTLS_228) -o $@

TEST_DEPS += $(FINGERPRINT_PROGS) build/config/cxx_headers build/.deps-config
TEST_RUNS += "$(PYTHON) tests/config/host_kconfig.py" \
	"tests/config/check_fingerprint.sh $(FINGERPRINT_PROGS)" \
	"tests/config/check_cxx.sh build/config/cxx_headers"
