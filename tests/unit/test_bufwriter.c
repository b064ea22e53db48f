/* SPDX-License-Identifier: MIT */
/* The bounded writer: whole pieces or none, an overflow that sticks, the
 * one decimal conversion at its edges, the NUL, request targets; and the
 * log line, the one writer that shows a cut instead of failing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bufwriter.h"
#include "fake_port.h"
#include "log.h"

static void pieces_go_in_whole_or_not_at_all(void **state)
{
    char buf[8];
    struct fwci_bufw w;
    (void)state;
    memset(buf, 'x', sizeof(buf));
    fwci_bufw_init(&w, buf, 6);
    fwci_bufw_str(&w, "abcd");
    fwci_bufw_str(&w, "efg"); /* 7 > 6: refused whole */
    assert_true(w.overflow);
    assert_int_equal(w.len, 4);
    assert_memory_equal(buf, "abcdxxxx", 8);
    fwci_bufw_str(&w, "e"); /* would fit, but the text is already broken */
    assert_int_equal(w.len, 4);
    assert_false(fwci_bufw_cstr(&w));

    fwci_bufw_init(&w, buf, 6);
    fwci_bufw_str(&w, "abcdef"); /* exactly full */
    assert_false(w.overflow);
    fwci_bufw_put(&w, "", 0);
    assert_false(w.overflow);
    assert_false(fwci_bufw_cstr(&w)); /* no room for the NUL */
}

static void decimal_at_its_edges(void **state)
{
    char buf[34];
    struct fwci_bufw w;
    (void)state;
    fwci_bufw_init(&w, buf, sizeof(buf));
    fwci_bufw_u64(&w, 0);
    fwci_bufw_str(&w, " ");
    fwci_bufw_u64(&w, 1234567890u);
    fwci_bufw_str(&w, " ");
    fwci_bufw_u64(&w, UINT64_MAX);
    assert_true(fwci_bufw_cstr(&w));
    assert_string_equal(buf, "0 1234567890 18446744073709551615");
    assert_int_equal(w.len, strlen(buf));

    fwci_bufw_init(&w, buf, 19); /* one short of 20 digits: none of them */
    fwci_bufw_u64(&w, UINT64_MAX);
    assert_true(w.overflow);
    assert_int_equal(w.len, 0);
}

static void target_is_prefix_and_origin_path(void **state)
{
    char out[12];
    (void)state;
    assert_int_equal(fwci_bufw_target(out, sizeof(out), "/fw", "/api/x"), FWC_OK);
    assert_string_equal(out, "/fw/api/x");
    assert_int_equal(fwci_bufw_target(out, sizeof(out), "", "/a"), FWC_OK);
    assert_string_equal(out, "/a");
    assert_int_equal(fwci_bufw_target(out, sizeof(out), "/fw", "/api/xyz"), FWC_OK);
    assert_string_equal(out, "/fw/api/xyz"); /* 11 and the NUL: full */
    assert_int_equal(fwci_bufw_target(out, sizeof(out), "/fw", "/api/xyzw"),
                     FWC_ERR_INVALID_ARG);
    assert_int_equal(fwci_bufw_target(out, sizeof(out), "/fw", "api"), FWC_ERR_INVALID_ARG);
    assert_int_equal(fwci_bufw_target(out, sizeof(out), "/fw", NULL), FWC_ERR_INVALID_ARG);
}

#if CONFIG_FWC_LOG_LEVEL > 0
/* A log line that fits is whole; one that does not ends in the mark, so a
 * reader never takes a cut line for the whole one. */
static void log_line_shows_a_cut(void **state)
{
    char text[120];
    (void)state;
    fake_log_reset();
    fwci_log_value(FWC_LOG_WARNING, "retrying after", 4294967295u, " ms");
    assert_string_equal(fake_log, "retrying after: 4294967295 ms\n");

    memset(text, 't', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    text[70] = '\0';
    fake_log_reset();
    fwci_log_value(FWC_LOG_WARNING, text, 1234567890u, " units of something");
    assert_int_equal(strlen(fake_log), 70 + 2 + 10 + 5 + 1);
    assert_memory_equal(fake_log + 70, ": 1234567890[...]\n", 18);

    /* The longest text that fits: the mark still has its room. */
    text[70] = 't';
    text[89] = '\0';
    fake_log_reset();
    fwci_log_token(FWC_LOG_INFO, text, "abcdefghijklmnopqrstuvwxyz", 26);
    assert_int_equal(strlen(fake_log), 89 + 5 + 1);
    assert_string_equal(fake_log + 89, "[...]\n");
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pieces_go_in_whole_or_not_at_all),
        cmocka_unit_test(decimal_at_its_edges),
        cmocka_unit_test(target_is_prefix_and_origin_path),
#if CONFIG_FWC_LOG_LEVEL > 0
        cmocka_unit_test(log_line_shows_a_cut),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
