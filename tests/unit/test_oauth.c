/* SPDX-License-Identifier: MIT */
/* The token flow over a scripted transport and the fake port: the request
 * on the wire, the cache and its expiry arithmetic, failures, and that no
 * secret or token outlives its use in any buffer or reaches the log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "client_internal.h"
#include "fake_port.h"
#include "fwc/oauth.h"
#include "script_transport.h"

#define CONNS(...) ((const struct st_step *const[]){__VA_ARGS__})
#define NCONNS(...) (sizeof((const struct st_step *const[]){__VA_ARGS__}) / sizeof(void *))
#define START(st, ...) script_transport_init((st), CONNS(__VA_ARGS__), NCONNS(__VA_ARGS__))

#define TOKEN_A "tokenAAAA0123456789"
#define TOKEN_B "tokenBBBB9876543210"
#define BODY_A "{\"access_token\":\"" TOKEN_A "\",\"token_type\":\"bearer\",\"expires_in\":3600}"
#define BODY_B "{\"access_token\":\"" TOKEN_B "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"
#define SECRET_FORM "s3cr%2Bt%2Fwith%3Dodd%26chars"

/* The renewal spread of a 3600 s token with the configured options:
 * max(jitter seconds, jitter percent of the lifetime), which the margin
 * (360 s) and the floor (360 s) leave room for at every allowed percent
 * up to 80. What fake entropy byte b (every byte b) draws from it: */
#define SPAN_3600 \
    (CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u > 36000u * CONFIG_FWC_TOKEN_RENEW_JITTER_PCT \
         ? CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u                                    \
         : 36000u * CONFIG_FWC_TOKEN_RENEW_JITTER_PCT)
#define DRAW(b, span) ((uint32_t)(((uint64_t)((b) * 257u) * ((span) + 1u)) >> 16))

static struct script_transport st;
static struct fwc_client client;
static char tok[CONFIG_FWC_TOKEN_MAX + 1];
static char responses[8][4096];

/* An HTTP response with a correct Content-Length around body. */
static struct st_step answer(int slot, const char *status_line, const char *body)
{
    struct st_step s;
    int n = snprintf(responses[slot], sizeof(responses[slot]),
                     "%s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                     status_line, strlen(body), body);
    s.kind = ST_DATA;
    s.data = responses[slot];
    s.len = (size_t)n;
    return s;
}

static void init_client(enum fwc_auth_method auth)
{
    struct fwc_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://api.example";
    cfg.transport = script_transport_ops(&st);
    cfg.auth = auth;
    assert_int_equal(fwc_client_init(&client, &cfg), FWC_OK);
    fake_log_reset();
    fake_log_forbid(TOKEN_A);
    fake_log_forbid(TOKEN_B);
    fake_secret_fails = 0;
    fake_entropy_byte = 0x80;
}

static bool contains(const void *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;
    for (i = 0; i + n <= len; i++) {
        if (memcmp((const char *)hay + i, needle, n) == 0)
            return true;
    }
    return false;
}

static void assert_zero(const void *p, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        assert_int_equal(((const uint8_t *)p)[i], 0);
}

/* Every scratch that held a secret or a token is zero. */
static void assert_scratch_wiped(void)
{
    assert_zero(client._internal.credentials.client_id, sizeof(client._internal.credentials.client_id));
    assert_zero(client._internal.credentials.secret, sizeof(client._internal.credentials.secret));
#if CONFIG_FWC_AUTH_BASIC
    assert_zero(client._internal.credentials.basic_auth, sizeof(client._internal.credentials.basic_auth));
#endif
    assert_zero(&client._internal.answer, sizeof(client._internal.answer));
    assert_zero(client._internal.link.conn._internal.buf, sizeof(client._internal.link.conn._internal.buf));
    assert_zero(&client._internal.link.conn._internal.parser,
                sizeof(client._internal.link.conn._internal.parser));
#if CONFIG_FWC_LOCKS
    assert_int_equal(client._internal.lock.storage.bytes[0], 0); /* lock released */
#endif
    /* And no log line carries the secret, in either form. */
    assert_false(contains(fake_log, fake_log_len, "s3cr+t"));
    assert_false(contains(fake_log, fake_log_len, SECRET_FORM));
}

/* The last failure's OAuth code, copied out as fwc_client_oauth_error() does. */
static const char *oauth_code(void)
{
    static char code[FWC_OAUTH_ERROR_MAX];
    memset(code, 'x', sizeof(code));
    fwc_client_oauth_error(&client, code, sizeof(code));
    return code;
}

static void request_on_the_wire_is_fotowebs(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    static const char expected[] =
        "POST /fotoweb/oauth2/token HTTP/1.1\r\nHost: api.example\r\nUser-Agent: fwc/0.1.0\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nAccept: application/json\r\n"
        "Content-Length: 95\r\n\r\n"
        "grant_type=client_credentials&client_id=demo-client&client_secret=" SECRET_FORM;
    size_t len = 0;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), &len), FWC_OK);
    assert_string_equal(tok, TOKEN_A);
    assert_int_equal(len, strlen(TOKEN_A));
    assert_int_equal(st.sent_len, sizeof(expected) - 1);
    assert_memory_equal(st.sent, expected, st.sent_len);
    assert_int_equal(fwc_token_seconds_left(&client), 3600);
    assert_scratch_wiped();
    fwc_client_close(&client);
}

static void basic_authentication_puts_the_pair_in_a_header(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    /* base64("demo-client:" SECRET_FORM) */
    static const char expected[] =
        "Authorization: Basic ZGVtby1jbGllbnQ6czNjciUyQnQlMkZ3aXRoJTNEb2RkJTI2Y2hhcnM=\r\n"
        "Content-Length: 29\r\n\r\ngrant_type=client_credentials";
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    START(&st, c1);
    init_client(FWC_AUTH_BASIC);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_true(st.sent_len > sizeof(expected) - 1);
    assert_memory_equal(st.sent + st.sent_len - (sizeof(expected) - 1), expected,
                        sizeof(expected) - 1);
    assert_false(contains(st.sent, st.sent_len, "client_secret="));
    assert_scratch_wiped();
    fwc_client_close(&client);
}

static void cached_token_is_reused_until_the_margin(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_END, 0, 0}};
    /* lifetime 3600 s: margin max(60 s, 10 %) = 360 s; jitter with entropy
     * bytes 0x80 0x80: 0x8080 * (span + 1) >> 16, a little over half the
     * span (with the seconds-only jitter of 30 s, 15059 ms). */
    const uint32_t renew_after = 3600000u - 360000u - DRAW(0x80u, SPAN_3600);
    uint32_t t0 = fake_now_ms;
    unsigned sends;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c1[2] = answer(1, "HTTP/1.1 200 OK", BODY_B);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    sends = st.sends;
    fake_now_ms = t0 + renew_after - 1;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_A);
    assert_int_equal(st.sends, sends); /* no new request */
    fake_now_ms = t0 + renew_after;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_B);
    assert_true(st.sends > sends);
    assert_int_equal(st.opens, 1); /* same kept-alive connection */
    fwc_client_close(&client);
}

static void expiry_arithmetic_survives_the_clock_wrap(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    (void)state;
    fake_now_ms = 0xFFFFFFFFu - 1000u; /* wraps one second into the lifetime */
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_clock_advance(2000); /* now past the wrap */
    assert_int_equal(fwc_token_seconds_left(&client), 3598);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(st.sends, 1);
    fwc_client_close(&client);
}

static void long_idle_renews_rather_than_trusting_a_stale_token(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_END, 0, 0}};
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c1[2] = answer(1, "HTTP/1.1 200 OK", BODY_B);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_clock_advance(30u * 86400u * 1000u); /* 30 days: past 2^31 ms */
    assert_int_equal(fwc_token_seconds_left(&client), 0);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_B);
    fwc_client_close(&client);
}

static void closed_client_is_refused(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}};
    unsigned calls;
    (void)state;
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    fwc_client_close(&client);
    calls = fake_secret_calls;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_INVALID_ARG);
    assert_int_equal(fake_secret_calls, calls); /* the secret was not even read */
}

static void short_lifetime_renews_at_half_not_every_call(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_END, 0, 0}};
    uint32_t t0 = fake_now_ms;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK",
                   "{\"access_token\":\"" TOKEN_A "\",\"token_type\":\"bearer\",\"expires_in\":30}");
    c1[2] = answer(1, "HTTP/1.1 200 OK", BODY_B);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_now_ms = t0 + 14999;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_A);
    fake_now_ms = t0 + 15000;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_B);
    fwc_client_close(&client);
}

static void jitter_moves_renewal_by_at_most_its_span(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_END, 0, 0}};
    uint32_t t0 = fake_now_ms;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c1[2] = answer(1, "HTTP/1.1 200 OK", BODY_B);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    /* Largest jitter: 0xFFFF * (span + 1) >> 16, the span less its 16-bit
     * resolution (span / 65536: 30000 of 30000 ms, 1439979 of 1440000). */
    const uint32_t most = DRAW(0xFFu, SPAN_3600);
    assert_true(most <= SPAN_3600 && most + SPAN_3600 / 65536u + 1u >= SPAN_3600);
    fake_entropy_byte = 0xFF;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_now_ms = t0 + 3600000u - 360000u - most - 1u;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_A);
    fake_now_ms = t0 + 3600000u - 360000u - most;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_B);
    fwc_client_close(&client);
}

static void missing_expires_in_uses_the_default(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK",
                   "{\"access_token\":\"" TOKEN_A "\",\"token_type\":\"bearer\"}");
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(fwc_token_seconds_left(&client), CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S);
    fwc_client_close(&client);
}

struct failure {
    const char *name;
    const char *status_line; /* NULL: the transport fails instead */
    const char *body;
    enum fwc_err want;
    int want_status;
    const char *want_oauth_error;
};

static const struct failure failures[] = {
    {"invalid_client", "HTTP/1.1 401 Unauthorized",
     "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}",
     FWC_ERR_OAUTH_INVALID_CLIENT, 401, "invalid_client"},
    {"access_denied", "HTTP/1.1 403 Forbidden", "{\"error\":\"access_denied\"}",
     FWC_ERR_OAUTH_ACCESS_DENIED, 403, "access_denied"},
    {"other oauth error", "HTTP/1.1 400 Bad Request", "{\"error\":\"unsupported_grant_type\"}",
     FWC_ERR_OAUTH, 400, "unsupported_grant_type"},
    {"proxy html", "HTTP/1.1 502 Bad Gateway", "<html><body>502</body></html>",
     FWC_ERR_HTTP_STATUS, 502, ""},
    {"wrong token_type", "HTTP/1.1 200 OK",
     "{\"access_token\":\"x\",\"token_type\":\"mac\",\"expires_in\":60}", FWC_ERR_TOKEN_RESPONSE,
     200, ""},
    {"truncated json", "HTTP/1.1 200 OK", "{\"access_token\":\"x\",\"token_ty",
     FWC_ERR_TOKEN_RESPONSE, 200, ""},
};

static void run_failure(const struct failure *f)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    enum fwc_err err;
    c1[0] = answer(2, f->status_line, f->body);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    err = fwc_token(&client, tok, sizeof(tok), NULL);
    assert_int_equal(err, f->want);
    assert_int_equal(fwc_client_http_status(&client), f->want_status);
    assert_string_equal(oauth_code(), f->want_oauth_error);
    assert_string_equal(tok, "");
    assert_false(client._internal.token.have_token);
    assert_zero(client._internal.token.token, sizeof(client._internal.token.token));
    assert_scratch_wiped();
    fwc_client_close(&client);
}

static void bad_answers_are_named_errors_and_leave_nothing(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(failures) / sizeof(failures[0]); i++)
        run_failure(&failures[i]);
}

static void transport_failures_leave_nothing(void **state)
{
    static const struct st_step cut[] = {
        ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 80\r\n\r\n{\"access_token\":\"abc"),
        {ST_CLOSE, 0, 0}};
    static const struct st_step silent[] = {{ST_END, 0, 0}};
    (void)state;

    START(&st, cut);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_HTTP_TRUNCATED);
    assert_scratch_wiped();
    fwc_client_close(&client);

    START(&st, silent);
    init_client(FWC_AUTH_DEFAULT);
    st.send_reset_after = 0;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_CONN_RESET);
    assert_scratch_wiped();
    fwc_client_close(&client);

    START(&st, silent);
    init_client(FWC_AUTH_DEFAULT);
    st.open_err = FWC_ERR_CONNECT;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_CONNECT);
    assert_scratch_wiped();
    fwc_client_close(&client);

    START(&st, silent);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_TIMEOUT);
    assert_scratch_wiped();
    fwc_client_close(&client);

    START(&st, silent);
    init_client(FWC_AUTH_DEFAULT);
    fake_secret_fails = 1;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_SECRET_UNAVAILABLE);
    assert_int_equal(st.opens, 0); /* nothing was sent */
    fake_secret_fails = 0;
    assert_scratch_wiped();
    fwc_client_close(&client);
}

static void large_error_page_is_a_status_error(void **state)
{
    static char page[CONFIG_FWC_TOKEN_RESPONSE_MAX * 2];
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    (void)state;
    memset(page, 'x', sizeof(page) - 1);
    c1[0] = answer(3, "HTTP/1.1 503 Service Unavailable", page);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_HTTP_STATUS);
    assert_int_equal(fwc_client_http_status(&client), 503);
    assert_scratch_wiped();
    fwc_client_close(&client);
}

static void failed_renewal_keeps_the_valid_token(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_END, 0, 0}};
    uint32_t t0 = fake_now_ms;
    unsigned sends;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c1[2] = answer(1, "HTTP/1.1 502 Bad Gateway", "<html>down</html>");
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_now_ms = t0 + 3500000u; /* inside the renewal window, not expired */
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_A);
    assert_int_equal(fwc_token_renew_error(&client), FWC_ERR_HTTP_STATUS);
    /* The next call within the back-off does not hit the server again. */
    sends = st.sends;
    fake_clock_advance(1000);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(st.sends, sends);
    /* Once it has expired, the failure is the answer. */
    fake_now_ms = t0 + 3600000u;
    assert_int_not_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_false(client._internal.token.have_token);
    assert_zero(client._internal.token.token, sizeof(client._internal.token.token));
    fwc_client_close(&client);
}

/* A refusal with an empty body and these headers (e.g. a Retry-After). */
static struct st_step refusal(int slot, const char *status_line, const char *headers)
{
    struct st_step s;
    int n = snprintf(responses[slot], sizeof(responses[slot]),
                     "%s\r\n%sContent-Length: 0\r\n\r\n", status_line, headers);
    s.kind = ST_DATA;
    s.data = responses[slot];
    s.len = (size_t)n;
    return s;
}

/* How long after a refused renewal (the token still valid for 600 s) the
 * client waits before it asks again, with this entropy. */
static uint32_t wait_after_refused_renewal(uint8_t entropy, struct st_step refused)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_END, 0, 0}};
    const struct fwci_token_cache *tc = &client._internal.token;
    uint32_t t0 = fake_now_ms, wait;

    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c1[2] = refused;
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_now_ms = t0 + 3000000u; /* renewal due, 600 s left */
    fake_entropy_byte = entropy;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_A);
    assert_int_equal(fwc_token_renew_error(&client), FWC_ERR_HTTP_STATUS);
    wait = tc->renew_after_ms - (fake_now_ms - tc->fetched_ms);
    fake_entropy_byte = 0x80;
    fwc_client_close(&client);
    return wait;
}

/* A fleet that a busy tenant refused together must not come back
 * together: the retry of a refused renewal comes at a uniform random point
 * from 30 s (or the server's Retry-After) to half the time left (here
 * 300 s of the 600 s). */
static void refused_renewal_waits_a_spread_time(void **state)
{
    struct st_step busy = refusal(1, "HTTP/1.1 503 Service Unavailable", "");
    struct st_step later = refusal(2, "HTTP/1.1 429 Too Many Requests", "Retry-After: 120\r\n");
    uint32_t low, high;
    (void)state;
    low = wait_after_refused_renewal(0x00, busy);
    high = wait_after_refused_renewal(0xFF, busy);
    assert_int_equal(low, 30000u);
    assert_int_equal(high, 30000u + DRAW(0xFFu, 270000u));
    assert_true(high > 299000u);
    low = wait_after_refused_renewal(0x00, later);
    high = wait_after_refused_renewal(0xFF, later);
    assert_int_equal(low, 120000u);
    assert_int_equal(high, 120000u + DRAW(0xFFu, 180000u));
}

/* A long-lived token's half-time-left is hours: the retry's span still
 * ends 16 min out, so a refused device tries again within that; a
 * Retry-After past 16 min keeps a quarter of itself as its spread. */
static void refused_renewal_of_a_long_token_tries_within_16_minutes(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_NEXT, 0, 0}, {ST_END, 0, 0}, {ST_END, 0, 0}};
    const struct fwci_token_cache *tc = &client._internal.token;
    uint32_t t0 = fake_now_ms;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK",
                   "{\"access_token\":\"" TOKEN_A "\",\"token_type\":\"bearer\","
                   "\"expires_in\":86400}");
    c1[2] = refusal(1, "HTTP/1.1 503 Service Unavailable", "");
    c1[4] = refusal(2, "HTTP/1.1 429 Too Many Requests", "Retry-After: 1800\r\n");
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_now_ms = t0 + tc->renew_after_ms; /* due, with hours left */
    fake_entropy_byte = 0xFF;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(tc->renew_after_ms - (fake_now_ms - tc->fetched_ms),
                     30000u + DRAW(0xFFu, 960000u - 30000u));
    fake_now_ms = tc->fetched_ms + tc->renew_after_ms;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(tc->renew_after_ms - (fake_now_ms - tc->fetched_ms),
                     1800000u + DRAW(0xFFu, 450000u));
    fake_entropy_byte = 0x80;
    fwc_client_close(&client);
}

/* Each refusal in a row doubles the wait, and the wait never reaches past
 * half the time the token has left. */
static void refused_renewals_back_off_within_half_the_time_left(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_NEXT, 0, 0}, {ST_END, 0, 0}, {ST_NEXT, 0, 0},
                                  {ST_END, 0, 0}, {ST_END, 0, 0}};
    const struct fwci_token_cache *tc = &client._internal.token;
    uint32_t t0 = fake_now_ms, age;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c1[2] = refusal(1, "HTTP/1.1 503 Service Unavailable", "");
    c1[4] = refusal(2, "HTTP/1.1 503 Service Unavailable", "");
    c1[6] = refusal(3, "HTTP/1.1 503 Service Unavailable", "");
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    fake_entropy_byte = 0x00; /* the lowest wait of each draw */
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_now_ms = t0 + 3300000u; /* past the renewal point (3240 s with no spread drawn) */
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    age = fake_now_ms - tc->fetched_ms;
    assert_int_equal(tc->renew_after_ms - age, 30000u);
    fake_now_ms = tc->fetched_ms + tc->renew_after_ms;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    age = fake_now_ms - tc->fetched_ms;
    assert_int_equal(tc->renew_after_ms - age, 60000u);
    /* 10 s before expiry the third refusal's 120 s shrink to half the
     * 10 s left, whatever the draw. */
    fake_now_ms = tc->fetched_ms + 3590000u;
    fake_entropy_byte = 0xFF;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    age = fake_now_ms - tc->fetched_ms;
    assert_int_equal(tc->renew_after_ms - age, 5000u);
    fake_entropy_byte = 0x80;
    fwc_client_close(&client);
}

static void stale_connection_resends_the_token_request(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_LATE_CLOSE, 0, 0}};
    static struct st_step c2[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    static const char body_tail[] = "&client_secret=" SECRET_FORM;
    uint32_t t0 = fake_now_ms;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c2[0] = answer(1, "HTTP/1.1 200 OK", BODY_B);
    START(&st, c1, c2);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fake_now_ms = t0 + 3500000u;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, TOKEN_B);
    assert_int_equal(st.opens, 2);
    /* The replayed body is whole on the new connection. */
    assert_memory_equal(st.sent + st.sent_len - (sizeof(body_tail) - 1), body_tail,
                        sizeof(body_tail) - 1);
    fwc_client_close(&client);
}

static void invalidate_and_close_wipe_the_token(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    fwc_token_invalidate(&client);
    assert_zero(client._internal.token.token, sizeof(client._internal.token.token));
    assert_int_equal(fwc_token_seconds_left(&client), 0);
    fwc_client_close(&client);
    assert_zero(&client, sizeof(client));
}

static void log_shows_at_most_four_token_characters(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_false(contains(fake_log, fake_log_len, "tokenA"));
#if CONFIG_FWC_LOG_LEVEL >= 3
    assert_true(contains(fake_log, fake_log_len, "toke... (19 chars)"));
#endif
    assert_scratch_wiped();
    fwc_client_close(&client);
}

static void too_small_output_is_refused(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    char small[8];
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, small, sizeof(small), NULL), FWC_ERR_TOKEN_TOO_LARGE);
    assert_string_equal(small, "");
    fwc_client_close(&client);
}

/* The OAuth code is copied into the caller's buffer, whole or not at
 * all, and gone once the client is closed. */
static void oauth_error_is_copied_whole_or_not_at_all(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    char small[sizeof("invalid_client") - 1];
    char exact[sizeof("invalid_client")];
    (void)state;
    c1[0] = answer(2, "HTTP/1.1 401 Unauthorized", "{\"error\":\"invalid_client\"}");
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_OAUTH_INVALID_CLIENT);
    memset(small, 'x', sizeof(small));
    fwc_client_oauth_error(&client, small, sizeof(small));
    assert_string_equal(small, ""); /* a cut code could read as another */
    fwc_client_oauth_error(&client, exact, sizeof(exact));
    assert_string_equal(exact, "invalid_client");
    fwc_client_oauth_error(&client, NULL, 8); /* nothing to write to: no crash */
    fwc_client_close(&client);
    assert_string_equal(oauth_code(), "");
    assert_int_equal(fwc_client_http_status(&client), 0);
    assert_int_equal(fwc_client_last_error(&client), FWC_OK);
}

#if CONFIG_FWC_LOCKS
/* Issue 15.2: client.h says the failure getters take the client's lock;
 * fwc_client_oauth_error() did not, and handed out a pointer into the
 * locked state, which another task's failure could rewrite while read. */
static void failure_getters_take_the_lock(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    unsigned before;
    (void)state;
    c1[0] = answer(2, "HTTP/1.1 401 Unauthorized", "{\"error\":\"invalid_client\"}");
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_OAUTH_INVALID_CLIENT);
    before = fake_lock_takes;
    assert_int_equal(fwc_client_http_status(&client), 401);
    assert_int_equal(fake_lock_takes, before + 1);
    assert_string_equal(oauth_code(), "invalid_client");
    assert_int_equal(fake_lock_takes, before + 2);
    assert_int_equal(fake_lock_held, 0);
    fwc_client_close(&client);
}
#endif

/* The renewal point before issue 21: expiry - min(margin + seconds jitter,
 * half the lifetime). */
static uint32_t old_renew_after(uint32_t life_s, uint32_t jitter)
{
    uint32_t life = life_s * 1000u, margin = CONFIG_FWC_TOKEN_RENEW_MARGIN_S * 1000u;
    uint32_t pct = life / 100u * CONFIG_FWC_TOKEN_RENEW_MARGIN_PCT;
    uint32_t early = (margin > pct ? margin : pct) + jitter;
    return life - (early > life / 2u ? life / 2u : early);
}

/* Percent 0 is the seconds-only jitter exactly, wherever that did not pile
 * renewals up at half the lifetime (margin + jitter <= half: lifetimes from
 * 2 * (60 + 30) s with the defaults). */
static void renew_jitter_pct_0_is_the_old_renewal(void **state)
{
    static const uint32_t lives[] = {180, 600, 1800, 3600, 86400, 604800};
    static const uint8_t bytes[] = {0x00, 0x01, 0x80, 0xC3, 0xFF};
    const uint32_t j = CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u;
    size_t i, k;
    (void)state;
    for (i = 0; i < sizeof(lives) / sizeof(lives[0]); i++) {
        for (k = 0; k < sizeof(bytes); k++) {
            fake_entropy_byte = bytes[k];
            assert_int_equal(fwci_token_renew_after_ms(lives[i], 0),
                             old_renew_after(lives[i], DRAW(bytes[k], j)));
        }
    }
    fake_entropy_byte = 0x80;
}

/* Every percent, every lifetime, every draw: renewal after the floor (10 %
 * of the lifetime, and not in the first 30 s unless the lifetime is under a
 * minute: then at half) and no later than the margin says; the spread
 * reaches the whole of its span when there is room for it. */
static void renew_jitter_pct_keeps_renewal_between_floor_and_margin(void **state)
{
    static const uint32_t lives[] = {1, 10, 30, 59, 60, 120, 300, 1800, 3600, 86400, 604800};
    static const unsigned pcts[] = {0, 10, 25, 40, 50, 80};
    size_t i, k;
    unsigned b;
    (void)state;
    for (i = 0; i < sizeof(lives) / sizeof(lives[0]); i++) {
        uint32_t life = lives[i] * 1000u, early = life / 10u;
        uint32_t floor = life / 10u > (life / 2u < 30000u ? life / 2u : 30000u)
                             ? life / 10u : (life / 2u < 30000u ? life / 2u : 30000u);
        if (early < CONFIG_FWC_TOKEN_RENEW_MARGIN_S * 1000u)
            early = CONFIG_FWC_TOKEN_RENEW_MARGIN_S * 1000u;
        if (early > life / 2u)
            early = life / 2u;
        for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++) {
            uint32_t lo = 0xFFFFFFFFu, hi = 0, want = life / 100u * pcts[k];
            for (b = 0; b < 256; b += 5) {
                uint32_t at;
                fake_entropy_byte = (uint8_t)b;
                at = fwci_token_renew_after_ms(lives[i], pcts[k]);
                assert_true(at >= floor);
                assert_true(at <= life - early);
                lo = at < lo ? at : lo;
                hi = at > hi ? at : hi;
            }
            if (want < CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u)
                want = CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u;
            if (want > life - early - floor)
                want = life - early - floor;
            assert_int_equal(hi, life - early);  /* entropy 0: no spread */
            /* entropy 0xFF: all of it, but for the 16-bit resolution */
            assert_true(hi - lo <= want && hi - lo + want / 65536u + 1u >= want);
        }
    }
    fake_entropy_byte = 0x80;
}

/* The default spreads a fleet's renewals uniformly over 50 % of the
 * lifetime: the first renewals of tokens issued in one second arrive at
 * most 0.65 / 0.5 = 1.3 times the fleet's mean renewal rate. */
static void default_renew_spread_is_wide_and_varies_with_entropy(void **state)
{
    uint32_t at[4];
    (void)state;
    fake_entropy_byte = 0x00;
    at[0] = fwci_token_renew_after_ms(1800, CONFIG_FWC_TOKEN_RENEW_JITTER_PCT);
    fake_entropy_byte = 0x40;
    at[1] = fwci_token_renew_after_ms(1800, CONFIG_FWC_TOKEN_RENEW_JITTER_PCT);
    fake_entropy_byte = 0x80;
    at[2] = fwci_token_renew_after_ms(1800, CONFIG_FWC_TOKEN_RENEW_JITTER_PCT);
    fake_entropy_byte = 0xFF;
    at[3] = fwci_token_renew_after_ms(1800, CONFIG_FWC_TOKEN_RENEW_JITTER_PCT);
    assert_true(at[0] > at[1] && at[1] > at[2] && at[2] > at[3]);
    assert_int_equal(at[0], 1620000u); /* 1800 s less the 10 % margin */
    assert_true(at[0] - at[3] + 1800u * 10u * CONFIG_FWC_TOKEN_RENEW_JITTER_PCT / 65536u + 1u >=
                1800u * 10u * CONFIG_FWC_TOKEN_RENEW_JITTER_PCT);
    assert_true(at[3] >= 720000u); /* never the first 40 % with the defaults */
    fake_entropy_byte = 0x00;
    fake_entropy_fails = 1; /* no entropy: no spread, still a renewal point */
    assert_int_equal(fwci_token_renew_after_ms(1800, CONFIG_FWC_TOKEN_RENEW_JITTER_PCT), at[0]);
    fake_entropy_fails = 0;
    fake_entropy_byte = 0x80;
}

/* The wait before a token request: uniform in 0..spread, at the start of
 * every call whose token request is due (none held, or renewal due, also
 * after a failed one), and never while the held token is not due. */
static void fetch_spread_waits_before_every_due_token_request(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_END, 0, 0}};
    const uint32_t most = DRAW(0xFFu, 600000u);
    uint32_t t0, left;
    (void)state;
    c1[0] = refusal(0, "HTTP/1.1 429 Too Many Requests", "");
    c1[2] = answer(1, "HTTP/1.1 200 OK", BODY_A);
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    fake_entropy_byte = 0xFF;
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600); /* no token yet */
    assert_int_equal(fake_now_ms - t0, most);
    fake_entropy_byte = 0x00;
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600);
    assert_int_equal(fake_now_ms - t0, 0); /* the draw's low end */
    fake_entropy_byte = 0xFF;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_HTTP_STATUS);
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600); /* refused: still none */
    assert_int_equal(fake_now_ms - t0, most);
    /* fwc_token() waits the build's CONFIG_FWC_TOKEN_FETCH_SPREAD_S itself. */
    t0 = fake_now_ms;
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(fake_now_ms - t0,
                     DRAW(0xFFu, CONFIG_FWC_TOKEN_FETCH_SPREAD_S * 1000u) *
                         (CONFIG_FWC_TOKEN_FETCH_SPREAD_S > 0));
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600); /* held, not due */
    assert_int_equal(fake_now_ms - t0, 0);
    fake_now_ms = client._internal.token.fetched_ms + client._internal.token.renew_after_ms - 1u;
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600);
    assert_int_equal(fake_now_ms - t0, 0);
    fake_now_ms++; /* renewal due, over twice the spread left */
    left = client._internal.token.lifetime_ms - client._internal.token.renew_after_ms;
    assert_true(left / 2u >= 600000u);
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600);
    assert_int_equal(fake_now_ms - t0, most);
    /* Due with 100 s left: the wait takes at most half of them, so the
     * token still holds if the renewal then fails. */
    client._internal.token.renew_after_ms = client._internal.token.lifetime_ms - 100000u;
    fake_now_ms = client._internal.token.fetched_ms + client._internal.token.renew_after_ms;
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600);
    assert_int_equal(fake_now_ms - t0, DRAW(0xFFu, 50000u));
    fwc_token_invalidate(&client);
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 0); /* off */
    assert_int_equal(fake_now_ms - t0, 0);
    fake_entropy_byte = 0x80;
    fwc_client_close(&client);
}

/* fwc_request() sleeps the build's fetch spread before the token request
 * it has to make (make test builds this file with 0 and with 60 s), and
 * not before a call whose token is held. */
static void request_waits_the_build_spread_before_its_token_request(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_NEXT, 0, 0}, {ST_END, 0, 0},
                                  {ST_NEXT, 0, 0}, {ST_END, 0, 0}, {ST_END, 0, 0}};
    static uint8_t body[64];
    struct fwc_http_request req;
    struct fwc_http_response resp;
    uint32_t t0;
    (void)state;
    c1[0] = answer(0, "HTTP/1.1 200 OK", BODY_A);
    c1[2] = answer(1, "HTTP/1.1 200 OK", "{}");
    c1[4] = answer(2, "HTTP/1.1 200 OK", "{}");
    START(&st, c1);
    init_client(FWC_AUTH_DEFAULT);
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.path = "/fotoweb/me/";
    memset(&resp, 0, sizeof(resp));
    resp.body_buf = body;
    resp.body_cap = sizeof(body);
    fake_entropy_byte = 0xFF;
    t0 = fake_now_ms;
    assert_int_equal(fwc_request(&client, &req, &resp), FWC_OK);
    assert_int_equal(fake_now_ms - t0, DRAW(0xFFu, CONFIG_FWC_TOKEN_FETCH_SPREAD_S * 1000u) *
                                           (CONFIG_FWC_TOKEN_FETCH_SPREAD_S > 0));
    t0 = fake_now_ms;
    assert_int_equal(fwc_request(&client, &req, &resp), FWC_OK);
    assert_int_equal(fake_now_ms - t0, 0);
    fake_entropy_byte = 0x80;
    fwc_client_close(&client);
}

int main(void)
{
    /* The fetch-spread build (make test's build/spread) runs these only:
     * the others time renewals as if no call slept before its token
     * request. */
    const struct CMUnitTest spread_tests[] = {
        cmocka_unit_test(fetch_spread_waits_before_every_due_token_request),
        cmocka_unit_test(request_waits_the_build_spread_before_its_token_request),
    };
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_on_the_wire_is_fotowebs),
        cmocka_unit_test(basic_authentication_puts_the_pair_in_a_header),
        cmocka_unit_test(cached_token_is_reused_until_the_margin),
        cmocka_unit_test(expiry_arithmetic_survives_the_clock_wrap),
        cmocka_unit_test(long_idle_renews_rather_than_trusting_a_stale_token),
        cmocka_unit_test(closed_client_is_refused),
        cmocka_unit_test(short_lifetime_renews_at_half_not_every_call),
        cmocka_unit_test(refused_renewal_waits_a_spread_time),
        cmocka_unit_test(refused_renewal_of_a_long_token_tries_within_16_minutes),
        cmocka_unit_test(refused_renewals_back_off_within_half_the_time_left),
        cmocka_unit_test(jitter_moves_renewal_by_at_most_its_span),
        cmocka_unit_test(missing_expires_in_uses_the_default),
        cmocka_unit_test(bad_answers_are_named_errors_and_leave_nothing),
        cmocka_unit_test(transport_failures_leave_nothing),
        cmocka_unit_test(large_error_page_is_a_status_error),
        cmocka_unit_test(failed_renewal_keeps_the_valid_token),
        cmocka_unit_test(stale_connection_resends_the_token_request),
        cmocka_unit_test(invalidate_and_close_wipe_the_token),
        cmocka_unit_test(log_shows_at_most_four_token_characters),
        cmocka_unit_test(too_small_output_is_refused),
        cmocka_unit_test(oauth_error_is_copied_whole_or_not_at_all),
        cmocka_unit_test(renew_jitter_pct_0_is_the_old_renewal),
        cmocka_unit_test(renew_jitter_pct_keeps_renewal_between_floor_and_margin),
        cmocka_unit_test(default_renew_spread_is_wide_and_varies_with_entropy),
        cmocka_unit_test(fetch_spread_waits_before_every_due_token_request),
        cmocka_unit_test(request_waits_the_build_spread_before_its_token_request),
#if CONFIG_FWC_LOCKS
        cmocka_unit_test(failure_getters_take_the_lock),
#endif
    };
    if (CONFIG_FWC_TOKEN_FETCH_SPREAD_S > 0)
        return cmocka_run_group_tests(spread_tests, NULL, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
