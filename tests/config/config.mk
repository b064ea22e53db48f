# SPDX-License-Identifier: MIT
# Configuration as applications build it (docs/CONFIGURATION.md):
# - host_kconfig.py: Kconfig.fwc sourced by a host's Kconfig, its headers
#   generated as Zephyr and ESP-IDF generate them (kconfiglib), every fwc
#   boolean turned off and its code gone.
#
# Included from the top-level Makefile; uses PYTHON.

TEST_DEPS += build/.deps-config
TEST_RUNS += "$(PYTHON) tests/config/host_kconfig.py"
