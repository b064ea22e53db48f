/* SPDX-License-Identifier: MIT */
/* What an application hands fwc_request() (fwc/client.h) and gets back: the
 * request, its headers and body, and the response with where its body goes.
 * The engine that sends them is internal (fwc/internal/http_conn.h). */
#ifndef FWC_HTTP_H
#define FWC_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"
#include "fwc/transport.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A header the caller adds to a request. Name must be an HTTP token, value
 * printable (no CR, LF or NUL): anything else is FWC_ERR_INVALID_ARG, so a
 * value taken from the network cannot inject a header. */
struct fwc_http_header {
    const char *name;
    const char *value;
};

/* Streams a request body: write up to len bytes into buf and return how
 * many (> 0). Returning 0 before the declared length is reached, or any
 * negative value (to abort), ends the exchange with FWC_ERR_BODY_READER. */
typedef int32_t (*fwc_body_reader_fn)(void *ctx, uint8_t *buf, size_t len);

/* Receives a response body piece by piece. Return FWC_OK to go on, or an
 * FWC_ERR_* code to stop the exchange with it (anything that is not an
 * fwc code becomes FWC_ERR_SINK).
 * The data pointer is valid only during the call. */
typedef enum fwc_err (*fwc_body_sink_fn)(void *ctx, const uint8_t *data, size_t len);

struct fwc_http_request {
    const char *method; /* "GET", "POST", ... */
    const char *path;   /* origin-form: starts with '/', no spaces or controls */
    const struct fwc_http_header *headers;
    size_t header_count;
    /* Body, at most one of the two. A buffer body ... */
    const uint8_t *body;
    size_t body_len;
    /* ... or a streamed one of exactly body_reader_len bytes. */
    fwc_body_reader_fn body_reader;
    void *body_reader_ctx;
    uint64_t body_reader_len;
    /* Optional: start the stream over, so the request can be sent again
     * (FWC_OK, or an error if it cannot). Without it a streamed body is
     * never re-sent. */
    enum fwc_err (*body_rewind)(void *ctx);
    /* Send "Content-Length: 0" for a request without body (POST, PUT). */
    bool send_zero_length;
    /* True when sending the request twice does no harm. Only such a
     * request is re-sent after a kept-alive connection turns out to have
     * died under it. GET, HEAD, PUT, DELETE and OPTIONS count as safe
     * whatever this says; a streamed body also needs body_rewind. */
    bool idempotent;
    /* Overall bound on this exchange in milliseconds, connect included;
     * 0: CONFIG_FWC_EXCHANGE_TIMEOUT_MS plus the body's size at
     * CONFIG_FWC_MIN_RATE_BPS. Whatever it says, no send or receive may
     * move nothing for CONFIG_FWC_IO_TIMEOUT_MS (docs/HTTP.md, "Time"). */
    uint32_t deadline_ms;
};

struct fwc_http_response {
    /* In: where the body goes. A sink, or else a buffer (body_cap may be 0
     * for "no body expected"). A body that does not fit is
     * FWC_ERR_BODY_TOO_LARGE, never truncated. */
    fwc_body_sink_fn sink;
    void *sink_ctx;
    uint8_t *body_buf;
    size_t body_cap;

    /* Out. */
    int status;
    uint64_t body_len;              /* bytes delivered */
    bool has_content_length;
    uint64_t content_length;
    bool chunked;
    bool keep_alive;                /* connection stays open for the next request */
    unsigned sends;                 /* times the request went out (2 after a stale
                                       connection was replaced under it) */
    /* Of those, how many handed the whole request (head and body) to the
     * transport. A send cut inside its body cannot have been taken in:
     * the server saw the connection end before the body did. */
    unsigned sends_whole;
    /* Of those, how many the server may have taken in: every send that
     * saw no answer, and one answered 2xx. A refusal (401, 503, ...) was
     * not taken. fwc_request() fills it in, over all its attempts; a
     * retried upload chunk uses it to tell "already stored" from a
     * conflict. */
    unsigned maybe_received;
    /* Kept headers, NUL-terminated, empty when absent. A value longer than
     * its slot leaves the slot empty and sets its FWC_HTTP_KEPT_* bit in
     * truncated: the answer stands (the server has acted on the request),
     * and a cut value, which could name another resource, is never kept. */
    char content_type[CONFIG_FWC_HTTP_CONTENT_TYPE_MAX]; /* media type, no parameters */
    char location[CONFIG_FWC_HTTP_LOCATION_MAX];
    /* Raw: seconds or an HTTP-date; the longest date, RFC 850 on a
     * Wednesday, is 33 characters. */
    char retry_after[40];
    char www_authenticate[16];      /* the auth scheme only, e.g. "Bearer" */
    unsigned truncated;             /* FWC_HTTP_KEPT_* of the slots left empty */
};

#define FWC_HTTP_KEPT_CONTENT_TYPE 0x1u
#define FWC_HTTP_KEPT_LOCATION 0x2u
#define FWC_HTTP_KEPT_RETRY_AFTER 0x4u
#define FWC_HTTP_KEPT_WWW_AUTHENTICATE 0x8u

#ifdef __cplusplus
}
#endif

#endif
