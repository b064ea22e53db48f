/* SPDX-License-Identifier: MIT */
/* A fleet after a power cut, simulated with the real fwc (docs/FLEET.md).
 *
 * Every device is a real struct fwc_client in a small no-TLS build whose
 * transport hands each request to the tenant model in-process. A device's
 * call runs whole at the device's own virtual time: the library's sleeps
 * (Retry-After, backoff, spread) move that device's clock alone. A binary
 * timing wheel orders the devices' wake-ups, one call a minute. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/client.h"
#include "fwc/secret.h"
#include "fwc/warm.h"
#include "fleet.h"
#include "sim.h"

/* ---- the secret hook: client "d<index>" -------------------------------- */

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    char value[24];
    int n;

    (void)ctx;
    if (item == FWC_SECRET_CLIENT_ID)
        n = snprintf(value, sizeof(value), "d%u", (unsigned)sim_device);
    else
        n = snprintf(value, sizeof(value), "s3cret");
    if (n <= 0 || (size_t)n > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, value, (size_t)n);
    *out_len = (size_t)n;
    return FWC_OK;
}

/* ---- event queue: a timing wheel of 1 ms slots ---------------------------- */

/* Each device has exactly one pending wake-up, never earlier than the one
 * being run (a call only moves its device's clock forward), and never
 * further ahead than a retry budget and a minute: a wheel of 1 ms slots,
 * each a list threaded through next[], pops in O(1) where a binary heap
 * over 100,000 devices walks 17 levels of cache misses per wake-up. Devices
 * due in the same millisecond run in a fixed (push) order, so runs stay
 * reproducible. */

static int queue_push(struct fleet *f, int64_t at_ms, uint32_t dev)
{
    uint32_t slot = (uint32_t)at_ms & WHEEL_MASK;

    if (at_ms < f->wheel_now || at_ms - f->wheel_now > (int64_t)WHEEL_MASK)
        return -1;
    f->next[dev] = f->wheel[slot];
    f->wheel[slot] = dev;
    f->queued++;
    return 0;
}

/* The next device due, or false when none is left. */
static bool queue_pop(struct fleet *f, uint32_t *dev)
{
    if (f->queued == 0)
        return false;
    while (f->wheel[(uint32_t)f->wheel_now & WHEEL_MASK] == WHEEL_EMPTY)
        f->wheel_now++;
    *dev = f->wheel[(uint32_t)f->wheel_now & WHEEL_MASK];
    f->wheel[(uint32_t)f->wheel_now & WHEEL_MASK] = f->next[*dev];
    f->queued--;
    return true;
}

/* ---- devices -------------------------------------------------------------- */

static int client_init(struct fleet *f, uint32_t i)
{
    struct fwc_client_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://tenant.example.com";
    cfg.transport = tenant_transport(&f->tenant);
    return fwc_client_init(&f->clients[i], &cfg) == FWC_OK ? 0 : -1;
}

static enum fwc_err api_call(struct fleet *f, uint32_t i)
{
    struct fwc_http_request req;
    struct fwc_http_response resp;
    uint8_t body[16];

    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.method = "GET";
    req.path = "/fotoweb/me/";
    resp.body_buf = body;
    resp.body_cap = sizeof(body);
    return fwc_request(&f->clients[i], &req, &resp);
}

static int64_t slot_time(const struct device *d, uint32_t slot)
{
    return d->boot_ms + (int64_t)slot * MINUTE_MS;
}

static void record_delay(struct fleet *f, int64_t delay_ms)
{
    int64_t b = delay_ms / DELAY_BUCKET_MS;

    if (delay_ms <= LATE_MS)
        return;
    f->late++;
    f->delay_hist[b < DELAY_BUCKETS ? b : DELAY_BUCKETS - 1]++;
    if (delay_ms > f->delay_max_ms)
        f->delay_max_ms = delay_ms;
}

/* The next call, fixed schedule: the latest minute already due (run
 * late), or the next one; minutes passed over while the device was busy
 * are missed. */
static int64_t next_fixed(struct fleet *f, struct device *d)
{
    d->slot++;
    while (slot_time(d, d->slot + 1) <= d->clock_ms) {
        d->slot++;
        d->missed++;
        f->slots_missed++;
    }
    return slot_time(d, d->slot);
}

static void schedule_next(struct fleet *f, uint32_t i)
{
    struct device *d = &f->dev[i];

    /* A loop that sleeps a minute after each call drifts by the calls'
     * own time (the library's waits included); a fixed one does not. */
    d->due_ms = f->o.sleep_loop ? d->clock_ms + MINUTE_MS : next_fixed(f, d);
    if (d->due_ms < f->end_ms &&
        queue_push(f, d->due_ms > d->clock_ms ? d->due_ms : d->clock_ms, i) != 0)
        f->queue_overflow++;
}

static void run_call(struct fleet *f, uint32_t i)
{
    struct device *d = &f->dev[i];
    int64_t due = d->due_ms;
    enum fwc_err err;

    sim_device = i;
    sim_clock_ms = d->clock_ms > due ? d->clock_ms : due;
    err = api_call(f, i);
    d->clock_ms = sim_clock_ms;
    if (f->tenant.dev[i].first_token_ms >= 0 && d->held_ms < 0)
        d->held_ms = f->tenant.dev[i].first_token_ms;
    if (err == FWC_OK) {
        d->ok++;
        f->calls_ok++;
        record_delay(f, d->clock_ms - due);
    } else {
        d->failed++;
        f->calls_failed++;
    }
    schedule_next(f, i);
}

/* ---- the warm scenario's history ------------------------------------------ */

/* Before the cut each device ran once, at a random moment of the hour
 * before, and stored its warm-start export; after the cut it boots with
 * it. The tenant's counters start at the cut, so this history is free. */
static int warm_history(struct fleet *f, uint8_t *store, size_t *lens)
{
    uint32_t i;

    for (i = 0; i < f->o.devices; i++) {
        sim_device = i;
        sim_clock_ms = (int64_t)sim_rand_below((uint32_t)SIM_BOOT_MS - 1000u);
        if (api_call(f, i) != FWC_OK ||
            fwc_warm_export(&f->clients[i], store + (size_t)i * FWC_WARM_MAX, FWC_WARM_MAX,
                            &lens[i]) != FWC_OK)
            return -1;
        fwc_client_close(&f->clients[i]);
        if (client_init(f, i) != 0)
            return -1;
    }
    return 0;
}

static int warm_boot(struct fleet *f, uint32_t i, const uint8_t *store, const size_t *lens)
{
    unsigned used = 0;

    sim_device = i;
    sim_clock_ms = f->dev[i].boot_ms;
    if (fwc_warm_import(&f->clients[i], store + (size_t)i * FWC_WARM_MAX, lens[i], &used) !=
        FWC_OK)
        return -1;
    if (used & FWC_WARM_USED_TOKEN) {
        f->warm_imported++;
        f->dev[i].held_ms = f->dev[i].boot_ms;
    }
    return 0;
}

static int warm_start(struct fleet *f)
{
    uint8_t *store = malloc((size_t)f->o.devices * FWC_WARM_MAX);
    size_t *lens = calloc(f->o.devices, sizeof(*lens));
    uint32_t i;
    int rc = store != NULL && lens != NULL ? warm_history(f, store, lens) : -1;

    for (i = 0; rc == 0 && i < f->o.devices; i++)
        rc = warm_boot(f, i, store, lens);
    free(store);
    free(lens);
    return rc;
}

/* ---- scenarios ---------------------------------------------------------- */

/* Token capacity per second for the fleet, chosen to make the point:
 * N/500 (200/s for 100,000) takes 500 s to hand every device a token. */
static void scenario_setup(struct fleet *f, struct tenant_cfg *tc)
{
    const char *s = f->o.scenario;
    uint32_t n = f->o.devices;

    memset(tc, 0, sizeof(*tc));
    tc->lifetime_s = 3600;
    tc->retry_after_s = 2;
    tc->http_date = f->o.http_date;
    tc->refuse_503 = f->o.refuse_503;
    tc->token_cap = n / 500 > 0 ? n / 500 : 1;
    if (strcmp(s, "renewal") == 0) {
        tc->token_cap = n; /* every device gets its token in the first second */
    } else if (strcmp(s, "storm") == 0) {
        /* Enough for the boot; then 5 % for 10 minutes over the first
         * renewal round (renewal is due 54 min after the fetch). */
        tc->token_cap = n / 100 > 0 ? n / 100 : 1;
        tc->storm_start_ms = SIM_BOOT_MS + 50 * MINUTE_MS;
        tc->storm_end_ms = SIM_BOOT_MS + 60 * MINUTE_MS;
        tc->storm_pct = 5;
        f->storm = true;
    } else if (strcmp(s, "warm") == 0) {
        f->warm = true;
    }
    if (f->o.token_cap != 0)
        tc->token_cap = f->o.token_cap;
}

static bool known_scenario(const char *s)
{
    return strcmp(s, "power-cut") == 0 || strcmp(s, "renewal") == 0 ||
           strcmp(s, "storm") == 0 || strcmp(s, "warm") == 0;
}

static int fleet_alloc(struct fleet *f)
{
    uint32_t n = f->o.devices, i;
    struct tenant_cfg tc;

    scenario_setup(f, &tc);
    f->end_ms = SIM_BOOT_MS + (int64_t)f->o.hours * 3600000;
    f->clients = calloc(n, sizeof(*f->clients));
    f->dev = calloc(n, sizeof(*f->dev));
    f->next = calloc(n, sizeof(*f->next));
    f->wheel = malloc((WHEEL_MASK + 1u) * sizeof(*f->wheel));
    f->delay_hist = calloc(DELAY_BUCKETS, sizeof(*f->delay_hist));
    if (f->clients == NULL || f->dev == NULL || f->next == NULL || f->wheel == NULL ||
        f->delay_hist == NULL ||
        tenant_init(&f->tenant, &tc, n, f->o.hours * 3600u + 3600u) != 0)
        return -1;
    for (i = 0; i <= WHEEL_MASK; i++)
        f->wheel[i] = WHEEL_EMPTY;
    f->wheel_now = SIM_BOOT_MS;
    for (i = 0; i < n; i++) {
        /* The power cut: every device boots within the same second. */
        f->dev[i].boot_ms = SIM_BOOT_MS + sim_rand_below(1000);
        f->dev[i].clock_ms = f->dev[i].boot_ms;
        f->dev[i].due_ms = f->dev[i].boot_ms;
        f->dev[i].held_ms = -1;
        if (client_init(f, i) != 0)
            return -1;
    }
    return 0;
}

static void fleet_run(struct fleet *f)
{
    uint32_t i;

    for (i = 0; i < f->o.devices; i++)
        if (queue_push(f, f->dev[i].boot_ms, i) != 0)
            f->queue_overflow++;
    while (queue_pop(f, &i))
        run_call(f, i);
}

static void fleet_free(struct fleet *f)
{
    uint32_t i;

    for (i = 0; f->clients != NULL && i < f->o.devices; i++)
        fwc_client_close(&f->clients[i]);
    free(f->clients);
    free(f->dev);
    free(f->next);
    free(f->wheel);
    free(f->delay_hist);
    tenant_free(&f->tenant);
}

/* ---- command line --------------------------------------------------------- */

static int usage(void)
{
    fprintf(stderr, "usage: fleet_sim --scenario power-cut|renewal|storm|warm [--devices N]\n"
                    "  [--hours H] [--seed S] [--build NAME] [--token-cap C] [--http-date]\n"
                    "  [--503] [--sleep-loop] [--series FILE.csv] [--check] [--max-ratio R]\n"
                    "  [--window-s W] [--storm-within S] [--max-second-wave R]\n");
    return 2;
}

static int parse_args(int argc, char **argv, struct fleet_opts *o)
{
    int i;

    o->scenario = "power-cut";
    o->build = "?";
    o->devices = 1000;
    o->hours = 6;
    o->seed = 1;
    o->window_s = 60;
    o->storm_within_s = -1;
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--http-date") == 0)
            o->http_date = true;
        else if (strcmp(a, "--503") == 0)
            o->refuse_503 = true;
        else if (strcmp(a, "--check") == 0)
            o->check = true;
        else if (strcmp(a, "--sleep-loop") == 0)
            o->sleep_loop = true;
        else if (v == NULL)
            return -1;
        else if (strcmp(a, "--scenario") == 0)
            o->scenario = argv[++i];
        else if (strcmp(a, "--build") == 0)
            o->build = argv[++i];
        else if (strcmp(a, "--devices") == 0)
            o->devices = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--hours") == 0)
            o->hours = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--seed") == 0)
            o->seed = strtoull(argv[++i], NULL, 10);
        else if (strcmp(a, "--token-cap") == 0)
            o->token_cap = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--series") == 0)
            o->series_path = argv[++i];
        else if (strcmp(a, "--max-ratio") == 0)
            o->max_ratio = strtod(argv[++i], NULL);
        else if (strcmp(a, "--window-s") == 0)
            o->window_s = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (strcmp(a, "--storm-within") == 0)
            o->storm_within_s = (int32_t)strtol(argv[++i], NULL, 10);
        else if (strcmp(a, "--max-second-wave") == 0)
            o->max_second_wave = strtod(argv[++i], NULL);
        else
            return -1;
    }
    return known_scenario(o->scenario) && o->devices > 0 && o->hours > 0 && o->window_s > 0 &&
                   o->window_s <= 3600
               ? 0
               : -1;
}

int main(int argc, char **argv)
{
    static struct fleet f;
    int rc;

    if (parse_args(argc, argv, &f.o) != 0)
        return usage();
    sim_seed(f.o.seed);
    if (fleet_alloc(&f) != 0 || (f.warm && warm_start(&f) != 0)) {
        fprintf(stderr, "fleet_sim: setup failed (memory, or a client refused to start)\n");
        fleet_free(&f);
        return 1;
    }
    fleet_run(&f);
    rc = fleet_report(&f);
    fleet_free(&f);
    return rc;
}
