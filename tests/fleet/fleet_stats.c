/* SPDX-License-Identifier: MIT */
/* What a run measured (docs/FLEET.md, "Measurements"): one summary line
 * of key=value pairs for tests/fleet/report.py, a per-second CSV for the
 * plots, and with --check the TAP assertions make test counts. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"
#include "sim.h"

/* The rates are judged after the first 10 minutes (the boot itself is
 * allowed its peak), in 1-minute windows. */
#define SETTLE_S 600u

struct summary {
    uint32_t secs;              /* the run's length after the cut */
    uint64_t tok_req, tok_rej, tok_ok, api_req, api_401;
    double mean_rate;           /* token requests/s after SETTLE_S */
    double peak_min_rate;       /* busiest 1-minute window after SETTLE_S, per s */
    double peak_win_rate;       /* the same in --window-s windows (the check's) */
    uint32_t peak_s, peak_s_all;/* busiest second after SETTLE_S / at all */
    double t99_s;               /* 99 % of devices held a token; -1: never */
    uint32_t never_held, never_ok;
    double p50_s, p99_s, max_s; /* late calls' delay */
    double storm_over_s, storm_back_s, second_wave;
};

static uint64_t sum(const uint32_t *a, uint32_t from, uint32_t to)
{
    uint64_t s = 0;
    uint32_t i;
    for (i = from; i < to; i++)
        s += a[i];
    return s;
}

static uint32_t max_in(const uint32_t *a, uint32_t from, uint32_t to)
{
    uint32_t m = 0, i;
    for (i = from; i < to; i++)
        if (a[i] > m)
            m = a[i];
    return m;
}

/* Busiest window of w seconds (aligned to the cut) in [from, to), per
 * second. */
static double peak_window(const uint32_t *a, uint32_t from, uint32_t to, uint32_t w)
{
    uint64_t best = 0;
    uint32_t m;
    for (m = from / w; (m + 1u) * w <= to; m++) {
        uint64_t s = sum(a, m * w, (m + 1u) * w);
        if (s > best)
            best = s;
    }
    return (double)best / w;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Seconds from the cut until 99 % of the devices held a token. */
static double held_99(const struct fleet *f, struct summary *s)
{
    uint32_t n = f->o.devices, i, k = (uint32_t)(((uint64_t)n * 99u + 99u) / 100u) - 1u;
    int64_t *t = malloc(n * sizeof(*t));
    double r;

    if (t == NULL)
        return -1;
    for (i = 0; i < n; i++) {
        t[i] = f->dev[i].held_ms >= 0 ? f->dev[i].held_ms : INT64_MAX;
        s->never_held += f->dev[i].held_ms < 0;
        s->never_ok += f->dev[i].ok == 0;
    }
    qsort(t, n, sizeof(*t), cmp_i64);
    r = t[k] == INT64_MAX ? -1.0 : (double)(t[k] - SIM_BOOT_MS) / 1000.0;
    free(t);
    return r;
}

static double delay_quantile(const struct fleet *f, double q)
{
    uint64_t want = (uint64_t)((double)f->late * q), seen = 0;
    uint32_t b;

    if (f->late == 0)
        return 0;
    for (b = 0; b < DELAY_BUCKETS; b++) {
        seen += f->delay_hist[b];
        if (seen > want)
            return (double)(b + 1u) * DELAY_BUCKET_MS / 1000.0;
    }
    return (double)f->delay_max_ms / 1000.0;
}

/* Seconds from the capacity's return to the start of the first minute whose
 * refusals are back at their mean of the 10 minutes before the storm; -1:
 * never. A fleet refused now and then before the storm (a fixed loop's
 * renewals of a minute share one second) is refused so after it too:
 * that is not the storm going on. */
static double storm_back(const struct tenant *t, uint32_t start, uint32_t end, uint32_t secs)
{
    uint64_t before = start >= 600u ? sum(t->s.tok_rej, start - 600u, start) : 0;
    uint32_t m;

    for (m = end; m + 60u <= secs; m += 60u)
        if (sum(t->s.tok_rej, m, m + 60u) * 10u <= before)
            return m - end;
    return -1;
}

/* After capacity returns: seconds until the last refusal, until the
 * refusals are back at their level before the storm, and the busiest
 * minute from 5 minutes later on against the mean (a second wave). */
static void storm_figures(const struct fleet *f, struct summary *s)
{
    const struct tenant *t = &f->tenant;
    uint32_t start = (uint32_t)((t->cfg.storm_start_ms - SIM_BOOT_MS) / 1000);
    uint32_t end = (uint32_t)((t->cfg.storm_end_ms - SIM_BOOT_MS) / 1000), i, last = end;

    s->storm_over_s = -1;
    s->storm_back_s = -1;
    s->second_wave = -1;
    if (!f->storm || end >= s->secs)
        return;
    for (i = end; i < s->secs; i++)
        if (t->s.tok_rej[i] > 0)
            last = i + 1u;
    s->storm_over_s = last - end;
    s->storm_back_s = storm_back(t, start, end, s->secs);
    if (end + 300u < s->secs && s->mean_rate > 0)
        s->second_wave = peak_window(t->s.tok_req, end + 300u, s->secs, 60u) / s->mean_rate;
}

static void summarize(const struct fleet *f, struct summary *s)
{
    const struct tenant_series *ts = &f->tenant.s;

    memset(s, 0, sizeof(*s));
    s->secs = f->o.hours * 3600u;
    s->tok_req = sum(ts->tok_req, 0, s->secs);
    s->tok_rej = sum(ts->tok_rej, 0, s->secs);
    s->tok_ok = sum(ts->tok_ok, 0, s->secs);
    s->api_req = sum(ts->api_req, 0, s->secs);
    s->api_401 = sum(ts->api_401, 0, s->secs);
    s->mean_rate = (double)sum(ts->tok_req, SETTLE_S, s->secs) / (double)(s->secs - SETTLE_S);
    s->peak_min_rate = peak_window(ts->tok_req, SETTLE_S, s->secs, 60u);
    s->peak_win_rate = peak_window(ts->tok_req, SETTLE_S, s->secs, f->o.window_s);
    s->peak_s = max_in(ts->tok_req, SETTLE_S, s->secs);
    s->peak_s_all = max_in(ts->tok_req, 0, s->secs);
    s->t99_s = held_99(f, s);
    s->p50_s = delay_quantile(f, 0.5);
    s->p99_s = delay_quantile(f, 0.99);
    s->max_s = (double)f->delay_max_ms / 1000.0;
    storm_figures(f, s);
}

static void print_summary(const struct fleet *f, const struct summary *s)
{
    printf("loop=%s scenario=%s build=%s devices=%" PRIu32 " hours=%" PRIu32 " seed=%" PRIu64
           " token_cap=%" PRIu32 " client_bytes=%zu clients_mib=%.1f"
           " tok_req=%" PRIu64 " tok_ok=%" PRIu64 " refused=%" PRIu64 " api_req=%" PRIu64
           " api_401=%" PRIu64 " mean_rate=%.2f peak_min_rate=%.2f ratio=%.2f peak_s=%" PRIu32
           " peak_s_all=%" PRIu32 " t99_s=%.1f never_held=%" PRIu32 " never_ok=%" PRIu32
           " calls_ok=%" PRIu64 " calls_failed=%" PRIu64 " missed=%" PRIu64 " late=%" PRIu64
           " late_p50_s=%.1f late_p99_s=%.1f late_max_s=%.1f req_dev_h=%.2f"
           " storm_over_s=%.0f storm_back_s=%.0f second_wave=%.2f warm_imported=%" PRIu64
           " queue_overflow=%" PRIu64 "\n",
           f->o.sleep_loop ? "sleep" : "fixed", f->o.scenario, f->o.build, f->o.devices,
           f->o.hours, f->o.seed,
           f->tenant.cfg.token_cap, sizeof(struct fwc_client),
           (double)sizeof(struct fwc_client) * f->o.devices / 1048576.0, s->tok_req, s->tok_ok,
           s->tok_rej, s->api_req, s->api_401, s->mean_rate, s->peak_min_rate,
           s->mean_rate > 0 ? s->peak_min_rate / s->mean_rate : 0.0, s->peak_s, s->peak_s_all,
           s->t99_s, s->never_held, s->never_ok, f->calls_ok, f->calls_failed, f->slots_missed,
           f->late, s->p50_s, s->p99_s, s->max_s,
           (double)(s->tok_req + s->api_req) / f->o.devices / f->o.hours, s->storm_over_s,
           s->storm_back_s, s->second_wave, f->warm_imported, f->queue_overflow);
}

static int write_series(const struct fleet *f, const struct summary *s)
{
    const struct tenant_series *ts = &f->tenant.s;
    FILE *out = fopen(f->o.series_path, "w");
    uint32_t i;

    if (out == NULL)
        return -1;
    fprintf(out, "second,token_requests,token_refused,api_requests\n");
    for (i = 0; i < s->secs; i++)
        fprintf(out, "%" PRIu32 ",%" PRIu32 ",%" PRIu32 ",%" PRIu32 "\n", i, ts->tok_req[i],
                ts->tok_rej[i], ts->api_req[i]);
    return fclose(out) == 0 ? 0 : -1;
}

/* ---- make test's assertions ----------------------------------------------- */

struct tap {
    unsigned n, passed, failed;
};

static void tap(struct tap *t, int ok, const char *what)
{
    t->n++;
    if (ok)
        t->passed++;
    else
        t->failed++;
    printf("%sok %u - %s\n", ok ? "" : "not ", t->n, what);
}

/* Every slot a device had before the end was run, failed or missed. */
static int slots_accounted(const struct fleet *f)
{
    uint32_t i;
    for (i = 0; i < f->o.devices; i++) {
        const struct device *d = &f->dev[i];
        int64_t slots = (f->end_ms - d->boot_ms + MINUTE_MS - 1) / MINUTE_MS;
        if ((int64_t)d->ok + d->failed + d->missed != slots)
            return 0;
    }
    return 1;
}

static int checks(const struct fleet *f, const struct summary *s)
{
    struct tap t = {0, 0, 0};
    char what[96];

    printf("# %s, %s build, %" PRIu32 " devices, %" PRIu32 " h\n", f->o.scenario, f->o.build,
           f->o.devices, f->o.hours);
    tap(&t, s->never_held == 0, "every device got a token");
    tap(&t, s->never_ok == 0, "no device ended the run without a successful call");
    tap(&t, f->tenant.bad_requests == 0, "the tenant could read every request");
    tap(&t, f->queue_overflow == 0, "every wake-up fitted the event queue");
    tap(&t, f->tenant.over_capacity == 0, "the tenant never issued beyond its capacity");
    tap(&t, s->tok_ok + s->tok_rej == s->tok_req, "every token request was answered or refused");
    tap(&t, s->api_401 == 0, "no client sent an expired or unknown token");
    if (!f->o.sleep_loop)
        tap(&t, slots_accounted(f), "every scheduled minute was run, failed or missed");
    if (f->o.max_ratio > 0) {
        snprintf(what, sizeof(what),
                 "token peak-to-mean %.2f <= %.2f after 10 minutes (%" PRIu32 " s windows)",
                 s->mean_rate > 0 ? s->peak_win_rate / s->mean_rate : 0.0, f->o.max_ratio,
                 f->o.window_s);
        tap(&t, s->mean_rate > 0 && s->peak_win_rate <= f->o.max_ratio * s->mean_rate, what);
    }
    if (f->o.storm_within_s >= 0) {
        snprintf(what, sizeof(what),
                 "refusals back at their level before the storm %.0f s after it (<= %d s)",
                 s->storm_back_s, (int)f->o.storm_within_s);
        tap(&t, s->storm_back_s >= 0 && s->storm_back_s <= f->o.storm_within_s, what);
    }
    if (f->o.max_second_wave > 0) {
        snprintf(what, sizeof(what),
                 "no second wave: busiest minute from 5 min after the storm %.2f x mean (<= %.2f)",
                 s->second_wave, f->o.max_second_wave);
        tap(&t, s->second_wave >= 0 && s->second_wave <= f->o.max_second_wave, what);
    }
    printf("1..%u\n%u passed, %u failed\n", t.n, t.passed, t.failed);
    return t.failed == 0 ? 0 : 1;
}

int fleet_report(struct fleet *f)
{
    struct summary s;

    summarize(f, &s);
    if (f->o.check)
        printf("# ");
    print_summary(f, &s);
    if (f->o.series_path != NULL && write_series(f, &s) != 0) {
        fprintf(stderr, "fleet_sim: cannot write %s\n", f->o.series_path);
        return 1;
    }
    return f->o.check ? checks(f, &s) : 0;
}
