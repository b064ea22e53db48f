/* SPDX-License-Identifier: MIT */
/* Fuzz target: the HTTP response parser (src/http_parse.c), fed the way
 * src/http.c feeds it: call until the input is used up or the response
 * ends, then the next piece, and the peer's close at the end.
 *
 * Input: byte 0 flags (bit 0: the request was HEAD; bit 1: the peer never
 * closes), bytes 1-3 piece sizes (cycled; 0 is a call with no input), then
 * what the server sent. The response is fed three ways: whole, in the
 * given pieces, one byte at a time.
 *
 * Properties, each run: no call consumes more than it was given; an
 * event-less return used up its input; no more calls than bytes + 2 per
 * piece; events come in order (STATUS, HEADER*, HEADERS_DONE, BODY*,
 * DONE) and headers are well formed and point into the parser; body
 * pieces are the bytes just consumed, never more than the input; on DONE
 * the body equals what the framing says (Content-Length bytes, the
 * de-chunked data by an independent decoder, or everything up to the
 * close); errors are sticky and DONE is final.
 * Across runs: the same error, events, body, framing and bytes consumed,
 * whatever the split. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "fwc/internal/http_parse.h"
#include "chars.h"

#define MAX_INPUT 65536

struct outcome {
    enum fwc_err err;
    bool done;
    int status;
    unsigned headers;
    uint32_t header_hash;
    bool headers_done;
    bool chunked;
    bool has_length;
    uint64_t content_length;
    bool keep_alive;
    size_t body_start; /* input offset just past the blank line */
    size_t consumed;
    size_t body_len;
    uint8_t body[MAX_INPUT];
};

struct run {
    struct fwc_http_parser p;
    bool head;
    int phase; /* 0: want STATUS, 1: headers, 2: body, 3: over */
    struct outcome *o;
};

static struct outcome outcomes[3];

static uint32_t hash_bytes(uint32_t h, const void *data, size_t len)
{
    const unsigned char *s = data;
    size_t i;
    for (i = 0; i < len; i++)
        h = (h ^ s[i]) * 16777619u;
    return h;
}

static bool inside(const void *ptr, size_t len, const void *base, size_t size)
{
    const char *p = ptr, *b = base;
    return p >= b && len <= size && (size_t)(p - b) <= size - len;
}

/* The id agrees with the name, whatever its case. */
static void check_header_id(const struct fwc_http_event_data *ev)
{
    static const char *const names[] = {"",           "content-type",   "content-length",
                                        "transfer-encoding", "connection", "retry-after",
                                        "www-authenticate", "location"};
    size_t i;

    FUZZ_CHECK((size_t)ev->id < sizeof(names) / sizeof(names[0]));
    for (i = 1; i < sizeof(names) / sizeof(names[0]); i++)
        FUZZ_CHECK(fwci_ascii_ieq(ev->name, ev->name_len, names[i]) == ((size_t)ev->id == i));
}

static void check_header(const struct run *r, const struct fwc_http_event_data *ev)
{
    const char *line = r->p._internal.line;
    size_t i, size = sizeof(r->p._internal.line);

    FUZZ_CHECK(r->phase == 1);
    FUZZ_CHECK(ev->name_len > 0 && inside(ev->name, ev->name_len, line, size));
    FUZZ_CHECK(inside(ev->value, ev->value_len, line, size));
    for (i = 0; i < ev->name_len; i++)
        FUZZ_CHECK(fwci_is_tchar((unsigned char)ev->name[i]));
    for (i = 0; i < ev->value_len; i++)
        FUZZ_CHECK(fwci_is_field_char((unsigned char)ev->value[i]));
    if (ev->value_len > 0) {
        FUZZ_CHECK(ev->value[0] != ' ' && ev->value[0] != '\t');
        FUZZ_CHECK(ev->value[ev->value_len - 1] != ' ' && ev->value[ev->value_len - 1] != '\t');
    }
    check_header_id(ev);
}

static bool body_allowed(const struct run *r)
{
    return !r->head && r->o->status != 204 && r->o->status != 304;
}

/* in_end: just past the bytes the call that made ev consumed. */
static void on_event(struct run *r, const struct fwc_http_event_data *ev, const uint8_t *in_end)
{
    struct outcome *o = r->o;

    switch (ev->type) {
    case FWC_HTTP_EV_STATUS:
        FUZZ_CHECK(r->phase == 0 && ev->status >= 200 && ev->status <= 599);
        o->status = ev->status;
        r->phase = 1;
        break;
    case FWC_HTTP_EV_HEADER:
        check_header(r, ev);
        o->headers++;
        o->header_hash = hash_bytes(o->header_hash, &ev->id, sizeof(ev->id));
        o->header_hash = hash_bytes(o->header_hash, ev->name, ev->name_len);
        o->header_hash = hash_bytes(o->header_hash, ":", 1);
        o->header_hash = hash_bytes(o->header_hash, ev->value, ev->value_len);
        break;
    case FWC_HTTP_EV_HEADERS_DONE:
        FUZZ_CHECK(r->phase == 1);
        o->headers_done = true;
        o->body_start = o->consumed;
        o->chunked = fwci_http_parse_is_chunked(&r->p);
        o->has_length = fwci_http_parse_content_length(&r->p, &o->content_length);
        FUZZ_CHECK(!(o->chunked && o->has_length));
        r->phase = 2;
        break;
    case FWC_HTTP_EV_BODY:
        FUZZ_CHECK(r->phase == 2 && body_allowed(r));
        FUZZ_CHECK(ev->len > 0 && ev->data + ev->len == in_end);
        FUZZ_CHECK(o->body_len + ev->len <= o->consumed);
        FUZZ_CHECK(o->body_len + ev->len <= CONFIG_FWC_HTTP_MAX_BODY);
        memcpy(o->body + o->body_len, ev->data, ev->len);
        o->body_len += ev->len;
        break;
    default:
        FUZZ_CHECK(ev->type == FWC_HTTP_EV_DONE && r->phase == 2);
        o->done = true;
        o->keep_alive = fwci_http_parse_keep_alive(&r->p);
        r->phase = 3;
        break;
    }
}

/* Feed one piece as http.c does. False once the response is over. */
static bool feed(struct run *r, const uint8_t *in, size_t len)
{
    struct fwc_http_event_data ev;
    size_t pos = 0, used, calls = 0;
    enum fwc_err err;

    for (;;) {
        /* Each call ends in an event that consumed input, DONE, NONE or
         * an error: so at most len + 2 calls per piece. */
        FUZZ_CHECK(++calls <= len + 2);
        used = (size_t)-1;
        err = fwci_http_parse(&r->p, len > 0 ? in + pos : NULL, len - pos, &used, &ev);
        FUZZ_CHECK(used <= len - pos);
        pos += used;
        r->o->consumed += used;
        if (err != FWC_OK) {
            FUZZ_CHECK(ev.type == FWC_HTTP_EV_NONE);
            r->o->err = err;
            r->phase = 3;
            return false;
        }
        if (ev.type == FWC_HTTP_EV_NONE) {
            FUZZ_CHECK(pos == len);
            return true;
        }
        on_event(r, &ev, in != NULL ? in + pos : NULL);
        if (ev.type == FWC_HTTP_EV_DONE)
            return false;
    }
}

static void peer_closed(struct run *r)
{
    struct fwc_http_event_data ev;
    enum fwc_err err = fwci_http_parse_eof(&r->p, &ev);
    struct outcome *o = r->o;

    if (err != FWC_OK) {
        FUZZ_CHECK(err == FWC_ERR_HTTP_TRUNCATED && ev.type == FWC_HTTP_EV_NONE);
        o->err = err;
        return;
    }
    /* Only a body without length or chunks ends with the connection. */
    FUZZ_CHECK(ev.type == FWC_HTTP_EV_DONE && r->phase == 2 && body_allowed(r));
    FUZZ_CHECK(!o->chunked && !o->has_length);
    o->done = true;
    o->keep_alive = fwci_http_parse_keep_alive(&r->p);
    FUZZ_CHECK(!o->keep_alive);
}

/* After the end: an error stays, DONE takes nothing more. */
static void check_final(struct run *r, const uint8_t *data, size_t len)
{
    struct fwc_http_event_data ev;
    size_t used = 1;
    enum fwc_err err = fwci_http_parse(&r->p, data, len, &used, &ev);

    FUZZ_CHECK(used == 0);
    if (r->o->err != FWC_OK) {
        FUZZ_CHECK(err == r->o->err && ev.type == FWC_HTTP_EV_NONE);
        FUZZ_CHECK(fwci_http_parse_eof(&r->p, &ev) == r->o->err);
    } else if (r->o->done) {
        FUZZ_CHECK(err == FWC_OK && ev.type == FWC_HTTP_EV_DONE);
    }
}

/* An independent chunked decoder for input the parser accepted: sizes in
 * hex, the rest of a size line skipped, trailers up to a blank line. */
static bool dechunk(const uint8_t *s, size_t n, uint8_t *out, size_t *out_len)
{
    size_t i = 0, k = 0;

    for (;;) {
        uint64_t size = 0;
        size_t digits = 0;
        while (i < n && s[i] != '\0' && strchr("0123456789abcdefABCDEF", s[i]) != NULL) {
            unsigned v = s[i] <= '9' ? (unsigned)(s[i] - '0') : (unsigned)((s[i] | 0x20) - 'a' + 10);
            size = size * 16u + v;
            if (size > 0xFFFFFFFFu)
                return false;
            digits++;
            i++;
        }
        while (i < n && s[i] != '\n')
            i++;
        if (digits == 0 || i == n)
            return false;
        i++;
        if (size == 0)
            break;
        if (size > n - i)
            return false;
        memcpy(out + k, s + i, (size_t)size);
        k += (size_t)size;
        i += (size_t)size;
        if (i < n && s[i] == '\r')
            i++;
        if (i == n || s[i] != '\n')
            return false;
        i++;
    }
    for (;;) { /* trailer lines, then the blank one */
        size_t start = i;
        while (i < n && s[i] != '\n')
            i++;
        if (i == n)
            return false;
        i++;
        if (i - start == 1 || (i - start == 2 && s[start] == '\r'))
            break;
    }
    *out_len = k;
    return i == n;
}

static uint8_t expected[MAX_INPUT];

/* The body matches what the framing says about the input. */
static void check_body(const struct run *r, const uint8_t *data)
{
    const struct outcome *o = r->o;
    const uint8_t *raw = data + o->body_start;
    size_t raw_len = o->consumed - o->body_start, n = 0;

    if (!o->done)
        return;
    if (!body_allowed(r)) {
        FUZZ_CHECK(o->body_len == 0 && raw_len == 0);
    } else if (o->chunked) {
        FUZZ_CHECK(dechunk(raw, raw_len, expected, &n));
        FUZZ_CHECK(n == o->body_len && memcmp(expected, o->body, n) == 0);
    } else {
        FUZZ_CHECK(raw_len == o->body_len && memcmp(raw, o->body, raw_len) == 0);
        FUZZ_CHECK(!o->has_length || o->content_length == o->body_len);
    }
}

static void run_one(struct outcome *o, bool head, bool closes, const uint8_t *data, size_t len,
                    const uint8_t *sizes, size_t nsizes)
{
    static struct run r;
    size_t pos = 0, k = 0;
    bool going = true;

    memset(&r, 0, sizeof(r));
    memset(o, 0, offsetof(struct outcome, body));
    fwci_http_parse_init(&r.p, head);
    r.head = head;
    r.o = o;
    while (going && pos < len) {
        size_t n = nsizes == 0 ? len : sizes[k++ % nsizes];
        if (n > len - pos)
            n = len - pos;
        going = feed(&r, data + pos, n);
        pos += n;
    }
    if (going && len == 0)
        going = feed(&r, NULL, 0);
    if (going && closes)
        peer_closed(&r);
    FUZZ_CHECK(o->consumed <= len && o->body_len <= o->consumed);
    FUZZ_CHECK(!o->keep_alive || o->done);
    check_final(&r, data + o->consumed, len - o->consumed);
    check_body(&r, data);
}

static void same_outcome(const struct outcome *a, const struct outcome *b)
{
    FUZZ_CHECK(a->err == b->err && a->done == b->done && a->status == b->status);
    FUZZ_CHECK(a->headers == b->headers && a->header_hash == b->header_hash);
    FUZZ_CHECK(a->headers_done == b->headers_done && a->body_start == b->body_start);
    FUZZ_CHECK(a->chunked == b->chunked && a->has_length == b->has_length &&
               a->content_length == b->content_length && a->keep_alive == b->keep_alive);
    FUZZ_CHECK(a->consumed == b->consumed && a->body_len == b->body_len);
    FUZZ_CHECK(memcmp(a->body, b->body, a->body_len) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t one = 1;
    bool head, closes;
    size_t nsizes = 3;

    if (size < 4 || size - 4 > MAX_INPUT)
        return 0;
    head = (data[0] & 1) != 0;
    closes = (data[0] & 2) == 0;
    /* All-zero sizes would never move; treat them as "whole". */
    if (data[1] == 0 && data[2] == 0 && data[3] == 0)
        nsizes = 0;
    run_one(&outcomes[0], head, closes, data + 4, size - 4, NULL, 0);
    run_one(&outcomes[1], head, closes, data + 4, size - 4, data + 1, nsizes);
    run_one(&outcomes[2], head, closes, data + 4, size - 4, &one, 1);
    same_outcome(&outcomes[0], &outcomes[1]);
    same_outcome(&outcomes[0], &outcomes[2]);
    return 0;
}
