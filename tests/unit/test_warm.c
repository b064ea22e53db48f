/* SPDX-License-Identifier: MIT */
/* Warm starts (fwc/warm.h) over a scripted transport and the fake port:
 * a token carried from one client to a fresh one serves without a request
 * until it is due; what no longer applies (expired, another base URL or
 * client ID, no wall clock) is not taken; anything not an intact export is
 * FWC_ERR_WARM_FORMAT with nothing taken and no read outside the buffer;
 * a too small buffer is refused and wiped. The TLS session part needs a
 * real handshake: tests/integration proves it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_internal.h"
#include "fake_port.h"
#include "fwc/oauth.h"
#include "fwc/warm.h"
#include "script_transport.h"

#define CONNS(...) ((const struct st_step *const[]){__VA_ARGS__})
#define NCONNS(...) (sizeof((const struct st_step *const[]){__VA_ARGS__}) / sizeof(void *))
#define START(st, ...) script_transport_init((st), CONNS(__VA_ARGS__), NCONNS(__VA_ARGS__))

#define TOKEN_A "tokenAAAA0123456789"
#define TOKEN_B "tokenBBBB9876543210"
#define BODY_A "{\"access_token\":\"" TOKEN_A "\",\"token_type\":\"bearer\",\"expires_in\":3600}"
#define BODY_B "{\"access_token\":\"" TOKEN_B "\",\"token_type\":\"bearer\",\"expires_in\":3600}"
#define WALL0 1800000000 /* 2027-01-15 */
/* fwci_random_below(span + 1) when every entropy byte is b (random.c). */
#define DRAW(b, span) ((uint32_t)(((uint64_t)((b) * 257u) * ((span) + 1u)) >> 16))

static struct script_transport st;
static struct fwc_client client;
static char tok[CONFIG_FWC_TOKEN_MAX + 1];
static char responses[4][1024];
static uint8_t blob[FWC_WARM_MAX];
static size_t blob_len;

static struct st_step answer(int slot, const char *body)
{
    struct st_step s;
    int n = snprintf(responses[slot], sizeof(responses[slot]),
                     "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n%s",
                     strlen(body), body);
    s.kind = ST_DATA;
    s.data = responses[slot];
    s.len = (size_t)n;
    return s;
}

static void init_client_at(const char *base_url)
{
    struct fwc_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = base_url;
    cfg.transport = script_transport_ops(&st);
    assert_int_equal(fwc_client_init(&client, &cfg), FWC_OK);
    fake_log_forbid(TOKEN_A);
    fake_log_forbid(TOKEN_B);
}

static void init_client(void)
{
    init_client_at("https://api.example/prefix");
}

static void assert_zero(const void *p, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        assert_int_equal(((const uint8_t *)p)[i], 0);
}

/* A client that fetched TOKEN_A (expires_in 3600) at wall time WALL0 and
 * exported it into blob, then closed: what a device does before sleep. */
static void export_fresh_token(void)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    static const struct st_step *const conns[] = {c1};
    c1[0] = answer(0, BODY_A);
    script_transport_init(&st, conns, 1); /* static: the script outlives this call */
    fake_wall_known = true;
    fake_wall_s = WALL0;
    fake_secret_fails = 0;
    fake_client_id = "demo-client";
    init_client();
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(fwc_warm_export(&client, blob, sizeof(blob), &blob_len), FWC_OK);
    assert_true(blob_len > 0 && blob_len <= FWC_WARM_MAX);
    fwc_client_close(&client);
}

/* A fresh client whose one scripted connection would hand out TOKEN_B:
 * st.opens says whether fwc asked. */
static void start_fresh_client(const char *base_url)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    static const struct st_step *const conns[] = {c1};
    c1[0] = answer(1, BODY_B);
    script_transport_init(&st, conns, 1);
    fake_now_ms = 77777; /* a new boot: the monotonic clock restarted elsewhere */
    init_client_at(base_url);
}

static void token_is(const char *want, unsigned opens)
{
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_string_equal(tok, want);
    assert_int_equal(st.opens, opens);
}

static void round_trip_serves_the_token_without_a_request(void **state)
{
    unsigned used = 99, calls;
    (void)state;
    export_fresh_token();
    start_fresh_client("https://api.example/prefix");
    fake_wall_s = WALL0 + 100;
    calls = fake_secret_calls;
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
    assert_int_equal(used, FWC_WARM_USED_TOKEN);
    assert_int_equal(fake_secret_calls, calls + 1); /* the ID only, never the secret */
    assert_zero(&client._internal.credentials, sizeof(client._internal.credentials));
    token_is(TOKEN_A, 0);
    assert_int_equal(st.sends, 0);
    /* 3600 - 100 s, less the second neither clock reading counted. */
    assert_int_equal(fwc_token_seconds_left(&client), 3499);
    fwc_client_close(&client);
}

/* Renewal falls where it would for a token fetched in this run: at the
 * same point of the lifetime (same margins, same jitter from the fake
 * entropy), counted from the token's real fetch time. */
static void renewal_comes_when_it_is_due(void **state)
{
    uint32_t renew_after, due_in;
    (void)state;
    export_fresh_token();
    start_fresh_client("https://api.example/prefix");
    /* What this client would renew at after a fetch of its own. */
    fake_wall_s = WALL0 + 600;
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, NULL), FWC_OK);
    renew_after = client._internal.token.renew_after_ms;
    assert_int_equal(renew_after,
                     fwci_token_renew_after_ms(3600, CONFIG_FWC_TOKEN_RENEW_JITTER_PCT));
    due_in = renew_after - (fake_now_ms - client._internal.token.fetched_ms);
    assert_int_equal(fake_now_ms - client._internal.token.fetched_ms, 601000u);
    fake_clock_advance(due_in - 1);
    token_is(TOKEN_A, 0);
    fake_clock_advance(1);
    token_is(TOKEN_B, 1);
    fwc_client_close(&client);
}

/* A warm start that supplied a token skips the fetch spread: the device
 * did not boot into a token request. Once that token is gone, the next
 * token request waits like any other. */
static void warm_token_skips_the_fetch_spread(void **state)
{
    uint32_t t0;
    (void)state;
    export_fresh_token();
    start_fresh_client("https://api.example/prefix");
    fake_wall_s = WALL0 + 600;
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, NULL), FWC_OK);
    fake_entropy_byte = 0xFF;
    t0 = fake_now_ms;
    fwci_token_spread_fetch(&client, 600);
    assert_int_equal(fake_now_ms - t0, 0);
    token_is(TOKEN_A, 0);
    fwc_token_invalidate(&client);
    fwci_token_spread_fetch(&client, 600);
    assert_int_equal(fake_now_ms - t0, DRAW(0xFFu, 600000u));
    token_is(TOKEN_B, 1);
    fake_entropy_byte = 0x80;
    fwc_client_close(&client);
}

/* A token past its renewal point at import is not renewed on the first
 * call (a fleet's overdue share would all ask in the boot second) but at
 * a uniform random point of the first half of the time it has left. */
static void a_token_due_at_import_is_renewed_within_half_its_time_left(void **state)
{
    static const uint8_t bytes[] = {0x00, 0x80, 0xFF};
    /* 99 s left: inside the renewal margin; half of it is 49.5 s. */
    const uint32_t due_in[] = {DRAW(0x00u, 49500u), DRAW(0x80u, 49500u), DRAW(0xFFu, 49500u)};
    unsigned used = 0;
    size_t i;
    (void)state;
    assert_int_equal(due_in[0], 0);
    assert_true(due_in[2] > 49000u);
    for (i = 0; i < sizeof(bytes); i++) {
        export_fresh_token();
        start_fresh_client("https://api.example/prefix");
        fake_wall_s = WALL0 + 3500;
        fake_entropy_byte = bytes[i];
        assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
        assert_int_equal(used, FWC_WARM_USED_TOKEN);
        if (due_in[i] > 0) {
            fake_clock_advance(due_in[i] - 1u);
            token_is(TOKEN_A, 0);
            fake_clock_advance(1);
        }
        token_is(TOKEN_B, 1);
        fwc_client_close(&client);
    }
    fake_entropy_byte = 0x80;
}

static void what_no_longer_applies_is_not_taken(void **state)
{
    static const int64_t walls[] = {WALL0 + 3599, WALL0 + 3600, WALL0 + 100000, WALL0 - 1};
    unsigned used = 99;
    size_t i;
    (void)state;
    export_fresh_token();
    for (i = 0; i < sizeof(walls) / sizeof(walls[0]); i++) {
        start_fresh_client("https://api.example/prefix");
        fake_wall_s = walls[i]; /* expired, or a clock set back since the export */
        assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
        assert_int_equal(used, 0);
        token_is(TOKEN_B, 1);
        fwc_client_close(&client);
    }
    /* No wall clock on the next boot: the expiry cannot be told. */
    start_fresh_client("https://api.example/prefix");
    fake_wall_known = false;
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
    assert_int_equal(used, 0);
    token_is(TOKEN_B, 1);
    fwc_client_close(&client);
    fake_wall_known = false;
}

static void another_base_url_is_not_taken(void **state)
{
    static const char *const urls[] = {"https://api.example", "https://api.example:8443/prefix",
                                       "https://api.example/prefix2",
                                       "https://other.example/prefix"};
    unsigned used = 99;
    size_t i;
    (void)state;
    export_fresh_token();
    fake_wall_s = WALL0 + 1;
    for (i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        start_fresh_client(urls[i]);
        assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
        assert_int_equal(used, 0);
        assert_false(client._internal.token.have_token);
        fwc_client_close(&client);
    }
    /* The same URL spelt with the default port is the same server. */
    start_fresh_client("https://api.example:443/prefix");
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
    assert_int_equal(used, FWC_WARM_USED_TOKEN);
    fwc_client_close(&client);
    fake_wall_known = false;
}

static void another_client_id_is_not_taken(void **state)
{
    unsigned used = 99;
    (void)state;
    export_fresh_token();
    fake_wall_s = WALL0 + 1;
    start_fresh_client("https://api.example/prefix");
    fake_client_id = "demo-client2";
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
    assert_int_equal(used, 0);
    assert_false(client._internal.token.have_token);
    assert_zero(&client._internal.credentials, sizeof(client._internal.credentials));
    fwc_client_close(&client);
    /* A hook that cannot say: its error, nothing taken. */
    start_fresh_client("https://api.example/prefix");
    fake_client_id = "demo-client";
    fake_secret_fails = 1;
    used = 99;
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_ERR_SECRET_UNAVAILABLE);
    assert_int_equal(used, 0);
    assert_false(client._internal.token.have_token);
    fake_secret_fails = 0;
    fwc_client_close(&client);
    fake_wall_known = false;
}

/* One import of the first len bytes, from a heap copy of exactly that size
 * so that AddressSanitizer sees any read past it. */
static enum fwc_err import_exact(const uint8_t *src, size_t len, unsigned *used)
{
    uint8_t *copy = malloc(len != 0 ? len : 1);
    enum fwc_err err;
    assert_non_null(copy);
    memcpy(copy, src, len);
    err = fwc_warm_import(&client, copy, len, used);
    free(copy);
    return err;
}

static void assert_refused(const uint8_t *src, size_t len)
{
    unsigned used = 99;
    assert_int_equal(import_exact(src, len, &used), FWC_ERR_WARM_FORMAT);
    assert_int_equal(used, 0);
    assert_false(client._internal.token.have_token);
}

static void every_truncation_is_refused(void **state)
{
    size_t len;
    (void)state;
    export_fresh_token();
    fake_wall_s = WALL0 + 1;
    start_fresh_client("https://api.example/prefix");
    for (len = 0; len < blob_len; len++)
        assert_refused(blob, len);
    assert_int_equal(st.opens, 0);
    /* ... and one byte too many. */
    {
        uint8_t longer[FWC_WARM_MAX + 1];
        memcpy(longer, blob, blob_len);
        longer[blob_len] = 0;
        assert_refused(longer, blob_len + 1);
    }
    fwc_client_close(&client);
    fake_wall_known = false;
}

static void every_flipped_byte_is_refused(void **state)
{
    static const uint8_t flips[] = {0x01, 0x80, 0xFF};
    uint8_t bad[FWC_WARM_MAX];
    size_t i, f;
    (void)state;
    export_fresh_token();
    fake_wall_s = WALL0 + 1;
    start_fresh_client("https://api.example/prefix");
    for (i = 0; i < blob_len; i++) {
        for (f = 0; f < sizeof(flips); f++) {
            memcpy(bad, blob, blob_len);
            bad[i] ^= flips[f];
            assert_refused(bad, blob_len);
        }
    }
    fwc_client_close(&client);
    fake_wall_known = false;
}

/* ---- exports made by hand, with a correct check value -------------------- */

static uint32_t crc32_ref(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int b;
    for (i = 0; i < len; i++) {
        crc ^= p[i];
        for (b = 0; b < 8; b++)
            crc = (crc & 1u) ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
    }
    return ~crc;
}

struct hand {
    uint8_t buf[FWC_WARM_MAX + 64];
    size_t len;
};

static void h_bytes(struct hand *h, const void *p, size_t n)
{
    memcpy(h->buf + h->len, p, n);
    h->len += n;
}

static void h_uint(struct hand *h, uint64_t v, unsigned bytes)
{
    unsigned i;
    for (i = 0; i < bytes; i++)
        h->buf[h->len++] = (uint8_t)(v >> (8u * (bytes - 1u - i)));
}

static void h_field(struct hand *h, const char *s, size_t n)
{
    h_uint(h, n, 2);
    h_bytes(h, s, n);
}

/* magic + version, the binding, a token with its times, a session of
 * session_len bytes, and the CRC. */
static void hand_export(struct hand *h, const char *magic, unsigned version, const char *token,
                        int64_t exported_at, int64_t expires_at, uint32_t lifetime_s,
                        size_t session_len)
{
    static const char session[4096] = {1};
    h->len = 0;
    h_bytes(h, magic, 4);
    h_uint(h, version, 1);
    h_field(h, "https://api.example:443/prefix", strlen("https://api.example:443/prefix"));
    h_field(h, "demo-client", strlen("demo-client"));
    h_field(h, token, strlen(token));
    if (token[0] != '\0') {
        h_uint(h, (uint64_t)exported_at, 8);
        h_uint(h, (uint64_t)expires_at, 8);
        h_uint(h, lifetime_s, 4);
    }
    h_field(h, session, session_len);
    h_uint(h, crc32_ref(h->buf, h->len), 4);
}

static void hand_made_exports(void **state)
{
    static struct hand h;
    unsigned used = 99;
    (void)state;
    fake_wall_known = true;
    fake_wall_s = WALL0 + 10;
    fake_client_id = "demo-client";
    start_fresh_client("https://api.example/prefix");
    /* The writer here agrees with fwc's own. */
    hand_export(&h, "FWCW", 1, TOKEN_A, WALL0, WALL0 + 3600, 3600, 0);
    assert_int_equal(import_exact(h.buf, h.len, &used), FWC_OK);
    assert_int_equal(used, FWC_WARM_USED_TOKEN);
    fwc_client_close(&client);
    start_fresh_client("https://api.example/prefix");
    /* Intact, but not this format: magic, version. */
    hand_export(&h, "FWCX", 1, TOKEN_A, WALL0, WALL0 + 3600, 3600, 0);
    assert_refused(h.buf, h.len);
    hand_export(&h, "FWCW", 2, TOKEN_A, WALL0, WALL0 + 3600, 3600, 0);
    assert_refused(h.buf, h.len);
    /* Fields no export holds: a token fwc could not send, times that
     * contradict each other, a lifetime beyond belief. */
    hand_export(&h, "FWCW", 1, "tok en", WALL0, WALL0 + 3600, 3600, 0);
    assert_refused(h.buf, h.len);
    hand_export(&h, "FWCW", 1, "tok\r\nX: y", WALL0, WALL0 + 3600, 3600, 0);
    assert_refused(h.buf, h.len);
    hand_export(&h, "FWCW", 1, TOKEN_A, WALL0, WALL0 + 3601, 3600, 0);
    assert_refused(h.buf, h.len);
    hand_export(&h, "FWCW", 1, TOKEN_A, WALL0, WALL0, 3600, 0);
    assert_refused(h.buf, h.len);
    hand_export(&h, "FWCW", 1, TOKEN_A, WALL0, WALL0 + 3600, 0, 0);
    assert_refused(h.buf, h.len);
    hand_export(&h, "FWCW", 1, TOKEN_A, WALL0, WALL0 + 3600,
                CONFIG_FWC_TOKEN_MAX_LIFETIME_S + 1, 0);
    assert_refused(h.buf, h.len);
    /* A session, with a transport that is not fwc's TLS: the token only. */
    hand_export(&h, "FWCW", 1, TOKEN_A, WALL0, WALL0 + 3600, 3600, 200);
    assert_int_equal(import_exact(h.buf, h.len, &used), FWC_OK);
    assert_int_equal(used, FWC_WARM_USED_TOKEN);
    token_is(TOKEN_A, 0);
    fwc_client_close(&client);
    fake_wall_known = false;
}

static void too_small_a_buffer_is_refused_and_wiped(void **state)
{
    static uint8_t out[FWC_WARM_MAX];
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    size_t cap, len = 99, full;
    (void)state;
    c1[0] = answer(0, BODY_A);
    START(&st, c1);
    fake_wall_known = true;
    fake_wall_s = WALL0;
    init_client();
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(fwc_warm_export(&client, out, sizeof(out), &full), FWC_OK);
    for (cap = 0; cap < full; cap++) {
        memset(out, 0xAA, sizeof(out));
        assert_int_equal(fwc_warm_export(&client, out, cap, &len), FWC_ERR_BODY_TOO_LARGE);
        assert_int_equal(len, 0);
        assert_zero(out, cap);
        assert_int_equal(out[cap], 0xAA); /* and nothing beyond cap */
    }
    assert_int_equal(fwc_warm_export(&client, out, full, &len), FWC_OK);
    assert_int_equal(len, full);
    fwc_client_close(&client);
    fake_wall_known = false;
}

static void no_token_or_no_clock_exports_the_binding_only(void **state)
{
    static struct st_step c1[] = {{ST_END, 0, 0}, {ST_END, 0, 0}};
    unsigned used = 99;
    size_t with_token;
    (void)state;
    c1[0] = answer(0, BODY_A);
    START(&st, c1);
    fake_wall_known = true;
    fake_wall_s = WALL0;
    init_client();
    /* No token yet: the ID comes from the hook, nothing else is carried. */
    assert_int_equal(fwc_warm_export(&client, blob, sizeof(blob), &blob_len), FWC_OK);
    assert_int_equal(blob_len, 5 + 2 + strlen("https://api.example:443/prefix") + 2 +
                                   strlen("demo-client") + 2 + 2 + 4);
    assert_int_equal(fwc_token(&client, tok, sizeof(tok), NULL), FWC_OK);
    assert_int_equal(fwc_warm_export(&client, blob, sizeof(blob), &with_token), FWC_OK);
    assert_int_equal(with_token, blob_len + strlen(TOKEN_A) + 20);
    /* A wall clock the port does not know: no token either. */
    fake_wall_known = false;
    assert_int_equal(fwc_warm_export(&client, blob, sizeof(blob), &blob_len), FWC_OK);
    assert_int_equal(blob_len, with_token - strlen(TOKEN_A) - 20);
    fwc_client_close(&client);
    fake_wall_known = true;
    start_fresh_client("https://api.example/prefix");
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_OK);
    assert_int_equal(used, 0);
    fwc_client_close(&client);
    fake_wall_known = false;
}

static void bad_arguments(void **state)
{
    static uint8_t out[64];
    size_t len = 5;
    unsigned used = 5;
    (void)state;
    memset(out, 0xAA, sizeof(out));
    assert_int_equal(fwc_warm_export(NULL, out, sizeof(out), &len), FWC_ERR_INVALID_ARG);
    assert_zero(out, sizeof(out));
    assert_int_equal(len, 0);
    memset(&client, 0, sizeof(client)); /* never initialised */
    assert_int_equal(fwc_warm_export(&client, out, sizeof(out), NULL), FWC_ERR_INVALID_ARG);
    assert_int_equal(fwc_warm_import(&client, out, sizeof(out), &used), FWC_ERR_INVALID_ARG);
    assert_int_equal(used, 0);
    start_fresh_client("https://api.example/prefix");
    assert_int_equal(fwc_warm_import(&client, NULL, 10, NULL), FWC_ERR_INVALID_ARG);
    assert_int_equal(fwc_warm_export(&client, NULL, 10, &len), FWC_ERR_INVALID_ARG);
    fwc_client_close(&client);
    assert_int_equal(fwc_warm_import(&client, blob, blob_len, &used), FWC_ERR_INVALID_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(round_trip_serves_the_token_without_a_request),
        cmocka_unit_test(renewal_comes_when_it_is_due),
        cmocka_unit_test(warm_token_skips_the_fetch_spread),
        cmocka_unit_test(a_token_due_at_import_is_renewed_within_half_its_time_left),
        cmocka_unit_test(what_no_longer_applies_is_not_taken),
        cmocka_unit_test(another_base_url_is_not_taken),
        cmocka_unit_test(another_client_id_is_not_taken),
        cmocka_unit_test(every_truncation_is_refused),
        cmocka_unit_test(every_flipped_byte_is_refused),
        cmocka_unit_test(hand_made_exports),
        cmocka_unit_test(too_small_a_buffer_is_refused_and_wiped),
        cmocka_unit_test(no_token_or_no_clock_exports_the_binding_only),
        cmocka_unit_test(bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
