/* SPDX-License-Identifier: MIT */
/* The version macros agree with one another and with what the library
 * says at run time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/version.h"

static void text_matches_the_numbers(void **state)
{
    char want[32];
    (void)state;
    snprintf(want, sizeof(want), "%d.%d.%d", FWC_VERSION_MAJOR, FWC_VERSION_MINOR,
             FWC_VERSION_PATCH);
    assert_string_equal(FWC_VERSION, want);
}

static void number_orders_versions(void **state)
{
    (void)state;
    assert_int_equal(FWC_VERSION_NUMBER, FWC_VERSION_MAJOR * 1000000L +
                                             FWC_VERSION_MINOR * 1000L + FWC_VERSION_PATCH);
    assert_true(FWC_VERSION_MINOR < 1000 && FWC_VERSION_PATCH < 1000);
#if FWC_VERSION_NUMBER < 1000
#error "FWC_VERSION_NUMBER must be usable in #if"
#endif
}

static void library_reports_the_headers_version(void **state)
{
    (void)state;
    assert_non_null(fwc_version());
    assert_string_equal(fwc_version(), FWC_VERSION);
    assert_int_equal(fwc_version_number(), FWC_VERSION_NUMBER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_matches_the_numbers),
        cmocka_unit_test(number_orders_versions),
        cmocka_unit_test(library_reports_the_headers_version),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
