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

    /* Observed. */
    unsigned opens;
    unsigned closes;
    unsigned sends;
    bool open;
    uint8_t sent[65536];     /* bytes sent on the current connection */
    size_t sent_len;
    size_t max_send;         /* largest single send */

    /* Position. */
    const struct st_step *step;
    size_t offset;
};

void script_transport_init(struct script_transport *st, const struct st_step *const *conns,
                           size_t conn_count);
const struct fwc_transport *script_transport_ops(struct script_transport *st);

#endif
