/* SPDX-License-Identifier: MIT */
/* Fault injection. A token fetch, a token renewal, an API call and the
 * upload of a small file are each broken at every byte of every response
 * and at every byte sent, in four ways: the peer closes (EOF), closes
 * without TLS close_notify, resets, or stalls (nothing moves until the
 * call's timeout, on the fake clock). Every
 * run must end in a named error from the set its fault kind allows (or
 * succeed, when the fault lies after the last response byte), within the
 * configured time; leave no secret or token in the client (but for a valid
 * token in the cache), the caller's buffers or the log; and the same client
 * must then succeed on a healthy connection. After fwc_client_close() the
 * client holds nothing at all.
 *
 * The broken server stays broken for the rest of the call: a reconnection
 * (the HTTP layer's resend, fwc_request's retries) meets the same fault at
 * its first byte, so no run can escape the fault by retrying. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_port.h"
#include "fwc/oauth.h"
#include "fwc/upload.h"
#include "script_transport.h"

#define SECRET "s3cr+t/with=odd&chars"
#define SECRET_FORM "s3cr%2Bt%2Fwith%3Dodd%26chars"
#define TOKEN_A "Zq8tKv3mW1pX7rB2yN5c"
#define TOKEN_B "Hj4sLd9gQe2uTa6oVi0n"
#define TOKEN_C "Pw5yRc1fNb8kGm3xDz7h"
#define ME_BODY "{\"userName\":\"svc-kiosk\",\"fullName\":\"Kiosk\"}"
#define ASSET_URL "/fotoweb/archives/5000-Photos/f.bin.info"
#define FILE_SIZE 5000u /* chunks of 2048: three, two of them over two sends */

/* ---- the fault-injecting transport ----------------------------------------- */

/* CUT is a close without TLS close_notify (FWC_ERR_CONN_CLOSED from the
 * transport): what a TLS transport reports when the TCP connection ends
 * under it. */
enum fault_kind { FAULT_CLOSE, FAULT_RESET, FAULT_STALL, FAULT_CUT, FAULT_KINDS };
enum fault_side { SIDE_NONE, SIDE_RECV, SIDE_SEND };
static const char *const kind_names[] = {"close", "reset", "stall", "cut"};
static const char *const side_names[] = {"no fault", "response", "request"};

/* The fault hits when byte number `at` of the responses (or of the
 * requests) would move; the bytes before it move normally. */
struct fault {
    enum fault_kind kind;
    enum fault_side side;
    size_t at;
};

enum link {
    LINK_DOWN,        /* no connection */
    LINK_LIVE,        /* the script plays */
    LINK_IDLE_CLOSED, /* a connection of an earlier script: the server closed it */
    LINK_BROKEN       /* the fault has hit this connection */
};

static struct {
    struct script_transport inner;
    const struct fwc_transport *inner_ops;
    struct fault f;
    enum link link;
    bool fired;
    size_t received, sent; /* bytes moved since the script was loaded */
    /* Where the second request began: the end of the first exchange. */
    bool second_request;
    size_t first_received, first_sent;
    unsigned send_calls;
    uint32_t longest_io_wait, longest_connect_wait;
} ft;

static void note_wait(uint32_t *longest, uint32_t timeout_ms)
{
    if (timeout_ms > *longest)
        *longest = timeout_ms;
}

static int32_t broken_recv(uint32_t timeout_ms)
{
    switch (ft.f.kind) {
    case FAULT_CLOSE:
        return 0;
    case FAULT_RESET:
        return FWC_ERR_CONN_RESET;
    case FAULT_CUT:
        return FWC_ERR_CONN_CLOSED;
    default: /* nothing arrives before the timeout; a poll returns at once */
        fake_clock_advance(timeout_ms);
        return FWC_ERR_TIMEOUT;
    }
}

static int32_t broken_send(size_t len, uint32_t timeout_ms)
{
    switch (ft.f.kind) {
    case FAULT_CLOSE:
    case FAULT_CUT:
        return (int32_t)len; /* the stack takes the bytes; the peer is gone */
    case FAULT_RESET:
        return FWC_ERR_CONN_RESET;
    default: /* the peer reads nothing: the send buffer stays full */
        fake_clock_advance(timeout_ms);
        return FWC_ERR_TIMEOUT;
    }
}

static void fire(void)
{
    ft.fired = true;
    ft.link = LINK_BROKEN;
}

static enum fwc_err ft_open(void *ctx, uint32_t timeout_ms)
{
    enum fwc_err err;
    (void)ctx;
    note_wait(&ft.longest_connect_wait, timeout_ms);
    if (ft.fired) {
        ft.link = LINK_BROKEN; /* the server accepts, then fails the same way */
        return FWC_OK;
    }
    err = ft.inner_ops->open(ft.inner_ops->ctx, timeout_ms);
    ft.link = err == FWC_OK ? LINK_LIVE : LINK_DOWN;
    return err;
}

static int32_t ft_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    int32_t n;
    (void)ctx;
    note_wait(&ft.longest_io_wait, timeout_ms);
    if (ft.link == LINK_IDLE_CLOSED)
        return 0;
    if (ft.link == LINK_BROKEN)
        return broken_recv(timeout_ms);
    if (ft.link != LINK_LIVE)
        return FWC_ERR_TRANSPORT;
    if (ft.f.side == SIDE_RECV) {
        if (ft.received >= ft.f.at) {
            fire();
            return broken_recv(timeout_ms);
        }
        if (len > ft.f.at - ft.received)
            len = ft.f.at - ft.received;
    }
    n = ft.inner_ops->recv(ft.inner_ops->ctx, buf, len, timeout_ms);
    if (n > 0)
        ft.received += (size_t)n;
    return n;
}

static int32_t ft_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    int32_t n;
    (void)ctx;
    note_wait(&ft.longest_io_wait, timeout_ms);
    ft.send_calls++;
    if (ft.link == LINK_BROKEN)
        return broken_send(len, timeout_ms);
    if (ft.link != LINK_LIVE)
        return FWC_ERR_CONN_RESET; /* writing into a connection the server closed */
    if (!ft.second_request && ft.received > 0) {
        ft.second_request = true;
        ft.first_received = ft.received;
        ft.first_sent = ft.sent;
    }
    if (ft.f.side == SIDE_SEND) {
        if (ft.sent >= ft.f.at) {
            fire();
            return broken_send(len, timeout_ms);
        }
        if (len > ft.f.at - ft.sent)
            len = ft.f.at - ft.sent; /* a partial send; the next one fails */
    }
    n = ft.inner_ops->send(ft.inner_ops->ctx, data, len, timeout_ms);
    if (n > 0)
        ft.sent += (size_t)n;
    return n;
}

static void ft_close(void *ctx)
{
    (void)ctx;
    if (ft.link == LINK_LIVE)
        ft.inner_ops->close(ft.inner_ops->ctx);
    ft.link = LINK_DOWN;
}

static const struct fwc_transport ft_ops = {
    .open = ft_open, .send = ft_send, .recv = ft_recv, .close = ft_close};

/* A conversation: one connection, each answer after the request it answers. */
struct conv {
    struct st_step steps[16];
    const struct st_step *conns[1];
};

/* Play conv next, with fault f. A connection still open from the last
 * script is one the server has since closed while idle. */
static void ft_load(const struct conv *c, struct fault f)
{
    script_transport_init(&ft.inner, c->conns, 1);
    ft.inner_ops = script_transport_ops(&ft.inner);
    if (ft.link != LINK_DOWN)
        ft.link = LINK_IDLE_CLOSED;
    ft.f = f;
    ft.fired = false;
    ft.received = ft.sent = 0;
    ft.second_request = false;
    ft.first_received = ft.first_sent = 0;
    ft.send_calls = 0;
    ft.longest_io_wait = ft.longest_connect_wait = 0;
}

static const struct fault no_fault = {FAULT_CLOSE, SIDE_NONE, 0};

/* ---- the server's answers ----------------------------------------------------- */

static char wire[8][512];
static struct st_step token_a, token_b, token_c, created, done, me;
static const struct st_step s204 = ST_DATA_STR("HTTP/1.1 204 No Content\r\n\r\n");
static struct conv conv_token_a, conv_token_b, conv_api_a, conv_api_c, conv_api_cached,
    conv_upload_a, conv_upload_c, conv_upload_cached;

static struct st_step ok_json(int slot, const char *body)
{
    struct st_step s;
    int n = snprintf(wire[slot], sizeof(wire[slot]),
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     strlen(body), body);
    s.kind = ST_DATA;
    s.data = wire[slot];
    s.len = (size_t)n;
    return s;
}

static void conv_build(struct conv *c, const struct st_step *const *answers, size_t n)
{
    static const struct st_step next = {ST_NEXT, 0, 0}, end = {ST_END, 0, 0};
    size_t i, k = 0;
    for (i = 0; i < n; i++) {
        if (i > 0)
            c->steps[k++] = next;
        c->steps[k++] = *answers[i];
    }
    c->steps[k] = end;
    c->conns[0] = c->steps;
}

#define ANSWERS(...) ((const struct st_step *const[]){__VA_ARGS__})
#define CONV(c, ...) conv_build((c), ANSWERS(__VA_ARGS__), sizeof(ANSWERS(__VA_ARGS__)) / sizeof(void *))

static void build_conversations(void)
{
#define TOKEN_BODY(t) "{\"access_token\":\"" t "\",\"token_type\":\"bearer\",\"expires_in\":3600}"
    token_a = ok_json(0, TOKEN_BODY(TOKEN_A));
    token_b = ok_json(1, TOKEN_BODY(TOKEN_B));
    token_c = ok_json(2, TOKEN_BODY(TOKEN_C));
    created = ok_json(3, "{\"id\":\"up1\",\"chunkSize\":2048,\"numChunks\":3,\"hasXmp\":false}");
    done = ok_json(4, "{\"status\":\"done\",\"result\":{\"assetUrl\":\"" ASSET_URL "\"}}");
    me = ok_json(5, ME_BODY);
    CONV(&conv_token_a, &token_a);
    CONV(&conv_token_b, &token_b);
    CONV(&conv_api_a, &token_a, &me);
    CONV(&conv_api_c, &token_c, &me);
    CONV(&conv_api_cached, &me);
    CONV(&conv_upload_a, &token_a, &created, &s204, &s204, &s204, &done);
    CONV(&conv_upload_c, &token_c, &created, &s204, &s204, &s204, &done);
    CONV(&conv_upload_cached, &created, &s204, &s204, &s204, &done);
}

/* ---- finding a secret or a token, whole or in pieces ------------------------------ */

/* Any 6-byte piece of one of these counts: a cut copy is still a leak. */
static const char *const needles[] = {SECRET, SECRET_FORM, TOKEN_A, TOKEN_B, TOKEN_C};
#define PIECE 6
static bool piece_start[65536]; /* first two bytes of some piece */

static void scanner_init(void)
{
    size_t i, j;
    for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
        for (j = 0; j + PIECE <= strlen(needles[i]); j++)
            piece_start[(uint8_t)needles[i][j] << 8 | (uint8_t)needles[i][j + 1]] = true;
    }
}

static const char *piece_at(const uint8_t *p)
{
    size_t i, j;
    for (i = 0; i < sizeof(needles) / sizeof(needles[0]); i++) {
        for (j = 0; j + PIECE <= strlen(needles[i]); j++) {
            if (memcmp(p, needles[i] + j, PIECE) == 0)
                return needles[i];
        }
    }
    return NULL;
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

/* The needle a piece of which is in buf outside [skip, skip + skip_len),
 * or NULL. */
static const char *find_leak(const void *buf, size_t len, size_t skip, size_t skip_len)
{
    const uint8_t *b = buf;
    size_t i;
    for (i = 0; i + PIECE <= len; i++) {
        const char *hit;
        if (!piece_start[b[i] << 8 | b[i + 1]] || (i + PIECE > skip && i < skip + skip_len))
            continue;
        hit = piece_at(b + i);
        if (hit != NULL)
            return hit;
    }
    return NULL;
}

/* ---- the calls under test ------------------------------------------------------------ */

static struct fwc_client client;
static char tok[CONFIG_FWC_TOKEN_MAX + 1];
static uint8_t body[256];
static struct fwc_http_response resp;
static char url[256];
static struct fwc_upload_state up;
static uint8_t file_data[FILE_SIZE];
static uint64_t file_pos;

/* The run in progress, for failure messages. */
static struct {
    const char *scenario;
    struct fault f;
    enum fwc_err err;
    uint32_t elapsed;
} cur;

static void fail_run(const char *what, int line)
{
    if (cur.f.side == SIDE_NONE)
        print_error("test_faults.c:%d: %s\n  in: %s without a fault: %s after %u ms\n", line,
                    what, cur.scenario, fwc_strerror(cur.err), (unsigned)cur.elapsed);
    else
        print_error("test_faults.c:%d: %s\n  in: %s, %s at %s byte %zu: %s after %u ms\n", line,
                    what, cur.scenario, kind_names[cur.f.kind], side_names[cur.f.side],
                    cur.f.at, fwc_strerror(cur.err), (unsigned)cur.elapsed);
    fail();
}

#define CHECK(cond)                                                                       \
    do {                                                                                  \
        if (!(cond))                                                                      \
            fail_run(#cond, __LINE__);                                                    \
    } while (0)

static int32_t file_read(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    if ((uint64_t)len > FILE_SIZE - file_pos)
        len = (size_t)(FILE_SIZE - file_pos);
    memcpy(buf, file_data + file_pos, len);
    file_pos += len;
    return (int32_t)len;
}

static enum fwc_err file_seek(void *ctx, uint64_t offset)
{
    (void)ctx;
    if (offset > FILE_SIZE)
        return FWC_ERR_BODY_READER;
    file_pos = offset;
    return FWC_OK;
}

static enum fwc_err call_token(void)
{
    return fwc_token(&client, tok, sizeof(tok), NULL);
}

/* A renewal that fails while the cached token is valid still serves it
 * (FWC_OK); the named error is the renewal's. */
static enum fwc_err call_renewal(void)
{
    CHECK(fwc_token(&client, tok, sizeof(tok), NULL) == FWC_OK);
    return fwc_token_renew_error(&client);
}

static enum fwc_err call_api(void)
{
    struct fwc_http_request req;
    enum fwc_err err;
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.path = "/fotoweb/me/";
    memset(&resp, 0, sizeof(resp));
    resp.body_buf = body;
    resp.body_cap = sizeof(body);
    err = fwc_request(&client, &req, &resp);
    if (err == FWC_OK)
        CHECK(resp.status == 200 && resp.body_len == strlen(ME_BODY) &&
              memcmp(body, ME_BODY, strlen(ME_BODY)) == 0);
    return err;
}

static enum fwc_err call_upload(void)
{
    struct fwc_upload_params p;
    enum fwc_err err;
    memset(&p, 0, sizeof(p));
    p.destination = "/fotoweb/archives/5000-Photos/";
    p.filename = "f.bin";
    p.file_size = FILE_SIZE;
    p.read = file_read;
    p.seek = file_seek;
    memset(&up, 0, sizeof(up));
    file_pos = 0;
    err = fwc_upload(&client, &p, &up, url, sizeof(url));
    if (err == FWC_OK)
        CHECK(strcmp(url, ASSET_URL) == 0 && up.next_chunk == 3);
    return err;
}

/* Token A cached, then the clock moved into its renewal window (renewal
 * at about 3225 s of 3600, with the fake entropy's jitter). */
static void prepare_cached_token(void)
{
    ft_load(&conv_token_a, no_fault);
    CHECK(fwc_token(&client, tok, sizeof(tok), NULL) == FWC_OK && strcmp(tok, TOKEN_A) == 0);
    fake_clock_advance(3500u * 1000u);
}

/* ---- scenarios --------------------------------------------------------------------- */

struct scenario {
    const char *name;
    void (*prepare)(void);      /* healthy, before the fault is armed; may be NULL */
    const struct conv *conv;    /* the conversation the fault breaks */
    enum fwc_err (*call)(void); /* the error to judge */
    const char *token_before;   /* valid in the cache when the call starts */
    const char *token_fetched;  /* what the conversation's first exchange brings */
    uint32_t bound_ms;          /* the most the call may take */
    /* Then the same client, on a healthy connection: */
    enum fwc_err (*follow_up)(void);
    const struct conv *follow_fetch;  /* when it will fetch a token */
    const struct conv *follow_cached; /* when it will use the cached one */
};

/* A single exchange is bounded by its deadline. fwc_request starts no
 * attempt after CONFIG_FWC_RETRY_MAX_TOTAL_MS, and one attempt is at most a
 * token exchange and the API exchange. */
#define ONE_EXCHANGE_MS ((uint32_t)CONFIG_FWC_EXCHANGE_TIMEOUT_MS)
#define ONE_REQUEST_MS ((uint32_t)(CONFIG_FWC_RETRY_MAX_TOTAL_MS + 2 * CONFIG_FWC_EXCHANGE_TIMEOUT_MS))

static const struct scenario token_fetch = {
    "token fetch", NULL, &conv_token_a, call_token, NULL, TOKEN_A, ONE_EXCHANGE_MS,
    call_api, &conv_api_c, &conv_api_cached};
static const struct scenario token_renewal = {
    "token renewal", prepare_cached_token, &conv_token_b, call_renewal, TOKEN_A, TOKEN_B,
    ONE_EXCHANGE_MS, call_api, &conv_api_c, &conv_api_cached};
static const struct scenario api_call = {
    "api call", NULL, &conv_api_a, call_api, NULL, TOKEN_A, ONE_REQUEST_MS,
    call_api, &conv_api_c, &conv_api_cached};
static const struct scenario upload = {
    "upload", NULL, &conv_upload_a, call_upload, NULL, TOKEN_A, ONE_REQUEST_MS,
    call_upload, &conv_upload_c, &conv_upload_cached};

/* What a healthy run of the scenario moved (measured, not assumed). */
struct record {
    size_t received, sent;             /* all response and request bytes */
    size_t first_received, first_sent; /* those of the first (token) exchange */
    unsigned send_calls;
};

struct tally {
    unsigned runs, succeeded;
    uint32_t longest_ms;
    unsigned by_error[FAULT_KINDS][-FWC_ERR_MIN + 1]; /* how each kind ended */
};

static void start_client(void)
{
    struct fwc_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://api.example";
    cfg.transport = &ft_ops;
    assert_int_equal(fwc_client_init(&client, &cfg), FWC_OK);
    ft.link = LINK_DOWN;
    fake_log_reset();
    fake_secret_fails = 0;
    fake_entropy_byte = 0x80;
}

/* The named errors each fault may end in:
 * - close, cut: CONN_CLOSED when no byte of the answer came,
 *   HTTP_TRUNCATED when the close cut it (an EOF never ends a
 *   Content-Length body);
 * - reset: CONN_RESET, whatever was under way;
 * - stall: TIMEOUT. */
static bool allowed(enum fault_kind kind, enum fwc_err err)
{
    switch (kind) {
    case FAULT_CLOSE:
    case FAULT_CUT:
        return err == FWC_ERR_CONN_CLOSED || err == FWC_ERR_HTTP_TRUNCATED;
    case FAULT_RESET:
        return err == FWC_ERR_CONN_RESET;
    default:
        return err == FWC_ERR_TIMEOUT;
    }
}

/* The token that may be in the cache after the run: the fetched one once
 * its exchange is complete (the fault came later), else the one before. */
static const char *expected_cached(const struct scenario *s, const struct record *r,
                                   struct fault f)
{
    bool exchange_done = f.side == SIDE_NONE ||
                         (f.side == SIDE_RECV && f.at >= r->first_received) ||
                         (f.side == SIDE_SEND && f.at >= r->first_sent);
    return exchange_done ? s->token_fetched : s->token_before;
}

static size_t token_offset(void)
{
    return (size_t)((const char *)client._internal.token.token - (const char *)&client);
}

/* Nothing but the cached token (when it is the one expected there) in the
 * client, nothing in the log. */
static void check_client_clean(const char *cached)
{
    size_t skip_len = 0;
    if (cached == NULL) {
        CHECK(!client._internal.token.have_token);
    } else {
        CHECK(client._internal.token.have_token && strcmp(client._internal.token.token, cached) == 0);
        skip_len = sizeof(client._internal.token.token);
    }
    CHECK(find_leak(&client, sizeof(client), token_offset(), skip_len) == NULL);
    CHECK(find_leak(fake_log, fake_log_len, 0, 0) == NULL);
}

/* The caller's buffers: a token output holds the valid token or nothing. */
static void check_caller_clean(const char *cached)
{
    size_t used = 0;
    if (tok[0] != '\0') {
        CHECK(cached != NULL && strcmp(tok, cached) == 0);
        used = strlen(tok) + 1;
    }
    CHECK(find_leak(tok, sizeof(tok), 0, used) == NULL);
    CHECK(find_leak(body, sizeof(body), 0, 0) == NULL);
    CHECK(find_leak(&resp, sizeof(resp), 0, 0) == NULL);
    CHECK(find_leak(url, sizeof(url), 0, 0) == NULL);
    CHECK(find_leak(&up, sizeof(up), 0, 0) == NULL);
}

static void fill_caller_buffers(void)
{
    memset(tok, 0, sizeof(tok)); /* a token call writes it; the others must not */
    memset(body, 0x5a, sizeof(body));
    memset(&resp, 0x5a, sizeof(resp));
    memset(url, 0x5a, sizeof(url));
    memset(&up, 0x5a, sizeof(up));
}

static void judge(const struct scenario *s, const struct record *r, struct fault f)
{
    if (ft.fired) {
        CHECK(cur.err != FWC_OK && allowed(f.kind, cur.err));
    } else {
        /* Only a fault past the last response byte may go unnoticed. */
        CHECK(f.side == SIDE_NONE || (f.side == SIDE_RECV && f.at >= r->received));
        CHECK(cur.err == FWC_OK);
    }
    CHECK(cur.elapsed <= s->bound_ms);
    if (ft.fired && f.kind == FAULT_STALL)
        CHECK(cur.elapsed >= CONFIG_FWC_IO_TIMEOUT_MS); /* the stall was waited out */
    CHECK(ft.longest_io_wait <= CONFIG_FWC_IO_TIMEOUT_MS);
    CHECK(ft.longest_connect_wait <= CONFIG_FWC_CONNECT_TIMEOUT_MS);
}

/* The same client on a healthy connection, then closed: nothing left. */
static void follow_up(const struct scenario *s)
{
    const struct fwc_client *c = &client;
    bool fetch = !(c->_internal.token.have_token &&
                   fake_now_ms - c->_internal.token.fetched_ms < c->_internal.token.renew_after_ms);
    size_t i;

    ft_load(fetch ? s->follow_fetch : s->follow_cached, no_fault);
    cur.err = s->follow_up();
    CHECK(cur.err == FWC_OK);
    check_client_clean(c->_internal.token.have_token ? c->_internal.token.token : NULL);
    fwc_client_close(&client);
    for (i = 0; i < sizeof(client); i++)
        CHECK(((const uint8_t *)&client)[i] == 0);
}

static void run_case(const struct scenario *s, const struct record *r, struct fault f,
                     struct tally *t)
{
    const char *cached;
    uint32_t t0;
    bool fired;
    enum fwc_err err;

    cur.scenario = s->name;
    cur.f = f;
    cur.err = FWC_OK;
    cur.elapsed = 0;
    start_client();
    if (s->prepare != NULL)
        s->prepare();
    ft_load(s->conv, f);
    fill_caller_buffers();
    t0 = fake_now_ms;
    cur.err = s->call();
    cur.elapsed = fake_now_ms - t0;
    fired = ft.fired;
    err = cur.err;
    judge(s, r, f);
    cached = expected_cached(s, r, f);
    check_client_clean(cached);
    check_caller_clean(cached);
    follow_up(s);
    t->runs++;
    if (!fired)
        t->succeeded++;
    t->by_error[f.kind][-(int)err]++;
    if (cur.elapsed > t->longest_ms)
        t->longest_ms = cur.elapsed;
}

/* A healthy run, measuring the conversation, with two controls: the
 * secret went out in the form the scanner looks for, and the scanner finds
 * the token where it legitimately is. */
static void record(const struct scenario *s, struct record *r)
{
    static struct tally t;
    start_client();
    if (s->prepare != NULL)
        s->prepare();
    ft_load(s->conv, no_fault);
    assert_int_equal(s->call(), FWC_OK);
    r->received = ft.received;
    r->sent = ft.sent;
    r->first_received = ft.second_request ? ft.first_received : ft.received;
    r->first_sent = ft.second_request ? ft.first_sent : ft.sent;
    r->send_calls = ft.send_calls;
    assert_true(find_leak(ft.inner.sent, ft.inner.sent_len, 0, 0) != NULL);
    assert_true(contains(ft.inner.sent, ft.inner.sent_len, SECRET_FORM));
    assert_string_equal(find_leak(&client, sizeof(client), 0, 0), s->token_fetched);
    fwc_client_close(&client);
    run_case(s, r, no_fault, &t); /* the whole check, without a fault */
}

/* How each fault kind ended: "close: 1 success 272 connection closed by peer ...". */
static void print_outcomes(const struct tally *t)
{
    int kind, e;
    for (kind = 0; kind < FAULT_KINDS; kind++) {
        print_message("  %s:", kind_names[kind]);
        for (e = 0; e <= -FWC_ERR_MIN; e++) {
            if (t->by_error[kind][e] != 0)
                print_message(" %u %s", t->by_error[kind][e], fwc_strerror((enum fwc_err)-e));
        }
        print_message("\n");
    }
}

static void run_scenario(const struct scenario *s)
{
    struct record r;
    static struct tally t;
    struct fault f;
    int kind;

    memset(&t, 0, sizeof(t));
    record(s, &r);
    for (kind = 0; kind < FAULT_KINDS; kind++) {
        f.kind = (enum fault_kind)kind;
        f.side = SIDE_RECV;
        for (f.at = 0; f.at <= r.received; f.at++)
            run_case(s, &r, f, &t);
        f.side = SIDE_SEND;
        for (f.at = 0; f.at < r.sent; f.at++)
            run_case(s, &r, f, &t);
    }
    print_message("%s: %u fault runs = %d kinds x (%zu response offsets + %zu request offsets "
                  "in %u send calls); %u ended OK (fault after the last response byte); "
                  "longest %u ms (bound %u ms)\n",
                  s->name, t.runs, FAULT_KINDS, r.received + 1, r.sent, r.send_calls, t.succeeded,
                  (unsigned)t.longest_ms, (unsigned)s->bound_ms);
    print_outcomes(&t);
    assert_int_equal(t.runs, FAULT_KINDS * (r.received + 1 + r.sent));
    assert_int_equal(t.succeeded, FAULT_KINDS); /* per kind: the offset after the last byte */
}

static void token_fetch_faults(void **state)
{
    (void)state;
    run_scenario(&token_fetch);
}

static void token_renewal_faults(void **state)
{
    (void)state;
    run_scenario(&token_renewal);
}

static void api_call_faults(void **state)
{
    (void)state;
    run_scenario(&api_call);
}

static void upload_faults(void **state)
{
    (void)state;
    run_scenario(&upload);
}

/* After a token fetch and an API call, fwc_client_close() leaves neither
 * the secret nor the token anywhere in the client: it is all zero. */
static void close_leaves_neither_secret_nor_token(void **state)
{
    size_t i;
    (void)state;
    cur.scenario = "close";
    cur.f = no_fault;
    cur.elapsed = 0;
    start_client();
    ft_load(&conv_api_a, no_fault);
    assert_int_equal(call_api(), FWC_OK);
    assert_string_equal(find_leak(&client, sizeof(client), 0, 0), TOKEN_A); /* control */
    fwc_client_close(&client);
    assert_null(find_leak(&client, sizeof(client), 0, 0));
    for (i = 0; i < sizeof(client); i++)
        assert_int_equal(((const uint8_t *)&client)[i], 0);
}

static enum fwc_err seek_fails(void *ctx, uint64_t offset)
{
    (void)ctx;
    (void)offset;
    return FWC_ERR_BODY_READER;
}

/* An application fault next to the transport's: the file cannot be
 * rewound for a chunk. The bearer header was already written for that
 * attempt; it must not outlive it. */
static void seek_failure_leaves_no_token_outside_the_cache(void **state)
{
    struct fwc_upload_params p;
    (void)state;
    cur.scenario = "seek failure";
    cur.f = no_fault;
    cur.elapsed = 0;
    start_client();
    ft_load(&conv_upload_a, no_fault);
    fill_caller_buffers();
    memset(&p, 0, sizeof(p));
    p.destination = "/fotoweb/archives/5000-Photos/";
    p.filename = "f.bin";
    p.file_size = FILE_SIZE;
    p.read = file_read;
    p.seek = seek_fails;
    memset(&up, 0, sizeof(up));
    cur.err = fwc_upload(&client, &p, &up, url, sizeof(url));
    assert_int_equal(cur.err, FWC_ERR_BODY_READER);
    check_client_clean(TOKEN_A);
    check_caller_clean(TOKEN_A);
    follow_up(&upload);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(close_leaves_neither_secret_nor_token),
        cmocka_unit_test(token_fetch_faults),
        cmocka_unit_test(token_renewal_faults),
        cmocka_unit_test(api_call_faults),
        cmocka_unit_test(upload_faults),
        cmocka_unit_test(seek_failure_leaves_no_token_outside_the_cache),
    };
    size_t i;
    fake_client_secret = SECRET;
    for (i = 0; i < sizeof(file_data); i++)
        file_data[i] = (uint8_t)('a' + i % 26);
    scanner_init();
    build_conversations();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
