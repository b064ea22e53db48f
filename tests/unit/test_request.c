/* SPDX-License-Identifier: MIT */
/* fwc_request over a scripted transport: bearer and prefix, renew and
 * retry once on 401, Retry-After and backoff, what is and is not retried,
 * and that a retried response's body never reaches the caller. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_port.h"
#include "fwc/oauth.h"
#include "random.h"
#include "retry_after.h"
#include "script_transport.h"

#define CONNS(...) ((const struct st_step *const[]){__VA_ARGS__})
#define NCONNS(...) (sizeof((const struct st_step *const[]){__VA_ARGS__}) / sizeof(void *))
#define START(st, ...) script_transport_init((st), CONNS(__VA_ARGS__), NCONNS(__VA_ARGS__))

#define TOKEN_BODY(t) "{\"access_token\":\"" t "\",\"token_type\":\"bearer\",\"expires_in\":3600}"
#define TOKEN_A ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 63\r\n\r\n" TOKEN_BODY("tokA"))
#define TOKEN_B ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 63\r\n\r\n" TOKEN_BODY("tokB"))
#define NEXT {ST_NEXT, 0, 0}
#define END {ST_END, 0, 0}
#define OK_HELLO ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
#define S503(ra) ST_DATA_STR("HTTP/1.1 503 Busy\r\nRetry-After: " ra "\r\nContent-Length: 4\r\n\r\nbusy")
#define S401 ST_DATA_STR("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\nContent-Length: 3\r\n\r\nno!")
#define S500 ST_DATA_STR("HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\noops")

static struct script_transport st;
static struct fwc_client client;
static struct fwc_http_response resp;
static uint8_t body[64];

static void init(const char *base)
{
    struct fwc_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = base;
    cfg.transport = script_transport_ops(&st);
    assert_int_equal(fwc_client_init(&client, &cfg), FWC_OK);
    memset(&resp, 0, sizeof(resp));
    memset(body, 0, sizeof(body));
    resp.body_buf = body;
    resp.body_cap = sizeof(body);
}

/* The last failure's OAuth code, copied out as fwc_client_oauth_error() does. */
static const char *oauth_code(void)
{
    static char code[FWC_OAUTH_ERROR_MAX];
    memset(code, 'x', sizeof(code));
    fwc_client_oauth_error(&client, code, sizeof(code));
    return code;
}

static enum fwc_err call(const char *method, const char *path)
{
    struct fwc_http_request req;
    memset(&req, 0, sizeof(req));
    req.method = method;
    req.path = path;
    req.send_zero_length = strcmp(method, "POST") == 0;
    return fwc_request(&client, &req, &resp);
}

static unsigned count(const char *needle)
{
    size_t n = strlen(needle), i;
    unsigned k = 0;
    for (i = 0; i + n <= st.sent_len; i++)
        k += memcmp(st.sent + i, needle, n) == 0;
    return k;
}

static void bearer_and_prefix_are_added(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, OK_HELLO, END};
    (void)state;
    START(&st, c1);
    init("https://api.example/base");
    assert_int_equal(call("GET", "/fotoweb/me/"), FWC_OK);
    assert_int_equal(resp.status, 200);
    assert_memory_equal(body, "hello", 5);
    assert_int_equal(count("POST /base/fotoweb/oauth2/token "), 1);
    assert_int_equal(count("GET /base/fotoweb/me/ HTTP/1.1\r\n"), 1);
    assert_int_equal(count("Authorization: Bearer tokA\r\n"), 1);
    assert_int_equal(st.opens, 1); /* token and request share the connection */
    fwc_client_close(&client);
}

static void expired_token_is_renewed_and_the_request_repeated_once(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, S401, NEXT, TOKEN_B, NEXT, OK_HELLO, END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/fotoweb/me/"), FWC_OK);
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.body_len, 5); /* the 401's body did not reach us */
    assert_memory_equal(body, "hello", 5);
    assert_int_equal(count("Authorization: Bearer tokB\r\n"), 1);
    fwc_client_close(&client);
}

static void second_401_is_unauthorized(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, S401, NEXT, TOKEN_B, NEXT, S401, END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/fotoweb/me/"), FWC_ERR_UNAUTHORIZED);
    assert_int_equal(count("POST /fotoweb/oauth2/token"), 2); /* never a third */
    fwc_client_close(&client);
}

static void retry_after_seconds_is_honoured(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, S503("2"), NEXT, OK_HELLO, END};
    uint32_t t0;
    (void)state;
    START(&st, c1);
    init("https://api.example");
    t0 = fake_now_ms;
    assert_int_equal(call("POST", "/fotoweb/api/uploads"), FWC_OK);
    assert_true(fake_now_ms - t0 >= 2000);
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.body_len, 5); /* "busy" was not delivered */
    assert_int_equal(fwc_client_retry_after(&client), 2);
    fwc_client_close(&client);
}

static void retry_after_beyond_the_budget_is_rate_limited_at_once(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, S503("86400"), END};
    uint32_t t0;
    (void)state;
    START(&st, c1);
    init("https://api.example");
    t0 = fake_now_ms;
    assert_int_equal(call("GET", "/x"), FWC_ERR_RATE_LIMITED);
    assert_true(fake_now_ms - t0 < 1000); /* did not sleep a day */
    assert_int_equal(fwc_client_retry_after(&client), 86400);
    fwc_client_close(&client);
}

static void attempts_are_bounded(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, S503("1"), NEXT, S503("1"), NEXT,
                                        S503("1"), NEXT, S503("1"), NEXT, S503("1"), END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/x"), FWC_ERR_RATE_LIMITED);
    assert_int_equal(count("GET /x "), CONFIG_FWC_RETRY_MAX_ATTEMPTS);
    assert_int_equal(resp.status, 503);
    fwc_client_close(&client);
}

static void server_error_is_retried_only_when_idempotent(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, S500, NEXT, OK_HELLO, END};
    static const struct st_step c2[] = {TOKEN_A, NEXT, S500, END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/x"), FWC_OK);
    assert_int_equal(resp.status, 200);
    fwc_client_close(&client);

    START(&st, c2);
    init("https://api.example");
    assert_int_equal(call("POST", "/x"), FWC_ERR_HTTP_STATUS); /* the 500 is the answer */
    assert_int_equal(resp.status, 500);
    assert_memory_equal(body, "oops", 4);
    assert_int_equal(count("POST /x "), 1);
    fwc_client_close(&client);
}

/* A body on a slow medium: each rewind (one per attempt) costs a minute
 * of the fake clock, so the retry budget runs out between two answers. */
static int32_t four_bytes(void *ctx, uint8_t *buf, size_t len)
{
    unsigned *pos = ctx;
    size_t n = 4u - *pos < len ? 4u - *pos : len;
    memcpy(buf, &"data"[*pos], n);
    *pos += (unsigned)n;
    return (int32_t)n;
}

static enum fwc_err slow_rewind(void *ctx)
{
    *(unsigned *)ctx = 0;
    fake_clock_advance(60000);
    return FWC_OK;
}

/* Issue 15.1: an idempotent request answered 500 twice, whose next
 * backoff no longer fits CONFIG_FWC_RETRY_MAX_TOTAL_MS, came back FWC_OK
 * with the previous call's status (200) and no body. */
static void last_answer_5xx_out_of_time_is_never_ok(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, OK_HELLO, NEXT, S500, NEXT, S500, END};
    struct fwc_http_request req;
    unsigned pos = 0;
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/x"), FWC_OK);
    assert_int_equal(resp.status, 200);
    memset(&req, 0, sizeof(req));
    req.method = "PUT";
    req.path = "/x";
    req.body_reader = four_bytes;
    req.body_rewind = slow_rewind;
    req.body_reader_ctx = &pos;
    req.body_reader_len = 4;
    assert_int_equal(fwc_request(&client, &req, &resp), FWC_ERR_HTTP_STATUS);
    assert_int_equal(count("PUT /x "), 2); /* the second answer ended it */
    assert_int_equal(resp.status, 500);    /* the last answer, not the last call's */
    assert_int_equal(resp.sends, 2);
    fwc_client_close(&client);
}

/* Whatever a call ends in, resp says nothing of an earlier call. */
static void response_is_reset_at_every_call(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, OK_HELLO, END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/x"), FWC_OK);
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.body_len, 5);
    assert_int_equal(call("GET", "relative"), FWC_ERR_INVALID_ARG);
    assert_int_equal(resp.status, 0);
    assert_int_equal(resp.body_len, 0);
    assert_int_equal(resp.sends, 0);
    fwc_client_close(&client);
}

/* An error status is the answer, body and all, but never FWC_OK. */
static void error_status_is_never_ok(void **state)
{
    static const struct st_step c1[] = {
        TOKEN_A, NEXT,
        ST_DATA_STR("HTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope"), END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/x"), FWC_ERR_HTTP_STATUS);
    assert_int_equal(resp.status, 404);
    assert_int_equal(resp.body_len, 4);
    assert_memory_equal(body, "nope", 4);
    assert_int_equal(count("GET /x "), 1); /* a 4xx is not retried */
    fwc_client_close(&client);
}

/* Issue 15.2: a token refused with an OAuth code, then a request whose
 * token came but whose answer was 500: the last failure is the 500, with
 * no OAuth code; a later success leaves it as it was. */
static void last_failure_is_the_last_failing_calls(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 400 Bad Request\r\nContent-Length: 25\r\n\r\n"
                    "{\"error\":\"invalid_scope\"}"),
        NEXT, TOKEN_A, NEXT, S500, NEXT, OK_HELLO, END};
    char tok[CONFIG_FWC_TOKEN_MAX + 1];
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_ERR_OAUTH);
    assert_int_equal(fwc_client_last_error(&client), FWC_ERR_OAUTH);
    assert_int_equal(fwc_client_http_status(&client), 400);
    assert_string_equal(oauth_code(), "invalid_scope");
    assert_int_equal(call("POST", "/x"), FWC_ERR_HTTP_STATUS);
    assert_int_equal(fwc_client_last_error(&client), FWC_ERR_HTTP_STATUS);
    assert_int_equal(fwc_client_http_status(&client), 500);
    assert_string_equal(oauth_code(), "");
    assert_int_equal(call("GET", "/x"), FWC_OK);
    assert_int_equal(fwc_client_last_error(&client), FWC_ERR_HTTP_STATUS);
    assert_int_equal(fwc_client_http_status(&client), 500);
    fwc_client_close(&client);
}

/* Issue 15.3: a request the server carried out (201) whose Location is
 * too long for its slot is a success, the slot marked; a 503 whose
 * Retry-After fwc cannot read whole is not retried on a guess, and fails
 * with the error that says the server answered, its head in resp. */
static void long_headers_fail_only_where_fwc_needs_them(void **state)
{
    static char created[512], busy[512];
    static struct st_step c1[] = {TOKEN_A, NEXT, {ST_DATA, created, 0}, NEXT,
                                  {ST_DATA, busy, 0}, END};
    (void)state;
    c1[2].len = (size_t)snprintf(created, sizeof(created),
                                 "HTTP/1.1 201 Created\r\nLocation: /%0339d\r\n"
                                 "Content-Length: 2\r\n\r\nok", 0);
    c1[4].len = (size_t)snprintf(busy, sizeof(busy),
                                 "HTTP/1.1 503 Busy\r\nRetry-After: %0*d\r\n"
                                 "Content-Length: 4\r\n\r\nbusy",
                                 (int)sizeof(resp.retry_after), 7);
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("POST", "/x"), FWC_OK);
    assert_int_equal(resp.status, 201);
    assert_int_equal(resp.truncated, FWC_HTTP_KEPT_LOCATION);
    assert_string_equal(resp.location, "");
    assert_memory_equal(body, "ok", 2);
    assert_int_equal(call("GET", "/y"), FWC_ERR_HTTP_HEADER_TOO_LARGE);
    assert_int_equal(count("GET /y "), 1);
    assert_int_equal(resp.status, 503);
    assert_int_equal(resp.truncated, FWC_HTTP_KEPT_RETRY_AFTER);
    assert_int_equal(fwc_client_http_status(&client), 503);
    fwc_client_close(&client);
}

static void reset_is_retried_only_when_idempotent(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, {ST_LATE_RESET, 0, 0}};
    static const struct st_step c2[] = {OK_HELLO, END};
    (void)state;
    START(&st, c1, c2);
    init("https://api.example");
    assert_int_equal(call("GET", "/x"), FWC_OK);
    assert_int_equal(resp.status, 200);
    fwc_client_close(&client);

    START(&st, c1, c2);
    init("https://api.example");
    assert_int_equal(call("POST", "/x"), FWC_ERR_CONN_RESET);
    fwc_client_close(&client);
}

static void token_failure_is_the_answer(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 401 Unauthorized\r\nContent-Length: 26\r\n\r\n"
                    "{\"error\":\"invalid_client\"}"),
        END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "/x"), FWC_ERR_OAUTH_INVALID_CLIENT);
    assert_int_equal(count("GET /x"), 0);
    fwc_client_close(&client);
}

/* The span of the random extra on a Retry-After of wait_ms. */
static uint32_t extra_span(uint32_t wait_ms, unsigned pct)
{
    uint32_t span = (uint32_t)((uint64_t)wait_ms * pct / 100u);
    if (pct == 0)
        return 0;
    span = span < CONFIG_FWC_RETRY_BASE_MS ? CONFIG_FWC_RETRY_BASE_MS : span;
    return span > CONFIG_FWC_RETRY_CAP_MS ? CONFIG_FWC_RETRY_CAP_MS : span;
}

/* Never less than the server asked (RFC 9110 10.2.3), never more than
 * Retry-After * (1 + pct) or + CONFIG_FWC_RETRY_BASE_MS, and never beyond
 * the room the budget left; percent 0 is the Retry-After exactly. The extra
 * follows the entropy over the whole span. */
static void retry_after_spread_bounds(void **state)
{
    static const uint32_t waits[] = {0, 1000, 2000, 20000, 119000, 3600000, 86400000};
    static const unsigned pcts[] = {0, 1, 25, 100};
    static const uint32_t rooms[] = {0, 100, 0x7FFF0000u};
    size_t i, k, m;
    unsigned b;
    (void)state;
    for (i = 0; i < sizeof(waits) / sizeof(waits[0]); i++)
        for (k = 0; k < sizeof(pcts) / sizeof(pcts[0]); k++)
            for (m = 0; m < sizeof(rooms) / sizeof(rooms[0]); m++) {
                uint32_t span = extra_span(waits[i], pcts[k]), lo = 0xFFFFFFFFu, hi = 0;
                span = span < rooms[m] ? span : rooms[m];
                for (b = 0; b < 256; b++) {
                    uint32_t w;
                    fake_entropy_byte = (uint8_t)b;
                    w = fwci_retry_after_spread_ms(waits[i], pcts[k], rooms[m]);
                    assert_true(w >= waits[i]);
                    assert_true(w - waits[i] <= span);
                    assert_true((uint64_t)w <= (uint64_t)waits[i] * (100u + pcts[k]) / 100u +
                                                   CONFIG_FWC_RETRY_BASE_MS);
                    if (pcts[k] == 0)
                        assert_int_equal(w, waits[i]);
                    lo = w < lo ? w : lo;
                    hi = w > hi ? w : hi;
                }
                assert_int_equal(lo, waits[i]);                   /* entropy 0 */
                assert_true(hi - lo + span / 65536u + 1u >= span); /* 0xFF: all */
            }
    fake_entropy_fails = 1; /* no entropy: the Retry-After itself */
    assert_int_equal(fwci_retry_after_spread_ms(2000, 25, 0x7FFF0000u), 2000);
    fake_entropy_fails = 0;
    fake_entropy_byte = 0x80;
}

/* On the wire: a fleet told "Retry-After: 2" comes back spread over the
 * configured extra, each device by its own entropy. */
static void retry_after_wait_is_spread_by_entropy(void **state)
{
    static const struct st_step c1[] = {TOKEN_A, NEXT, S503("2"), NEXT, OK_HELLO, END};
    static const uint8_t bytes[] = {0x00, 0x80, 0xFF};
    const uint32_t span = extra_span(2000, CONFIG_FWC_RETRY_AFTER_JITTER_PCT);
    uint32_t t0, waited[3];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(bytes); i++) {
        START(&st, c1);
        init("https://api.example");
        fake_entropy_byte = bytes[i];
        t0 = fake_now_ms;
        assert_int_equal(call("GET", "/x"), FWC_OK);
        waited[i] = fake_now_ms - t0;
        assert_int_equal(waited[i], 2000u + (uint32_t)(((uint64_t)(bytes[i] * 257u) *
                                                         (span + 1u)) >> 16));
        fwc_client_close(&client);
    }
    assert_int_equal(waited[0], 2000); /* never less than asked */
    if (CONFIG_FWC_RETRY_AFTER_JITTER_PCT > 0)
        assert_true(waited[0] < waited[1] && waited[1] < waited[2]);
    fake_entropy_byte = 0x80;
}

/* A Retry-After that fits the budget is still waited for; the extra is cut
 * to what the budget has left, never spent beyond it. */
static void retry_after_extra_stays_within_the_budget(void **state)
{
    static char busy[128];
    static struct st_step c1[] = {TOKEN_A, NEXT, {ST_DATA, busy, 0}, NEXT, OK_HELLO, END};
    const uint32_t ra = CONFIG_FWC_RETRY_MAX_TOTAL_MS / 1000u - 1u;
    uint32_t t0;
    (void)state;
    c1[2].len = (size_t)snprintf(busy, sizeof(busy),
                                 "HTTP/1.1 429 Slow down\r\nRetry-After: %u\r\n"
                                 "Content-Length: 0\r\n\r\n", (unsigned)ra);
    START(&st, c1);
    init("https://api.example");
    fake_entropy_byte = 0xFF;
    t0 = fake_now_ms;
    assert_int_equal(call("GET", "/x"), FWC_OK);
    assert_true(fake_now_ms - t0 >= ra * 1000u);
    assert_true(fake_now_ms - t0 <= CONFIG_FWC_RETRY_MAX_TOTAL_MS);
    fake_entropy_byte = 0x80;
    fwc_client_close(&client);
}

/* Issue 21: the token endpoint's own 429 while fwc_request fetches the
 * token is waited for (Retry-After, spread, within the budget) and the
 * token request repeated, even before a POST: the request never left. */
static void busy_token_endpoint_is_waited_for(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 3\r\n"
                    "Content-Length: 4\r\n\r\nbusy"),
        NEXT, TOKEN_A, NEXT, OK_HELLO, END};
    const uint32_t span = extra_span(3000, CONFIG_FWC_RETRY_AFTER_JITTER_PCT);
    uint32_t t0;
    (void)state;
    START(&st, c1);
    init("https://api.example");
    t0 = fake_now_ms;
    assert_int_equal(call("POST", "/x"), FWC_OK);
    assert_true(fake_now_ms - t0 >= 3000u && fake_now_ms - t0 <= 3000u + span);
    assert_int_equal(resp.status, 200);
    assert_int_equal(fwc_client_retry_after(&client), 3);
    assert_int_equal(count("POST /fotoweb/oauth2/token"), 2);
    assert_int_equal(count("POST /x "), 1);
    fwc_client_close(&client);
}

/* ... without Retry-After, fwc's own backoff; beyond the budget, the
 * token's failure at once, its Retry-After for the application to see. */
static void busy_token_endpoint_backoff_and_budget(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy"),
        NEXT, TOKEN_A, NEXT, OK_HELLO, END};
    static const struct st_step c2[] = {
        ST_DATA_STR("HTTP/1.1 503 Busy\r\nRetry-After: 86400\r\nContent-Length: 4\r\n\r\nbusy"),
        END};
    uint32_t t0;
    (void)state;
    START(&st, c1);
    init("https://api.example");
    t0 = fake_now_ms;
    assert_int_equal(call("GET", "/x"), FWC_OK);
    assert_true(fake_now_ms - t0 >= CONFIG_FWC_RETRY_BASE_MS / 2u);
    assert_true(fake_now_ms - t0 <= CONFIG_FWC_RETRY_BASE_MS);
    assert_int_equal(fwc_client_retry_after(&client), 0);
    fwc_client_close(&client);

    START(&st, c2);
    init("https://api.example");
    t0 = fake_now_ms;
    assert_int_equal(call("GET", "/x"), FWC_ERR_HTTP_STATUS);
    assert_true(fake_now_ms - t0 < 1000); /* did not sleep a day */
    assert_int_equal(fwc_client_retry_after(&client), 86400);
    assert_int_equal(fwc_client_http_status(&client), 503);
    assert_int_equal(count("GET /x"), 0);
    fwc_client_close(&client);
}

static void bad_arguments_are_refused(void **state)
{
    static const struct st_step c1[] = {END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    assert_int_equal(call("GET", "relative"), FWC_ERR_INVALID_ARG);
    assert_int_equal(st.opens, 0);
    fwc_client_close(&client);
}

static void retry_after_forms(void **state)
{
    uint32_t s = 99;
    (void)state;
    assert_true(fwci_retry_after_seconds("120", -1, &s));
    assert_int_equal(s, 120);
    assert_true(fwci_retry_after_seconds("0", -1, &s));
    assert_int_equal(s, 0);
    /* Sun, 06 Nov 1994 08:49:37 GMT is 784111777. */
    assert_true(fwci_retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 - 30, &s));
    assert_int_equal(s, 30);
    assert_true(fwci_retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", 784111777 + 5, &s));
    assert_int_equal(s, 0); /* in the past: now */
    assert_false(fwci_retry_after_seconds("Sun, 06 Nov 1994 08:49:37 GMT", -1, &s)); /* no clock */
    assert_false(fwci_retry_after_seconds("", -1, &s));
    assert_false(fwci_retry_after_seconds("-5", -1, &s));
    assert_false(fwci_retry_after_seconds("1.5", -1, &s));
    /* Past a day is a day: the caller gives up at once. */
    assert_true(fwci_retry_after_seconds("9999999999", -1, &s));
    assert_int_equal(s, 86400);
    assert_true(fwci_retry_after_seconds("86401", -1, &s));
    assert_int_equal(s, 86400);
    assert_true(fwci_retry_after_seconds("000000000000000000000000000000007", -1, &s));
    assert_int_equal(s, 7);
    assert_true(fwci_retry_after_seconds("0000000000000000000000000000000100000", -1, &s));
    assert_int_equal(s, 86400);
    assert_true(fwci_retry_after_seconds("Fri, 01 Jan 2100 00:00:00 GMT", 784111777, &s));
    assert_int_equal(s, 86400);
    assert_false(fwci_retry_after_seconds("Sun, 06 Foo 1994 08:49:37 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Sun, 32 Nov 1994 08:49:37 GMT", 0, &s));
    /* The two obsolete forms recipients must accept (RFC 9110 5.6.7). */
    assert_true(fwci_retry_after_seconds("Sunday, 06-Nov-94 08:49:37 GMT", 784111777 - 30, &s));
    assert_int_equal(s, 30);
    assert_true(fwci_retry_after_seconds("Sun Nov  6 08:49:37 1994", 784111777 - 30, &s));
    assert_int_equal(s, 30);
    assert_true(fwci_retry_after_seconds("Sun Nov 06 08:49:37 1994", 784111777 - 30, &s));
    assert_int_equal(s, 30);
    /* Two digits: 2026-11-28 15:00 now, so "76" is 2076 and "77" is 1977. */
    assert_true(fwci_retry_after_seconds("Saturday, 28-Nov-26 15:00:10 GMT", 1795878000, &s));
    assert_int_equal(s, 10);
    assert_true(fwci_retry_after_seconds("Saturday, 28-Nov-76 15:00:10 GMT", 1795878000, &s));
    assert_int_equal(s, 86400); /* 2076: a day is the most */
    assert_true(fwci_retry_after_seconds("Monday, 28-Nov-77 15:00:10 GMT", 1795878000, &s));
    assert_int_equal(s, 0); /* 1977: past */
    assert_false(fwci_retry_after_seconds("Sunday, 06-Nov-94 08:49:37 GMT", -1, &s)); /* no clock */
    assert_false(fwci_retry_after_seconds("Sun, 06-Nov-94 08:49:37 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Monday, 06-Nov-94 08:49:37 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Sundae, 06-Nov-94 08:49:37 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Sun Nov  6 08:49:37 1994 ", 0, &s));
    assert_false(fwci_retry_after_seconds("Sun Nov 31 08:49:37 1994", 0, &s));
    assert_false(fwci_retry_after_seconds("Sun Nov  x 08:49:37 1994", 0, &s));
    /* Dates that cannot exist, and names cut across their boundaries. */
    assert_true(fwci_retry_after_seconds("Thu, 29 Feb 2024 00:00:00 GMT", 0, &s)); /* leap */
    assert_false(fwci_retry_after_seconds("Sat, 29 Feb 2025 00:00:00 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Mon, 29 Feb 2100 00:00:00 GMT", 0, &s));
    assert_true(fwci_retry_after_seconds("Tue, 29 Feb 2000 00:00:00 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Thu, 31 Apr 2026 00:00:00 GMT", 0, &s));
    assert_true(fwci_retry_after_seconds("Sat, 28 Nov 2026 15:00:00 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Sun, 28 Nov 2026 15:00:00 GMT", 0, &s)); /* a Saturday */
    assert_false(fwci_retry_after_seconds("onT, 06 Nov 1994 08:49:37 GMT", 0, &s));
    assert_false(fwci_retry_after_seconds("Sun, 06 anF 1994 08:49:37 GMT", 0, &s));
    assert_int_equal(fwci_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(fwci_days_from_civil(1969, 12, 31), -1);
}

#if CONFIG_FWC_LOCKS
/* The sink runs inside the exchange: the client's lock must be held there,
 * once, so no other task can use the connection meanwhile. */
static int held_in_sink = -1;

static enum fwc_err lock_probe_sink(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    held_in_sink = fake_lock_held;
    return FWC_OK;
}

static void the_whole_exchange_holds_the_lock_once(void **state)
{
    /* A token renewal inside the request, and a 401 that drops the token
     * and renews again: the fake lock aborts if any of it locks twice. */
    static const struct st_step c1[] = {TOKEN_A, NEXT, S401, NEXT, TOKEN_B, NEXT, OK_HELLO, END};
    (void)state;
    START(&st, c1);
    init("https://api.example");
    resp.body_buf = NULL;
    resp.body_cap = 0;
    resp.sink = lock_probe_sink;
    assert_int_equal(fake_lock_held, 0);
    assert_int_equal(call("GET", "/fotoweb/me/"), FWC_OK);
    assert_int_equal(resp.status, 200);
    assert_int_equal(held_in_sink, 1);
    assert_int_equal(fake_lock_held, 0); /* released on return */
    assert_int_equal(count("Authorization: Bearer tokB\r\n"), 1);
    fwc_client_close(&client);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bearer_and_prefix_are_added),
        cmocka_unit_test(expired_token_is_renewed_and_the_request_repeated_once),
        cmocka_unit_test(second_401_is_unauthorized),
        cmocka_unit_test(retry_after_seconds_is_honoured),
        cmocka_unit_test(retry_after_beyond_the_budget_is_rate_limited_at_once),
        cmocka_unit_test(attempts_are_bounded),
        cmocka_unit_test(server_error_is_retried_only_when_idempotent),
        cmocka_unit_test(last_answer_5xx_out_of_time_is_never_ok),
        cmocka_unit_test(response_is_reset_at_every_call),
        cmocka_unit_test(error_status_is_never_ok),
        cmocka_unit_test(last_failure_is_the_last_failing_calls),
        cmocka_unit_test(long_headers_fail_only_where_fwc_needs_them),
        cmocka_unit_test(reset_is_retried_only_when_idempotent),
        cmocka_unit_test(token_failure_is_the_answer),
        cmocka_unit_test(retry_after_spread_bounds),
        cmocka_unit_test(retry_after_wait_is_spread_by_entropy),
        cmocka_unit_test(retry_after_extra_stays_within_the_budget),
        cmocka_unit_test(busy_token_endpoint_is_waited_for),
        cmocka_unit_test(busy_token_endpoint_backoff_and_budget),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(retry_after_forms),
#if CONFIG_FWC_LOCKS
        cmocka_unit_test(the_whole_exchange_holds_the_lock_once),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
