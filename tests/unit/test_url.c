/* Base URL parsing: what is accepted, and that everything else is a named
 * error with nothing half-filled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/url.h"

static void accepts_tenant_urls(void **state)
{
    struct fwc_url u;
    (void)state;
    assert_int_equal(fwc_url_parse("https://tenant.fotoware.cloud", &u), FWC_OK);
    assert_true(u.tls);
    assert_string_equal(u.host, "tenant.fotoware.cloud");
    assert_string_equal(u.authority, "tenant.fotoware.cloud");
    assert_int_equal(u.port, 443);
    assert_string_equal(u.prefix, "");

    assert_int_equal(fwc_url_parse("HTTPS://127.0.0.1:8443/", &u), FWC_OK);
    assert_string_equal(u.host, "127.0.0.1");
    assert_string_equal(u.authority, "127.0.0.1:8443");
    assert_int_equal(u.port, 8443);
    assert_string_equal(u.prefix, "");

    assert_int_equal(fwc_url_parse("https://[::1]:9443/base/path/", &u), FWC_OK);
    assert_string_equal(u.host, "::1");
    assert_string_equal(u.authority, "[::1]:9443");
    assert_int_equal(u.port, 9443);
    assert_string_equal(u.prefix, "/base/path");
}

static void plaintext_is_refused_by_default(void **state)
{
    struct fwc_url u;
    (void)state;
#if CONFIG_FWC_ALLOW_HTTP
    assert_int_equal(fwc_url_parse("http://rig.local:8080", &u), FWC_OK);
    assert_false(u.tls);
#else
    assert_int_equal(fwc_url_parse("http://rig.local:8080", &u), FWC_ERR_PLAINTEXT);
#endif
}

static void malformed_urls_are_named_errors(void **state)
{
    static const char *const bad[] = {
        "", "tenant.example", "ftp://tenant.example", "https://", "https:///path",
        "https://user:pw@tenant.example", "https://tenant.example?x=1",
        "https://tenant.example/a#frag", "https://tenant.example:0", "https://tenant.example:65536",
        "https://tenant.example:123456", "https://tenant.example:", "https://tenant.example:80x",
        "https://ten ant.example", "https://tenant.example/a b", "https://[::1", "https://[]",
        "https://[fe80::1%eth0]", "https://-tenant.example", "https://tenant.example\r\nX: y",
        "https://tenant.example/\x7f",
        /* Brackets without a ':' hold no IPv6 literal (found by fuzzing). */
        "https://[2.0]:443/a/b", "https://[cafe]", "https://[1.2.3.4]",
    };
    struct fwc_url u;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&u, 0x5a, sizeof(u));
        assert_int_equal(fwc_url_parse(bad[i], &u), FWC_ERR_URL);
        assert_int_equal(u.host[0], 0); /* nothing half-filled */
    }
}

static void too_long_is_an_error_not_a_truncation(void **state)
{
    char url[CONFIG_FWC_URL_HOST_MAX + 64];
    struct fwc_url u;
    (void)state;
    memcpy(url, "https://", 8);
    memset(url + 8, 'a', CONFIG_FWC_URL_HOST_MAX);
    url[8 + CONFIG_FWC_URL_HOST_MAX] = '\0';
    assert_int_equal(fwc_url_parse(url, &u), FWC_ERR_URL);
    /* One shorter fits exactly. */
    url[8 + CONFIG_FWC_URL_HOST_MAX - 1] = '\0';
    assert_int_equal(fwc_url_parse(url, &u), FWC_OK);
    assert_int_equal(strlen(u.host), CONFIG_FWC_URL_HOST_MAX - 1);
}

static void null_arguments_are_refused(void **state)
{
    struct fwc_url u;
    (void)state;
    assert_int_equal(fwc_url_parse(NULL, &u), FWC_ERR_INVALID_ARG);
    assert_int_equal(fwc_url_parse("https://a", NULL), FWC_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_tenant_urls),
        cmocka_unit_test(plaintext_is_refused_by_default),
        cmocka_unit_test(malformed_urls_are_named_errors),
        cmocka_unit_test(too_long_is_an_error_not_a_truncation),
        cmocka_unit_test(null_arguments_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
