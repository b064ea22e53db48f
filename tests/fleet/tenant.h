/* SPDX-License-Identifier: MIT */
/* The FotoWeb tenant model: a token endpoint with a per-second capacity,
 * an API endpoint that checks tokens by value, and per-second counters.
 * tenant_transport() hands a client's request bytes to it in-process. */
#ifndef FLEET_TENANT_H
#define FLEET_TENANT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/transport.h"

struct tenant_cfg {
    uint32_t token_cap;      /* token requests answered per second */
    uint32_t lifetime_s;     /* expires_in of every token */
    uint32_t retry_after_s;  /* Retry-After of a refusal */
    bool http_date;          /* Retry-After as an HTTP-date, not seconds */
    bool refuse_503;         /* refuse with 503, not 429 */
    int64_t storm_start_ms;  /* token capacity at storm_pct inside [start, end) */
    int64_t storm_end_ms;
    uint32_t storm_pct;
};

/* Per-second counters from the power cut (SIM_BOOT_MS) on. */
struct tenant_series {
    uint32_t *tok_req, *tok_ok, *tok_rej;
    uint32_t *api_req, *api_ok, *api_401;
};

struct tenant_device {
    uint32_t issued;          /* tokens issued to it; the newest is "t<dev>-<issued>" */
    int64_t cur_exp_ms;       /* expiry of the newest token */
    int64_t prev_exp_ms;      /* and of the one before (still valid until then) */
    int64_t first_token_ms;   /* first token issued after the cut; -1: none */
};

struct tenant {
    struct tenant_cfg cfg;
    uint32_t seconds;         /* length of each series */
    struct tenant_series s;
    struct tenant_device *dev;
    uint32_t devices;
    uint64_t bad_requests;    /* requests the model could not read (must stay 0) */
    uint64_t over_capacity;   /* tokens issued beyond a second's capacity (must stay 0) */
    char refusal[160];        /* the refusal answer of refusal_sec */
    size_t refusal_len;
    int64_t refusal_sec;
};

/* 0, or -1 when out of memory. */
int tenant_init(struct tenant *t, const struct tenant_cfg *cfg, uint32_t devices,
                uint32_t seconds);
void tenant_free(struct tenant *t);
/* The capacity in force at a virtual time. */
uint32_t tenant_capacity(const struct tenant *t, int64_t now_ms);
/* The transport every simulated client uses: it serves sim_device. */
const struct fwc_transport *tenant_transport(struct tenant *t);

#endif
