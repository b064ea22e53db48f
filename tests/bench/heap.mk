# SPDX-License-Identifier: MIT
# `make heap`: measure the heap mbedTLS uses under fwc (docs/TLS-MEMORY.md).
# Included from the top-level Makefile (with every tests/*/*.mk) and
# uses its variables (CSTD, WARN, LIB_SRCS, PORT_SRCS, TRIPLET, M36, ...).
#
# tests/bench/heap_probe.c is linked with -Wl,--wrap=calloc,--wrap=free
# against mbedTLS's static archives, so it sees every allocation mbedTLS
# makes. It is built once per variant:
#   deb228      Debian 12's libmbedtls-dev 2.28 archives (IN/OUT 16384)
#   deb36       Debian 13's libmbedtls-dev 3.6 archives (tests/mbedtls36/fetch.sh)
#   small228    Debian 12's mbedtls source built with IN 4096 / OUT 2048,
#               fwc asking for MFL 2048 (tests/bench/build_mbedtls.sh)
#   out4k228    Debian 12's source, IN 4096 / OUT 4096, MFL 4096
#   small36     Debian 13's source, IN 4096 / OUT 2048, MFL 2048
#   small36t12  the same library, fwc offering TLS 1.2 only
#   small36n    the same library, fwc without MFL, against TLS 1.3 servers
#               with a 1 KiB body (see small36's expected failure)
#   excl36      Debian 13's source, IN/OUT 16384 and
#               MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS
# and run against Python ssl servers (ECDSA P-256 leaf, RSA-2048 leaf,
# RSA-2048 leaf with two intermediates; TLS 1.2 only and TLS 1.2+1.3)
# behind a relay that notes the largest TLS record each way. Prints one
# Markdown table per mbedTLS build and setting; the probes' raw lines go to
# build/heap/results.txt. fwc's own config.h defaults apply (a .config is
# not read), so the figures do not move with local menuconfig changes.
# HEAP_TRACE=<bytes> in the environment makes each probe list its blocks of
# at least that size on stderr (see heap_probe.c).

HEAP := build/heap
HEAP_ALL_KINDS := ec,rsa,chain
HEAP_VARIANTS := deb228 deb36 small228 out4k228 small36 small36t12 small36n excl36 port228
HEAP_IN_LEN := 4096
HEAP_OUT_LEN := 2048
HEAP_MFL_CODE := 3
HEAP_MFL_BYTES := $(word $(HEAP_MFL_CODE),512 1024 2048 4096)
HEAP_CFLAGS := $(CSTD) $(WARN) -O2 -g
HEAP_CPPFLAGS := -Iinclude -Isrc
HEAP_ARCHIVES = $(addprefix $(1)/,libmbedtls.a libmbedx509.a libmbedcrypto.a)
HEAP_SMALL := IN $(HEAP_IN_LEN) / OUT $(HEAP_OUT_LEN)

# mbedTLS built from Debian's source: heap_mbedtls(dir, line, in, out, symbols)
# (the script makes all three archives; libmbedcrypto.a stands for them, and
# .args, rewritten only when they change, reruns it with new values).
define heap_mbedtls
$(HEAP)/$(1)/.args: heap-force
	@mkdir -p $$(@D)
	@echo '$(2) $(3) $(4) $(5)' | cmp -s - $$@ || echo '$(2) $(3) $(4) $(5)' > $$@
$(HEAP)/$(1)/lib/libmbedcrypto.a: tests/bench/build_mbedtls.sh $(HEAP)/$(1)/.args | build/.deps-test
	tests/bench/build_mbedtls.sh $(2) $(HEAP)/$(1) $(3) $(4) $(5)
	@touch $$@
endef
$(eval $(call heap_mbedtls,mbedtls-2.28-small,2.28,$(HEAP_IN_LEN),$(HEAP_OUT_LEN)))
$(eval $(call heap_mbedtls,mbedtls-2.28-out4k,2.28,4096,4096))
$(eval $(call heap_mbedtls,mbedtls-3.6-small,3.6,$(HEAP_IN_LEN),$(HEAP_OUT_LEN)))
$(eval $(call heap_mbedtls,mbedtls-3.6-excl,3.6,16384,16384,MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS))

# Per variant: mbedTLS headers (INC), archives (LIB), fwc flags (DEF), what
# must exist first (DEP), the setting's name in the table (NAME), the
# response body size (BODY, default 16384), the servers (SERVERS: 12 = TLS
# 1.2 only, 13 = TLS 1.2+1.3, all = both; default all), the certificates
# (KINDS: ec = ECDSA P-256 leaf, rsa = RSA-2048 leaf, chain = RSA-2048 leaf
# and two intermediates; default all three) and the cases known to fail
# (XFAIL, kind/server patterns; a case that starts to pass is reported too,
# so the docs get updated).
HEAP_LIB_deb228 := $(call HEAP_ARCHIVES,/usr/lib/$(TRIPLET))
HEAP_DEP_deb228 := build/.deps-build
HEAP_NAME_deb228 := Debian default: IN/OUT 16384
HEAP_SERVERS_deb228 := 13

HEAP_INC_deb36 := -isystem $(M36)/root/usr/include
HEAP_LIB_deb36 := $(call HEAP_ARCHIVES,$(M36_LIB))
HEAP_DEP_deb36 := $(M36)/.stamp
HEAP_NAME_deb36 := Debian default: IN/OUT 16384

# 2.28 cannot reassemble a handshake message split over records: with MFL
# 2048 the server's Certificate message must fit one 2048-byte record.
HEAP_INC_small228 := -isystem $(HEAP)/mbedtls-2.28-small/include
HEAP_LIB_small228 := $(call HEAP_ARCHIVES,$(HEAP)/mbedtls-2.28-small/lib)
HEAP_DEP_small228 := $(HEAP)/mbedtls-2.28-small/lib/libmbedcrypto.a
HEAP_DEF_small228 := -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=$(HEAP_MFL_CODE)
HEAP_NAME_small228 := $(HEAP_SMALL), MFL $(HEAP_MFL_BYTES)
HEAP_SERVERS_small228 := 13
HEAP_XFAIL_small228 := chain/*

# The way round that on 2.28: MFL 4096, which mbedTLS allows only when both
# IN and OUT are at least 4096 (MBEDTLS_TLS_EXT_ADV_CONTENT_LEN).
HEAP_INC_out4k228 := -isystem $(HEAP)/mbedtls-2.28-out4k/include
HEAP_LIB_out4k228 := $(call HEAP_ARCHIVES,$(HEAP)/mbedtls-2.28-out4k/lib)
HEAP_DEP_out4k228 := $(HEAP)/mbedtls-2.28-out4k/lib/libmbedcrypto.a
HEAP_DEF_out4k228 := -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=4
HEAP_NAME_out4k228 := IN 4096 / OUT 4096, MFL 4096
HEAP_SERVERS_out4k228 := 13

# 3.6 sends MFL from its TLS 1.2 ClientHello code and then refuses it in a
# TLS 1.3 server's EncryptedExtensions (UNSUPPORTED_EXTENSION).
HEAP_INC_small36 := -isystem $(HEAP)/mbedtls-3.6-small/include
HEAP_LIB_small36 := $(call HEAP_ARCHIVES,$(HEAP)/mbedtls-3.6-small/lib)
HEAP_DEP_small36 := $(HEAP)/mbedtls-3.6-small/lib/libmbedcrypto.a
HEAP_DEF_small36 := -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=$(HEAP_MFL_CODE)
HEAP_NAME_small36 := $(HEAP_SMALL), MFL $(HEAP_MFL_BYTES)
# (fwc now offers TLS 1.2 only with MFL, so no case is expected to fail.)

# The way round that on 3.6: fwc offers TLS 1.2 only (CONFIG_FWC_TLS13=0).
HEAP_INC_small36t12 := $(HEAP_INC_small36)
HEAP_LIB_small36t12 := $(HEAP_LIB_small36)
HEAP_DEP_small36t12 := $(HEAP_DEP_small36)
HEAP_DEF_small36t12 := $(HEAP_DEF_small36) -DCONFIG_FWC_TLS13=0
HEAP_NAME_small36t12 := $(HEAP_SMALL), MFL $(HEAP_MFL_BYTES), fwc TLS 1.3 off
HEAP_SERVERS_small36t12 := 13

HEAP_INC_small36n := $(HEAP_INC_small36)
HEAP_LIB_small36n := $(HEAP_LIB_small36)
HEAP_DEP_small36n := $(HEAP_DEP_small36)
HEAP_NAME_small36n := $(HEAP_SMALL), no MFL, 1 KiB body
HEAP_BODY_small36n := 1024
HEAP_SERVERS_small36n := 13

HEAP_INC_excl36 := -isystem $(HEAP)/mbedtls-3.6-excl/include
HEAP_LIB_excl36 := $(call HEAP_ARCHIVES,$(HEAP)/mbedtls-3.6-excl/lib)
HEAP_DEP_excl36 := $(HEAP)/mbedtls-3.6-excl/lib/libmbedcrypto.a
HEAP_NAME_excl36 := IN/OUT 16384, PSA_ASSUME_EXCLUSIVE_BUFFERS
HEAP_KINDS_excl36 := ec,rsa

# port/mbedtls/fwc_mbedtls_config.h, the constrained config shipped for
# small targets, built for the host: TLS 1.2 only, IN 4096 / OUT 2048, fwc
# asking for MFL 2048. As with small228, a Certificate message over one
# 2048-byte record cannot be reassembled by 2.28.
HEAP_PORT := $(HEAP)/mbedtls-2.28-port
$(HEAP_PORT)/lib/libmbedcrypto.a: tests/cross/build_mbedtls_port.sh port/mbedtls/fwc_mbedtls_config.h \
		| build/.deps-test
	tests/cross/build_mbedtls_port.sh $(HEAP_PORT) gcc "-O2 -g0"
HEAP_INC_port228 := -Iport/mbedtls -DMBEDTLS_CONFIG_FILE=\"fwc_mbedtls_config.h\" \
	-isystem $(HEAP_PORT)/src/include
HEAP_LIB_port228 := $(call HEAP_ARCHIVES,$(HEAP_PORT)/lib)
HEAP_DEP_port228 := $(HEAP_PORT)/lib/libmbedcrypto.a
HEAP_DEF_port228 := -DCONFIG_FWC_TLS_MAX_FRAGMENT_CODE=$(HEAP_MFL_CODE) -DCONFIG_FWC_TLS13=0
HEAP_NAME_port228 := port/mbedtls config: $(HEAP_SMALL), MFL $(HEAP_MFL_BYTES), TLS 1.2
HEAP_SERVERS_port228 := 13
HEAP_XFAIL_port228 := chain/*

# Anything mbedTLS could allocate with besides calloc/free would go uncounted.
HEAP_UNCOUNTED := malloc|realloc|reallocarray|strdup|strndup|aligned_alloc|posix_memalign|memalign|valloc
HEAP_CHECK_ALLOC = if nm -u $(1) 2>/dev/null | awk '{print $$NF}' | grep -qxE '$(HEAP_UNCOUNTED)'; then \
	  echo "$(2): an allocator other than calloc/free is referenced; the probe would not count it"; \
	  exit 1; fi

# The compile flags are kept in a file that changes only when they do, so a
# changed setting recompiles. -no-pie only so that HEAP_TRACE's caller
# addresses go straight to addr2line.
define heap_variant
$(HEAP)/$(1)/.flags: heap-force
	@mkdir -p $$(@D)
	@echo '$(HEAP_DEF_$(1)) $(HEAP_INC_$(1)) $(HEAP_LIB_$(1))' | cmp -s - $$@ || \
	  echo '$(HEAP_DEF_$(1)) $(HEAP_INC_$(1)) $(HEAP_LIB_$(1))' > $$@
$(HEAP)/$(1)/%.o: %.c $(HEAP)/$(1)/.flags | $(HEAP_DEP_$(1))
	@mkdir -p $$(@D)
	gcc $(HEAP_CFLAGS) $(HEAP_DEF_$(1)) $(HEAP_CPPFLAGS) $(HEAP_INC_$(1)) -MMD -MP -c $$< -o $$@
# fwc goes in as an archive, so only what the probe uses is linked (the
# library has hooks, like fwc_secret_get, that only an application defines).
$(HEAP)/$(1)/libfwc.a: $(patsubst %.c,$(HEAP)/$(1)/%.o,$(LIB_SRCS) $(PORT_SRCS))
	@rm -f $$@
	ar rcs $$@ $$^
$(HEAP)/$(1)/heap_probe: $(HEAP)/$(1)/tests/bench/heap_probe.o $(HEAP)/$(1)/libfwc.a \
		$(HEAP_DEP_$(1)) $(HEAP)/$(1)/.flags
	@$$(call HEAP_CHECK_ALLOC,$$(filter %.o %.a,$$^) $(HEAP_LIB_$(1)),$$@)
	gcc -no-pie -o $$@ $$(filter %.o %.a,$$^) -Wl,--wrap=calloc -Wl,--wrap=free \
	  $(HEAP_LIB_$(1)) -lpthread
endef
$(foreach v,$(HEAP_VARIANTS),$(eval $(call heap_variant,$(v))))

HEAP_PROBES := $(foreach v,$(HEAP_VARIANTS),$(HEAP)/$(v)/heap_probe)

# The harness: tests/bench/heap_run.py.
heap: $(HEAP_PROBES) tests/bench/heap_run.py | build/.deps-test
	@$(PYTHON) tests/bench/heap_run.py --results $(HEAP)/results.txt $(foreach v,$(HEAP_VARIANTS), \
	  --probe "$(HEAP_NAME_$(v))" $(HEAP)/$(v)/heap_probe \
	  $(or $(HEAP_BODY_$(v)),16384) $(or $(HEAP_SERVERS_$(v)),all) \
	  $(or $(HEAP_KINDS_$(v)),$(HEAP_ALL_KINDS)) "$(or $(HEAP_XFAIL_$(v)),-)")

.PHONY: heap heap-force

