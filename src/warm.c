/* SPDX-License-Identifier: MIT */
/* Warm starts (fwc/warm.h): the export's format, composed here from what
 * each layer gives (src/warm_parts.h); the token and the session stay
 * oauth.c's and tls_mbedtls.c's.
 *
 * Format, version 1, every number big-endian:
 *   "FWCW" version(1)
 *   u16 length, base URL as bound ("https://host:443/prefix")
 *   u16 length, client ID (1..CONFIG_FWC_CLIENT_ID_MAX)
 *   u16 length, token (0: none); with a token:
 *       i64 exported_at, i64 expires_at (wall-clock seconds), u32 lifetime_s
 *   u16 length, TLS session as mbedtls_ssl_session_save() wrote it (0: none)
 *   u32 CRC-32 of all the above
 * The client ID is stored, not a hash of it: it is no secret (it is sent
 * as a form field in every token request), an equality check needs no
 * hash function in a build without mbedTLS, and a support engineer can
 * read whose export it is. The CRC is no protection against an attacker
 * (who can write the export can write the secret store beside it); it
 * turns flash corruption into FWC_ERR_WARM_FORMAT instead of a token
 * that would be sent and refused. */
#include <string.h>

#include "fwc/warm.h"
#include "client_internal.h"
#include "log.h"
#include "warm_parts.h"
#include "wipe.h"

static const uint8_t magic[4] = {'F', 'W', 'C', 'W'};
#define WARM_VERSION 1u
#define TOKEN_TIMES_LEN 20u /* exported_at, expires_at, lifetime_s */

/* CRC-32 (IEEE 802.3, as zlib's), bit by bit: a few hundred bytes once
 * per boot need no table. */
static uint32_t crc32(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xFFFFFFFFu;
    size_t i;
    int bit;

    for (i = 0; i < len; i++) {
        crc ^= p[i];
        for (bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

/* ---- writing: a cursor that refuses what does not fit ------------------- */

struct wcur {
    uint8_t *buf;
    size_t cap, len;
    bool full;
};

/* Room for n more bytes, or NULL (and the cursor full for good). */
static uint8_t *w_take(struct wcur *w, size_t n)
{
    uint8_t *p;
    if (w->full || n > w->cap - w->len) {
        w->full = true;
        return NULL;
    }
    p = w->buf + w->len;
    w->len += n;
    return p;
}

static void w_uint(struct wcur *w, uint64_t v, unsigned bytes)
{
    uint8_t *p = w_take(w, bytes);
    unsigned i;
    for (i = 0; p != NULL && i < bytes; i++)
        p[i] = (uint8_t)(v >> (8u * (bytes - 1u - i)));
}

static void w_field(struct wcur *w, const void *data, size_t len)
{
    uint8_t *p;
    w_uint(w, len, 2);
    p = w_take(w, len);
    if (p != NULL && len != 0)
        memcpy(p, data, len);
}

/* The room left, with the trailing CRC's kept back. */
static size_t w_room(const struct wcur *w)
{
    return w->full || w->cap - w->len < 4 ? 0 : w->cap - w->len - 4;
}

/* ---- reading: a cursor that never reads past the end --------------------- */

struct rcur {
    const uint8_t *buf;
    size_t len, pos;
    bool bad;
};

static const uint8_t *r_take(struct rcur *r, size_t n)
{
    const uint8_t *p;
    if (r->bad || n > r->len - r->pos) {
        r->bad = true;
        return NULL;
    }
    p = r->buf + r->pos;
    r->pos += n;
    return p;
}

static uint64_t r_uint(struct rcur *r, unsigned bytes)
{
    const uint8_t *p = r_take(r, bytes);
    uint64_t v = 0;
    unsigned i;
    for (i = 0; p != NULL && i < bytes; i++)
        v = (v << 8) | p[i];
    return v;
}

/* A length-prefixed field of at most max bytes. */
static const uint8_t *r_field(struct rcur *r, size_t max, size_t *len)
{
    *len = (size_t)r_uint(r, 2);
    if (*len > max)
        r->bad = true;
    return r_take(r, *len);
}

/* ---- the export ------------------------------------------------------------ */

static void set_len(uint8_t *at, size_t n)
{
    at[0] = (uint8_t)(n >> 8);
    at[1] = (uint8_t)n;
}

static void put_token(struct wcur *w, const struct fwci_warm_token *t, bool have)
{
    if (!have) {
        w_uint(w, 0, 2);
        return;
    }
    w_field(w, t->token, t->token_len);
    w_uint(w, (uint64_t)t->exported_at, 8);
    w_uint(w, (uint64_t)t->expires_at, 8);
    w_uint(w, t->lifetime_s, 4);
}

/* The session behind its length. One larger than CONFIG_FWC_WARM_SESSION_MAX
 * is left out (FWC_WARM_MAX promises to hold any export); one that would
 * fit that but not out is the caller's too-small buffer. */
static enum fwc_err put_session(struct fwc_client *c, struct wcur *w)
{
    uint8_t *len_at = w_take(w, 2);
    size_t room = w_room(w), n = 0;
    enum fwc_err err;

    if (len_at == NULL)
        return FWC_ERR_BODY_TOO_LARGE;
    if (room > CONFIG_FWC_WARM_SESSION_MAX)
        room = CONFIG_FWC_WARM_SESSION_MAX;
    err = fwci_client_session_export(c, w->buf + w->len, room, &n);
    if (err == FWC_ERR_BODY_TOO_LARGE && n <= CONFIG_FWC_WARM_SESSION_MAX)
        return err;
    if (err != FWC_OK) { /* too large for the option: out is wiped there already */
        FWC_LOG_VALUE(FWC_LOG_WARNING, "warm start: TLS session left out, bytes", (uint32_t)n,
                      " > CONFIG_FWC_WARM_SESSION_MAX");
        n = 0;
    }
    set_len(len_at, n);
    w->len += n;
    return FWC_OK;
}

/* The base URL and the client ID, each written in place behind the length
 * it is then given. */
static enum fwc_err put_binding(struct fwc_client *c, struct wcur *w)
{
    uint8_t *len_at = w_take(w, 2);
    size_t n = len_at == NULL ? 0 : fwci_client_url_key(c, w->buf + w->len, w_room(w));
    enum fwc_err err;

    if (n == 0)
        return FWC_ERR_BODY_TOO_LARGE;
    set_len(len_at, n);
    w->len += n;
    len_at = w_take(w, 2);
    if (len_at == NULL)
        return FWC_ERR_BODY_TOO_LARGE;
    err = fwci_token_client_id(c, w->buf + w->len, w_room(w), &n);
    if (err != FWC_OK)
        return err;
    set_len(len_at, n);
    w->len += n;
    return FWC_OK;
}

static enum fwc_err compose(struct fwc_client *c, struct wcur *w)
{
    struct fwci_warm_token t;
    bool have_token = false;
    int64_t now = 0;
    uint8_t *head = w_take(w, sizeof(magic) + 1);
    enum fwc_err err;

    if (head == NULL)
        return FWC_ERR_BODY_TOO_LARGE;
    memcpy(head, magic, sizeof(magic));
    head[sizeof(magic)] = WARM_VERSION;
    err = put_binding(c, w);
    if (err != FWC_OK)
        return err;
    /* No wall clock, no token: its expiry could not be told after a reboot. */
    memset(&t, 0, sizeof(t));
    if (fwc_port_wall_time(&now))
        have_token = fwci_token_warm_get(c, now, &t);
    put_token(w, &t, have_token);
    err = w->full ? FWC_ERR_BODY_TOO_LARGE : put_session(c, w);
    if (err != FWC_OK)
        return err;
    w_uint(w, crc32(w->buf, w->len), 4);
    return w->full ? FWC_ERR_BODY_TOO_LARGE : FWC_OK;
}

enum fwc_err fwc_warm_export(struct fwc_client *c, uint8_t *out, size_t cap, size_t *out_len)
{
    struct wcur w;
    enum fwc_err err;

    if (out_len != NULL)
        *out_len = 0;
    if (out == NULL || out_len == NULL || !fwci_client_is_open(c)) {
        fwci_wipe(out, cap);
        return FWC_ERR_INVALID_ARG;
    }
    memset(&w, 0, sizeof(w));
    w.buf = out;
    w.cap = cap;
    fwci_client_lock(c);
    err = compose(c, &w);
    fwci_client_unlock(c);
    if (err != FWC_OK) {
        fwci_wipe(out, cap);
        return err;
    }
    *out_len = w.len;
    return FWC_OK;
}

/* ---- the import ------------------------------------------------------------ */

/* An export taken apart; the pointers are into the caller's buffer. */
struct warm_view {
    const uint8_t *url, *id, *session;
    size_t url_len, id_len, session_len;
    bool have_token;
    struct fwci_warm_token token;
};

/* What may follow "Bearer ": visible ASCII (what fwc accepted when it
 * fetched the token is a subset), so a corrupted export cannot put a line
 * break into a request head. */
static bool token_text(const uint8_t *p, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) {
        if (p[i] < 0x21 || p[i] > 0x7e)
            return false;
    }
    return len != 0;
}

/* The token's times as an export writes them: an expiry within the
 * lifetime from the export on. */
static bool token_times(const struct fwci_warm_token *t)
{
    return t->lifetime_s >= 1 && t->lifetime_s <= CONFIG_FWC_TOKEN_MAX_LIFETIME_S &&
           t->expires_at > t->exported_at &&
           t->expires_at - t->exported_at <= (int64_t)t->lifetime_s;
}

static void read_token(struct rcur *r, struct warm_view *v)
{
    const uint8_t *tok = r_field(r, CONFIG_FWC_TOKEN_MAX, &v->token.token_len);

    v->have_token = v->token.token_len != 0;
    if (!v->have_token || r->bad)
        return;
    v->token.token = (const char *)tok;
    v->token.exported_at = (int64_t)r_uint(r, 8);
    v->token.expires_at = (int64_t)r_uint(r, 8);
    v->token.lifetime_s = (uint32_t)r_uint(r, 4);
    if (!token_text(tok, v->token.token_len) || !token_times(&v->token))
        r->bad = true;
}

/* The whole export checked before anything is taken: magic, version, every
 * length within its bound and the buffer, nothing left over, the CRC. */
static bool parse(const uint8_t *in, size_t len, struct warm_view *v)
{
    struct rcur r;
    const uint8_t *head;

    memset(&r, 0, sizeof(r));
    memset(v, 0, sizeof(*v));
    if (len < sizeof(magic) + 1 + 4 ||
        crc32(in, len - 4) != (uint32_t)((uint32_t)in[len - 4] << 24 |
                                         (uint32_t)in[len - 3] << 16 |
                                         (uint32_t)in[len - 2] << 8 | in[len - 1]))
        return false;
    r.buf = in;
    r.len = len - 4;
    head = r_take(&r, sizeof(magic) + 1);
    if (head == NULL || memcmp(head, magic, sizeof(magic)) != 0 ||
        head[sizeof(magic)] != WARM_VERSION)
        return false;
    v->url = r_field(&r, FWC_WARM_URL_KEY_MAX, &v->url_len);
    v->id = r_field(&r, CONFIG_FWC_CLIENT_ID_MAX, &v->id_len);
    if (v->id_len == 0)
        r.bad = true;
    read_token(&r, v);
    v->session = r_field(&r, 65535, &v->session_len);
    return !r.bad && r.pos == r.len;
}

/* Take what still applies of a well-formed export. */
static enum fwc_err take(struct fwc_client *c, const struct warm_view *v, unsigned *used)
{
    bool same = false;
    int64_t now = 0;
    enum fwc_err err;

    if (!fwci_client_url_key_is(c, v->url, v->url_len)) {
        FWC_LOG_TEXT(FWC_LOG_INFO, "warm start: export for another base URL, not taken");
        return FWC_OK;
    }
    err = fwci_token_client_id_is(c, v->id, v->id_len, &same);
    if (err != FWC_OK || !same) {
        if (err == FWC_OK)
            FWC_LOG_TEXT(FWC_LOG_INFO, "warm start: export for another client ID, not taken");
        return err;
    }
    if (v->have_token && fwc_port_wall_time(&now) &&
        fwci_token_warm_put(c, now, &v->token, v->id, v->id_len))
        *used |= FWC_WARM_USED_TOKEN;
    if (v->session_len != 0 && fwci_client_session_import(c, v->session, v->session_len))
        *used |= FWC_WARM_USED_SESSION;
    return FWC_OK;
}

enum fwc_err fwc_warm_import(struct fwc_client *c, const uint8_t *in, size_t len, unsigned *used)
{
    struct warm_view v;
    unsigned taken = 0;
    enum fwc_err err;

    if (used != NULL)
        *used = 0;
    if (in == NULL || !fwci_client_is_open(c))
        return FWC_ERR_INVALID_ARG;
    if (!parse(in, len, &v)) {
        fwci_wipe(&v, sizeof(v));
        FWC_LOG_TEXT(FWC_LOG_WARNING, "warm start: not an export of this fwc, starting cold");
        return FWC_ERR_WARM_FORMAT;
    }
    fwci_client_lock(c);
    err = take(c, &v, &taken);
    fwci_client_unlock(c);
    fwci_wipe(&v, sizeof(v)); /* pointers to the token and the session */
    if (used != NULL)
        *used = taken;
    return err;
}
