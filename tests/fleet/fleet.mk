# SPDX-License-Identifier: MIT
# `make fleet`: 10,000 and 100,000 devices after a power cut, simulated
# with the real library (docs/FLEET.md). Every device is a struct
# fwc_client in a small no-TLS build; tests/fleet/sim_port.c is the port
# on a virtual clock, tests/fleet/tenant.c the server and the transport.
# Included from the top-level Makefile with every tests/*/*.mk.
#
# Three builds of the same sources:
#   fleetbefore   the three de-synchronisation options at 0 (the old fwc)
#   fleetafter    the library's defaults
#   fleetafter60  the defaults and a 60 s fetch spread (all but renewal)
# `make test` runs a 1,000-device version with assertions (TEST_RUNS below).

FLEET := build/fleet
# The device build: no TLS (the sim is the transport), no upload, no
# proxy, no log, and buffers sized for a small device.
FLEET_CFG := -O2 -DCONFIG_FWC_TLS_MBEDTLS=0 -DCONFIG_FWC_UPLOAD=0 -DCONFIG_FWC_PROXY=0 \
	-DCONFIG_FWC_AUTH_BASIC=0 -DCONFIG_FWC_LOG_LEVEL=0 -DCONFIG_FWC_IO_BUFFER_SIZE=512 \
	-DCONFIG_FWC_TOKEN_MAX=64 -DCONFIG_FWC_TOKEN_RESPONSE_MAX=256 -DCONFIG_FWC_JSON_MAX_TOKENS=16 \
	-DCONFIG_FWC_HTTP_MAX_STATUS_LINE=64 -DCONFIG_FWC_HTTP_MAX_HEADER_LINE=128 \
	-DCONFIG_FWC_HTTP_MAX_HEADERS=16 -DCONFIG_FWC_HTTP_CONTENT_TYPE_MAX=32 \
	-DCONFIG_FWC_HTTP_LOCATION_MAX=32 -DCONFIG_FWC_API_PATH_MAX=64 -DCONFIG_FWC_URL_HOST_MAX=32 \
	-DCONFIG_FWC_URL_PREFIX_MAX=16 -DCONFIG_FWC_CLIENT_ID_MAX=16 -DCONFIG_FWC_SECRET_MAX=16
FLEET_BEFORE := -DCONFIG_FWC_RETRY_AFTER_JITTER_PCT=0 -DCONFIG_FWC_TOKEN_RENEW_JITTER_PCT=0 \
	-DCONFIG_FWC_TOKEN_FETCH_SPREAD_S=0
FLEET_SPREAD_S := 60
$(eval $(call variant,fleetbefore,gcc,$(FLEET_CFG) $(FLEET_BEFORE),build/.deps-build))
$(eval $(call variant,fleetafter,gcc,$(FLEET_CFG),build/.deps-build))
$(eval $(call variant,fleetafter60,gcc,$(FLEET_CFG) -DCONFIG_FWC_TOKEN_FETCH_SPREAD_S=$(FLEET_SPREAD_S),build/.deps-build))
-include $(shell find build/fleetbefore build/fleetafter build/fleetafter60 -name '*.d' -type f 2>/dev/null)

FLEET_SRCS := tests/fleet/fleet_sim.c tests/fleet/fleet_stats.c tests/fleet/tenant.c \
	tests/fleet/sim_port.c
FLEET_BUILDS := fleetbefore fleetafter fleetafter60
# The library without its port (sim_port.c is the port) or the
# build-provisioned secret (fleet_sim.c is the secret hook).
fleet_objs = $(patsubst %.c,build/$(1)/%.o,$(filter-out %/secret_build.c,$(LIB_SRCS)) $(FLEET_SRCS))
$(FLEET)/fleet_sim_before: $(call fleet_objs,fleetbefore)
	@mkdir -p $(@D)
	gcc -o $@ $^
$(FLEET)/fleet_sim_after: $(call fleet_objs,fleetafter)
	@mkdir -p $(@D)
	gcc -o $@ $^
$(FLEET)/fleet_sim_after60: $(call fleet_objs,fleetafter60)
	@mkdir -p $(@D)
	gcc -o $@ $^
FLEET_BINS := $(FLEET)/fleet_sim_before $(FLEET)/fleet_sim_after $(FLEET)/fleet_sim_after60

# Every scenario for both fleet sizes, before and after, two at a time
# (this machine has two cores); the table, docs/FLEET.md and docs/fleet/*.png.
FLEET_ARGS ?=
fleet: $(FLEET_BINS)
	@tests/fleet/run.sh $(FLEET) $(FLEET_ARGS)
	$(PYTHON) tests/fleet/report.py $(FLEET) docs/FLEET.md docs/fleet

# make test: 1,000 devices for 3 hours, after-builds, with assertions
# (docs/FLEET.md); the renewal rounds must stay under twice the mean
# rate. At 1,000 devices a minute holds ~40 renewals, whose chance
# variation alone reaches 2x now and then, so the check's windows are 5
# minutes (make fleet's 100,000 devices use 1 minute). The simulator's own
# files are compiled with clang too, to stay warning-free under both.
$(eval $(call variant,fleetclang,clang,$(FLEET_CFG),build/.deps-test))
-include $(shell find build/fleetclang -name '*.d' -type f 2>/dev/null)
TEST_DEPS += $(FLEET)/fleet_sim_after $(FLEET)/fleet_sim_after60 \
	$(patsubst %.c,build/fleetclang/%.o,$(FLEET_SRCS))
FLEET_CHECK = $(FLEET)/fleet_sim_$(1) --check --devices 1000 --hours 3
TEST_RUNS += "$(call FLEET_CHECK,after60) --scenario power-cut" \
	"$(call FLEET_CHECK,after60) --scenario power-cut --sleep-loop" \
	"$(call FLEET_CHECK,after) --scenario renewal --max-ratio 2 --window-s 300" \
	"$(call FLEET_CHECK,after60) --scenario storm --http-date --storm-within 300 --max-second-wave 2" \
	"$(call FLEET_CHECK,after60) --scenario warm --503"

.PHONY: fleet
