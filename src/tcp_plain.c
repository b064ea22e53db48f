/* SPDX-License-Identifier: MIT */
/* Plaintext transport (fwc/internal/plain.h): the port's sockets, nothing more. */
#include "fwc/internal/plain.h"

#if CONFIG_FWC_ALLOW_HTTP
#include <string.h>

#include "fwc/port.h"

static enum fwc_err plain_open(void *ctx, uint32_t timeout_ms)
{
    struct fwc_plain *p = ctx;
    enum fwc_err err;

    if (p->_internal.connected)
        fwc_port_tcp_close(p->_internal.sock);
    p->_internal.connected = false;
    fwc_port_log(2, "PLAINTEXT HTTP: credentials and tokens are sent unencrypted "
                    "(CONFIG_FWC_ALLOW_HTTP is for test rigs only)");
    err = fwc_port_tcp_connect(p->_internal.host, p->_internal.port, timeout_ms,
                               &p->_internal.sock);
    p->_internal.connected = err == FWC_OK;
    return err;
}

static int32_t plain_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    return fwc_port_tcp_send(((struct fwc_plain *)ctx)->_internal.sock, data, len, timeout_ms);
}

static int32_t plain_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    return fwc_port_tcp_recv(((struct fwc_plain *)ctx)->_internal.sock, buf, len, timeout_ms);
}

static int32_t plain_unsent(void *ctx)
{
    struct fwc_plain *p = ctx;
    return p->_internal.connected ? fwc_port_tcp_unsent(p->_internal.sock) : -1;
}

static void plain_close(void *ctx)
{
    struct fwc_plain *p = ctx;
    if (p->_internal.connected)
        fwc_port_tcp_close(p->_internal.sock);
    p->_internal.connected = false;
}

enum fwc_err fwci_plain_init(struct fwc_plain *plain, const char *host, uint16_t port)
{
    if (plain == NULL || host == NULL || port == 0)
        return FWC_ERR_INVALID_ARG;
    memset(plain, 0, sizeof(*plain));
    plain->_internal.host = host;
    plain->_internal.port = port;
    plain->_internal.sock = -1;
    plain->transport.open = plain_open;
    plain->transport.send = plain_send;
    plain->transport.recv = plain_recv;
    plain->transport.close = plain_close;
    plain->transport.unsent = plain_unsent;
    plain->transport.ctx = plain;
    return FWC_OK;
}
#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int fwc_plain_not_built;
#endif
