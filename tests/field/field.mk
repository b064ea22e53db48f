# SPDX-License-Identifier: MIT
# Field networks (issue 17): fwc and curl over shaped links and real
# proxies, in private network namespaces (needs root: unshare, ip, tc).
# Included from the top-level Makefile with every tests/*/*.mk.
#
#   tests/field/link.py    the link: two namespaces, a veth pair shaped by
#                          tbf, the relay for round trip, stall and reset;
#                          `tests/field/link.py measure` prints each
#                          profile as a plain TCP client gets it
#   tests/field/relay.py   the relay (userspace, one thread)
#   tests/field/proxy.py   tinyproxy: open, Basic auth, refusing CONNECT
#   tests/field/field.py   the driver: bench, check, run (see its --help)
#
# `make field`: every profile (gprs, 3g, lte-poor, satellite, lan, drop,
# and two behind a proxy) with fwc and curl in one run: token, get and a
# 3 MiB upload in 1 MiB chunks each. A benchmark: the table goes to
# docs/PERFORMANCE.md ("Field networks", replaced on each run) and
# build/field/results.{md,json}; it fails only when the rig itself does.
# About 25 minutes, most of it curl sending 3 MiB at 5 KB/s on gprs.
# FIELD_ARGS passes options (e.g. FIELD_ARGS="--profiles 3g,lan").
#
# `make test` runs `field.py check` (about a minute and a half): the
# link's shaping, the relay's faults, the three proxies with curl, fwc on
# 3g (token, get, a small upload, and a 1 MiB chunk at 40 KB/s sent once),
# on a 20 s stall (no chunk resent) and on a link that drops mid-chunk,
# fwc through the three proxies and `fwc upload --state`.

FIELD_PKGS := tinyproxy iproute2 curl util-linux mount python3
FIELD_ARGS ?=

build/.deps-field: | build/.deps-test
	$(call deps_check,$@,$(FIELD_PKGS))

field: build/fwc | build/.deps-field
	$(PYTHON) tests/field/field.py bench --fwc build/fwc --out build/field \
	  --doc docs/PERFORMANCE.md $(FIELD_ARGS)

TEST_DEPS += build/.deps-field
TEST_RUNS += "tests/field/field.py check --fwc build/fwc"

.PHONY: field
