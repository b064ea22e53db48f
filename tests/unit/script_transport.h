/* SPDX-License-Identifier: MIT */
/* A transport that plays a script: per connection, a list of steps that
 * recv() walks through. It records what was sent and how often the engine
 * opened and closed, and moves the fake clock when it "stalls". */
#ifndef SCRIPT_TRANSPORT_H
#define SCRIPT_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/transport.h"

enum st_kind {
    ST_END = 0,   /* end of script: recv stalls until its timeout */
    ST_DATA,      /* deliver data (at most max_piece bytes per recv) */
    ST_NEXT,      /* the server waits for the next request: passed by a send */
    ST_TRICKLE,   /* deliver data one byte per recv, 1 s apart */
    ST_CLOSE,     /* orderly close: recv returns 0 (a poll sees it too) */
    ST_UNCLEAN,   /* close without close_notify: FWC_ERR_CONN_CLOSED */
    ST_LATE_CLOSE,/* a poll sees nothing; the next real recv returns 0 */
    ST_LATE_RESET /* a poll sees nothing; the next real recv is a reset */
};

struct st_step {
    enum st_kind kind;
    const char *data;
    size_t len;
};

#define ST_DATA_STR(s) {ST_DATA, (s), sizeof(s) - 1}

struct script_transport {
    /* Script: conns[i] is played on the i-th open. */
    const struct st_step *const *conns;
    size_t conn_count;
    enum fwc_err open_err;   /* returned by open() when not FWC_OK */
    size_t max_piece;        /* largest recv delivery, 0 = no limit */
    int send_reset_after;    /* sends allowed before a reset, -1 = never */
    /* A slow uplink: each send takes at most send_rate bytes, and every
     * send_rate bytes move the fake clock send_step_ms (0 = no limit, no
     * time). Every stall_every
     * bytes the link goes quiet for stall_ms first; after stall_at bytes
     * (when not 0) it goes quiet for good: sends time out. */
    size_t send_rate;
    uint32_t send_step_ms;
    uint64_t stall_every;
    uint32_t stall_ms;
    uint64_t stall_at;
    /* The link drops once: on the cut_conn-th connection (1-based, 0 =
     * never), after cut_at bytes, sends fail with cut_err (a reset, or
     * FWC_ERR_TIMEOUT after the whole timeout). */
    unsigned cut_conn;
    uint64_t cut_at;
    int32_t cut_err;
    /* A kernel send queue ahead of a slow link: sends are taken at once,
     * the queue drains at queue_bps (0: frozen, a stall), the server
     * answers only once it is empty, and unsent() reports its length
     * unless queue_unreported (a port that cannot tell). */
    bool kernel_queue;
    bool queue_unreported;
    uint32_t queue_bps;

    /* Observed. */
    unsigned opens;
    unsigned opens_while_open; /* open() with the last connection not closed */
    unsigned closes;
    unsigned sends;
    bool open;
    uint8_t sent[65536];     /* bytes sent on the current connection */
    size_t sent_len;
    size_t max_send;         /* largest single send */
    uint64_t sent_total;     /* bytes accepted on the current connection */
    uint64_t sent_all;       /* bytes accepted on every connection */
    uint32_t last_progress_ms; /* fake clock at the last byte accepted */
    uint64_t queued;         /* kernel_queue: bytes in it at queued_at */
    uint32_t queued_at;

    /* Position. */
    const struct st_step *step;
    size_t offset;
};

void script_transport_init(struct script_transport *st, const struct st_step *const *conns,
                           size_t conn_count);
const struct fwc_transport *script_transport_ops(struct script_transport *st);

#endif
