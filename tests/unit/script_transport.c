/* SPDX-License-Identifier: MIT */
#include "script_transport.h"

#include <string.h>

#include "fake_port.h"

static struct fwc_transport ops;

static enum fwc_err st_open(void *ctx, uint32_t timeout_ms)
{
    struct script_transport *st = ctx;
    (void)timeout_ms;
    if (st->open_err != FWC_OK)
        return st->open_err;
    if (st->opens >= st->conn_count)
        return FWC_ERR_CONNECT;
    st->step = st->conns[st->opens++];
    st->offset = 0;
    st->sent_len = 0;
    st->open = true;
    return FWC_OK;
}

static int32_t st_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    struct script_transport *st = ctx;
    (void)timeout_ms;
    if (!st->open)
        return FWC_ERR_TRANSPORT;
    if (st->send_reset_after >= 0 && st->sends >= (unsigned)st->send_reset_after)
        return FWC_ERR_CONN_RESET;
    st->sends++;
    if (st->step->kind == ST_NEXT)
        st->step++;
    if (len > st->max_send)
        st->max_send = len;
    if (len > sizeof(st->sent) - st->sent_len)
        len = sizeof(st->sent) - st->sent_len; /* keep what fits; tests size it */
    memcpy(st->sent + st->sent_len, data, len);
    st->sent_len += len;
    return (int32_t)len;
}

static int32_t deliver(struct script_transport *st, uint8_t *buf, size_t len, size_t limit)
{
    size_t n = st->step->len - st->offset;
    if (n > len)
        n = len;
    if (limit != 0 && n > limit)
        n = limit;
    memcpy(buf, st->step->data + st->offset, n);
    st->offset += n;
    if (st->offset == st->step->len) {
        st->step++;
        st->offset = 0;
    }
    return (int32_t)n;
}

static int32_t st_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    struct script_transport *st = ctx;
    bool poll = timeout_ms == 0;

    if (!st->open)
        return FWC_ERR_TRANSPORT;
    switch (st->step->kind) {
    case ST_DATA:
        return deliver(st, buf, len, st->max_piece);
    case ST_TRICKLE:
        if (poll)
            return FWC_ERR_TIMEOUT;
        if (timeout_ms < 1000) {
            fake_clock_advance(timeout_ms);
            return FWC_ERR_TIMEOUT;
        }
        fake_clock_advance(1000);
        return deliver(st, buf, len, 1);
    case ST_NEXT:
        if (poll)
            return FWC_ERR_TIMEOUT;
        fake_clock_advance(timeout_ms);
        return FWC_ERR_TIMEOUT;
    case ST_CLOSE:
        return 0;
    case ST_UNCLEAN:
        return FWC_ERR_CONN_CLOSED;
    case ST_LATE_CLOSE:
        return poll ? FWC_ERR_TIMEOUT : 0;
    case ST_LATE_RESET:
        return poll ? FWC_ERR_TIMEOUT : FWC_ERR_CONN_RESET;
    default: /* ST_END: silence */
        fake_clock_advance(timeout_ms);
        return FWC_ERR_TIMEOUT;
    }
}

static void st_close(void *ctx)
{
    struct script_transport *st = ctx;
    if (st->open)
        st->closes++;
    st->open = false;
}

void script_transport_init(struct script_transport *st, const struct st_step *const *conns,
                           size_t conn_count)
{
    memset(st, 0, sizeof(*st));
    st->conns = conns;
    st->conn_count = conn_count;
    st->send_reset_after = -1;
}

const struct fwc_transport *script_transport_ops(struct script_transport *st)
{
    ops.open = st_open;
    ops.send = st_send;
    ops.recv = st_recv;
    ops.close = st_close;
    ops.ctx = st;
    return &ops;
}
