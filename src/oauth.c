/* SPDX-License-Identifier: MIT */
/* Client-credentials tokens and their cache (fwc/oauth.h).
 *
 * The secret's path: fwc_secret_get() copies it into the client's scratch,
 * the form reader below URL-encodes it straight into the HTTP layer's I/O
 * buffer as the request goes out, the HTTP layer wipes that buffer once the
 * request is sent, and this file wipes the scratch (and the Basic header)
 * right after the exchange, on every path. */
#include <string.h>

#include "fwc/oauth.h"
#include "fwc/secret.h"
#include "bufwriter.h"
#include "client_internal.h"
#include "encode.h"
#include "json.h"
#include "log.h"
#include "random.h"
#include "retry_after.h"
#include "token_response.h"
#include "warm_parts.h"
#include "wipe.h"

static const char grant[] = "grant_type=client_credentials";
static const char id_key[] = "&client_id=";
static const char secret_key[] = "&client_secret=";

/* ---- the form body, streamed --------------------------------------------- */

enum form_part { PART_GRANT, PART_ID_KEY, PART_ID, PART_SECRET_KEY, PART_SECRET, PART_END };

struct form_reader {
    const struct fwci_credentials *cred;
    enum form_part last; /* PART_GRANT only, with Basic authentication */
    enum form_part part;
    size_t pos;          /* within the part's source */
    char pending[3];     /* an encoded byte that did not fit last time */
    size_t pending_len, pending_pos;
};

/* The source bytes of a part, and whether they are sent form-encoded. */
static const char *part_source(const struct form_reader *r, size_t *out_len, bool *out_encode)
{
    static const char *const literal[PART_END] = {grant, id_key, "", secret_key, ""};

    *out_encode = r->part == PART_ID || r->part == PART_SECRET;
    if (r->part == PART_ID) {
        *out_len = r->cred->client_id_len;
        return r->cred->client_id;
    }
    if (r->part == PART_SECRET) {
        *out_len = r->cred->secret_len;
        return r->cred->secret;
    }
    *out_len = strlen(literal[r->part]);
    return literal[r->part];
}

static int32_t form_read(void *ctx, uint8_t *buf, size_t len)
{
    struct form_reader *r = ctx;
    size_t n = 0;

    while (n < len) {
        const char *src;
        size_t src_len;
        bool encode;

        if (r->pending_pos < r->pending_len) {
            buf[n++] = (uint8_t)r->pending[r->pending_pos++];
            continue;
        }
        if (r->part > r->last || r->part >= PART_END)
            break;
        src = part_source(r, &src_len, &encode);
        if (r->pos == src_len) {
            r->part = (enum form_part)(r->part + 1);
            r->pos = 0;
            continue;
        }
        if (encode) {
            r->pending_len = fwci_form_encode_byte((uint8_t)src[r->pos++], r->pending);
            r->pending_pos = 0;
        } else {
            buf[n++] = (uint8_t)src[r->pos++];
        }
    }
    return (int32_t)n;
}

static enum fwc_err form_rewind(void *ctx)
{
    struct form_reader *r = ctx;
    r->part = PART_GRANT;
    r->pos = 0;
    r->pending_len = r->pending_pos = 0;
    return FWC_OK;
}

static uint64_t form_length(const struct fwci_credentials *cred, enum form_part last)
{
    uint64_t n = sizeof(grant) - 1;
    if (last == PART_GRANT)
        return n;
    return n + sizeof(id_key) - 1 +
           fwci_form_encoded_len((const uint8_t *)cred->client_id, cred->client_id_len) +
           sizeof(secret_key) - 1 +
           fwci_form_encoded_len((const uint8_t *)cred->secret, cred->secret_len);
}

/* ---- credentials ----------------------------------------------------------- */

static void wipe_credentials(struct fwci_credentials *cred)
{
    fwci_wipe(cred, sizeof(*cred));
}

static enum fwc_err load_item(void *secret_ctx, enum fwc_secret_item item, char *buf,
                              size_t cap, size_t *out_len)
{
    size_t len = 0;
    if (fwc_secret_get(secret_ctx, item, buf, cap, &len) != FWC_OK || len == 0 || len > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    *out_len = len;
    return FWC_OK;
}

static enum fwc_err load_credentials(struct fwci_credentials *cred, void *secret_ctx)
{
    enum fwc_err err = load_item(secret_ctx, FWC_SECRET_CLIENT_ID, cred->client_id,
                                 sizeof(cred->client_id), &cred->client_id_len);
    if (err == FWC_OK)
        err = load_item(secret_ctx, FWC_SECRET_CLIENT_SECRET, cred->secret,
                        sizeof(cred->secret), &cred->secret_len);
    return err;
}

#if CONFIG_FWC_AUTH_BASIC
/* RFC 6749 2.3.1: "Basic " base64(form(id) ":" form(secret)). The pair is
 * assembled at the tail of the same scratch buffer and encoded towards
 * its head, so no second copy of the secret exists. */
static enum fwc_err make_basic_header(struct fwci_credentials *cred)
{
    char *out = cred->basic_auth;
    const size_t cap = sizeof(cred->basic_auth);
    size_t id_len = fwci_form_encoded_len((const uint8_t *)cred->client_id, cred->client_id_len);
    size_t secret_len = fwci_form_encoded_len((const uint8_t *)cred->secret, cred->secret_len);
    size_t pair_len = id_len + 1 + secret_len, b64_len, used;
    char *pair = out + cap - 1 - pair_len; /* beyond what base64 overwrites early */

    if (fwci_form_encode(pair, id_len, (const uint8_t *)cred->client_id, cred->client_id_len,
                         &used) != FWC_OK ||
        fwci_form_encode(pair + id_len + 1, secret_len, (const uint8_t *)cred->secret,
                         cred->secret_len, &used) != FWC_OK)
        return FWC_ERR_SECRET_UNAVAILABLE;
    pair[id_len] = ':';
    /* base64 writes 4 bytes per 3 read, starting 6 bytes in; the writer
     * stays behind the reader as long as the pair sits at the tail. */
    memcpy(out, "Basic ", 6);
    if (fwci_base64_encode(out + 6, cap - 7, (const uint8_t *)pair, pair_len, &b64_len) != FWC_OK)
        return FWC_ERR_SECRET_UNAVAILABLE;
    out[6 + b64_len] = '\0';
    fwci_wipe(out + 7 + b64_len, cap - 7 - b64_len);
    return FWC_OK;
}
#endif

/* ---- the exchange ------------------------------------------------------------ */

static enum fwc_err post_token_request(struct fwc_client *c, struct fwc_http_response *resp,
                                       struct fwci_json_answer *answer)
{
    struct fwci_token_cache *tc = &c->_internal.token;
    struct fwci_credentials *cred = &c->_internal.credentials;
    struct fwc_http_header headers[3] = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Accept", "application/json"},
        {"Authorization", ""}};
    struct form_reader reader;
    struct fwc_http_request req;
    enum fwc_err err;

    memset(&reader, 0, sizeof(reader));
    memset(&req, 0, sizeof(req));
    reader.cred = cred;
    reader.last = PART_SECRET;
    req.header_count = 2;
#if CONFIG_FWC_AUTH_BASIC
    if (tc->auth == FWC_AUTH_BASIC) {
        err = make_basic_header(cred);
        if (err != FWC_OK)
            return err;
        headers[2].value = cred->basic_auth;
        req.header_count = 3;
        reader.last = PART_GRANT;
    }
#endif
    req.method = "POST";
    req.path = tc->target;
    req.headers = headers;
    req.body_reader = form_read;
    req.body_reader_ctx = &reader;
    req.body_rewind = form_rewind;
    req.body_reader_len = form_length(cred, reader.last);
    req.idempotent = true; /* a second token request is harmless */

    memset(resp, 0, sizeof(*resp));
    resp->body_buf = (uint8_t *)answer->text;
    resp->body_cap = sizeof(answer->text);
    err = fwci_http_exchange(fwci_client_conn(c), &req, resp);
    fwci_wipe(&reader, sizeof(reader)); /* its pending bytes were the secret's */
    return err;
}

/* ---- the cache ------------------------------------------------------------------ */

/* Milliseconds since the token was fetched. Unsigned, so it is right
 * across a clock wrap and for any idle time under 2^32 ms (49.7 days). */
static uint32_t token_age(const struct fwci_token_cache *tc, uint32_t now)
{
    return now - tc->fetched_ms;
}

/* No token, or time to renew the one held. */
static bool fetch_due(const struct fwci_token_cache *tc, uint32_t now)
{
    return !tc->have_token || token_age(tc, now) >= tc->renew_after_ms;
}

static uint32_t share_ms(uint32_t life_ms, unsigned pct)
{
    return (uint32_t)(((uint64_t)life_ms * pct) / 100u);
}

/* The earliest renewal point: 10 % of the lifetime (at most ten times the
 * token requests of renewing at expiry), and never the first 30 s unless
 * the lifetime is under a minute (then half of it): a tiny lifetime must
 * not turn the spread into a renewal storm. */
static uint32_t renew_floor_ms(uint32_t life_ms)
{
    uint32_t tenth = life_ms / 10u, least = life_ms / 2u < 30000u ? life_ms / 2u : 30000u;

    return tenth > least ? tenth : least;
}

/* Renew at expiry - max(margin_s, margin pct) - a uniform random spread of
 * 0..max(jitter_s, jitter_pct of the lifetime). The margin never reaches
 * into the first half of the lifetime (a margin larger than a short
 * lifetime would otherwise renew on every call); the spread shrinks to end
 * at the floor rather than piling renewals up there. No entropy just means
 * no spread, never a failed renewal. */
uint32_t fwci_token_renew_after_ms(uint32_t lifetime_s, unsigned jitter_pct)
{
    uint32_t life_ms = lifetime_s * 1000u, floor = renew_floor_ms(life_ms);
    uint32_t margin = (uint32_t)CONFIG_FWC_TOKEN_RENEW_MARGIN_S * 1000u;
    uint32_t early = share_ms(life_ms, CONFIG_FWC_TOKEN_RENEW_MARGIN_PCT);
    uint32_t span = share_ms(life_ms, jitter_pct);

    if (early < margin)
        early = margin;
    if (early > life_ms / 2u)
        early = life_ms / 2u;
    if (span < (uint32_t)CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u)
        span = (uint32_t)CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u;
    if (span > life_ms - early - floor) /* floor <= life/2 <= life - early */
        span = life_ms - early - floor;
    return life_ms - early - fwci_random_below(span + 1u);
}

static uint32_t renew_after_ms(uint32_t lifetime_s)
{
    return fwci_token_renew_after_ms(lifetime_s, CONFIG_FWC_TOKEN_RENEW_JITTER_PCT);
}

static void store_token(struct fwci_token_cache *tc, const struct fwc_token_answer *ans,
                        uint32_t started)
{
    fwci_wipe(tc->token, sizeof(tc->token));
    memcpy(tc->token, ans->token, ans->token_len);
    tc->token[ans->token_len] = '\0';
    tc->token_len = ans->token_len;
    tc->have_token = true;
    tc->lifetime_s = ans->lifetime_s;
    /* Measured from before the request went out: the server's clock
     * started no earlier. */
    tc->fetched_ms = started;
    tc->lifetime_ms = ans->lifetime_s * 1000u;
    tc->renew_after_ms = renew_after_ms(ans->lifetime_s);
    tc->renew_refusals = 0;
}

/* The ID of the request that got an answer: a warm-start export binds the
 * token to it (fwc/warm.h). */
static void keep_client_id(struct fwci_token_cache *tc, const struct fwci_credentials *cred)
{
    memcpy(tc->client_id, cred->client_id, cred->client_id_len);
    tc->client_id_len = cred->client_id_len;
}

/* One token request. What it learnt goes to why (the answer's status, an
 * OAuth code); the caller records it only if its public call fails. */
static enum fwc_err fetch_token(struct fwc_client *c, struct fwci_failure *why)
{
    struct fwci_token_cache *tc = &c->_internal.token;
    struct fwci_json_answer *answer = &c->_internal.answer.token; /* this file's turn */
    uint32_t started = fwc_port_now_ms();
    struct fwc_http_response *resp = &tc->resp;
    struct fwc_token_answer ans;
    enum fwc_err err;

    memset(resp, 0, sizeof(*resp));
    why->oauth_error[0] = '\0';
    err = load_credentials(&c->_internal.credentials, tc->secret_ctx);
    if (err == FWC_OK)
        err = post_token_request(c, resp, answer);
    if (err == FWC_OK)
        keep_client_id(tc, &c->_internal.credentials);
    wipe_credentials(&c->_internal.credentials);
    why->http_status = resp->status; /* also when the body then failed */
    if (err == FWC_OK) {
        memset(&ans, 0, sizeof(ans));
        ans.token_cap = sizeof(tc->token);
        ans.oauth_error = why->oauth_error;
        ans.oauth_error_cap = sizeof(why->oauth_error);
        err = fwci_token_response_read_in_place(resp->status, answer->text,
                                                (size_t)resp->body_len, answer->tokens.bytes,
                                                CONFIG_FWC_JSON_MAX_TOKENS, &ans);
        if (err == FWC_OK)
            store_token(tc, &ans, started);
    } else if (err == FWC_ERR_BODY_TOO_LARGE && resp->status != 0 && resp->status != 200) {
        err = FWC_ERR_HTTP_STATUS; /* a proxy's large error page */
    }
    fwci_wipe(answer, sizeof(*answer)); /* the turn ends */
    return err;
}

static void log_outcome(const struct fwci_token_cache *tc, enum fwc_err err, int status)
{
    (void)tc; /* read only by log calls, which CONFIG_FWC_LOG_LEVEL 0 compiles out */
    if (err == FWC_OK) {
        FWC_LOG_TOKEN(FWC_LOG_INFO, "new access token", tc->token, tc->token_len);
        FWC_LOG_VALUE(FWC_LOG_INFO, "token lifetime", tc->lifetime_s, " s");
    } else {
        FWC_LOG_TEXT(FWC_LOG_WARNING, fwc_strerror(err));
        if (status != 0)
            FWC_LOG_VALUE(FWC_LOG_WARNING, "token endpoint answered HTTP", (uint32_t)status, "");
    }
}

static void drop_token(struct fwci_token_cache *tc)
{
    fwci_wipe(tc->token, sizeof(tc->token));
    tc->token_len = 0;
    tc->have_token = false;
}

static enum fwc_err copy_out(const struct fwci_token_cache *tc, char *out, size_t cap,
                             size_t *out_len)
{
    if (cap <= tc->token_len)
        return FWC_ERR_TOKEN_TOO_LARGE;
    memcpy(out, tc->token, tc->token_len + 1);
    if (out_len != NULL)
        *out_len = tc->token_len;
    return FWC_OK;
}

/* The server's Retry-After on a refused token request (429/503), in ms;
 * 0 when it gave none fwc can read whole. */
static uint32_t refusal_retry_after_ms(const struct fwc_http_response *resp)
{
    int64_t now_unix;
    uint32_t seconds; /* at most a day (retry_after.c) */

    if (!fwc_port_wall_time(&now_unix))
        now_unix = -1;
    return fwci_retry_after_of(resp, now_unix, &seconds) ? seconds * 1000u : 0;
}

/* After a refused renewal of a token that still holds (left_ms to go):
 * when to try again. A uniform random point from the server's Retry-After
 * (else 30 s doubled for each refusal in a row, to 16 min) to half the
 * time left, that span ending at most 16 min out, or a quarter above its
 * start where that is further (a long Retry-After). The devices a busy
 * tenant refused together must not come back together, and coming back
 * rarely while the token holds keeps the refused retries of a storm
 * small (docs/OAUTH.md, "Renewal spread"; make fleet's storm). */
#define RENEW_RETRY_SPAN_MS (16u * 60u * 1000u)
static uint32_t renew_retry_ms(struct fwci_token_cache *tc, uint32_t left_ms)
{
    uint32_t base = 30000u << (tc->renew_refusals < 5u ? tc->renew_refusals : 5u);
    uint32_t server = refusal_retry_after_ms(&tc->resp);
    uint32_t cap = left_ms / 2u, lo, hi;

    if (tc->renew_refusals < UINT8_MAX)
        tc->renew_refusals++;
    if (server > base)
        base = server;
    lo = base < cap ? base : cap;
    hi = cap < RENEW_RETRY_SPAN_MS ? cap : RENEW_RETRY_SPAN_MS;
    if (hi < lo + lo / 4u) /* a Retry-After past 16 min still gets a spread */
        hi = lo + lo / 4u < cap ? lo + lo / 4u : cap;
    return lo + fwci_random_below(hi - lo + 1u);
}

/* Called with the lock held (when there is one): one renewal at a time,
 * and no exchange on the shared connection while it runs. */
enum fwc_err fwci_token_held(struct fwc_client *c, char *out, size_t cap, size_t *out_len,
                            struct fwci_failure *why)
{
    struct fwci_token_cache *tc = &c->_internal.token;
    uint32_t now = fwc_port_now_ms();
    enum fwc_err err;

    if (!fetch_due(tc, now))
        return copy_out(tc, out, cap, out_len);
    err = fetch_token(c, why);
    tc->renew_error = err;
    log_outcome(tc, err, why->http_status);
    if (err == FWC_OK)
        return copy_out(tc, out, cap, out_len);
    now = fwc_port_now_ms();
    if (tc->have_token && token_age(tc, now) < tc->lifetime_ms) {
        /* Keep serving the still-valid token; try again later. */
        tc->renew_after_ms = token_age(tc, now) +
                             renew_retry_ms(tc, tc->lifetime_ms - token_age(tc, now));
        return copy_out(tc, out, cap, out_len);
    }
    drop_token(tc);
    return err;
}

void fwci_token_spread_fetch(struct fwc_client *c, uint32_t spread_s)
{
    const struct fwci_token_cache *tc = &c->_internal.token;
    uint32_t now = fwc_port_now_ms(), span = spread_s * 1000u;

    if (span == 0 || !fetch_due(tc, now))
        return;
    /* A renewal's wait never takes more than half the time the held token
     * has left: the call must still find it valid if the renewal fails. */
    if (tc->have_token && token_age(tc, now) < tc->lifetime_ms &&
        span > (tc->lifetime_ms - token_age(tc, now)) / 2u)
        span = (tc->lifetime_ms - token_age(tc, now)) / 2u;
    fwc_port_sleep_ms(fwci_random_below(span + 1u));
}

enum fwc_err fwc_token(struct fwc_client *c, char *out, size_t cap, size_t *out_len)
{
    enum fwc_err err;

    if (c == NULL || out == NULL || cap == 0)
        return FWC_ERR_INVALID_ARG;
    out[0] = '\0';
    if (!fwci_client_is_open(c))
        return FWC_ERR_INVALID_ARG;
    fwci_client_lock(c);
    fwci_token_spread_fetch(c, CONFIG_FWC_TOKEN_FETCH_SPREAD_S);
    err = fwci_token_held(c, out, cap, out_len, fwci_client_failure_begin(c));
    fwci_client_failure_end(c, err);
    fwci_client_unlock(c);
    return err;
}

void fwci_token_drop_held(struct fwc_client *c)
{
    drop_token(&c->_internal.token);
}

void fwc_token_invalidate(struct fwc_client *c)
{
    if (!fwci_client_is_open(c))
        return;
    fwci_client_lock(c);
    drop_token(&c->_internal.token);
    fwci_client_unlock(c);
}

uint32_t fwc_token_seconds_left(const struct fwc_client *c)
{
    const struct fwci_token_cache *tc;
    uint32_t left = 0, age;

    if (!fwci_client_is_open(c))
        return 0;
    tc = &c->_internal.token;
    fwci_client_lock(c);
    age = token_age(tc, fwc_port_now_ms());
    if (tc->have_token && age < tc->lifetime_ms)
        left = (tc->lifetime_ms - age) / 1000u;
    fwci_client_unlock(c);
    return left;
}

enum fwc_err fwc_token_renew_error(const struct fwc_client *c)
{
    enum fwc_err err;
    if (!fwci_client_is_open(c))
        return FWC_ERR_INVALID_ARG;
    fwci_client_lock(c);
    err = c->_internal.token.renew_error;
    fwci_client_unlock(c);
    return err;
}

enum fwc_err fwci_token_cache_init(struct fwc_client *c, const char *prefix,
                                   const struct fwc_client_config *cfg)
{
    struct fwci_token_cache *tc = &c->_internal.token;
    const char *path = cfg->token_path != NULL ? cfg->token_path : CONFIG_FWC_TOKEN_PATH;
    enum fwc_err err = fwci_bufw_target(tc->target, sizeof(tc->target), prefix, path);

    if (err != FWC_OK)
        return err;
    tc->auth = cfg->auth == FWC_AUTH_DEFAULT ? FWC_AUTH_POST : cfg->auth;
    tc->secret_ctx = cfg->secret_ctx;
    return FWC_OK;
}

/* ---- warm starts (src/warm.c) ------------------------------------------------ */

bool fwci_token_warm_get(const struct fwc_client *c, int64_t now, struct fwci_warm_token *out)
{
    const struct fwci_token_cache *tc = &c->_internal.token;
    uint32_t age = token_age(tc, fwc_port_now_ms());

    if (!tc->have_token || age >= tc->lifetime_ms || tc->client_id_len == 0)
        return false;
    /* Whole seconds left, rounded down: the import never counts on more. */
    if ((tc->lifetime_ms - age) / 1000u == 0)
        return false;
    out->token = tc->token;
    out->token_len = tc->token_len;
    out->exported_at = now;
    out->expires_at = now + (int64_t)((tc->lifetime_ms - age) / 1000u);
    out->lifetime_s = tc->lifetime_s;
    return true;
}

/* Seconds the token still has as of now; 0 when none (or the clock is not
 * to be trusted: earlier than at the export). One second less than the
 * wall clock says: neither reading counted its fraction of a second. */
static int64_t warm_seconds_left(const struct fwci_warm_token *t, int64_t now)
{
    int64_t left = t->expires_at - now - 1;

    if (now < t->exported_at || left <= 0)
        return 0;
    return left < (int64_t)t->lifetime_s ? left : (int64_t)t->lifetime_s;
}

/* An imported token past its renewal point (renew_at, ms of its age):
 * renew it at a uniform random point of the first half of the time it has
 * left instead of at once. A fleet that boots together with tokens
 * fetched over the past hour has a share of them overdue (a third with
 * the defaults), and renewing those on the first call sent them all in
 * the boot second (make fleet, docs/FLEET.md "Warm"). The token still
 * holds for as long again when that point comes. */
static uint32_t overdue_spread_ms(uint32_t life_ms, uint32_t age, uint32_t renew_at)
{
    if (renew_at > age)
        return renew_at;
    return age + fwci_random_below((life_ms - age) / 2u + 1u); /* age < life_ms */
}

bool fwci_token_warm_put(struct fwc_client *c, int64_t now, const struct fwci_warm_token *t,
                         const uint8_t *id, size_t id_len)
{
    struct fwci_token_cache *tc = &c->_internal.token;
    int64_t left = warm_seconds_left(t, now);
    uint32_t age;

    if (left == 0)
        return false;
    /* As if fetched at expiry - lifetime: renewal then follows the margins
     * exactly as for a token fetched in this run. expires_at - exported_at
     * <= lifetime_s (warm.c checks), so the age is never negative. */
    fwci_wipe(tc->token, sizeof(tc->token));
    memcpy(tc->token, t->token, t->token_len);
    tc->token[t->token_len] = '\0';
    tc->token_len = t->token_len;
    tc->have_token = true;
    tc->lifetime_s = t->lifetime_s;
    tc->lifetime_ms = t->lifetime_s * 1000u;
    age = (t->lifetime_s - (uint32_t)left) * 1000u;
    tc->fetched_ms = fwc_port_now_ms() - age;
    tc->renew_after_ms = overdue_spread_ms(tc->lifetime_ms, age, renew_after_ms(t->lifetime_s));
    tc->renew_error = FWC_OK;
    tc->renew_refusals = 0;
    memcpy(tc->client_id, id, id_len);
    tc->client_id_len = id_len;
    FWC_LOG_VALUE(FWC_LOG_INFO, "warm start: token taken, lifetime left", (uint32_t)left, " s");
    return true;
}

/* The secret hook's client ID, into the credentials scratch (wiped by the
 * caller as soon as it has looked). */
static enum fwc_err hook_client_id(struct fwc_client *c)
{
    struct fwci_credentials *cred = &c->_internal.credentials;

    return load_item(c->_internal.token.secret_ctx, FWC_SECRET_CLIENT_ID, cred->client_id,
                     sizeof(cred->client_id), &cred->client_id_len);
}

enum fwc_err fwci_token_client_id(struct fwc_client *c, uint8_t *out, size_t cap, size_t *len)
{
    const struct fwci_token_cache *tc = &c->_internal.token;
    const struct fwci_credentials *cred = &c->_internal.credentials;
    enum fwc_err err = FWC_OK;

    *len = 0;
    if (tc->have_token && tc->client_id_len != 0) {
        if (tc->client_id_len > cap)
            return FWC_ERR_BODY_TOO_LARGE;
        memcpy(out, tc->client_id, tc->client_id_len);
        *len = tc->client_id_len;
        return FWC_OK;
    }
    err = hook_client_id(c);
    if (err == FWC_OK && cred->client_id_len > cap)
        err = FWC_ERR_BODY_TOO_LARGE;
    if (err == FWC_OK) {
        memcpy(out, cred->client_id, cred->client_id_len);
        *len = cred->client_id_len;
    }
    wipe_credentials(&c->_internal.credentials);
    return err;
}

enum fwc_err fwci_token_client_id_is(struct fwc_client *c, const uint8_t *id, size_t len,
                                     bool *same)
{
    const struct fwci_credentials *cred = &c->_internal.credentials;
    enum fwc_err err = hook_client_id(c);

    *same = err == FWC_OK && cred->client_id_len == len &&
            memcmp(cred->client_id, id, len) == 0;
    wipe_credentials(&c->_internal.credentials);
    return err;
}
