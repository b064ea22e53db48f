/* SPDX-License-Identifier: MIT */
/* The fleet: devices, their clients, the event queue and what was
 * measured (fleet_sim.c runs it, fleet_stats.c sums it up). */
#ifndef FLEET_FLEET_H
#define FLEET_FLEET_H

#include <stdbool.h>
#include <stdint.h>

#include "fwc/client.h"
#include "tenant.h"

#define MINUTE_MS INT64_C(60000)
/* A call is late when it ends this long after its scheduled minute: a
 * token fetch and a call on fresh connections take ~300 ms here. */
#define LATE_MS 2000
/* Delay histogram: 100 ms buckets up to 2 hours, the last one open. */
#define DELAY_BUCKET_MS 100
#define DELAY_BUCKETS 72000

struct device {
    int64_t boot_ms;
    int64_t clock_ms;        /* its own virtual clock */
    int64_t due_ms;          /* when its next call is due */
    int64_t held_ms;         /* first held a token after the cut; -1: never */
    uint32_t slot;           /* the minute of the call it makes next */
    uint32_t ok, failed, missed;
};

/* The event queue's wheel: 2^19 ms (8.7 minutes) ahead at most. */
#define WHEEL_MASK 0x7FFFFu
#define WHEEL_EMPTY UINT32_MAX

struct fleet_opts {
    const char *scenario;
    const char *build;
    uint32_t devices;
    uint32_t hours;
    uint64_t seed;
    uint32_t token_cap;      /* 0: the scenario's */
    bool http_date, refuse_503;
    bool sleep_loop;         /* sleep a minute after each call, not call on the minute */
    const char *series_path; /* per-second CSV, or NULL */
    bool check;              /* print TAP assertions */
    double max_ratio;        /* check: peak-to-mean bound, 0: none */
    uint32_t window_s;       /* check: the peak's window (60 s by default) */
    int32_t storm_within_s;  /* check: the storm over this soon after it, -1: none */
    double max_second_wave;  /* check: busiest later minute / mean bound, 0: none */
};

struct fleet {
    struct fleet_opts o;
    struct tenant tenant;
    struct fwc_client *clients;
    struct device *dev;
    uint32_t *wheel;         /* per ms slot: the first device due, or WHEEL_EMPTY */
    uint32_t *next;          /* per device: the next one in its slot */
    int64_t wheel_now;       /* the slot being run */
    uint32_t queued;
    uint64_t queue_overflow; /* wake-ups beyond the wheel (must stay 0) */
    int64_t end_ms;
    bool warm, storm;
    uint64_t calls_ok, calls_failed, slots_missed, late;
    uint64_t *delay_hist;    /* late calls' delay */
    int64_t delay_max_ms;
    uint64_t warm_imported;
};

/* fleet_stats.c: the summary line (and, with o.check, TAP lines). */
int fleet_report(struct fleet *f);

#endif
