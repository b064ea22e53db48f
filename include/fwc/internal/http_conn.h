/* SPDX-License-Identifier: MIT */
/* INTERNAL: not for application use. The parts of fwc this header declares
 * change without notice; fwc/client.h includes it only because struct
 * fwc_client embeds what it defines.
 *
 * The HTTP/1.1 engine: one request/response exchange over a transport, in
 * the client's memory, with keep-alive. */
#ifndef FWC_INTERNAL_HTTP_CONN_H
#define FWC_INTERNAL_HTTP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"
#include "fwc/http.h"
#include "fwc/internal/http_parse.h"
#include "fwc/transport.h"

/* Clear what an exchange fills in (status, body length, kept headers),
 * keeping where the body goes. */
void fwci_http_response_reset(struct fwc_http_response *r);

/* One connection to one host. Declared by the application (static, or on a
 * task stack); fwci_http_conn_init() before use. */
struct fwc_http_conn {
    const struct fwc_transport *transport;
    const char *host; /* Host header value: "name" or "name:port" */
    struct {
        bool open;
        struct fwc_http_parser parser;
        uint8_t buf[CONFIG_FWC_IO_BUFFER_SIZE];
    } _internal;
};

FWC_NODISCARD enum fwc_err fwci_http_conn_init(struct fwc_http_conn *conn,
                                              const struct fwc_transport *transport,
                                              const char *host);

/* Send req and read the whole response into resp. Opens the connection if
 * needed; reuses a kept-alive one, and reopens it once if the server closed
 * it while idle. Every wait is bounded by CONFIG_FWC_IO_TIMEOUT_MS of
 * silence and the whole exchange by fwci_http_deadline_ms(req). Any HTTP status is
 * FWC_OK here: judging the status is the caller's job. On error the
 * connection is closed. The I/O buffer is wiped before returning. */
FWC_NODISCARD enum fwc_err fwci_http_exchange(struct fwc_http_conn *conn,
                                             const struct fwc_http_request *req,
                                             struct fwc_http_response *ref_resp);

/* The overall bound fwci_http_exchange() gives req (ms): its deadline_ms,
 * or CONFIG_FWC_EXCHANGE_TIMEOUT_MS + body size / CONFIG_FWC_MIN_RATE_BPS. */
uint32_t fwci_http_deadline_ms(const struct fwc_http_request *req);

/* May req be sent twice? Idempotent: GET, HEAD, PUT, DELETE, OPTIONS, or
 * marked so. Replayable: no streamed body, or one that can rewind. */
bool fwci_http_idempotent(const struct fwc_http_request *req);
bool fwci_http_replayable(const struct fwc_http_request *req);

/* Close the connection (sends close_notify on TLS). */
void fwci_http_close(struct fwc_http_conn *conn);

#endif
