# SPDX-License-Identifier: MIT
# warm_probe for tests/integration/test_warm.py, included from the top-level
# Makefile: a device's warm start (export, a new client, import) against the
# emulator, once per mbedTLS line. The probe is built and linked by the
# generic integration rules (build/asan*/tests/integration/%).
WARM_PROBES := build/asan/tests/integration/warm_probe build/asan36/tests/integration/warm_probe

TEST_DEPS += $(WARM_PROBES)
TEST_RUNS += "tests/integration/test_warm.py $(WARM_PROBES)"
