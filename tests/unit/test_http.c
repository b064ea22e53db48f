/* SPDX-License-Identifier: MIT */
/* The exchange layer over a scripted transport and a fake clock: request
 * bytes, bodies, keep-alive and its failure modes, time bounds, wiping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_port.h"
#include "fwc/internal/http_conn.h"
#include "script_transport.h"

#define OK_5 "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
#define CONNS(...) ((const struct st_step *const[]){__VA_ARGS__})
#define NCONNS(...) (sizeof((const struct st_step *const[]){__VA_ARGS__}) / sizeof(void *))
#define START(st, ...) script_transport_init((st), CONNS(__VA_ARGS__), NCONNS(__VA_ARGS__))

struct fixture {
    struct script_transport st;
    struct fwc_http_conn conn;
    struct fwc_http_response resp;
    uint8_t body[256];
};

static struct fixture fx;

static void setup_conn(void)
{
    assert_int_equal(fwci_http_conn_init(&fx.conn, script_transport_ops(&fx.st), "api.example"),
                     FWC_OK);
    memset(&fx.resp, 0, sizeof(fx.resp));
    fx.resp.body_buf = fx.body;
    fx.resp.body_cap = sizeof(fx.body);
}

static enum fwc_err get(const char *path)
{
    struct fwc_http_request req = {0};
    req.method = "GET";
    req.path = path;
    return fwci_http_exchange(&fx.conn, &req, &fx.resp);
}

static bool contains(const uint8_t *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle), i;
    for (i = 0; i + n <= len; i++) {
        if (memcmp(hay + i, needle, n) == 0)
            return true;
    }
    return false;
}

static void assert_sent(const char *expected)
{
    assert_int_equal(fx.st.sent_len, strlen(expected));
    assert_memory_equal(fx.st.sent, expected, fx.st.sent_len);
}

static void get_writes_exact_request_and_reads_body(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/fotoweb/me/"), FWC_OK);
    assert_sent("GET /fotoweb/me/ HTTP/1.1\r\nHost: api.example\r\nUser-Agent: fwc/0.1.0\r\n\r\n");
    assert_int_equal(fx.resp.status, 200);
    assert_int_equal(fx.resp.body_len, 5);
    assert_memory_equal(fx.body, "hello", 5);
    assert_true(fx.resp.keep_alive);
    assert_int_equal(fx.st.closes, 0);
}

static void small_post_body_goes_in_one_send(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    const struct fwc_http_header h[] = {{"Content-Type", "application/json"}};
    struct fwc_http_request req = {0};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    req.method = "POST";
    req.path = "/api/uploads";
    req.headers = h;
    req.header_count = 1;
    req.body = (const uint8_t *)"{\"a\":1}";
    req.body_len = 7;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_OK);
    assert_sent("POST /api/uploads HTTP/1.1\r\nHost: api.example\r\nUser-Agent: fwc/0.1.0\r\n"
                "Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}");
    assert_int_equal(fx.st.sends, 1);
}

static void large_buffer_body_is_sent_whole(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    static uint8_t big[CONFIG_FWC_IO_BUFFER_SIZE * 3 + 17];
    struct fwc_http_request req = {0};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7u);
    START(&fx.st, c1);
    setup_conn();
    req.method = "PUT";
    req.path = "/x";
    req.body = big;
    req.body_len = sizeof(big);
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_OK);
    assert_true(fx.st.sent_len > sizeof(big));
    assert_memory_equal(fx.st.sent + fx.st.sent_len - sizeof(big), big, sizeof(big));
}

struct counting_reader {
    uint64_t produced;
    uint64_t stop_at; /* return 0 from here on */
};

static int32_t reader(void *ctx, uint8_t *buf, size_t len)
{
    struct counting_reader *r = ctx;
    size_t i;
    if (r->produced >= r->stop_at)
        return 0;
    if (len > 700)
        len = 700; /* short reads are allowed */
    for (i = 0; i < len; i++)
        buf[i] = (uint8_t)((r->produced + i) % 251u);
    r->produced += len;
    return (int32_t)len;
}

static void streamed_body_is_sent_through_the_io_buffer(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct counting_reader r = {0, UINT64_MAX};
    struct fwc_http_request req = {0};
    const size_t total = 10000;
    size_t i, head;
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    req.method = "POST";
    req.path = "/chunks/0";
    req.body_reader = reader;
    req.body_reader_ctx = &r;
    req.body_reader_len = total;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_OK);
    assert_int_equal(r.produced, total);
    assert_true(fx.st.max_send <= CONFIG_FWC_IO_BUFFER_SIZE);
    head = fx.st.sent_len - total;
    assert_true(contains(fx.st.sent, head, "Content-Length: 10000\r\n"));
    for (i = 0; i < total; i++)
        assert_int_equal(fx.st.sent[head + i], (uint8_t)(i % 251u));
}

static void short_reader_is_an_error_and_closes(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct counting_reader r = {0, 1400};
    struct fwc_http_request req = {0};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    req.method = "POST";
    req.path = "/chunks/0";
    req.body_reader = reader;
    req.body_reader_ctx = &r;
    req.body_reader_len = 5000;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_BODY_READER);
    assert_int_equal(fx.st.closes, 1);
}

static void body_over_buffer_is_refused_before_reading(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/x"), FWC_ERR_BODY_TOO_LARGE);
    assert_int_equal(fx.resp.body_len, 0);
    assert_int_equal(fx.st.closes, 1);
}

static void chunked_body_over_buffer_is_refused(void **state)
{
    static char resp[512];
    static struct st_step c1[] = {{ST_DATA, resp, 0}, {ST_END, 0, 0}};
    size_t n;
    (void)state;
    n = (size_t)snprintf(resp, sizeof(resp), "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                                             "c8\r\n%0200d\r\nc8\r\n%0200d\r\n0\r\n\r\n", 0, 0);
    c1[0].len = n;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/x"), FWC_ERR_BODY_TOO_LARGE);
    assert_true(fx.resp.body_len <= sizeof(fx.body));
}

struct collect {
    uint8_t data[64];
    size_t len;
    unsigned calls;
    enum fwc_err answer;
};

static enum fwc_err sink(void *ctx, const uint8_t *data, size_t len)
{
    struct collect *c = ctx;
    c->calls++;
    if (c->answer != FWC_OK)
        return c->answer;
    assert_true(len <= sizeof(c->data) - c->len);
    memcpy(c->data + c->len, data, len);
    c->len += len;
    return FWC_OK;
}

static const struct st_step chunked_conn[] = {
    ST_DATA_STR("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                "4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: t\r\n\r\n"),
    {ST_END, 0, 0}};

static void sink_receives_dechunked_body(void **state)
{
    struct collect c = {{0}, 0, 0, FWC_OK};
    (void)state;
    START(&fx.st, chunked_conn);
    setup_conn();
    fx.st.max_piece = 3;
    fx.resp.sink = sink;
    fx.resp.sink_ctx = &c;
    assert_int_equal(get("/x"), FWC_OK);
    assert_int_equal(c.len, 9);
    assert_memory_equal(c.data, "Wikipedia", 9);
    assert_true(fx.resp.chunked);
    assert_true(fx.resp.keep_alive);
}

static void sink_can_stop_the_exchange(void **state)
{
    struct collect c = {{0}, 0, 0, FWC_ERR_SINK};
    (void)state;
    START(&fx.st, chunked_conn);
    setup_conn();
    fx.resp.sink = sink;
    fx.resp.sink_ctx = &c;
    assert_int_equal(get("/x"), FWC_ERR_SINK);
    assert_int_equal(c.calls, 1);
    assert_int_equal(fx.st.closes, 1);
}

static void keep_alive_reuses_the_connection(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_NEXT, 0, 0}, ST_DATA_STR(OK_5),
                                        {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.st.opens, 1);
    assert_int_equal(fx.resp.body_len, 5);
}

static void connection_close_is_honoured(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nhi"),
        {ST_END, 0, 0}};
    static const struct st_step c2[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1, c2);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_false(fx.resp.keep_alive);
    assert_int_equal(fx.st.closes, 1);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.st.opens, 2);
}

static void idle_close_is_noticed_before_sending(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_CLOSE, 0, 0}};
    static const struct st_step c2[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1, c2);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.st.opens, 2);
    /* The first connection saw one request only. */
    assert_int_equal(fx.st.sends, 2);
}

static void close_racing_a_get_is_retried_once(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_LATE_CLOSE, 0, 0}};
    static const struct st_step c2[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1, c2);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.st.opens, 2);
    assert_int_equal(fx.resp.status, 200);
}

static void reset_racing_a_get_is_retried_once(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_LATE_RESET, 0, 0}};
    static const struct st_step c2[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1, c2);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.st.opens, 2);
}

static void retry_happens_only_once(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_LATE_CLOSE, 0, 0}};
    static const struct st_step c2[] = {{ST_LATE_CLOSE, 0, 0}};
    static const struct st_step c3[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1, c2, c3);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(get("/b"), FWC_ERR_CONN_CLOSED);
    assert_int_equal(fx.st.opens, 2);
}

static void close_racing_a_post_is_not_resent(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_LATE_CLOSE, 0, 0}};
    static const struct st_step c2[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct fwc_http_request req = {0};
    (void)state;
    START(&fx.st, c1, c2);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    req.method = "POST";
    req.path = "/api/uploads";
    req.send_zero_length = true;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_CONN_CLOSED);
    assert_int_equal(fx.st.opens, 1);
    /* ... unless the caller says it is idempotent (a token request). */
    req.idempotent = true;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_OK);
}

static void silent_server_times_out_within_the_io_timeout(void **state)
{
    static const struct st_step c1[] = {{ST_END, 0, 0}};
    uint32_t start = fake_now_ms;
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_ERR_TIMEOUT);
    assert_int_equal(fake_now_ms - start, CONFIG_FWC_IO_TIMEOUT_MS);
    assert_int_equal(fx.st.closes, 1);
}

static void trickling_server_hits_the_exchange_deadline(void **state)
{
    static char endless[4096];
    static struct st_step c1[] = {{ST_TRICKLE, endless, sizeof(endless)}, {ST_END, 0, 0}};
    static uint8_t big[sizeof(endless)];
    uint32_t start = fake_now_ms;
    size_t n;
    (void)state;
    n = (size_t)snprintf(endless, sizeof(endless),
                         "HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n");
    memset(endless + n, 'x', sizeof(endless) - n);
    START(&fx.st, c1);
    setup_conn();
    fx.resp.body_buf = big;
    fx.resp.body_cap = sizeof(big);
    assert_int_equal(get("/a"), FWC_ERR_TIMEOUT);
    assert_true(fake_now_ms - start <= CONFIG_FWC_EXCHANGE_TIMEOUT_MS);
    assert_true(fake_now_ms - start >= CONFIG_FWC_EXCHANGE_TIMEOUT_MS - 1000);
}

static void body_cut_short_is_truncated(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf"), {ST_CLOSE, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_ERR_HTTP_TRUNCATED);
    assert_int_equal(fx.st.closes, 1);
}

static void close_before_any_byte_is_conn_closed(void **state)
{
    static const struct st_step c1[] = {{ST_LATE_CLOSE, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_ERR_CONN_CLOSED);
}

static void close_delimited_body_ends_at_close(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR("HTTP/1.0 200 OK\r\n\r\nuntil close"),
                                        {ST_CLOSE, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(fx.resp.body_len, 11);
    assert_false(fx.resp.keep_alive);
    assert_int_equal(fx.st.closes, 1);
}

static void unclean_close_cannot_end_a_body(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR("HTTP/1.0 200 OK\r\n\r\nuntil close"),
                                        {ST_UNCLEAN, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_ERR_HTTP_TRUNCATED);
    assert_int_equal(fx.st.closes, 1);
}

static void unclean_close_of_idle_connection_reopens(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_UNCLEAN, 0, 0}};
    static const struct st_step c2[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1, c2);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.st.opens, 2);
}

static void extra_bytes_after_response_drop_the_connection(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5 "HTTP/1.1 200 OK\r\n"), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_false(fx.resp.keep_alive);
    assert_int_equal(fx.st.closes, 1);
}

static void kept_headers_are_surfaced(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 503 Busy\r\nContent-Type: application/json; charset=utf-8\r\n"
                    "Retry-After: 120\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n"
                    "Location: https://api.example/x\r\nContent-Length: 0\r\n\r\n"),
        {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(fx.resp.status, 503);
    assert_string_equal(fx.resp.content_type, "application/json");
    assert_string_equal(fx.resp.retry_after, "120");
    assert_string_equal(fx.resp.www_authenticate, "Bearer");
    assert_string_equal(fx.resp.location, "https://api.example/x");
    assert_true(fx.resp.has_content_length);
    assert_int_equal(fx.resp.content_length, 0);
}

/* Issue 15.3: a 201 with a 340-byte Location (the slot holds 255) was
 * "HTTP header too large", though the server had created the resource. */
static void kept_header_too_long_does_not_fail_the_answer(void **state)
{
    static char resp[1024];
    static struct st_step c1[] = {{ST_DATA, resp, 0}, {ST_END, 0, 0}};
    (void)state;
    c1[0].len = (size_t)snprintf(resp, sizeof(resp),
                                 "HTTP/1.1 201 Created\r\nLocation: /%0339d\r\n"
                                 "Content-Length: 2\r\n\r\nok", 0);
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(fx.resp.status, 201);
    assert_int_equal(fx.resp.body_len, 2);
    assert_string_equal(fx.resp.location, ""); /* never a cut URL */
    assert_int_equal(fx.resp.truncated, FWC_HTTP_KEPT_LOCATION);
}

/* Each kept header marks its own slot; one that fits is kept whole, and
 * the last of repeated headers counts. */
static void each_slot_marks_its_own_truncation(void **state)
{
    static char resp[1024];
    static struct st_step c1[] = {{ST_DATA, resp, 0}, {ST_END, 0, 0}};
    (void)state;
    c1[0].len = (size_t)snprintf(
        resp, sizeof(resp),
        "HTTP/1.1 200 OK\r\nContent-Type: application/%0*d; charset=utf-8\r\n"
        "WWW-Authenticate: %0*d realm=\"x\"\r\nRetry-After: %0*d\r\n"
        "Location: /%0*d\r\nLocation: /short\r\nContent-Length: 0\r\n\r\n",
        CONFIG_FWC_HTTP_CONTENT_TYPE_MAX, 0, (int)sizeof(fx.resp.www_authenticate), 0,
        (int)sizeof(fx.resp.retry_after), 0, CONFIG_FWC_HTTP_LOCATION_MAX, 0);
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(fx.resp.truncated, FWC_HTTP_KEPT_CONTENT_TYPE |
                                            FWC_HTTP_KEPT_WWW_AUTHENTICATE |
                                            FWC_HTTP_KEPT_RETRY_AFTER);
    assert_string_equal(fx.resp.content_type, "");
    assert_string_equal(fx.resp.www_authenticate, "");
    assert_string_equal(fx.resp.retry_after, "");
    assert_string_equal(fx.resp.location, "/short");
}

/* The longest Retry-After fwc can act on, an RFC 850 date on a Wednesday
 * (33 characters), is kept whole. */
static void longest_retry_after_date_fits(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 503 Busy\r\nRetry-After: Wednesday, 09-Nov-94 08:49:37 GMT\r\n"
                    "Content-Length: 0\r\n\r\n"),
        {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_string_equal(fx.resp.retry_after, "Wednesday, 09-Nov-94 08:49:37 GMT");
    assert_int_equal(fx.resp.truncated, 0);
}

static void head_response_has_no_body(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"), {ST_NEXT, 0, 0},
        ST_DATA_STR(OK_5),
        {ST_END, 0, 0}};
    struct fwc_http_request req = {0};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    req.method = "HEAD";
    req.path = "/a";
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_OK);
    assert_int_equal(fx.resp.body_len, 0);
    assert_true(fx.resp.keep_alive);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.resp.body_len, 5);
}

static void bad_requests_are_refused_before_connecting(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    const struct fwc_http_header inject[] = {{"X-A", "1\r\nX-Injected: 2"}};
    const struct fwc_http_header reserved[] = {{"Content-Length", "1"}};
    const struct fwc_http_header bad_name[] = {{"X A", "1"}};
    struct fwc_http_request req = {0};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    req.method = "GET";
    req.path = "/a b";
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_INVALID_ARG);
    req.path = "noslash";
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_INVALID_ARG);
    req.path = "/a";
    req.method = "GE T";
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_INVALID_ARG);
    req.method = "GET";
    req.headers = inject;
    req.header_count = 1;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_INVALID_ARG);
    req.headers = reserved;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_INVALID_ARG);
    req.headers = bad_name;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_INVALID_ARG);
    assert_int_equal(fx.st.opens, 0);
}

static void request_head_too_large_is_named(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    static char long_value[CONFIG_FWC_IO_BUFFER_SIZE];
    const struct fwc_http_header h[] = {{"X-Long", long_value}};
    struct fwc_http_request req = {0};
    (void)state;
    memset(long_value, 'v', sizeof(long_value) - 1);
    START(&fx.st, c1);
    setup_conn();
    req.method = "GET";
    req.path = "/a";
    req.headers = h;
    req.header_count = 1;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_ERR_REQUEST_TOO_LARGE);
    assert_int_equal(fx.st.sends, 0);
}

static void io_buffer_is_wiped_after_the_exchange(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    const struct fwc_http_header h[] = {{"Authorization", "Bearer SECRET-TOKEN-VALUE"}};
    struct fwc_http_request req = {0};
    size_t i;
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    req.method = "GET";
    req.path = "/a";
    req.headers = h;
    req.header_count = 1;
    assert_int_equal(fwci_http_exchange(&fx.conn, &req, &fx.resp), FWC_OK);
    assert_true(contains(fx.st.sent, fx.st.sent_len, "SECRET-TOKEN-VALUE"));
    for (i = 0; i < sizeof(fx.conn._internal.buf); i++)
        assert_int_equal(fx.conn._internal.buf[i], 0);
}

static void parser_line_is_wiped_after_the_exchange(void **state)
{
    static const struct st_step c1[] = {
        ST_DATA_STR("HTTP/1.1 200 OK\r\nX-Api-Key: k3y-SECRET\r\nContent-Length: 0\r\n\r\n"),
        {ST_END, 0, 0}};
    const uint8_t *p = (const uint8_t *)&fx.conn._internal.parser;
    size_t i;
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    for (i = 0; i < sizeof(fx.conn._internal.parser); i++)
        assert_int_equal(p[i], 0);
}

static void refused_request_keeps_the_connection(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_NEXT, 0, 0}, ST_DATA_STR(OK_5),
                                        {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    assert_int_equal(get("/a"), FWC_OK);
    assert_int_equal(get("/bad path"), FWC_ERR_INVALID_ARG);
    assert_int_equal(fx.st.closes, 0);
    assert_int_equal(get("/b"), FWC_OK);
    assert_int_equal(fx.st.opens, 1);
}

static enum fwc_err foreign_sink(void *ctx, const uint8_t *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return (enum fwc_err)-12345; /* not an fwc code */
}

static void foreign_codes_become_named_errors(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    fx.resp.sink = foreign_sink;
    assert_int_equal(get("/a"), FWC_ERR_SINK);
    START(&fx.st, c1);
    setup_conn();
    fx.st.open_err = (enum fwc_err)-1000;
    assert_int_equal(get("/a"), FWC_ERR_TRANSPORT);
}

static void open_failure_is_passed_up(void **state)
{
    static const struct st_step c1[] = {{ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    fx.st.open_err = FWC_ERR_DNS;
    assert_int_equal(get("/a"), FWC_ERR_DNS);
    assert_false(fx.conn._internal.open);
}

static void reset_during_send_on_new_connection_is_not_retried(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    (void)state;
    START(&fx.st, c1, c1);
    setup_conn();
    fx.st.send_reset_after = 0;
    assert_int_equal(get("/a"), FWC_ERR_CONN_RESET);
    assert_int_equal(fx.st.opens, 1);
}

/* ---- time: silence is bounded, work is not (docs/HTTP.md, "Time") ---- */

#define MIB (1024u * 1024u)

/* "80 KB/s": 8 KiB per 100 ms of the fake clock. */
static void slow_link(uint32_t bytes_per_second)
{
    fx.st.send_rate = 8192;
    fx.st.send_step_ms = (uint32_t)(8192u * 1000u / bytes_per_second);
}

static enum fwc_err post_streamed(struct counting_reader *r, uint64_t len, uint32_t deadline_ms)
{
    struct fwc_http_request req = {0};
    req.method = "POST";
    req.path = "/chunks/0";
    req.body_reader = reader;
    req.body_reader_ctx = r;
    req.body_reader_len = len;
    req.deadline_ms = deadline_ms;
    return fwci_http_exchange(&fx.conn, &req, &fx.resp);
}

/* 1 MiB at 80 KB/s with a cellular stall (8 s, under the I/O timeout)
 * every 256 KiB: 45 s of steady progress. Before, the 30 s exchange
 * deadline counted the body and cut it. */
static void slow_progressing_megabyte_body_completes(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct counting_reader r = {0, UINT64_MAX};
    uint32_t start = fake_now_ms;
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    slow_link(80u * 1024u);
    fx.st.stall_every = 256u * 1024u;
    fx.st.stall_ms = 8000;
    assert_int_equal(post_streamed(&r, MIB, 0), FWC_OK);
    assert_int_equal(fx.resp.status, 200);
    assert_int_equal(r.produced, MIB);
    assert_int_equal(fx.resp.sends, 1);
    assert_int_equal(fx.resp.sends_whole, 1);
    assert_true(fake_now_ms - start > (uint32_t)CONFIG_FWC_EXCHANGE_TIMEOUT_MS); /* it was slow */
}

/* The link goes quiet for good after 768 KiB, 38 s in at 20 KB/s: the
 * exchange ends on the I/O timeout after the last byte moved, not at a
 * fixed deadline (before: cut at 30 s, inside the progressing part). */
static void stall_fails_on_the_io_timeout_after_the_last_progress(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct counting_reader r = {0, UINT64_MAX};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    slow_link(20u * 1024u);
    fx.st.stall_at = 768u * 1024u;
    assert_int_equal(post_streamed(&r, MIB, 0), FWC_ERR_TIMEOUT);
    assert_int_equal(fx.st.sent_all, 768u * 1024u);
    assert_int_equal(fake_now_ms - fx.st.last_progress_ms, CONFIG_FWC_IO_TIMEOUT_MS);
    assert_int_equal(fx.resp.sends, 1);
    assert_int_equal(fx.resp.sends_whole, 0); /* cut inside the body */
    assert_int_equal(fx.st.closes, 1);
}

/* The caller's own bound wins over the scaled default, both ways. */
static void per_call_deadline_is_honoured(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct counting_reader r = {0, UINT64_MAX};
    uint32_t start;
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    slow_link(80u * 1024u); /* 1 MiB takes 12.8 s */
    start = fake_now_ms;
    assert_int_equal(post_streamed(&r, MIB, 5000), FWC_ERR_TIMEOUT);
    assert_true(fake_now_ms - start <= 5000);
    assert_true(fake_now_ms - start >= 4900); /* it went on while it moved */
    assert_true(fx.st.sent_all < MIB);
}

static void per_call_deadline_can_be_longer_than_the_default(void **state)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct counting_reader r = {0, UINT64_MAX};
    (void)state;
    START(&fx.st, c1);
    setup_conn();
    slow_link(4u * 1024u); /* 1 MiB in 256 s, under the default 542 s */
    fx.st.stall_every = 64u * 1024u;
    fx.st.stall_ms = 9000; /* + 16 stalls of 9 s: 400 s, under 542 */
    assert_int_equal(post_streamed(&r, MIB, 0), FWC_OK);
    START(&fx.st, c1);
    setup_conn();
    slow_link(1024u); /* 1 MiB in 1024 s: over the default bound ... */
    r.produced = 0;
    assert_int_equal(post_streamed(&r, MIB, 0), FWC_ERR_TIMEOUT);
    START(&fx.st, c1);
    setup_conn();
    r.produced = 0;
    slow_link(1024u); /* ... which the caller may lift */
    assert_int_equal(post_streamed(&r, MIB, 1100u * 1000u), FWC_OK);
}

/* A 1 MiB chunk handed to the kernel at once, then drained by a 20 KB/s
 * uplink for 51 s, longer than the I/O timeout, before the server can
 * answer. The queue shrinking is progress: one send, answered. */
static uint32_t post_into_kernel_queue(uint32_t queue_bps, bool reported, enum fwc_err want)
{
    static const struct st_step c1[] = {ST_DATA_STR(OK_5), {ST_END, 0, 0}};
    struct counting_reader r = {0, UINT64_MAX};
    uint32_t start;
    START(&fx.st, c1);
    setup_conn();
    fx.st.kernel_queue = true;
    fx.st.queue_bps = queue_bps;
    fx.st.queue_unreported = !reported;
    start = fake_now_ms;
    assert_int_equal(post_streamed(&r, MIB, 0), want);
    assert_int_equal(fx.resp.sends, 1);
    assert_int_equal(fx.resp.sends_whole, 1);
    return fake_now_ms - start;
}

static void answer_wait_counts_the_request_leaving_the_queue(void **state)
{
    uint32_t took;
    (void)state;
    took = post_into_kernel_queue(20u * 1024u, true, FWC_OK);
    assert_int_equal(fx.resp.status, 200);
    assert_true(took >= MIB / 20u / 1024u * 1000u); /* the answer came after the drain, ... */
    assert_true(took > (uint32_t)CONFIG_FWC_IO_TIMEOUT_MS); /* ... past one I/O timeout */
}

/* The same link through a port that cannot tell: silence alone bounds
 * the wait, so it ends on the I/O timeout, as before the queue was read. */
static void answer_wait_without_a_queue_reading_is_bounded_by_silence(void **state)
{
    (void)state;
    assert_int_equal(post_into_kernel_queue(20u * 1024u, false, FWC_ERR_TIMEOUT),
                     CONFIG_FWC_IO_TIMEOUT_MS);
}

/* A queue that stops draining (a stall with the body still in the kernel)
 * is silence: the exchange ends one I/O timeout after the last progress. */
static void frozen_queue_is_silence(void **state)
{
    (void)state;
    assert_int_equal(post_into_kernel_queue(0, true, FWC_ERR_TIMEOUT), CONFIG_FWC_IO_TIMEOUT_MS);
    assert_int_equal(fx.st.closes, 1);
}

static void deadline_scales_with_the_body(void **state)
{
    struct fwc_http_request req = {0};
    (void)state;
    req.method = "GET";
    assert_int_equal(fwci_http_deadline_ms(&req), CONFIG_FWC_EXCHANGE_TIMEOUT_MS);
    req.body_len = CONFIG_FWC_MIN_RATE_BPS * 10u;
    assert_int_equal(fwci_http_deadline_ms(&req), CONFIG_FWC_EXCHANGE_TIMEOUT_MS + 10000u);
    req.body_reader = reader;
    req.body_reader_len = UINT64_MAX; /* no overflow, and no wrap of the clock */
    assert_int_equal(fwci_http_deadline_ms(&req), 0x7FFF0000u);
    req.deadline_ms = 1234;
    assert_int_equal(fwci_http_deadline_ms(&req), 1234);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(get_writes_exact_request_and_reads_body),
        cmocka_unit_test(small_post_body_goes_in_one_send),
        cmocka_unit_test(large_buffer_body_is_sent_whole),
        cmocka_unit_test(streamed_body_is_sent_through_the_io_buffer),
        cmocka_unit_test(short_reader_is_an_error_and_closes),
        cmocka_unit_test(body_over_buffer_is_refused_before_reading),
        cmocka_unit_test(chunked_body_over_buffer_is_refused),
        cmocka_unit_test(sink_receives_dechunked_body),
        cmocka_unit_test(sink_can_stop_the_exchange),
        cmocka_unit_test(keep_alive_reuses_the_connection),
        cmocka_unit_test(connection_close_is_honoured),
        cmocka_unit_test(idle_close_is_noticed_before_sending),
        cmocka_unit_test(close_racing_a_get_is_retried_once),
        cmocka_unit_test(reset_racing_a_get_is_retried_once),
        cmocka_unit_test(retry_happens_only_once),
        cmocka_unit_test(close_racing_a_post_is_not_resent),
        cmocka_unit_test(silent_server_times_out_within_the_io_timeout),
        cmocka_unit_test(trickling_server_hits_the_exchange_deadline),
        cmocka_unit_test(body_cut_short_is_truncated),
        cmocka_unit_test(close_before_any_byte_is_conn_closed),
        cmocka_unit_test(close_delimited_body_ends_at_close),
        cmocka_unit_test(unclean_close_cannot_end_a_body),
        cmocka_unit_test(unclean_close_of_idle_connection_reopens),
        cmocka_unit_test(extra_bytes_after_response_drop_the_connection),
        cmocka_unit_test(kept_headers_are_surfaced),
        cmocka_unit_test(kept_header_too_long_does_not_fail_the_answer),
        cmocka_unit_test(each_slot_marks_its_own_truncation),
        cmocka_unit_test(longest_retry_after_date_fits),
        cmocka_unit_test(head_response_has_no_body),
        cmocka_unit_test(bad_requests_are_refused_before_connecting),
        cmocka_unit_test(request_head_too_large_is_named),
        cmocka_unit_test(io_buffer_is_wiped_after_the_exchange),
        cmocka_unit_test(parser_line_is_wiped_after_the_exchange),
        cmocka_unit_test(refused_request_keeps_the_connection),
        cmocka_unit_test(foreign_codes_become_named_errors),
        cmocka_unit_test(open_failure_is_passed_up),
        cmocka_unit_test(reset_during_send_on_new_connection_is_not_retried),
        cmocka_unit_test(slow_progressing_megabyte_body_completes),
        cmocka_unit_test(stall_fails_on_the_io_timeout_after_the_last_progress),
        cmocka_unit_test(per_call_deadline_is_honoured),
        cmocka_unit_test(per_call_deadline_can_be_longer_than_the_default),
        cmocka_unit_test(answer_wait_counts_the_request_leaving_the_queue),
        cmocka_unit_test(answer_wait_without_a_queue_reading_is_bounded_by_silence),
        cmocka_unit_test(frozen_queue_is_silence),
        cmocka_unit_test(deadline_scales_with_the_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
