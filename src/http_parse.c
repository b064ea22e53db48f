/* SPDX-License-Identifier: MIT */
/* Incremental HTTP/1.x response parser (RFC 9112). See fwc/internal/http_parse.h.
 *
 * Lines (status, headers, chunk sizes, trailers) are gathered one at a time
 * into the parser's line buffer, so a line may arrive split anywhere; body
 * bytes are handed out in place. Every line has a length limit and every
 * count a ceiling, so no input can make the parser hold more than its struct
 * or loop without consuming. */
#include "fwc/internal/http_parse.h"

#include <string.h>

#include "chars.h"

enum state {
    S_STATUS,
    S_HEADER,
    S_BODY_LENGTH, /* Content-Length body */
    S_BODY_CLOSE,  /* body delimited by the peer closing */
    S_CHUNK_SIZE,
    S_CHUNK_DATA,
    S_CHUNK_END,   /* the CRLF after a chunk's data */
    S_TRAILER,
    S_DONE,
    S_ERROR
};

#define MAX_CHUNK_SIZE 0xFFFFFFFFu
/* 2^64 - 1 has 20 digits; 19 digits always fit. */
#define MAX_LENGTH_DIGITS 19

void fwci_http_parse_init(struct fwc_http_parser *p, bool head_request)
{
    memset(p, 0, sizeof(*p));
    p->_internal.state = S_STATUS;
    p->_internal.head_request = head_request;
}

static enum fwc_err fail(struct fwc_http_parser *p, enum fwc_err err)
{
    p->_internal.state = S_ERROR;
    p->_internal.error = err;
    return err;
}

/* Gather bytes into the line buffer up to LF. *out_complete is set once the
 * line is whole; the LF and one CR before it are dropped. A line longer than
 * limit is too_long_err. */
static enum fwc_err take_line(struct fwc_http_parser *p, const uint8_t *in, size_t len,
                              size_t limit, enum fwc_err too_long_err, size_t *out_used,
                              bool *out_complete)
{
    size_t i;

    *out_complete = false;
    for (i = 0; i < len; i++) {
        if (in[i] == '\n') {
            if (p->_internal.line_len > 0 && p->_internal.line[p->_internal.line_len - 1] == '\r')
                p->_internal.line_len--;
            *out_used = i + 1;
            *out_complete = true;
            return FWC_OK;
        }
        if (p->_internal.line_len >= limit) {
            *out_used = i;
            return too_long_err;
        }
        p->_internal.line[p->_internal.line_len++] = (char)in[i];
    }
    *out_used = len;
    return FWC_OK;
}

static bool all_field_chars(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        if (!fwci_is_field_char((unsigned char)s[i]))
            return false;
    }
    return true;
}

/* Could the status line gathered so far still become "HTTP/1."? An
 * HTTP/0.9 answer (a body with no status line) or any other non-HTTP bytes
 * are refused as they arrive, not only at a line end that may never come
 * (before the close they would otherwise look like a cut response). */
static const char status_prefix[] = "HTTP/1.";

static bool status_prefix_ok(const struct fwc_http_parser *p)
{
    size_t n = p->_internal.line_len;
    if (n > sizeof(status_prefix) - 1)
        n = sizeof(status_prefix) - 1;
    return memcmp(p->_internal.line, status_prefix, n) == 0;
}

/* How much of in the status line may take: nothing past the first byte
 * that cannot continue "HTTP/1.", so the refusal lands on that byte
 * however the input was split. */
static size_t status_take_limit(const struct fwc_http_parser *p, const uint8_t *in, size_t len)
{
    size_t i;
    for (i = 0; i < len && p->_internal.line_len + i < sizeof(status_prefix) - 1; i++) {
        if (in[i] != (uint8_t)status_prefix[p->_internal.line_len + i])
            return i + 1;
    }
    return len;
}

/* "HTTP/1.x NNN[ reason]" */
static enum fwc_err on_status_line(struct fwc_http_parser *p, struct fwc_http_event_data *ev)
{
    const char *s = p->_internal.line;
    size_t n = p->_internal.line_len;
    int status;

    if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || (s[7] != '0' && s[7] != '1') || s[8] != ' ' ||
        !fwci_is_digit(s[9]) || !fwci_is_digit(s[10]) || !fwci_is_digit(s[11]))
        return FWC_ERR_HTTP_STATUS_LINE;
    if (n > 12 && (s[12] != ' ' || !all_field_chars(s + 13, n - 13)))
        return FWC_ERR_HTTP_STATUS_LINE;
    status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    if (status < 100 || status > 599)
        return FWC_ERR_HTTP_STATUS_LINE;
    /* fwc never asks to switch protocols; what follows would not be HTTP. */
    if (status == 101)
        return FWC_ERR_HTTP_FRAMING;

    p->_internal.http11 = s[7] == '1';
    p->_internal.status = status;
    p->_internal.state = S_HEADER;
    if (status < 200) {
        /* An interim response counts against the header ceiling so that an
         * endless stream of them ends. */
        if (++p->_internal.header_count > CONFIG_FWC_HTTP_MAX_HEADERS)
            return FWC_ERR_HTTP_TOO_MANY_HEADERS;
        return FWC_OK;
    }
    ev->type = FWC_HTTP_EV_STATUS;
    ev->status = status;
    return FWC_OK;
}

static enum fwc_http_header_id header_id(const char *name, size_t len)
{
    static const struct {
        const char *lower;
        enum fwc_http_header_id id;
    } known[] = {
        {"content-type", FWC_HDR_CONTENT_TYPE},
        {"content-length", FWC_HDR_CONTENT_LENGTH},
        {"transfer-encoding", FWC_HDR_TRANSFER_ENCODING},
        {"connection", FWC_HDR_CONNECTION},
        {"retry-after", FWC_HDR_RETRY_AFTER},
        {"www-authenticate", FWC_HDR_WWW_AUTHENTICATE},
        {"location", FWC_HDR_LOCATION},
    };
    size_t i;

    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (fwci_ascii_ieq(name, len, known[i].lower))
            return known[i].id;
    }
    return FWC_HDR_OTHER;
}

/* Content-Length: digits, or a list of identical digit runs ("5, 5"),
 * which RFC 9110 8.6 lets a recipient accept. */
static enum fwc_err parse_content_length(const char *s, size_t n, uint64_t *out)
{
    size_t i = 0;
    bool have = false;
    uint64_t first = 0;

    for (;;) {
        uint64_t v = 0;
        size_t digits = 0;
        while (i < n && fwci_is_digit(s[i])) {
            if (++digits > MAX_LENGTH_DIGITS)
                return FWC_ERR_HTTP_CONTENT_LENGTH;
            v = v * 10u + (uint64_t)(s[i] - '0');
            i++;
        }
        if (digits == 0 || (have && v != first))
            return FWC_ERR_HTTP_CONTENT_LENGTH;
        first = v;
        have = true;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
        if (i == n)
            break;
        if (s[i] != ',')
            return FWC_ERR_HTTP_CONTENT_LENGTH;
        i++;
        while (i < n && (s[i] == ' ' || s[i] == '\t'))
            i++;
    }
    *out = first;
    return FWC_OK;
}

/* Connection: a comma list of tokens; fwc cares about two of them. */
static void parse_connection(struct fwc_http_parser *p, const char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        size_t start, end;
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == ','))
            i++;
        start = i;
        while (i < n && s[i] != ',')
            i++;
        end = i;
        while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
            end--;
        if (fwci_ascii_ieq(s + start, end - start, "close"))
            p->_internal.conn_close = true;
        else if (fwci_ascii_ieq(s + start, end - start, "keep-alive"))
            p->_internal.conn_keep_alive = true;
    }
}

/* Record what a framing header says about the message. */
static enum fwc_err apply_framing(struct fwc_http_parser *p, enum fwc_http_header_id id,
                                  const char *value, size_t len)
{
    uint64_t cl;
    enum fwc_err err;

    switch (id) {
    case FWC_HDR_CONTENT_LENGTH:
        err = parse_content_length(value, len, &cl);
        if (err != FWC_OK)
            return err;
        if (p->_internal.has_length && cl != p->_internal.content_length)
            return FWC_ERR_HTTP_CONTENT_LENGTH;
        p->_internal.has_length = true;
        p->_internal.content_length = cl;
        return FWC_OK;
    case FWC_HDR_TRANSFER_ENCODING:
        /* fwc sends no TE, so the only coding a server may apply is
         * chunked, once. Anything else cannot be decoded here. */
        if (p->_internal.chunked || !fwci_ascii_ieq(value, len, "chunked"))
            return FWC_ERR_HTTP_FRAMING;
        p->_internal.chunked = true;
        return FWC_OK;
    case FWC_HDR_CONNECTION:
        parse_connection(p, value, len);
        return FWC_OK;
    default:
        return FWC_OK;
    }
}

/* Split and check "name: value". Outputs point into the line buffer. */
static enum fwc_err split_header(struct fwc_http_parser *p, const char **out_value,
                                 size_t *out_name_len, size_t *out_value_len)
{
    const char *s = p->_internal.line;
    size_t n = p->_internal.line_len;
    size_t colon = 0, start, end;

    /* obs-fold (a continuation line) is rejected, as RFC 9112 5.2 allows. */
    if (s[0] == ' ' || s[0] == '\t')
        return FWC_ERR_HTTP_HEADER;
    while (colon < n && s[colon] != ':') {
        if (!fwci_is_tchar((unsigned char)s[colon]))
            return FWC_ERR_HTTP_HEADER;
        colon++;
    }
    if (colon == 0 || colon == n)
        return FWC_ERR_HTTP_HEADER;
    start = colon + 1;
    end = n;
    while (start < end && (s[start] == ' ' || s[start] == '\t'))
        start++;
    while (end > start && (s[end - 1] == ' ' || s[end - 1] == '\t'))
        end--;
    if (!all_field_chars(s + start, end - start))
        return FWC_ERR_HTTP_HEADER;
    *out_value = s + start;
    *out_name_len = colon;
    *out_value_len = end - start;
    return FWC_OK;
}

static enum fwc_err on_header_line(struct fwc_http_parser *p, struct fwc_http_event_data *ev)
{
    const char *value;
    size_t name_len, value_len;
    enum fwc_http_header_id id;
    enum fwc_err err;

    if (++p->_internal.header_count > CONFIG_FWC_HTTP_MAX_HEADERS)
        return FWC_ERR_HTTP_TOO_MANY_HEADERS;
    err = split_header(p, &value, &name_len, &value_len);
    if (err != FWC_OK)
        return err;
    /* Interim responses and trailers are checked but say nothing about
     * framing, and fwc has no use for their contents. */
    if (p->_internal.state == S_TRAILER || p->_internal.status < 200)
        return FWC_OK;
    id = header_id(p->_internal.line, name_len);
    err = apply_framing(p, id, value, value_len);
    if (err != FWC_OK)
        return err;
    ev->type = FWC_HTTP_EV_HEADER;
    ev->id = id;
    ev->name = p->_internal.line;
    ev->name_len = name_len;
    ev->value = value;
    ev->value_len = value_len;
    return FWC_OK;
}

/* The blank line after the headers: choose how the body is framed. */
static enum fwc_err on_headers_end(struct fwc_http_parser *p, struct fwc_http_event_data *ev)
{
    if (p->_internal.status < 200) {
        /* Skip the interim response; its framing headers mean nothing. */
        p->_internal.state = S_STATUS;
        p->_internal.chunked = p->_internal.has_length = false;
        p->_internal.conn_close = p->_internal.conn_keep_alive = false;
        p->_internal.content_length = 0;
        return FWC_OK;
    }
    /* Both at once is the classic request-smuggling shape (RFC 9112 6.3),
     * and HTTP/1.0 has no Transfer-Encoding, so its framing is faulty
     * (RFC 9112 6.1). */
    if (p->_internal.chunked && (p->_internal.has_length || !p->_internal.http11))
        return FWC_ERR_HTTP_FRAMING;
    if (p->_internal.head_request || p->_internal.status == 204 || p->_internal.status == 304) {
        p->_internal.state = S_DONE;
    } else if (p->_internal.chunked) {
        p->_internal.state = S_CHUNK_SIZE;
    } else if (p->_internal.has_length) {
        if (p->_internal.content_length > CONFIG_FWC_HTTP_MAX_BODY)
            return FWC_ERR_BODY_TOO_LARGE;
        p->_internal.remaining = p->_internal.content_length;
        p->_internal.state = S_BODY_LENGTH;
    } else {
        p->_internal.until_close = true;
        p->_internal.state = S_BODY_CLOSE;
    }
    ev->type = FWC_HTTP_EV_HEADERS_DONE;
    return FWC_OK;
}

/* chunk-size [ BWS ] [ ";" chunk-ext ] */
static enum fwc_err on_chunk_size_line(struct fwc_http_parser *p)
{
    const char *s = p->_internal.line;
    size_t n = p->_internal.line_len, i = 0;
    uint64_t size = 0;
    int d;

    while (i < n && (d = fwci_hex_value(s[i])) >= 0) {
        size = size * 16u + (uint64_t)d;
        if (size > MAX_CHUNK_SIZE)
            return FWC_ERR_HTTP_CHUNK;
        i++;
    }
    if (i == 0)
        return FWC_ERR_HTTP_CHUNK;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    if (i < n && (s[i] != ';' || !all_field_chars(s + i, n - i)))
        return FWC_ERR_HTTP_CHUNK;

    if (size == 0) {
        p->_internal.state = S_TRAILER;
        return FWC_OK;
    }
    if (size > CONFIG_FWC_HTTP_MAX_BODY - p->_internal.body_total)
        return FWC_ERR_BODY_TOO_LARGE;
    p->_internal.remaining = size;
    p->_internal.state = S_CHUNK_DATA;
    return FWC_OK;
}

/* A complete line is in the buffer: act on it by state. */
static enum fwc_err on_line(struct fwc_http_parser *p, struct fwc_http_event_data *ev)
{
    switch (p->_internal.state) {
    case S_STATUS:
        return on_status_line(p, ev);
    case S_HEADER:
        return p->_internal.line_len == 0 ? on_headers_end(p, ev) : on_header_line(p, ev);
    case S_CHUNK_SIZE:
        return on_chunk_size_line(p);
    case S_CHUNK_END:
        if (p->_internal.line_len != 0)
            return FWC_ERR_HTTP_CHUNK;
        p->_internal.state = S_CHUNK_SIZE;
        return FWC_OK;
    default: /* S_TRAILER */
        if (p->_internal.line_len != 0)
            return on_header_line(p, ev);
        p->_internal.state = S_DONE;
        ev->type = FWC_HTTP_EV_DONE;
        return FWC_OK;
    }
}

static void line_limit(const struct fwc_http_parser *p, size_t *out_limit,
                       enum fwc_err *out_too_long)
{
    *out_too_long = FWC_ERR_HTTP_LINE_TOO_LONG;
    switch (p->_internal.state) {
    case S_STATUS:
        *out_limit = CONFIG_FWC_HTTP_MAX_STATUS_LINE;
        break;
    case S_CHUNK_SIZE:
        *out_limit = CONFIG_FWC_HTTP_MAX_CHUNK_LINE;
        break;
    case S_CHUNK_END:
        /* Only "\r" may come before the LF. */
        *out_limit = 1;
        *out_too_long = FWC_ERR_HTTP_CHUNK;
        break;
    default:
        *out_limit = CONFIG_FWC_HTTP_MAX_HEADER_LINE;
        break;
    }
}

/* Hand out up to *remaining body bytes from the input in place. */
static size_t emit_body(const uint8_t *in, size_t avail, uint64_t *remaining,
                        struct fwc_http_event_data *ev)
{
    size_t n = avail;
    if ((uint64_t)n > *remaining)
        n = (size_t)*remaining;
    *remaining -= n;
    ev->type = FWC_HTTP_EV_BODY;
    ev->data = in;
    ev->len = n;
    return n;
}

/* One step: consume from in[pos..len) in the current state. */
static enum fwc_err step(struct fwc_http_parser *p, const uint8_t *in, size_t len, size_t *pos,
                         struct fwc_http_event_data *ev)
{
    size_t used = 0, limit, avail;
    bool complete;
    enum fwc_err err, too_long;
    uint64_t unbounded;

    switch (p->_internal.state) {
    case S_DONE:
        ev->type = FWC_HTTP_EV_DONE;
        return FWC_OK;
    case S_BODY_LENGTH:
        if (p->_internal.remaining == 0) {
            p->_internal.state = S_DONE;
            ev->type = FWC_HTTP_EV_DONE;
        } else {
            *pos += emit_body(in + *pos, len - *pos, &p->_internal.remaining, ev);
        }
        return FWC_OK;
    case S_CHUNK_DATA:
        if (p->_internal.remaining == 0) {
            p->_internal.state = S_CHUNK_END;
            return FWC_OK;
        }
        used = emit_body(in + *pos, len - *pos, &p->_internal.remaining, ev);
        p->_internal.body_total += used;
        *pos += used;
        return FWC_OK;
    case S_BODY_CLOSE:
        if ((uint64_t)(len - *pos) > CONFIG_FWC_HTTP_MAX_BODY - p->_internal.body_total)
            return FWC_ERR_BODY_TOO_LARGE;
        unbounded = len - *pos;
        used = emit_body(in + *pos, len - *pos, &unbounded, ev);
        p->_internal.body_total += used;
        *pos += used;
        return FWC_OK;
    default:
        line_limit(p, &limit, &too_long);
        avail = len - *pos;
        if (p->_internal.state == S_STATUS)
            avail = status_take_limit(p, in + *pos, avail);
        err = take_line(p, in + *pos, avail, limit, too_long, &used, &complete);
        *pos += used;
        if (err == FWC_OK && !complete && p->_internal.state == S_STATUS && !status_prefix_ok(p))
            err = FWC_ERR_HTTP_STATUS_LINE;
        if (err != FWC_OK || !complete)
            return err;
        err = on_line(p, ev);
        p->_internal.line_len = 0;
        return err;
    }
}

static bool needs_input(const struct fwc_http_parser *p)
{
    switch (p->_internal.state) {
    case S_DONE:
        return false;
    case S_BODY_LENGTH:
    case S_CHUNK_DATA:
        return p->_internal.remaining != 0;
    default:
        return true;
    }
}

enum fwc_err fwci_http_parse(struct fwc_http_parser *p, const uint8_t *in, size_t len,
                            size_t *out_consumed, struct fwc_http_event_data *out_ev)
{
    size_t pos = 0;
    enum fwc_err err = FWC_OK;

    memset(out_ev, 0, sizeof(*out_ev));
    *out_consumed = 0;
    if (p->_internal.state == S_ERROR)
        return p->_internal.error;
    if (in == NULL)
        len = 0;

    /* Each step either consumes input or changes state without needing
     * any, and the states form no cycle that consumes nothing, so this ends. */
    while (out_ev->type == FWC_HTTP_EV_NONE && err == FWC_OK) {
        if (needs_input(p) && pos == len)
            break;
        err = step(p, in, len, &pos, out_ev);
    }
    *out_consumed = pos;
    if (err != FWC_OK) {
        memset(out_ev, 0, sizeof(*out_ev));
        return fail(p, err);
    }
    return FWC_OK;
}

enum fwc_err fwci_http_parse_eof(struct fwc_http_parser *p, struct fwc_http_event_data *out_ev)
{
    memset(out_ev, 0, sizeof(*out_ev));
    if (p->_internal.state == S_ERROR)
        return p->_internal.error;
    if (p->_internal.state == S_BODY_CLOSE || p->_internal.state == S_DONE) {
        p->_internal.state = S_DONE;
        out_ev->type = FWC_HTTP_EV_DONE;
        return FWC_OK;
    }
    return fail(p, FWC_ERR_HTTP_TRUNCATED);
}

bool fwci_http_parse_keep_alive(const struct fwc_http_parser *p)
{
    if (p->_internal.state != S_DONE || p->_internal.until_close || p->_internal.conn_close)
        return false;
    return p->_internal.http11 || p->_internal.conn_keep_alive;
}

bool fwci_http_parse_is_chunked(const struct fwc_http_parser *p)
{
    return p->_internal.chunked;
}

bool fwci_http_parse_content_length(const struct fwc_http_parser *p, uint64_t *out_len)
{
    *out_len = p->_internal.content_length;
    return p->_internal.has_length;
}
