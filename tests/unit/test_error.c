/* SPDX-License-Identifier: MIT */
/* Every error code has its own name, and an unknown value still gets a
 * constant string (never NULL, never a crash). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/error.h"

#define FIRST FWC_OK
#define LAST FWC_ERR_MIN
#define RETIRED (-7) /* was FWC_ERR_WOULD_BLOCK; never reused */

static void every_code_has_a_distinct_name(void **state)
{
    int a, b;
    (void)state;
    for (a = LAST; a <= FIRST; a++) {
        const char *name = fwc_strerror((enum fwc_err)a);
        if (a == RETIRED)
            continue;
        assert_non_null(name);
        assert_string_not_equal(name, "unknown error");
        for (b = a + 1; b <= FIRST; b++)
            if (b != RETIRED)
                assert_string_not_equal(name, fwc_strerror((enum fwc_err)b));
    }
}

static void unknown_codes_are_named_unknown(void **state)
{
    (void)state;
    assert_string_equal(fwc_strerror((enum fwc_err)(LAST - 1)), "unknown error");
    assert_string_equal(fwc_strerror((enum fwc_err)1), "unknown error");
    assert_string_equal(fwc_strerror((enum fwc_err)RETIRED), "unknown error");
}

/* FWC_ERR_MIN follows the newest code, so loops over every code (this
 * file's, fwc_request's check of what a body reader returns) reach it. */
static void the_newest_code_is_the_minimum(void **state)
{
    (void)state;
    assert_int_equal(FWC_ERR_MIN, FWC_ERR_WARM_FORMAT);
    assert_string_equal(fwc_strerror(FWC_ERR_CONFIG_MISMATCH),
                        "program and library built with different fwc configurations");
    assert_int_equal(FWC_ERR_CONFIG_MISMATCH, -39); /* values are stable once released */
    assert_int_equal(FWC_ERR_PROXY_CLOSED, -42);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_a_distinct_name),
        cmocka_unit_test(unknown_codes_are_named_unknown),
        cmocka_unit_test(the_newest_code_is_the_minimum),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
