/* SPDX-License-Identifier: MIT */
/* The transport contract: how the HTTP engine moves bytes. Four function
 * pointers over an opaque context. The default transport is TLS over the
 * port's sockets (src/tls_mbedtls.c); a test can script bytes; a device whose
 * modem terminates TLS can bring its own.
 *
 * Return convention, the same for every implementation, because a transport
 * that cannot tell "closed" from "timed out" breaks keep-alive:
 *   > 0                 bytes transferred (never more than asked for)
 *   0                   recv only: the peer closed in order (TCP FIN, or a
 *                       TLS close_notify); there will be no more data
 *   FWC_ERR_TIMEOUT     nothing moved within timeout_ms; the connection is
 *                       still usable. timeout_ms == 0 means "poll": return at
 *                       once
 *   FWC_ERR_CONN_RESET  the peer reset the connection
 *   FWC_ERR_CONN_CLOSED recv only: the peer closed without saying so (TCP
 *                       FIN with no TLS close_notify). The connection is
 *                       gone, and a body delimited by the close is
 *                       treated as cut short
 *   other FWC_ERR_*     any other failure; the connection is unusable */
#ifndef FWC_TRANSPORT_H
#define FWC_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"

#ifdef __cplusplus
extern "C" {
#endif

struct fwc_transport {
    /* Connect (TCP and, for TLS, the handshake) to the peer the context was
     * set up for, within timeout_ms. A connection already open is closed
     * first, so open() is also "reopen". */
    enum fwc_err (*open)(void *ctx, uint32_t timeout_ms);
    /* Send up to len (<= INT32_MAX) bytes. */
    int32_t (*send)(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms);
    /* Receive up to len (<= INT32_MAX) bytes into buf. */
    int32_t (*recv)(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms);
    /* Close and release the connection; harmless when none is open. */
    void (*close)(void *ctx);
    void *ctx;
    /* Optional (NULL: unknown). Bytes sent but not yet acknowledged by the
     * peer, or negative when unknown, as fwc_port_tcp_unsent (fwc/port.h):
     * while it shrinks, a wait for the answer is not silence. */
    int32_t (*unsent)(void *ctx);
};

#ifdef __cplusplus
}
#endif

#endif
