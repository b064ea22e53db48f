# SPDX-License-Identifier: MIT
# Static analysis in make test: cppcheck and clang-tidy over the product
# code, zero findings (tests/lint/lint.sh; clang-tidy's checks in .clang-tidy).
LINT_PKGS := cppcheck clang-tidy
build/.deps-lint:
	$(call deps_check,$@,$(LINT_PKGS))
TEST_DEPS += build/.deps-lint build/.deps-lwip # lwIP headers for port/lwip
TEST_RUNS += "tests/lint/lint.sh"
