/* SPDX-License-Identifier: MIT */
/* INTERNAL: not for application use. What this header declares changes
 * without notice; fwc/client.h includes it only because struct fwc_client
 * embeds what it defines.
 *
 * An HTTP proxy tunnel (CONNECT, RFC 9110 9.3.6) for fwc's TLS transport:
 * a TCP connection to the proxy through the port's sockets, a CONNECT to
 * the origin, the proxy's answer read with the same parser and limits as
 * any response. TLS to the origin then runs inside the tunnel, with the
 * origin's certificate and name checked as without a proxy (SNI = origin).
 *
 * The proxy credentials are the application's (fwc_proxy_config): fwc
 * keeps pointers, writes them Base64-encoded straight into the tunnel's
 * send buffer, and wipes that buffer as soon as the request is sent. They
 * never reach a log line. */
#ifndef FWC_INTERNAL_PROXY_H
#define FWC_INTERNAL_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"
#include "fwc/internal/http_parse.h"

/* What an application gives fwc_client_config.proxy. */
struct fwc_proxy_config {
    const char *host;     /* name, dotted quad, or IPv6 address without brackets */
    uint16_t port;
    /* Optional Basic proxy credentials (NULL user: none). They must stay
     * valid while the client is used; user may not contain ':'. */
    const char *user;
    const char *password;
};

/* Tunnels are fwc's own TLS transport's: without it there are none. */
#define FWCI_HAS_PROXY (CONFIG_FWC_PROXY && CONFIG_FWC_TLS_MBEDTLS)

#if FWCI_HAS_PROXY
/* The CONNECT request and the answer pass through buf in pieces. */
#define FWC_PROXY_BUF 256

struct fwc_proxy {
    struct {
        struct fwc_proxy_config cfg;
        struct fwc_http_parser parser;
        struct fwc_http_event_data ev; /* here, not on the stack (make size) */
        uint8_t buf[FWC_PROXY_BUF];
        size_t used;
        int status; /* of the last CONNECT answer, 0: none */
    } _internal;
};

/* Check and keep cfg (pointers, not copies). FWC_ERR_INVALID_ARG for no
 * host, port 0, a host or credential with controls, spaces or (host) '/',
 * or a user with ':'. */
FWC_NODISCARD enum fwc_err fwci_proxy_init(struct fwc_proxy *px, const struct fwc_proxy_config *cfg);

/* Connect to the proxy and open a tunnel to host:port within timeout_ms
 * (every wait also bounded by CONFIG_FWC_IO_TIMEOUT_MS). On FWC_OK
 * *out_sock is the tunnel; on failure no socket is left open.
 * Returns FWC_OK, what fwc_port_tcp_connect() returns (about the proxy),
 *   FWC_ERR_PROXY_AUTH    407 (or 401): the proxy wants (other) credentials
 *   FWC_ERR_PROXY         any other answer than 2xx, or bytes after it
 *   FWC_ERR_PROXY_CLOSED  the proxy closed or reset before its answer ended
 *   FWC_ERR_TIMEOUT, FWC_ERR_TRANSPORT, and the parser's errors for an
 *   answer that is not HTTP (FWC_ERR_HTTP_STATUS_LINE, ...). */
FWC_NODISCARD enum fwc_err fwci_proxy_connect(struct fwc_proxy *px, const char *host,
                                             uint16_t port, uint32_t timeout_ms, int *out_sock);

/* The status of the last CONNECT answer (0: none), for messages. */
int fwci_proxy_status(const struct fwc_proxy *px);
#endif

#endif
