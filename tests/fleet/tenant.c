/* SPDX-License-Identifier: MIT */
/* The tenant model and the in-process transport (tenant.h). Every answer
 * says "Connection: close", so each exchange is one connection, as a
 * device that sleeps a minute between calls would see after the server's
 * idle timeout. */
#include "tenant.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

/* Virtual network times: TCP + TLS handshake, and one round trip. */
#define CONNECT_MS 100
#define RTT_MS 50

struct link {
    struct tenant *t;
    char req[2048];
    size_t req_len;
    char resp[512];
    size_t resp_len, resp_pos;
    bool answered;
};

static struct link link_state;
static struct fwc_transport link_ops;

int tenant_init(struct tenant *t, const struct tenant_cfg *cfg, uint32_t devices,
                uint32_t seconds)
{
    uint32_t **series[] = {&t->s.tok_req, &t->s.tok_ok, &t->s.tok_rej,
                           &t->s.api_req, &t->s.api_ok, &t->s.api_401};
    size_t i;

    memset(t, 0, sizeof(*t));
    t->cfg = *cfg;
    t->seconds = seconds;
    t->devices = devices;
    for (i = 0; i < sizeof(series) / sizeof(series[0]); i++) {
        *series[i] = calloc(seconds, sizeof(uint32_t));
        if (*series[i] == NULL)
            return -1;
    }
    t->dev = calloc(devices, sizeof(*t->dev));
    if (t->dev == NULL)
        return -1;
    for (i = 0; i < devices; i++)
        t->dev[i].first_token_ms = -1;
    return 0;
}

void tenant_free(struct tenant *t)
{
    free(t->s.tok_req);
    free(t->s.tok_ok);
    free(t->s.tok_rej);
    free(t->s.api_req);
    free(t->s.api_ok);
    free(t->s.api_401);
    free(t->dev);
    memset(t, 0, sizeof(*t));
}

uint32_t tenant_capacity(const struct tenant *t, int64_t now_ms)
{
    if (now_ms < SIM_BOOT_MS)
        return UINT32_MAX; /* before the cut: the warm scenario's history */
    if (now_ms >= t->cfg.storm_start_ms && now_ms < t->cfg.storm_end_ms)
        return (uint32_t)((uint64_t)t->cfg.token_cap * t->cfg.storm_pct / 100u);
    return t->cfg.token_cap;
}

/* The counter slot of a moment after the cut; NULL before it. Devices
 * run their calls whole, so requests reach the tenant out of time order;
 * counting by the second they carry keeps every bucket right. */
static uint32_t *slot(const struct tenant *t, uint32_t *series, int64_t now_ms)
{
    int64_t sec = (now_ms - SIM_BOOT_MS) / 1000;
    if (sec < 0)
        return NULL;
    return &series[sec < (int64_t)t->seconds ? sec : (int64_t)t->seconds - 1];
}

static void count(const struct tenant *t, uint32_t *series, int64_t now_ms)
{
    uint32_t *p = slot(t, series, now_ms);
    if (p != NULL)
        (*p)++;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" for a Unix time. */
static void http_date(int64_t unix_s, char *out, size_t cap)
{
    static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t days = unix_s / 86400, rem = unix_s % 86400;
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    int64_t y = yoe + era * 400 + (m <= 2);

    snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", wd[days % 7], (int)d,
             mon[m - 1], (int)y, (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
}

/* A constant answer, copied: most of a run's answers are these, and
 * formatting each costs more than the library's own parsing of it. */
static size_t copy_answer(const char *text, size_t len, char *out, size_t cap)
{
    if (len >= cap)
        len = cap - 1;
    memcpy(out, text, len);
    return len;
}

#define CONST_ANSWER(text, out, cap) copy_answer(text, sizeof(text) - 1, out, cap)

static size_t format_refusal(const struct tenant *t, int64_t now_ms, char *out, size_t cap)
{
    char value[40];
    int n;

    if (t->cfg.http_date)
        http_date(SIM_WALL_BASE + now_ms / 1000 + t->cfg.retry_after_s, value, sizeof(value));
    else
        snprintf(value, sizeof(value), "%" PRIu32, t->cfg.retry_after_s);
    n = snprintf(out, cap,
                 "HTTP/1.1 %s\r\nRetry-After: %s\r\nContent-Length: 0\r\n"
                 "Connection: close\r\n\r\n",
                 t->cfg.refuse_503 ? "503 Service Unavailable" : "429 Too Many Requests", value);
    return (size_t)n;
}

/* The refusal, formatted once per second (an HTTP-date changes with it). */
static size_t refuse(struct tenant *t, int64_t now_ms, char *out, size_t cap)
{
    int64_t sec = now_ms / 1000;

    if (t->refusal_len == 0 || (t->cfg.http_date && sec != t->refusal_sec)) {
        t->refusal_len = format_refusal(t, now_ms, t->refusal, sizeof(t->refusal));
        t->refusal_sec = sec;
    }
    return copy_answer(t->refusal, t->refusal_len, out, cap);
}

static size_t issue(struct tenant *t, uint32_t dev, int64_t now_ms, char *out, size_t cap)
{
    struct tenant_device *d = &t->dev[dev];
    char body[128];
    int blen;

    d->issued++;
    d->prev_exp_ms = d->cur_exp_ms;
    d->cur_exp_ms = now_ms + (int64_t)t->cfg.lifetime_s * 1000;
    if (d->first_token_ms < 0 && now_ms >= SIM_BOOT_MS)
        d->first_token_ms = now_ms;
    blen = snprintf(body, sizeof(body),
                    "{\"access_token\":\"t%" PRIu32 "-%" PRIu32
                    "\",\"token_type\":\"bearer\",\"expires_in\":%" PRIu32 "}",
                    dev, d->issued, t->cfg.lifetime_s);
    return (size_t)snprintf(out, cap,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                            "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                            blen, body);
}

/* The device named by the form's client_id ("d<index>"). */
static bool form_device(const struct tenant *t, const char *req, uint32_t *dev)
{
    const char *p = strstr(req, "client_id=d");
    unsigned long v;

    if (p == NULL)
        return false;
    v = strtoul(p + 11, NULL, 10);
    *dev = (uint32_t)v;
    return v < t->devices;
}

static size_t token_endpoint(struct tenant *t, const char *req, int64_t now_ms, char *out,
                             size_t cap)
{
    uint32_t dev, *ok = slot(t, t->s.tok_ok, now_ms);

    count(t, t->s.tok_req, now_ms);
    if (!form_device(t, req, &dev)) {
        t->bad_requests++;
        return (size_t)snprintf(out, cap, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n"
                                          "Connection: close\r\n\r\n");
    }
    if (ok != NULL && *ok >= tenant_capacity(t, now_ms)) {
        count(t, t->s.tok_rej, now_ms);
        return refuse(t, now_ms, out, cap);
    }
    if (ok != NULL && ++*ok > tenant_capacity(t, now_ms))
        t->over_capacity++;
    return issue(t, dev, now_ms, out, cap);
}

/* A bearer token "t<dev>-<n>" is valid while the tenant says so: the
 * newest one until its expiry, the one before until its own. */
static bool token_valid(const struct tenant *t, const char *req, int64_t now_ms)
{
    const char *p = strstr(req, "Authorization: Bearer t");
    const struct tenant_device *d;
    unsigned long dev, n;
    char *end;

    if (p == NULL)
        return false;
    dev = strtoul(p + 23, &end, 10);
    if (*end != '-' || dev >= t->devices)
        return false;
    n = strtoul(end + 1, NULL, 10);
    d = &t->dev[dev];
    if (n == d->issued && n > 0)
        return now_ms < d->cur_exp_ms;
    return n + 1 == d->issued && n > 0 && now_ms < d->prev_exp_ms;
}

static size_t api_endpoint(struct tenant *t, const char *req, int64_t now_ms, char *out,
                           size_t cap)
{
    count(t, t->s.api_req, now_ms);
    if (!token_valid(t, req, now_ms)) {
        count(t, t->s.api_401, now_ms);
        return CONST_ANSWER("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer\r\n"
                            "Content-Length: 0\r\nConnection: close\r\n\r\n",
                            out, cap);
    }
    count(t, t->s.api_ok, now_ms);
    return CONST_ANSWER("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                        "Content-Length: 2\r\nConnection: close\r\n\r\n{}",
                        out, cap);
}

static size_t answer(struct tenant *t, const char *req, int64_t now_ms, char *out, size_t cap)
{
    if (strncmp(req, "POST /fotoweb/oauth2/token ", 27) == 0)
        return token_endpoint(t, req, now_ms, out, cap);
    if (strncmp(req, "GET /fotoweb/me/ ", 17) == 0)
        return api_endpoint(t, req, now_ms, out, cap);
    t->bad_requests++;
    return (size_t)snprintf(out, cap, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                                      "Connection: close\r\n\r\n");
}

/* The request is whole once its head has ended and Content-Length bytes
 * (if any) followed. */
static bool request_complete(struct link *l)
{
    const char *end, *cl;
    size_t head;

    l->req[l->req_len] = '\0';
    end = strstr(l->req, "\r\n\r\n");
    if (end == NULL)
        return false;
    head = (size_t)(end - l->req) + 4;
    cl = strstr(l->req, "Content-Length: ");
    if (cl == NULL || cl > end)
        return true;
    return l->req_len >= head + strtoul(cl + 16, NULL, 10);
}

static enum fwc_err link_open(void *ctx, uint32_t timeout_ms)
{
    struct link *l = ctx;
    (void)timeout_ms;
    l->req_len = l->resp_len = l->resp_pos = 0;
    l->answered = false;
    sim_clock_ms += CONNECT_MS;
    return FWC_OK;
}

static int32_t link_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    struct link *l = ctx;
    (void)timeout_ms;
    if (len > sizeof(l->req) - 1 - l->req_len)
        return FWC_ERR_TRANSPORT; /* never: the sim's requests are small */
    memcpy(l->req + l->req_len, data, len);
    l->req_len += len;
    if (!l->answered && request_complete(l)) {
        /* The server sees it half a round trip later, answers at once. */
        l->resp_len = answer(l->t, l->req, sim_clock_ms + RTT_MS / 2, l->resp, sizeof(l->resp));
        l->answered = true;
    }
    return (int32_t)len;
}

static int32_t link_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    struct link *l = ctx;
    size_t n;

    if (!l->answered) {
        sim_clock_ms += timeout_ms;
        return FWC_ERR_TIMEOUT;
    }
    if (l->resp_pos == 0)
        sim_clock_ms += RTT_MS; /* the answer arrives a round trip after the request */
    n = l->resp_len - l->resp_pos;
    if (n == 0)
        return 0; /* Connection: close */
    if (n > len)
        n = len;
    memcpy(buf, l->resp + l->resp_pos, n);
    l->resp_pos += n;
    return (int32_t)n;
}

static void link_close(void *ctx)
{
    (void)ctx;
}

const struct fwc_transport *tenant_transport(struct tenant *t)
{
    link_state.t = t;
    link_ops.open = link_open;
    link_ops.send = link_send;
    link_ops.recv = link_recv;
    link_ops.close = link_close;
    link_ops.ctx = &link_state;
    link_ops.unsent = NULL;
    return &link_ops;
}
