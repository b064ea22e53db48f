/* SPDX-License-Identifier: MIT */
/* INTERNAL: not for application use. What this header declares changes
 * without notice; fwc/client.h includes it only because struct fwc_client
 * embeds what it defines.
 *
 * Incremental HTTP/1.x response parser: bytes in, events out. Pure: no I/O,
 * no clock, no globals, so it can be fed any split of any input (the unit
 * tests do) and fuzzed. Its only memory is the struct below, which holds one
 * line at a time; body bytes are never copied. */
#ifndef FWC_HTTP_PARSE_H
#define FWC_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"

enum fwc_http_event {
    FWC_HTTP_EV_NONE,         /* input used up, no event: feed more */
    FWC_HTTP_EV_STATUS,       /* final status line (1xx are skipped) */
    FWC_HTTP_EV_HEADER,       /* one header of the final response */
    FWC_HTTP_EV_HEADERS_DONE, /* framing is known */
    FWC_HTTP_EV_BODY,         /* a piece of the (de-chunked) body */
    FWC_HTTP_EV_DONE          /* response complete */
};

/* The headers a client acts on, recognised so callers need not compare. */
enum fwc_http_header_id {
    FWC_HDR_OTHER,
    FWC_HDR_CONTENT_TYPE,
    FWC_HDR_CONTENT_LENGTH,
    FWC_HDR_TRANSFER_ENCODING,
    FWC_HDR_CONNECTION,
    FWC_HDR_RETRY_AFTER,
    FWC_HDR_WWW_AUTHENTICATE,
    FWC_HDR_LOCATION
};

struct fwc_http_event_data {
    enum fwc_http_event type;
    int status;                    /* STATUS */
    enum fwc_http_header_id id;    /* HEADER: name and value point into the */
    const char *name;              /* parser; value is trimmed. Valid until */
    size_t name_len;               /* the next call. */
    const char *value;
    size_t value_len;
    const uint8_t *data;           /* BODY: points into the caller's input */
    size_t len;
};

/* One buffer holds whichever line is being read: the largest limit. */
#define FWC_HTTP_MAX2(a, b) ((a) > (b) ? (a) : (b))
#define FWC_HTTP_LINE_BUF                                                              \
    FWC_HTTP_MAX2(FWC_HTTP_MAX2(CONFIG_FWC_HTTP_MAX_HEADER_LINE,                     \
                                CONFIG_FWC_HTTP_MAX_STATUS_LINE),                    \
                  CONFIG_FWC_HTTP_MAX_CHUNK_LINE)

struct fwc_http_parser {
    struct {
        uint8_t state;
        enum fwc_err error;      /* sticky once set */
        bool head_request;
        bool http11;
        bool chunked;
        bool has_length;
        bool until_close;        /* body ends when the peer closes */
        bool conn_close;
        bool conn_keep_alive;
        uint16_t header_count;
        uint16_t line_len;
        uint64_t content_length;
        uint64_t remaining;      /* of the current chunk or the whole body */
        uint64_t body_total;
        int status;
        char line[FWC_HTTP_LINE_BUF];
    } _internal;
};

/* Start a new response. head_request: the request was HEAD (no body). */
void fwci_http_parse_init(struct fwc_http_parser *p, bool head_request);

/* Consume bytes from in[0..len) until one event happens or the input is
 * used up. *out_consumed says how many bytes were taken; call again with the
 * rest. After DONE nothing more is consumed (what remains does not belong to
 * this response). An error is sticky: every later call returns it. */
enum fwc_err fwci_http_parse(struct fwc_http_parser *p, const uint8_t *in, size_t len,
                            size_t *out_consumed, struct fwc_http_event_data *out_ev);

/* The peer closed the connection. A body delimited by the close ends here
 * (DONE); anywhere else it is FWC_ERR_HTTP_TRUNCATED. */
enum fwc_err fwci_http_parse_eof(struct fwc_http_parser *p, struct fwc_http_event_data *out_ev);

/* After DONE: may the connection carry another request? */
bool fwci_http_parse_keep_alive(const struct fwc_http_parser *p);

/* After HEADERS_DONE: the framing that was chosen. */
bool fwci_http_parse_is_chunked(const struct fwc_http_parser *p);
bool fwci_http_parse_content_length(const struct fwc_http_parser *p, uint64_t *out_len);

#endif
