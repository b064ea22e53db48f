/* SPDX-License-Identifier: MIT */
/* The CONNECT tunnel (src/proxy.c) over the fake port's sockets playing a
 * script: the request's bytes, Basic credentials (and that they are wiped
 * and never logged), 2xx, 407, other refusals, a proxy that closes or
 * resets, a malformed or over-long answer, bytes after the answer, time
 * bounds, and the client config's checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_port.h"
#include "fwc/client.h"
#include "fwc/internal/proxy.h"
#include "script_transport.h"

#define CONNS(...) ((const struct st_step *const[]){__VA_ARGS__})
#define NCONNS(...) (sizeof((const struct st_step *const[]){__VA_ARGS__}) / sizeof(void *))
#define START(st, ...) script_transport_init((st), CONNS(__VA_ARGS__), NCONNS(__VA_ARGS__))
#define END {ST_END, 0, 0}

static struct script_transport st;
static struct fwc_proxy px;

static bool sent_contains(const char *needle)
{
    size_t n = strlen(needle), i;
    for (i = 0; i + n <= st.sent_len; i++) {
        if (memcmp(st.sent + i, needle, n) == 0)
            return true;
    }
    return false;
}

static enum fwc_err tunnel(const char *user, const char *password, const char *host, int *sock)
{
    struct fwc_proxy_config cfg = {"proxy.example", 3128, NULL, NULL};
    cfg.user = user;
    cfg.password = password;
    fake_tcp = script_transport_ops(&st);
    fake_tcp_closes = 0;
    assert_int_equal(fwci_proxy_init(&px, &cfg), FWC_OK);
    return fwci_proxy_connect(&px, host, 443, 10000, sock);
}

static void open_proxy_tunnel(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 200 Connection established\r\nProxy-agent: tinyproxy\r\n\r\n"),
        END};
    int sock = -1;
    (void)state;
    START(&st, c1);
    assert_int_equal(tunnel(NULL, NULL, "tenant.fotoware.cloud", &sock), FWC_OK);
    assert_int_equal(sock, 7);
    assert_string_equal(fake_tcp_host, "proxy.example");
    assert_int_equal(fake_tcp_port, 3128);
    assert_int_equal(st.sent_len, strlen("CONNECT tenant.fotoware.cloud:443 HTTP/1.1\r\n"
                                         "Host: tenant.fotoware.cloud:443\r\n"
                                         "User-Agent: fwc/0.1.0\r\n\r\n"));
    assert_true(sent_contains("CONNECT tenant.fotoware.cloud:443 HTTP/1.1\r\n"
                              "Host: tenant.fotoware.cloud:443\r\n"));
    assert_false(sent_contains("Proxy-Authorization"));
    assert_int_equal(fake_tcp_closes, 0); /* the tunnel stays for TLS */
    assert_int_equal(fwci_proxy_status(&px), 200);
}

static void ipv6_origin_is_bracketed(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR("HTTP/1.0 200 OK\r\n\r\n"), END};
    int sock = -1;
    (void)state;
    START(&st, c1);
    assert_int_equal(tunnel(NULL, NULL, "2001:db8::1", &sock), FWC_OK);
    assert_true(sent_contains("CONNECT [2001:db8::1]:443 HTTP/1.1\r\nHost: [2001:db8::1]:443\r\n"));
}

/* Credentials long enough to cross the send buffer's edge, every length
 * mod 3 of Base64, wiped from the buffer, never in the log. */
static void basic_credentials_are_sent_and_wiped(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR("HTTP/1.1 200 OK\r\n\r\n"), END};
    static char long_user[301];
    size_t i;
    int sock = -1;
    (void)state;
    fake_log_forbid("pr0xy-pass");
    fake_log_forbid("QWxhZGRpbjpwcjB4eS1wYXNz"); /* Aladdin:pr0xy-pass */
    fake_log_reset();
    START(&st, c1);
    assert_int_equal(tunnel("Aladdin", "pr0xy-pass", "h.example", &sock), FWC_OK);
    assert_true(sent_contains("\r\nProxy-Authorization: Basic QWxhZGRpbjpwcjB4eS1wYXNz\r\n\r\n"));
    for (i = 0; i < sizeof(px._internal.buf); i++)
        assert_int_equal(px._internal.buf[i], 0);
    START(&st, c1);
    assert_int_equal(tunnel("ab", "c", "h.example", &sock), FWC_OK); /* "ab:c" */
    assert_true(sent_contains("Proxy-Authorization: Basic YWI6Yw==\r\n"));
    START(&st, c1);
    assert_int_equal(tunnel("ab", "cd", "h.example", &sock), FWC_OK);
    assert_true(sent_contains("Proxy-Authorization: Basic YWI6Y2Q=\r\n"));
    START(&st, c1);
    assert_int_equal(tunnel("u", NULL, "h.example", &sock), FWC_OK); /* "u:" */
    assert_true(sent_contains("Proxy-Authorization: Basic dTo=\r\n"));
    memset(long_user, 'u', sizeof(long_user) - 1);
    START(&st, c1);
    assert_int_equal(tunnel(long_user, "p", "h.example", &sock), FWC_OK);
    assert_true(sent_contains("dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1dXV1"));
    assert_true(sent_contains("dXV1OnA=\r\n\r\n")); /* ...uuu, then ":p" */
    assert_true(st.sent_len > 400);
}

static void refusals_are_named_and_close(void **state)
{
    static const struct st_step auth[] = {
        ST_DATA_STR("HTTP/1.1 407 Proxy Authentication Required\r\n"
                    "Proxy-Authenticate: Basic realm=\"p\"\r\nContent-Length: 5\r\n\r\nnope!"),
        END};
    static const struct st_step tiny_401[] = {
        ST_DATA_STR("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"), END};
    static const struct st_step forbidden[] = {
        ST_DATA_STR("HTTP/1.1 403 Access violation\r\nContent-Length: 0\r\n\r\n"), END};
    static const struct st_step bad_gw[] = {ST_DATA_STR("HTTP/1.0 502 Bad Gateway\r\n\r\n"), END};
    static const struct st_step closes[] = {{ST_CLOSE, 0, 0}};
    static const struct st_step closes_mid[] = {ST_DATA_STR("HTTP/1.1 200 Conn"), {ST_CLOSE, 0, 0}};
    static const struct st_step resets[] = {{ST_LATE_RESET, 0, 0}};
    static const struct st_step not_http[] = {ST_DATA_STR("SSH-2.0-OpenSSH_9.2\r\n"), END};
    static const struct st_step extra[] = {ST_DATA_STR("HTTP/1.1 200 OK\r\n\r\nsurprise"), END};
    static const struct st_step interim[] = {
        ST_DATA_STR("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n\r\n"), END};
    int sock = -1;
    (void)state;
    START(&st, auth);
    assert_int_equal(tunnel("u", "wrong", "h.example", &sock), FWC_ERR_PROXY_AUTH);
    assert_int_equal(fake_tcp_closes, 1);
    assert_int_equal(fwci_proxy_status(&px), 407);
    START(&st, tiny_401); /* tinyproxy's answer to wrong credentials */
    assert_int_equal(tunnel("u", "wrong", "h.example", &sock), FWC_ERR_PROXY_AUTH);
    START(&st, forbidden);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_PROXY);
    assert_int_equal(fake_tcp_closes, 1);
    START(&st, bad_gw);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_PROXY);
    START(&st, closes);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_PROXY_CLOSED);
    assert_int_equal(fake_tcp_closes, 1);
    START(&st, closes_mid);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_PROXY_CLOSED);
    START(&st, resets);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_PROXY_CLOSED);
    START(&st, not_http);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_HTTP_STATUS_LINE);
    START(&st, extra);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_PROXY);
    assert_int_equal(fake_tcp_closes, 1);
    START(&st, interim);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_OK);
}

/* The same limits as any response: a line over its limit, too many headers. */
static void answers_meet_the_parser_limits(void **state)
{
    static char long_line[8192];
    static struct st_step c1[] = {{ST_DATA, long_line, 0}, END};
    static char many[16384];
    static struct st_step c2[] = {{ST_DATA, many, 0}, END};
    size_t n, i;
    int sock = -1;
    (void)state;
    n = (size_t)snprintf(long_line, sizeof(long_line), "HTTP/1.1 200 OK\r\nX-Long: ");
    memset(long_line + n, 'x', sizeof(long_line) - n - 1);
    c1[0].len = sizeof(long_line) - 1;
    START(&st, c1);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_HTTP_LINE_TOO_LONG);
    n = (size_t)snprintf(many, sizeof(many), "HTTP/1.1 200 OK\r\n");
    for (i = 0; i < 200 && n + 16 < sizeof(many); i++)
        n += (size_t)snprintf(many + n, sizeof(many) - n, "X-%03u: y\r\n", (unsigned)i);
    n += (size_t)snprintf(many + n, sizeof(many) - n, "\r\n");
    c2[0].len = n;
    START(&st, c2);
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_HTTP_TOO_MANY_HEADERS);
}

/* A proxy that never answers, or trickles: the set-up ends within its
 * timeout. */
static void silent_or_trickling_proxy_times_out(void **state)
{
    static char slow[4096];
    static const struct st_step silent[] = {END};
    static struct st_step trickle[] = {{ST_TRICKLE, slow, sizeof(slow)}, END};
    uint32_t start;
    int sock = -1;
    (void)state;
    memcpy(slow, "HTTP/1.1 200 OK\r\n", 17);
    memset(slow + 17, 'X', sizeof(slow) - 17); /* never ends its head */
    START(&st, silent);
    start = fake_now_ms;
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_TIMEOUT);
    assert_true(fake_now_ms - start <= 10000);
    assert_int_equal(fake_tcp_closes, 1);
    START(&st, trickle);
    start = fake_now_ms;
    assert_int_equal(tunnel(NULL, NULL, "h.example", &sock), FWC_ERR_TIMEOUT);
    assert_true(fake_now_ms - start <= 10000);
}

static void bad_configs_are_refused(void **state)
{
    static const struct fwc_proxy_config bad[] = {
        {NULL, 3128, NULL, NULL},         {"", 3128, NULL, NULL},
        {"p.example", 0, NULL, NULL},     {"p ex", 3128, NULL, NULL},
        {"p/x", 3128, NULL, NULL},        {"p.example", 1, "a:b", "c"},
        {"p.example", 1, "a\r\n", "c"},   {"p.example", 1, "a", "c\n"},
        {"p.example", 1, NULL, "secret"},
    };
    struct fwc_client client;
    struct fwc_client_config cfg;
    static const uint8_t ca[] = "-----BEGIN CERTIFICATE-----\n";
    struct fwc_proxy_config good = {"p.example", 3128, NULL, NULL};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_int_equal(fwci_proxy_init(&px, &bad[i]), FWC_ERR_INVALID_ARG);
    /* An own transport reaches its server its own way: no proxy with it. */
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://api.example";
    cfg.transport = script_transport_ops(&st);
    cfg.proxy = &good;
    assert_int_equal(fwc_client_init(&client, &cfg), FWC_ERR_INVALID_ARG);
    cfg.transport = NULL;
    cfg.ca = ca;
    cfg.ca_len = sizeof(ca);
    cfg.proxy = &bad[0];
    assert_true(fwc_client_init(&client, &cfg) != FWC_OK);
}

static void error_names(void **state)
{
    (void)state;
    assert_string_equal(fwc_strerror(FWC_ERR_PROXY_AUTH),
                        "the proxy wants other credentials (407)");
    assert_string_equal(fwc_strerror(FWC_ERR_PROXY), "the proxy refused the tunnel");
    assert_string_equal(fwc_strerror(FWC_ERR_PROXY_CLOSED), "the proxy closed the connection");
    assert_true(FWC_ERR_MIN <= FWC_ERR_PROXY_CLOSED); /* later codes follow it */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_proxy_tunnel),
        cmocka_unit_test(ipv6_origin_is_bracketed),
        cmocka_unit_test(basic_credentials_are_sent_and_wiped),
        cmocka_unit_test(refusals_are_named_and_close),
        cmocka_unit_test(answers_meet_the_parser_limits),
        cmocka_unit_test(silent_or_trickling_proxy_times_out),
        cmocka_unit_test(bad_configs_are_refused),
        cmocka_unit_test(error_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
