/* SPDX-License-Identifier: MIT */
/* Authorized FotoWeb API requests with renew-and-retry-once on 401 and a
 * bounded retry policy (fwc/client.h, fwc_request). */
#include <string.h>

#include "fwc/oauth.h"
#include "bufwriter.h"
#include "client_internal.h"
#include "log.h"
#include "random.h"
#include "retry_after.h"
#include "wipe.h"

/* Where the body of each attempt goes: to the caller, unless that attempt
 * is going to be retried. */
struct gate {
    struct fwc_http_response *caller;
    struct fwc_http_response *current;
    bool renewed;
    bool idempotent;
    bool budget_left;
    bool delivered; /* the caller has body bytes: no more attempts */
    /* The token endpoint answered 429 or 503 before this attempt could
     * send: the answer (the token cache's), whose Retry-After the retry
     * honours like an API answer's. NULL otherwise. */
    const struct fwc_http_response *token_busy;
    bool server_wait; /* the next wait is a server's Retry-After */
};

/* "Come back later": the answers whose Retry-After fwc honours. */
static bool is_busy(int status)
{
    return status == 429 || status == 503;
}

/* Would a response with this status be answered by another attempt? */
static bool will_retry(const struct gate *g, int status)
{
    if (status == 401)
        return !g->renewed;
    if (!g->budget_left)
        return false;
    return is_busy(status) || (status >= 500 && g->idempotent);
}

static enum fwc_err gated_sink(void *ctx, const uint8_t *data, size_t len)
{
    struct gate *g = ctx;
    struct fwc_http_response *r = g->caller;

    if (will_retry(g, g->current->status))
        return FWC_OK; /* this body is not the answer */
    g->delivered = true;
    if (r->sink != NULL)
        return r->sink(r->sink_ctx, data, len);
    if ((uint64_t)len > (uint64_t)r->body_cap - r->body_len)
        return FWC_ERR_BODY_TOO_LARGE;
    memcpy(r->body_buf + r->body_len, data, len);
    r->body_len += len;
    return FWC_OK;
}

/* One exchange with the current token. Its answer (or its lack of one)
 * becomes what a failure of the call is about, unless the token request
 * before it failed: then that request's is. */
static enum fwc_err send_once(struct fwc_client *c, const struct fwc_http_request *req,
                              struct gate *g, struct fwc_http_response *resp,
                              struct fwci_failure *why)
{
    struct fwci_request_state *rs = &c->_internal.request;
    struct fwc_http_header *headers = rs->headers;
    struct fwc_http_request r = *req;
    size_t token_len = 0;
    enum fwc_err err;

    /* Nothing of an earlier attempt survives a failure before the exchange. */
    memset(resp, 0, sizeof(*resp));
    why->http_status = 0;
    why->oauth_error[0] = '\0';
    /* Rewind before the bearer header is written: a rewind that failed
     * after it returned with the token still in the bearer scratch (found by
     * tests/unit/test_faults.c). */
    if (req->body_reader != NULL && req->body_rewind != NULL) {
        err = req->body_rewind(req->body_reader_ctx);
        if (err != FWC_OK)
            return (err < 0 && err >= FWC_ERR_MIN) ? err : FWC_ERR_BODY_READER;
    }
    memcpy(rs->bearer, "Bearer ", 7);
    err = fwci_token_held(c, rs->bearer + 7, sizeof(rs->bearer) - 7, &token_len, why);
    g->token_busy = NULL;
    if (err != FWC_OK) {
        /* The token's own 429/503: the whole fleet got it, so it must wait
         * and spread like an API answer's, not fail back to the caller at
         * once (who would then come back in step with the rest). */
        if (is_busy(c->_internal.token.resp.status))
            g->token_busy = &c->_internal.token.resp;
        return err;
    }
    if (req->header_count > 0)
        memcpy(headers, req->headers, req->header_count * sizeof(headers[0]));
    /* Authorization points at rs->bearer, wiped after the exchange; the
     * slot itself goes with the call (fwci_request_held). */
    headers[req->header_count].name = "Authorization";
    headers[req->header_count].value = rs->bearer;
    r.headers = headers;
    r.header_count = req->header_count + 1;
    r.path = rs->target;
    resp->sink = gated_sink;
    resp->sink_ctx = g;
    g->current = resp;
    err = fwci_http_exchange(fwci_client_conn(c), &r, resp);
    rs->sends += resp->sends;
    /* The server may have taken in a send that went out whole and was not
     * answered (every whole one but an answered last), and an answered 2xx.
     * A send cut inside its body was not: the connection ended first. */
    rs->maybe_received += resp->sends_whole - (resp->status != 0 && resp->sends_whole > 0) +
                          (resp->status >= 200 && resp->status < 300);
    fwci_wipe(rs->bearer, sizeof(rs->bearer));
    why->http_status = resp->status;
    why->oauth_error[0] = '\0';
    return err;
}

/* Half the capped exponential delay, plus a random half. */
static uint32_t backoff_ms(unsigned attempt)
{
    uint32_t d = CONFIG_FWC_RETRY_BASE_MS;
    unsigned i;
    for (i = 0; i < attempt && d < CONFIG_FWC_RETRY_CAP_MS; i++)
        d *= 2u;
    if (d > CONFIG_FWC_RETRY_CAP_MS)
        d = CONFIG_FWC_RETRY_CAP_MS;
    return d / 2u + fwci_random_below(d / 2u + 1u);
}

static bool is_transport_error(enum fwc_err err)
{
    switch (err) {
    case FWC_ERR_TIMEOUT:
    case FWC_ERR_CONNECT:
    case FWC_ERR_CONN_RESET:
    case FWC_ERR_CONN_CLOSED:
    case FWC_ERR_TRANSPORT:
    case FWC_ERR_HTTP_TRUNCATED:
        return true;
    default:
        return false;
    }
}

/* A busy answer's wait: its Retry-After when usable (g->server_wait),
 * else fwc's own backoff. */
static void busy_delay(struct fwc_client *c, const struct fwc_http_response *resp,
                       struct gate *g, unsigned attempt, uint32_t *out_ms)
{
    int64_t now_unix;
    uint32_t seconds;

    /* Only a whole value counts (an API answer's cut one ends the call:
     * retry_after_unreadable). */
    if (!fwc_port_wall_time(&now_unix))
        now_unix = -1;
    if (fwci_retry_after_of(resp, now_unix, &seconds)) {
        c->_internal.request.retry_after_s = seconds;
        *out_ms = seconds * 1000u;
        g->server_wait = true;
        return;
    }
    *out_ms = backoff_ms(attempt);
}

/* How long to wait before the next attempt, from the last one's outcome;
 * false when it is not to be retried. */
static bool retry_delay(struct fwc_client *c, enum fwc_err err,
                        const struct fwc_http_response *resp, struct gate *g,
                        unsigned attempt, uint32_t *out_ms)
{
    g->server_wait = false;
    if (err != FWC_OK && g->token_busy != NULL) {
        /* The request itself never left: retrying it is always safe. */
        busy_delay(c, g->token_busy, g, attempt, out_ms);
        return true;
    }
    if (err != FWC_OK) {
        *out_ms = backoff_ms(attempt);
        return g->idempotent && !g->delivered && is_transport_error(err);
    }
    if (!will_retry(g, resp->status))
        return false;
    busy_delay(c, resp, g, attempt, out_ms);
    return true;
}

/* A 429 or 503 that would be retried, whose Retry-After did not fit its
 * slot: honouring the server's wait needs the value whole, and fwc does
 * not guess one. */
static bool retry_after_unreadable(const struct gate *g, const struct fwc_http_response *resp)
{
    return (resp->status == 429 || resp->status == 503) && will_retry(g, resp->status) &&
           (resp->truncated & FWC_HTTP_KEPT_RETRY_AFTER) != 0;
}

/* The final answer's head to the caller. Its body is there already, unless
 * fwc still meant to retry that answer when it came (body_len 0). */
static void hand_over(struct fwc_http_response *to, const struct fwc_http_response *from)
{
    to->status = from->status;
    to->has_content_length = from->has_content_length;
    to->content_length = from->content_length;
    to->chunked = from->chunked;
    to->keep_alive = from->keep_alive;
    memcpy(to->content_type, from->content_type, sizeof(from->content_type));
    memcpy(to->location, from->location, sizeof(from->location));
    memcpy(to->retry_after, from->retry_after, sizeof(from->retry_after));
    memcpy(to->www_authenticate, from->www_authenticate, sizeof(from->www_authenticate));
    to->truncated = from->truncated;
}

/* An answer with an error status is never FWC_OK, however the retries
 * ended: the caller has the status, and the body when fwc delivered it. */
static enum fwc_err verdict(enum fwc_err err, int status)
{
    if (err != FWC_OK)
        return err;
    if (status == 401)
        return FWC_ERR_UNAUTHORIZED;
    if (is_busy(status))
        return FWC_ERR_RATE_LIMITED;
    return status >= 400 ? FWC_ERR_HTTP_STATUS : FWC_OK;
}

static uint32_t retry_budget_ms(const struct fwc_http_request *req)
{
    uint32_t work = fwci_http_deadline_ms(req);
    uint32_t extra = work > CONFIG_FWC_EXCHANGE_TIMEOUT_MS ? work - CONFIG_FWC_EXCHANGE_TIMEOUT_MS : 0;
    return extra < 0x7FFF0000u - CONFIG_FWC_RETRY_MAX_TOTAL_MS ? CONFIG_FWC_RETRY_MAX_TOTAL_MS + extra
                                                              : 0x7FFF0000u;
}

static enum fwc_err request_with_retries(struct fwc_client *c, const struct fwc_http_request *req,
                                       struct fwc_http_response *ref_resp,
                                       struct fwci_failure *why)
{
    struct fwci_request_state *rs = &c->_internal.request;
    uint32_t started, delay = 0;
    /* The budget bounds waiting, not work: a body's own time (its size at
     * CONFIG_FWC_MIN_RATE_BPS, or the caller's deadline) is added to it. */
    uint32_t budget = retry_budget_ms(req);
    struct fwc_http_response *resp = &rs->attempt;
    struct gate g;
    unsigned attempt = 0;
    enum fwc_err err;

    memset(&g, 0, sizeof(g));
    g.caller = ref_resp;
    g.idempotent = fwci_http_idempotent(req) && fwci_http_replayable(req);
    /* Before the budget's clock starts: a fleet's spread is no retry. */
    fwci_token_spread_fetch(c, CONFIG_FWC_TOKEN_FETCH_SPREAD_S);
    started = fwc_port_now_ms();
    rs->retry_after_s = 0;
    rs->sends = 0;
    rs->maybe_received = 0;
    for (;;) {
        uint32_t spent = fwc_port_now_ms() - started;
        g.budget_left = attempt + 1u < CONFIG_FWC_RETRY_MAX_ATTEMPTS && spent < budget;
        err = send_once(c, req, &g, resp, why);
        if (err == FWC_OK && resp->status == 401) {
            if (g.renewed || !fwci_http_replayable(req))
                break;
            /* An expired or revoked token: one fresh token, one repeat. */
            fwci_token_drop_held(c);
            g.renewed = true;
            continue;
        }
        if (err == FWC_OK && retry_after_unreadable(&g, resp)) {
            err = FWC_ERR_HTTP_HEADER_TOO_LARGE;
            break;
        }
        if (!g.budget_left || !retry_delay(c, err, resp, &g, attempt, &delay))
            break;
        spent = fwc_port_now_ms() - started; /* the attempt itself took time */
        if (spent >= budget || delay > budget - spent)
            break; /* the server asks for longer than we have */
        if (g.server_wait) /* spread, within what the budget has left */
            delay = fwci_retry_after_spread_ms(delay, CONFIG_FWC_RETRY_AFTER_JITTER_PCT,
                                               budget - spent - delay);
        FWC_LOG_VALUE(FWC_LOG_INFO, "retrying after", delay, " ms");
        fwc_port_sleep_ms(delay);
        attempt++;
    }
    hand_over(ref_resp, resp);
    ref_resp->sends = rs->sends; /* every attempt's sends, not only the last one's */
    ref_resp->maybe_received = rs->maybe_received;
    return verdict(err, resp->status);
}

enum fwc_err fwci_request_held(struct fwc_client *c, const struct fwc_http_request *req,
                              struct fwc_http_response *ref_resp, struct fwci_failure *why)
{
    enum fwc_err err;

    if (ref_resp != NULL)
        fwci_http_response_reset(ref_resp); /* nothing of an earlier call stays */
    if (req == NULL || ref_resp == NULL || req->method == NULL ||
        req->header_count > FWC_REQUEST_MAX_HEADERS ||
        (req->header_count > 0 && req->headers == NULL) ||
        (ref_resp->sink == NULL && ref_resp->body_cap > 0 && ref_resp->body_buf == NULL))
        return FWC_ERR_INVALID_ARG;
    err = fwci_bufw_target(c->_internal.request.target, sizeof(c->_internal.request.target),
                           fwci_client_prefix(c), req->path);
    if (err == FWC_OK)
        err = request_with_retries(c, req, ref_resp, why);
    /* The attempt's sink context was a frame of request_with_retries: no
     * pointer to it stays in the client. */
    c->_internal.request.attempt.sink = NULL;
    c->_internal.request.attempt.sink_ctx = NULL;
    memset(c->_internal.request.headers, 0, sizeof(c->_internal.request.headers));
    return err;
}

/* The whole exchange, retries and their waits included, under the client's
 * lock: the connection, its I/O buffer, the target and the bearer scratch
 * are the client's, one set for every task that shares it. */
enum fwc_err fwc_request(struct fwc_client *c, const struct fwc_http_request *req,
                         struct fwc_http_response *ref_resp)
{
    enum fwc_err err;

    if (ref_resp != NULL)
        fwci_http_response_reset(ref_resp);
    if (!fwci_client_is_open(c))
        return FWC_ERR_INVALID_ARG;
    fwci_client_lock(c);
    err = fwci_request_held(c, req, ref_resp, fwci_client_failure_begin(c));
    fwci_client_failure_end(c, err);
    fwci_client_unlock(c);
    return err;
}

uint32_t fwc_client_retry_after(const struct fwc_client *c)
{
    uint32_t seconds;

    if (!fwci_client_is_open(c))
        return 0;
    fwci_client_lock(c);
    seconds = c->_internal.request.retry_after_s;
    fwci_client_unlock(c);
    return seconds;
}
