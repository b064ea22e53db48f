/* SPDX-License-Identifier: MIT */
/* Base URL parsing: what is accepted, and that everything else is a named
 * error with nothing half-filled. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/internal/url.h"
#include "url_host.h"

static void accepts_tenant_urls(void **state)
{
    struct fwc_url u;
    (void)state;
    assert_int_equal(fwci_url_parse("https://tenant.fotoware.cloud", &u), FWC_OK);
    assert_true(u.tls);
    assert_string_equal(u.host, "tenant.fotoware.cloud");
    assert_string_equal(u.authority, "tenant.fotoware.cloud");
    assert_int_equal(u.port, 443);
    assert_string_equal(u.prefix, "");

    assert_int_equal(fwci_url_parse("HTTPS://127.0.0.1:8443/", &u), FWC_OK);
    assert_string_equal(u.host, "127.0.0.1");
    assert_string_equal(u.authority, "127.0.0.1:8443");
    assert_int_equal(u.port, 8443);
    assert_string_equal(u.prefix, "");

    assert_int_equal(fwci_url_parse("https://[::1]:9443/base/path/", &u), FWC_OK);
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
    assert_int_equal(fwci_url_parse("http://rig.local:8080", &u), FWC_OK);
    assert_false(u.tls);
#else
    assert_int_equal(fwci_url_parse("http://rig.local:8080", &u), FWC_ERR_PLAINTEXT);
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
        assert_int_equal(fwci_url_parse(bad[i], &u), FWC_ERR_URL);
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
    assert_int_equal(fwci_url_parse(url, &u), FWC_ERR_URL);
    /* One shorter fits exactly. */
    url[8 + CONFIG_FWC_URL_HOST_MAX - 1] = '\0';
    assert_int_equal(fwci_url_parse(url, &u), FWC_OK);
    assert_int_equal(strlen(u.host), CONFIG_FWC_URL_HOST_MAX - 1);
}

static void null_arguments_are_refused(void **state)
{
    struct fwc_url u;
    (void)state;
    assert_int_equal(fwci_url_parse(NULL, &u), FWC_ERR_INVALID_ARG);
    assert_int_equal(fwci_url_parse("https://a", NULL), FWC_ERR_INVALID_ARG);
}

/* What the TLS transport sends as SNI and matches against the
 * certificate: the address bytes for a literal, nothing for a name, and a
 * refusal for what a resolver might read as an address in another form. */
static void hosts_are_names_or_addresses(void **state)
{
    static const struct {
        const char *host;
        enum fwc_host_kind kind;
        uint8_t ip[16];
    } cases[] = {
        {"tenant.fotoware.cloud", FWC_HOST_NAME, {0}},
        {"localhost", FWC_HOST_NAME, {0}},
        {"1.2.3.4.example", FWC_HOST_NAME, {0}},
        {"127.0.0.1", FWC_HOST_IPV4, {127, 0, 0, 1}},
        {"0.0.0.0", FWC_HOST_IPV4, {0}},
        {"255.255.255.255", FWC_HOST_IPV4, {255, 255, 255, 255}},
        {"::1", FWC_HOST_IPV6, {[15] = 1}},
        {"::", FWC_HOST_IPV6, {0}},
        {"1::", FWC_HOST_IPV6, {0, 1}},
        {"2001:DB8::8:800:200c:417a", FWC_HOST_IPV6,
         {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0x08, 0x08, 0, 0x20, 0x0c, 0x41, 0x7a}},
        {"1:2:3:4:5:6:7::", FWC_HOST_IPV6, {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 0}},
        {"1:2:3:4:5:6:7:8", FWC_HOST_IPV6, {0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8}},
        {"::ffff:10.77.0.1", FWC_HOST_IPV6, {[10] = 0xff, 0xff, 10, 77, 0, 1}},
        {"127.1", FWC_HOST_BAD, {0}},
        {"0x7f.0.0.1", FWC_HOST_BAD, {0}},
        {"a.0X1f", FWC_HOST_BAD, {0}},
        {"010.0.0.1", FWC_HOST_BAD, {0}},
        {"256.0.0.1", FWC_HOST_BAD, {0}},
        {"1.2.3.4.5", FWC_HOST_BAD, {0}},
        {"127.0.0.1.", FWC_HOST_BAD, {0}},
        {"1:2", FWC_HOST_BAD, {0}},
        {":1", FWC_HOST_BAD, {0}},
        {"1:", FWC_HOST_BAD, {0}},
        {"1::2::3", FWC_HOST_BAD, {0}},
        {":::", FWC_HOST_BAD, {0}},
        {"12345::", FWC_HOST_BAD, {0}},
        {"1:2:3:4:5:6:7:8::", FWC_HOST_BAD, {0}},
        {"1:2:3:4:5:6:7:8:9", FWC_HOST_BAD, {0}},
        {"1:2:3:4:5:6:7::8", FWC_HOST_BAD, {0}},
        {"1:2:3:4:5:6:7:1.2.3.4", FWC_HOST_BAD, {0}},
        {"::1.2.3", FWC_HOST_BAD, {0}},
        {"::1.2.3.4:5", FWC_HOST_BAD, {0}},
        {"fe80::1%eth0", FWC_HOST_BAD, {0}},
    };
    uint8_t ip[16];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        memset(ip, 0x5a, sizeof(ip));
        assert_int_equal(fwci_url_host_kind(cases[i].host, ip), cases[i].kind);
        if (cases[i].kind > 0)
            assert_memory_equal(ip, cases[i].ip, (size_t)cases[i].kind);
    }
}

static void addresses_in_other_spellings_are_refused(void **state)
{
    static const char *const bad[] = {
        "https://127.1", "https://0x7f.0.0.1:8443", "https://010.0.0.1/", "https://[1:2:3]",
        "https://[::1.2.3]", "https://256.1.1.1",
    };
    struct fwc_url u;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(fwci_url_parse(bad[i], &u), FWC_ERR_URL);
    assert_int_equal(fwci_url_parse("https://[::ffff:10.77.0.1]:8443", &u), FWC_OK);
    assert_string_equal(u.host, "::ffff:10.77.0.1");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_tenant_urls),
        cmocka_unit_test(plaintext_is_refused_by_default),
        cmocka_unit_test(malformed_urls_are_named_errors),
        cmocka_unit_test(too_long_is_an_error_not_a_truncation),
        cmocka_unit_test(null_arguments_are_refused),
        cmocka_unit_test(hosts_are_names_or_addresses),
        cmocka_unit_test(addresses_in_other_spellings_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
