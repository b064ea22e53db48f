/* SPDX-License-Identifier: MIT */
/* One HTTP/1.1 exchange over a transport, with keep-alive.
 *
 * Time (docs/HTTP.md, "Time"): silence is bounded, work is not. Every
 * transport call gets min(CONFIG_FWC_IO_TIMEOUT_MS, time left), so a call
 * that moves bytes keeps the exchange going and one that moves none for
 * the I/O timeout ends it. The overall deadline is the request's own
 * (deadline_ms), or CONFIG_FWC_EXCHANGE_TIMEOUT_MS plus the body's size at
 * CONFIG_FWC_MIN_RATE_BPS: short for a token or an API call, long enough
 * for a 1 MiB chunk on a slow uplink, and still a bound on a server that
 * trickles a byte at a time.
 *
 * Memory: the request head and streamed body go out through the
 * connection's I/O buffer and the response comes in through it. The buffer
 * is wiped before returning: it held a bearer token or a client secret. */
#include <string.h>

#include "fwc/internal/http_conn.h"
#include "fwc/port.h"
#include "chars.h"
#include "http_write.h"
#include "wipe.h"

struct exchange {
    struct fwc_http_conn *conn;
    const struct fwc_http_request *req;
    struct fwc_http_response *resp;
    uint32_t deadline;
    bool reused;    /* the attempt went out on a kept-alive connection */
    bool touched;   /* the connection was used (so an error must close it) */
    bool got_bytes; /* any response byte arrived */
    unsigned sends;
    unsigned sends_whole; /* of those, how many handed the whole request over */
};

enum fwc_err fwci_http_conn_init(struct fwc_http_conn *conn, const struct fwc_transport *transport,
                                const char *host)
{
    if (conn == NULL || transport == NULL || transport->open == NULL || transport->send == NULL ||
        transport->recv == NULL || transport->close == NULL || host == NULL)
        return FWC_ERR_INVALID_ARG;
    memset(conn, 0, sizeof(*conn));
    conn->transport = transport;
    conn->host = host;
    return FWC_OK;
}

void fwci_http_close(struct fwc_http_conn *conn)
{
    if (conn != NULL && conn->_internal.open) {
        conn->transport->close(conn->transport->ctx);
        conn->_internal.open = false;
    }
}

/* A transport or callback result as an fwc code: anything outside the
 * range of fwc codes (a POSIX -1, an mbedTLS code) becomes fallback. */
static enum fwc_err as_fwc_err(int32_t n, enum fwc_err fallback)
{
    return (n < 0 && n >= FWC_ERR_MIN) ? (enum fwc_err)n : fallback;
}

/* Milliseconds left before the deadline, capped at cap; 0 when past it.
 * Unsigned difference read as signed survives a clock wrap. */
static uint32_t time_left(const struct exchange *x, uint32_t cap)
{
    int32_t left = (int32_t)(x->deadline - fwc_port_now_ms());
    if (left <= 0)
        return 0;
    return (uint32_t)left < cap ? (uint32_t)left : cap;
}

/* Longest deadline fwc sets: time_left() reads the difference as signed. */
#define DEADLINE_MAX_MS 0x7FFF0000u

uint32_t fwci_http_deadline_ms(const struct fwc_http_request *req)
{
    uint64_t body = req->body_reader != NULL ? req->body_reader_len : (uint64_t)req->body_len;
    uint64_t ms;

    if (req->deadline_ms != 0)
        return req->deadline_ms < DEADLINE_MAX_MS ? req->deadline_ms : DEADLINE_MAX_MS;
    /* Divide first: a body near 2^64 must not overflow the product. */
    ms = (uint64_t)CONFIG_FWC_EXCHANGE_TIMEOUT_MS + body / CONFIG_FWC_MIN_RATE_BPS * 1000u +
         body % CONFIG_FWC_MIN_RATE_BPS * 1000u / CONFIG_FWC_MIN_RATE_BPS;
    return ms < DEADLINE_MAX_MS ? (uint32_t)ms : DEADLINE_MAX_MS;
}

static enum fwc_err send_all(struct exchange *x, const uint8_t *data, size_t len)
{
    const struct fwc_transport *t = x->conn->transport;

    while (len > 0) {
        uint32_t timeout = time_left(x, CONFIG_FWC_IO_TIMEOUT_MS);
        size_t piece = len > INT32_MAX ? INT32_MAX : len;
        int32_t n;
        if (timeout == 0)
            return FWC_ERR_TIMEOUT;
        n = t->send(t->ctx, data, piece, timeout);
        if (n < 0)
            return as_fwc_err(n, FWC_ERR_TRANSPORT);
        if (n == 0 || (size_t)n > piece)
            return FWC_ERR_TRANSPORT;
        data += n;
        len -= (size_t)n;
    }
    return FWC_OK;
}

/* Fill buf[0..want) from the reader, which must not stop early. */
static enum fwc_err read_body(const struct fwc_http_request *req, uint8_t *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        int32_t n = req->body_reader(req->body_reader_ctx, buf + got, want - got);
        if (n <= 0 || (size_t)n > want - got)
            return FWC_ERR_BODY_READER;
        got += (size_t)n;
    }
    return FWC_OK;
}

/* Send the head (already in the I/O buffer: used bytes) and the body. A
 * small buffer body rides in the same send as the head (one TLS record); a
 * large one goes straight from the caller's memory; a streamed one is read
 * into the I/O buffer piece by piece. */
static enum fwc_err send_request_from_buffer(struct exchange *x, size_t used)
{
    uint8_t *buf = x->conn->_internal.buf;
    const size_t cap = sizeof(x->conn->_internal.buf);
    const struct fwc_http_request *req = x->req;
    uint64_t left;
    enum fwc_err err;

    if (req->body_reader == NULL) {
        if (req->body_len <= cap - used) {
            if (req->body_len > 0)
                memcpy(buf + used, req->body, req->body_len);
            return send_all(x, buf, used + req->body_len);
        }
        err = send_all(x, buf, used);
        return err != FWC_OK ? err : send_all(x, req->body, req->body_len);
    }
    for (left = req->body_reader_len; left > 0 || used > 0; used = 0) {
        size_t room = cap - used;
        size_t want = left < (uint64_t)room ? (size_t)left : room;
        err = read_body(req, buf + used, want);
        if (err == FWC_OK)
            err = send_all(x, buf, used + want);
        if (err != FWC_OK)
            return err;
        left -= want;
    }
    return FWC_OK;
}

/* Copy a kept header into its slot. One too long for it marks the slot
 * instead of failing the answer: the server has already acted on the
 * request, and only the caller knows whether it needs that header. */
static void keep(struct fwc_http_response *r, unsigned bit, char *slot, size_t slot_size,
                 const char *value, size_t len)
{
    if (len >= slot_size) {
        slot[0] = '\0';
        r->truncated |= bit;
        return;
    }
    memcpy(slot, value, len);
    slot[len] = '\0';
    r->truncated &= ~bit; /* the last of repeated headers counts */
}

/* Content-Type without parameters; WWW-Authenticate's scheme only. */
static size_t until_char(const char *s, size_t len, char stop)
{
    size_t n = 0;
    while (n < len && s[n] != stop)
        n++;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return n;
}

static void on_header(struct fwc_http_response *r, const struct fwc_http_event_data *ev)
{
    switch (ev->id) {
    case FWC_HDR_CONTENT_TYPE:
        keep(r, FWC_HTTP_KEPT_CONTENT_TYPE, r->content_type, sizeof(r->content_type), ev->value,
             until_char(ev->value, ev->value_len, ';'));
        break;
    case FWC_HDR_LOCATION:
        keep(r, FWC_HTTP_KEPT_LOCATION, r->location, sizeof(r->location), ev->value,
             ev->value_len);
        break;
    case FWC_HDR_RETRY_AFTER:
        keep(r, FWC_HTTP_KEPT_RETRY_AFTER, r->retry_after, sizeof(r->retry_after), ev->value,
             ev->value_len);
        break;
    case FWC_HDR_WWW_AUTHENTICATE:
        keep(r, FWC_HTTP_KEPT_WWW_AUTHENTICATE, r->www_authenticate,
             sizeof(r->www_authenticate), ev->value, until_char(ev->value, ev->value_len, ' '));
        break;
    default:
        break;
    }
}

static enum fwc_err on_body(struct fwc_http_response *r, const uint8_t *data, size_t len)
{
    if (r->sink != NULL) {
        enum fwc_err err = r->sink(r->sink_ctx, data, len);
        if (err != FWC_OK)
            return as_fwc_err((int32_t)err, FWC_ERR_SINK);
    } else {
        if ((uint64_t)len > (uint64_t)r->body_cap - r->body_len)
            return FWC_ERR_BODY_TOO_LARGE;
        memcpy(r->body_buf + r->body_len, data, len);
    }
    r->body_len += len;
    return FWC_OK;
}

static enum fwc_err on_event(struct exchange *x, const struct fwc_http_event_data *ev)
{
    struct fwc_http_response *r = x->resp;
    const struct fwc_http_parser *p = &x->conn->_internal.parser;

    switch (ev->type) {
    case FWC_HTTP_EV_STATUS:
        r->status = ev->status;
        return FWC_OK;
    case FWC_HTTP_EV_HEADER:
        on_header(r, ev);
        return FWC_OK;
    case FWC_HTTP_EV_HEADERS_DONE:
        r->chunked = fwci_http_parse_is_chunked(p);
        r->has_content_length = fwci_http_parse_content_length(p, &r->content_length);
        /* Refuse a body that cannot fit before reading any of it. */
        if (r->sink == NULL && r->has_content_length && r->content_length > r->body_cap &&
            r->status != 204 && r->status != 304 && strcmp(x->req->method, "HEAD") != 0)
            return FWC_ERR_BODY_TOO_LARGE;
        return FWC_OK;
    case FWC_HTTP_EV_BODY:
        return on_body(r, ev->data, ev->len);
    default:
        return FWC_OK;
    }
}

/* Feed one received block to the parser. *out_done once the response is
 * complete; bytes left over after it mean the server sent more than one
 * response, so the connection cannot be trusted for the next request. */
static enum fwc_err feed(struct exchange *x, const uint8_t *data, size_t len, bool *out_done)
{
    struct fwc_http_parser *p = &x->conn->_internal.parser;
    struct fwc_http_event_data ev;
    size_t pos = 0, used;
    enum fwc_err err;

    while (pos < len || !*out_done) {
        err = fwci_http_parse(p, data + pos, len - pos, &used, &ev);
        if (err != FWC_OK)
            return err;
        pos += used;
        if (ev.type == FWC_HTTP_EV_DONE) {
            *out_done = true;
            x->resp->keep_alive = fwci_http_parse_keep_alive(p) && pos == len;
            return FWC_OK;
        }
        if (ev.type == FWC_HTTP_EV_NONE)
            return FWC_OK;
        err = on_event(x, &ev);
        if (err != FWC_OK)
            return err;
    }
    return FWC_OK;
}

/* The peer closed: the end of a close-delimited body, or a cut. A close
 * without TLS close_notify (unclean) cannot end a body: an attacker who
 * can inject a TCP FIN could otherwise shorten it unnoticed. */
static enum fwc_err on_peer_closed(struct exchange *x, bool unclean, bool *out_done)
{
    struct fwc_http_event_data ev;
    enum fwc_err err;

    if (!x->got_bytes)
        return FWC_ERR_CONN_CLOSED;
    err = fwci_http_parse_eof(&x->conn->_internal.parser, &ev);
    if (err == FWC_OK && unclean)
        return FWC_ERR_HTTP_TRUNCATED;
    if (err == FWC_OK)
        *out_done = true;
    return err;
}

/* Silence while the answer is awaited. On a slow uplink the socket can
 * still hold seconds of the request body when the last send returns, and
 * the server cannot answer before it has all of it: while that queue
 * shrinks the link is working, so it counts as progress just as an
 * answer's byte does. The queue is looked at every UNSENT_POLL_MS. */
#define UNSENT_POLL_MS 1000u

struct silence {
    uint32_t since;  /* last progress */
    int32_t unsent;  /* request bytes the peer had not acknowledged then; < 0 unknown */
};

static int32_t unsent_of(const struct fwc_transport *t)
{
    return t->unsent != NULL ? t->unsent(t->ctx) : -1;
}

/* How long the next receive may wait: the rest of the silence allowed,
 * in short steps while request bytes are still on their way. */
static uint32_t next_wait(const struct exchange *x, const struct silence *q)
{
    uint32_t quiet = fwc_port_now_ms() - q->since;
    uint32_t wait = quiet >= CONFIG_FWC_IO_TIMEOUT_MS ? 0 : CONFIG_FWC_IO_TIMEOUT_MS - quiet;
    if (q->unsent > 0 && wait > UNSENT_POLL_MS)
        wait = UNSENT_POLL_MS;
    return time_left(x, wait);
}

/* After a receive that got nothing: did the request's queue shrink? */
static void note_unsent(const struct fwc_transport *t, struct silence *q)
{
    int32_t now = unsent_of(t);
    if (now >= 0 && q->unsent >= 0 && now < q->unsent)
        q->since = fwc_port_now_ms();
    q->unsent = now;
}

static enum fwc_err read_response(struct exchange *x)
{
    const struct fwc_transport *t = x->conn->transport;
    uint8_t *buf = x->conn->_internal.buf;
    struct silence quiet;
    bool done = false;
    enum fwc_err err = FWC_OK;

    fwci_http_parse_init(&x->conn->_internal.parser, strcmp(x->req->method, "HEAD") == 0);
    quiet.since = fwc_port_now_ms();
    quiet.unsent = unsent_of(t);
    while (!done && err == FWC_OK) {
        uint32_t timeout = next_wait(x, &quiet);
        int32_t n;
        if (timeout == 0)
            return FWC_ERR_TIMEOUT;
        n = t->recv(t->ctx, buf, sizeof(x->conn->_internal.buf), timeout);
        if (n > 0 && (size_t)n <= sizeof(x->conn->_internal.buf)) {
            x->got_bytes = true;
            quiet.since = fwc_port_now_ms();
            err = feed(x, buf, (size_t)n, &done);
        } else if (n == 0 || n == FWC_ERR_CONN_CLOSED) {
            err = on_peer_closed(x, n != 0, &done);
        } else if (n == FWC_ERR_TIMEOUT) {
            note_unsent(t, &quiet);
        } else {
            err = as_fwc_err(n, FWC_ERR_TRANSPORT);
        }
    }
    return err;
}

/* A kept-alive connection may have been closed by the server while idle.
 * Poll it without waiting: nothing pending means it is still good. */
static bool still_alive(struct fwc_http_conn *conn)
{
    const struct fwc_transport *t = conn->transport;
    uint8_t probe;
    return t->recv(t->ctx, &probe, 1, 0) == FWC_ERR_TIMEOUT;
}

bool fwci_http_idempotent(const struct fwc_http_request *req)
{
    static const char *const safe[] = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
    size_t i;

    if (req->idempotent)
        return true;
    for (i = 0; i < sizeof(safe) / sizeof(safe[0]); i++) {
        if (strcmp(req->method, safe[i]) == 0)
            return true;
    }
    return false;
}

bool fwci_http_replayable(const struct fwc_http_request *req)
{
    /* A stream that cannot start over cannot be sent twice. */
    return req->body_reader == NULL || req->body_rewind != NULL;
}

void fwci_http_response_reset(struct fwc_http_response *r)
{
    r->status = 0;
    r->body_len = 0;
    r->has_content_length = false;
    r->content_length = 0;
    r->chunked = false;
    r->keep_alive = false;
    r->sends = 0;
    r->sends_whole = 0;
    r->content_type[0] = r->location[0] = r->retry_after[0] = r->www_authenticate[0] = '\0';
    r->truncated = 0;
}

static enum fwc_err ensure_open(struct exchange *x)
{
    struct fwc_http_conn *conn = x->conn;
    uint32_t timeout;
    enum fwc_err err;

    x->touched = true;
    x->reused = conn->_internal.open && still_alive(conn);
    if (x->reused)
        return FWC_OK;
    fwci_http_close(conn);
    timeout = time_left(x, CONFIG_FWC_CONNECT_TIMEOUT_MS);
    if (timeout == 0)
        return FWC_ERR_TIMEOUT;
    err = conn->transport->open(conn->transport->ctx, timeout);
    conn->_internal.open = err == FWC_OK;
    return err == FWC_OK ? FWC_OK : as_fwc_err((int32_t)err, FWC_ERR_TRANSPORT);
}

/* The request (a bearer token, a client secret) leaves the I/O buffer as
 * soon as it is on the wire, whatever happened. */
static enum fwc_err send_request(struct exchange *x, size_t used)
{
    enum fwc_err err = send_request_from_buffer(x, used);
    fwci_wipe(x->conn->_internal.buf, sizeof(x->conn->_internal.buf));
    return err;
}

/* The head is written before connecting, so a request that cannot be sent
 * (bad argument, too large) costs no connection. */
static enum fwc_err attempt(struct exchange *x)
{
    size_t head_len = 0;
    enum fwc_err err = fwci_http_write_head(x->conn->_internal.buf, sizeof(x->conn->_internal.buf),
                                           x->conn->host, x->req, &head_len);
    if (err == FWC_OK)
        err = ensure_open(x);
    if (err == FWC_OK) {
        x->sends++;
        err = send_request(x, head_len);
    }
    if (err == FWC_OK) {
        x->sends_whole++;
        err = read_response(x);
    }
    return err;
}

enum fwc_err fwci_http_exchange(struct fwc_http_conn *conn, const struct fwc_http_request *req,
                               struct fwc_http_response *ref_resp)
{
    struct exchange x;
    enum fwc_err err;

    if (conn == NULL || conn->transport == NULL || req == NULL || req->method == NULL ||
        ref_resp == NULL || (ref_resp->sink == NULL && ref_resp->body_cap > 0 &&
                             ref_resp->body_buf == NULL))
        return FWC_ERR_INVALID_ARG;

    x.conn = conn;
    x.req = req;
    x.resp = ref_resp;
    x.deadline = fwc_port_now_ms() + fwci_http_deadline_ms(req);
    x.reused = false;
    x.touched = false;
    x.got_bytes = false;
    x.sends = 0;
    x.sends_whole = 0;
    fwci_http_response_reset(ref_resp);

    err = attempt(&x);
    /* A server may close an idle connection just as a request goes out.
     * If nothing came back the request was not answered: send it once
     * more on a new connection, when sending twice is harmless. */
    if (x.reused && !x.got_bytes && fwci_http_idempotent(req) && fwci_http_replayable(req) &&
        (err == FWC_ERR_CONN_CLOSED || err == FWC_ERR_CONN_RESET)) {
        fwci_http_close(conn);
        fwci_http_response_reset(ref_resp);
        err = req->body_reader != NULL
                  ? req->body_rewind(req->body_reader_ctx)
                  : FWC_OK;
        if (err != FWC_OK)
            err = as_fwc_err((int32_t)err, FWC_ERR_BODY_READER);
        else
            err = attempt(&x);
    }
    ref_resp->sends = x.sends;
    ref_resp->sends_whole = x.sends_whole;
    /* A request refused before it touched the connection leaves a good
     * kept-alive connection open. */
    if ((err != FWC_OK && x.touched) || (err == FWC_OK && !ref_resp->keep_alive))
        fwci_http_close(conn);
    /* The buffer held the request (a bearer token, a client secret) and the
     * response; the parser's line buffer held the last header line. */
    fwci_wipe(conn->_internal.buf, sizeof(conn->_internal.buf));
    fwci_wipe(&conn->_internal.parser, sizeof(conn->_internal.parser));
    return err;
}
