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
#include "client_lock.h"
#include "encode.h"
#include "json.h"
#include "log.h"
#include "token_response.h"
#include "wipe.h"

#define I (c->_internal)

static const char grant[] = "grant_type=client_credentials";
static const char id_key[] = "&client_id=";
static const char secret_key[] = "&client_secret=";

/* ---- the form body, streamed --------------------------------------------- */

enum form_part { PART_GRANT, PART_ID_KEY, PART_ID, PART_SECRET_KEY, PART_SECRET, PART_END };

struct form_reader {
    const struct fwc_client *c;
    enum form_part last; /* PART_GRANT only, with Basic authentication */
    enum form_part part;
    size_t pos;          /* within the part's source */
    char pending[3];     /* an encoded byte that did not fit last time */
    size_t pending_len, pending_pos;
};

/* The source bytes of a part, and whether they are sent form-encoded. */
static const char *part_source(const struct form_reader *r, size_t *out_len, bool *out_encode)
{
    const struct fwc_client *c = r->c;
    static const char *const literal[PART_END] = {grant, id_key, "", secret_key, ""};

    *out_encode = r->part == PART_ID || r->part == PART_SECRET;
    if (r->part == PART_ID) {
        *out_len = I.client_id_len;
        return I.client_id;
    }
    if (r->part == PART_SECRET) {
        *out_len = I.secret_len;
        return I.secret;
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

static uint64_t form_length(const struct fwc_client *c, enum form_part last)
{
    uint64_t n = sizeof(grant) - 1;
    if (last == PART_GRANT)
        return n;
    return n + sizeof(id_key) - 1 +
           fwci_form_encoded_len((const uint8_t *)I.client_id, I.client_id_len) +
           sizeof(secret_key) - 1 +
           fwci_form_encoded_len((const uint8_t *)I.secret, I.secret_len);
}

/* ---- credentials ----------------------------------------------------------- */

static void wipe_credentials(struct fwc_client *c)
{
    fwci_wipe(I.client_id, sizeof(I.client_id));
    fwci_wipe(I.secret, sizeof(I.secret));
    I.client_id_len = I.secret_len = 0;
#if CONFIG_FWC_AUTH_BASIC
    fwci_wipe(I.basic_auth, sizeof(I.basic_auth));
#endif
}

static enum fwc_err load_item(struct fwc_client *c, enum fwc_secret_item item, char *buf,
                              size_t cap, size_t *out_len)
{
    size_t len = 0;
    if (fwc_secret_get(I.secret_ctx, item, buf, cap, &len) != FWC_OK || len == 0 || len > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    *out_len = len;
    return FWC_OK;
}

static enum fwc_err load_credentials(struct fwc_client *c)
{
    enum fwc_err err = load_item(c, FWC_SECRET_CLIENT_ID, I.client_id, sizeof(I.client_id),
                                 &I.client_id_len);
    if (err == FWC_OK)
        err = load_item(c, FWC_SECRET_CLIENT_SECRET, I.secret, sizeof(I.secret), &I.secret_len);
    return err;
}

#if CONFIG_FWC_AUTH_BASIC
/* RFC 6749 2.3.1: "Basic " base64(form(id) ":" form(secret)). The pair is
 * assembled at the tail of the same scratch buffer and encoded towards
 * its head, so no second copy of the secret exists. */
static enum fwc_err make_basic_header(struct fwc_client *c)
{
    char *out = I.basic_auth;
    const size_t cap = sizeof(I.basic_auth);
    size_t id_len = fwci_form_encoded_len((const uint8_t *)I.client_id, I.client_id_len);
    size_t secret_len = fwci_form_encoded_len((const uint8_t *)I.secret, I.secret_len);
    size_t pair_len = id_len + 1 + secret_len, b64_len, used;
    char *pair = out + cap - 1 - pair_len; /* beyond what base64 overwrites early */

    if (fwci_form_encode(pair, id_len, (const uint8_t *)I.client_id, I.client_id_len, &used) !=
            FWC_OK ||
        fwci_form_encode(pair + id_len + 1, secret_len, (const uint8_t *)I.secret, I.secret_len,
                        &used) != FWC_OK)
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

static enum fwc_err post_token_request(struct fwc_client *c, struct fwc_http_response *resp)
{
    struct fwc_http_header headers[3] = {
        {"Content-Type", "application/x-www-form-urlencoded"},
        {"Accept", "application/json"},
        {"Authorization", ""}};
    struct form_reader reader;
    struct fwc_http_request req;
    enum fwc_err err;

    memset(&reader, 0, sizeof(reader));
    memset(&req, 0, sizeof(req));
    reader.c = c;
    reader.last = PART_SECRET;
    req.header_count = 2;
#if CONFIG_FWC_AUTH_BASIC
    if (I.auth == FWC_AUTH_BASIC) {
        err = make_basic_header(c);
        if (err != FWC_OK)
            return err;
        headers[2].value = I.basic_auth;
        req.header_count = 3;
        reader.last = PART_GRANT;
    }
#endif
    req.method = "POST";
    req.path = I.token_target;
    req.headers = headers;
    req.body_reader = form_read;
    req.body_reader_ctx = &reader;
    req.body_rewind = form_rewind;
    req.body_reader_len = form_length(c, reader.last);
    req.idempotent = true; /* a second token request is harmless */

    memset(resp, 0, sizeof(*resp));
    resp->body_buf = (uint8_t *)I.response;
    resp->body_cap = sizeof(I.response);
    err = fwci_http_exchange(&I.conn, &req, resp);
    fwci_wipe(&reader, sizeof(reader)); /* its pending bytes were the secret's */
    return err;
}

/* ---- the cache ------------------------------------------------------------------ */

/* Milliseconds since the token was fetched. Unsigned, so it is right
 * across a clock wrap and for any idle time under 2^32 ms (49.7 days). */
static uint32_t token_age(const struct fwc_client *c, uint32_t now)
{
    return now - I.fetched_ms;
}

static uint32_t jitter_ms(void)
{
#if CONFIG_FWC_TOKEN_RENEW_JITTER_S > 0
    const uint32_t span = (uint32_t)CONFIG_FWC_TOKEN_RENEW_JITTER_S * 1000u;
    uint8_t r[2] = {0, 0};
    /* No entropy just means no jitter, never a failed renewal. */
    if (fwc_port_entropy(r, sizeof(r)) != FWC_OK)
        return 0;
    return (uint32_t)(((uint64_t)((uint32_t)r[0] << 8 | r[1]) * (span + 1u)) >> 16);
#else
    return 0;
#endif
}

/* Renew at expiry - max(margin_s, pct of lifetime) - jitter, but never in
 * the first half of the lifetime: a margin larger than a short lifetime
 * would otherwise renew on every call. */
static uint32_t renew_after_ms(uint32_t lifetime_s, uint32_t jitter)
{
    uint32_t life_ms = lifetime_s * 1000u;
    uint32_t margin = (uint32_t)CONFIG_FWC_TOKEN_RENEW_MARGIN_S * 1000u;
    uint32_t pct = (uint32_t)(((uint64_t)life_ms * CONFIG_FWC_TOKEN_RENEW_MARGIN_PCT) / 100u);
    uint32_t early = (margin > pct ? margin : pct) + jitter;

    if (early > life_ms / 2)
        early = life_ms / 2;
    return life_ms - early;
}

static void store_token(struct fwc_client *c, const struct fwc_token_answer *ans,
                        uint32_t started)
{
    fwci_wipe(I.token, sizeof(I.token));
    memcpy(I.token, ans->token, ans->token_len);
    I.token[ans->token_len] = '\0';
    I.token_len = ans->token_len;
    I.have_token = true;
    I.lifetime_s = ans->lifetime_s;
    /* Measured from before the request went out: the server's clock
     * started no earlier. */
    I.fetched_ms = started;
    I.lifetime_ms = ans->lifetime_s * 1000u;
    I.renew_after_ms = renew_after_ms(ans->lifetime_s, jitter_ms());
}

/* One token request. What it learnt goes to why (the answer's status, an
 * OAuth code); the caller records it only if its public call fails. */
static enum fwc_err fetch_token(struct fwc_client *c, struct fwc_failure *why)
{
    uint32_t started = fwc_port_now_ms();
    struct fwc_http_response *resp = &I.token_resp;
    struct fwc_token_answer ans;
    enum fwc_err err;

    memset(resp, 0, sizeof(*resp));
    why->oauth_error[0] = '\0';
    err = load_credentials(c);
    if (err == FWC_OK)
        err = post_token_request(c, resp);
    wipe_credentials(c);
    why->http_status = resp->status; /* also when the body then failed */
    if (err == FWC_OK) {
        memset(&ans, 0, sizeof(ans));
        ans.token_cap = sizeof(I.token);
        ans.oauth_error = why->oauth_error;
        ans.oauth_error_cap = sizeof(why->oauth_error);
        err = fwci_token_response_read_in_place(resp->status, I.response, (size_t)resp->body_len,
                                               I.json.bytes, CONFIG_FWC_JSON_MAX_TOKENS, &ans);
        if (err == FWC_OK)
            store_token(c, &ans, started);
    } else if (err == FWC_ERR_BODY_TOO_LARGE && resp->status != 0 && resp->status != 200) {
        err = FWC_ERR_HTTP_STATUS; /* a proxy's large error page */
    }
    fwci_wipe(I.response, sizeof(I.response));
    fwci_wipe(I.json.bytes, sizeof(I.json.bytes));
    return err;
}

static void log_outcome(const struct fwc_client *c, enum fwc_err err, int status)
{
    (void)c; /* read only by log calls, which CONFIG_FWC_LOG_LEVEL 0 compiles out */
    if (err == FWC_OK) {
        FWC_LOG_TOKEN(FWC_LOG_INFO, "new access token", I.token, I.token_len);
        FWC_LOG_VALUE(FWC_LOG_INFO, "token lifetime", I.lifetime_s, " s");
    } else {
        FWC_LOG_TEXT(FWC_LOG_WARNING, fwc_strerror(err));
        if (status != 0)
            FWC_LOG_VALUE(FWC_LOG_WARNING, "token endpoint answered HTTP", (uint32_t)status, "");
    }
}

static void drop_token(struct fwc_client *c)
{
    fwci_wipe(I.token, sizeof(I.token));
    I.token_len = 0;
    I.have_token = false;
}

static enum fwc_err copy_out(const struct fwc_client *c, char *out, size_t cap,
                             size_t *out_len)
{
    if (cap <= I.token_len)
        return FWC_ERR_TOKEN_TOO_LARGE;
    memcpy(out, I.token, I.token_len + 1);
    if (out_len != NULL)
        *out_len = I.token_len;
    return FWC_OK;
}

/* Called with the lock held (when there is one): one renewal at a time,
 * and no exchange on the shared connection while it runs. */
enum fwc_err fwci_token_held(struct fwc_client *c, char *out, size_t cap, size_t *out_len,
                            struct fwc_failure *why)
{
    uint32_t now = fwc_port_now_ms();
    enum fwc_err err;

    if (I.have_token && token_age(c, now) < I.renew_after_ms)
        return copy_out(c, out, cap, out_len);
    err = fetch_token(c, why);
    I.renew_error = err;
    log_outcome(c, err, why->http_status);
    if (err == FWC_OK)
        return copy_out(c, out, cap, out_len);
    now = fwc_port_now_ms();
    if (I.have_token && token_age(c, now) < I.lifetime_ms) {
        /* Keep serving the still-valid token; try again a little later. */
        uint32_t wait = (I.lifetime_ms - token_age(c, now)) / 2u;
        I.renew_after_ms = token_age(c, now) + (wait < 30000u ? wait : 30000u);
        return copy_out(c, out, cap, out_len);
    }
    drop_token(c);
    return err;
}

enum fwc_err fwc_token(struct fwc_client *c, char *out, size_t cap, size_t *out_len)
{
    enum fwc_err err;

    if (c == NULL || out == NULL || cap == 0)
        return FWC_ERR_INVALID_ARG;
    out[0] = '\0';
    if (I.transport == NULL)
        return FWC_ERR_INVALID_ARG; /* not initialised, or closed */
    fwci_client_lock(c);
    err = fwci_token_held(c, out, cap, out_len, fwci_client_failure_begin(c));
    fwci_client_failure_end(c, err);
    fwci_client_unlock(c);
    return err;
}

void fwci_token_drop_held(struct fwc_client *c)
{
    drop_token(c);
}

void fwc_token_invalidate(struct fwc_client *c)
{
    if (c == NULL || I.transport == NULL)
        return;
    fwci_client_lock(c);
    drop_token(c);
    fwci_client_unlock(c);
}

uint32_t fwc_token_seconds_left(const struct fwc_client *c)
{
    uint32_t left = 0, age;
    if (c == NULL || I.transport == NULL)
        return 0;
    fwci_client_lock(c);
    age = token_age(c, fwc_port_now_ms());
    if (I.have_token && age < I.lifetime_ms)
        left = (I.lifetime_ms - age) / 1000u;
    fwci_client_unlock(c);
    return left;
}

enum fwc_err fwc_token_renew_error(const struct fwc_client *c)
{
    enum fwc_err err;
    if (c == NULL || I.transport == NULL)
        return FWC_ERR_INVALID_ARG;
    fwci_client_lock(c);
    err = I.renew_error;
    fwci_client_unlock(c);
    return err;
}
