/* SPDX-License-Identifier: MIT */
#include "script_transport.h"

#include <string.h>

#include "fake_port.h"

static struct fwc_transport ops;

/* kernel_queue: bytes still queued now. */
static uint64_t queue_level(const struct script_transport *st)
{
    uint64_t drained = (uint64_t)(fake_now_ms - st->queued_at) * st->queue_bps / 1000u;
    return drained >= st->queued ? 0 : st->queued - drained;
}

/* kernel_queue: wait up to timeout_ms for the queue to empty; true once
 * it has (the fake clock moved to that moment). */
static bool queue_drained_within(struct script_transport *st, uint32_t timeout_ms)
{
    uint64_t level = queue_level(st), ms;
    if (level == 0)
        return true;
    ms = st->queue_bps == 0 ? UINT64_MAX : (level * 1000u + st->queue_bps - 1u) / st->queue_bps;
    if (ms > timeout_ms) {
        fake_clock_advance(timeout_ms);
        return false;
    }
    fake_clock_advance((uint32_t)ms);
    return true;
}

static int32_t st_unsent(void *ctx)
{
    struct script_transport *st = ctx;
    if (!st->open || !st->kernel_queue || st->queue_unreported)
        return -1;
    return (int32_t)queue_level(st);
}

static enum fwc_err st_open(void *ctx, uint32_t timeout_ms)
{
    struct script_transport *st = ctx;
    (void)timeout_ms;
    if (st->open_err != FWC_OK)
        return st->open_err;
    if (st->opens >= st->conn_count)
        return FWC_ERR_CONNECT;
    if (st->open)
        st->opens_while_open++;
    st->step = st->conns[st->opens++];
    st->offset = 0;
    st->sent_len = 0;
    st->sent_total = 0;
    st->queued = 0;
    st->open = true;
    return FWC_OK;
}

/* Take len bytes (fewer on a slow link), keeping what fits the record;
 * tests that look at the bytes size them to fit. */
static int32_t accept(struct script_transport *st, const uint8_t *data, size_t len)
{
    size_t keep;

    if (st->send_rate != 0 && len > st->send_rate)
        len = st->send_rate;
    if (st->stall_every != 0 && st->sent_total / st->stall_every !=
                                    (st->sent_total + len) / st->stall_every)
        fake_clock_advance(st->stall_ms);
    if (st->stall_at != 0 && len > st->stall_at - st->sent_total)
        len = (size_t)(st->stall_at - st->sent_total);
    if (st->cut_conn != 0 && st->opens == st->cut_conn && len > st->cut_at - st->sent_total)
        len = (size_t)(st->cut_at - st->sent_total);
    if (st->send_rate != 0) /* the link's clock: rate bytes per step */
        fake_clock_advance((uint32_t)((st->sent_total + len) * st->send_step_ms / st->send_rate -
                                      st->sent_total * st->send_step_ms / st->send_rate));
    keep = len < sizeof(st->sent) - st->sent_len ? len : sizeof(st->sent) - st->sent_len;
    memcpy(st->sent + st->sent_len, data, keep);
    st->sent_len += keep;
    st->sent_total += len;
    st->sent_all += len;
    st->last_progress_ms = fake_now_ms;
    if (st->kernel_queue) {
        st->queued = queue_level(st) + len;
        st->queued_at = fake_now_ms;
    }
    return (int32_t)len;
}

static int32_t st_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    struct script_transport *st = ctx;
    (void)timeout_ms;
    if (!st->open)
        return FWC_ERR_TRANSPORT;
    if (st->send_reset_after >= 0 && st->sends >= (unsigned)st->send_reset_after)
        return FWC_ERR_CONN_RESET;
    if (st->cut_conn != 0 && st->opens == st->cut_conn && st->sent_total >= st->cut_at) {
        if (st->cut_err == FWC_ERR_TIMEOUT)
            fake_clock_advance(timeout_ms);
        return st->cut_err;
    }
    if (st->stall_at != 0 && st->sent_total >= st->stall_at) {
        fake_clock_advance(timeout_ms);
        return FWC_ERR_TIMEOUT;
    }
    st->sends++;
    if (st->step->kind == ST_NEXT)
        st->step++;
    if (len > st->max_send)
        st->max_send = len;
    return accept(st, data, len);
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
    if (st->kernel_queue && st->step->kind == ST_DATA && !queue_drained_within(st, timeout_ms))
        return FWC_ERR_TIMEOUT; /* the server has not got the whole request yet */
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
    ops.unsent = st_unsent;
    ops.ctx = st;
    return &ops;
}
