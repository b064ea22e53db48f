/* SPDX-License-Identifier: MIT */
/* Client set-up and tear-down, the lock and "the last failure"
 * (fwc/client.h). Owns the client's link and failure parts. */
#include <string.h>

#include "fwc/client.h"
#include "fwc/oauth.h"
#include "fwc/warm.h"
#include "bufwriter.h"
#include "client_internal.h"
#include "log.h"
#include "warm_parts.h"
#include "wipe.h"

/* fwc's own transport for the URL's scheme: TLS, or plaintext in a
 * test-rig build. Without CONFIG_FWC_TLS_MBEDTLS fwc has no TLS of its
 * own, and the application must bring a transport. */
static enum fwc_err own_transport(struct fwci_link *link, const struct fwc_client_config *cfg)
{
    enum fwc_err err = FWC_ERR_INVALID_ARG;

    (void)cfg;
    if (!link->url.tls && cfg->proxy != NULL)
        return FWC_ERR_INVALID_ARG; /* tunnels carry fwc's TLS only */
    if (!link->url.tls) {
#if CONFIG_FWC_ALLOW_HTTP
        err = fwci_plain_init(&link->plain, link->url.host, link->url.port);
        link->transport = &link->plain.transport;
        return err;
#else
        return FWC_ERR_PLAINTEXT;
#endif
    }
#if CONFIG_FWC_TLS_MBEDTLS
    err = fwci_tls_init(&link->tls, link->url.host, link->url.port, cfg->ca, cfg->ca_len);
    link->transport = &link->tls.transport;
#if CONFIG_FWC_PROXY
    if (err == FWC_OK && cfg->proxy != NULL) {
        err = fwci_proxy_init(&link->proxy, cfg->proxy);
        fwci_tls_use_proxy(&link->tls, &link->proxy);
    }
#endif
#endif
    return err;
}

#if CONFIG_FWC_TLS_MBEDTLS
static bool uses_own_tls(const struct fwci_link *link)
{
    return link->transport == &link->tls.transport;
}
#endif

static void release_transport(struct fwci_link *link)
{
#if CONFIG_FWC_TLS_MBEDTLS
    if (uses_own_tls(link))
        fwci_tls_free(&link->tls);
#else
    (void)link;
#endif
}

static enum fwc_err open_link(struct fwci_link *link, const struct fwc_client_config *cfg)
{
    enum fwc_err err = fwci_url_parse(cfg->base_url, &link->url);

    if (err == FWC_OK && cfg->transport != NULL)
        link->transport = cfg->transport;
    else if (err == FWC_OK)
        err = own_transport(link, cfg);
    if (err == FWC_OK)
        err = fwci_http_conn_init(&link->conn, link->transport, link->url.authority);
    return err;
}

/* Compared as unsigned: an enum may be signed or not (arm-none-eabi makes
 * it unsigned char), and a negative value then counts as large. */
static bool config_usable(const struct fwc_client_config *cfg)
{
    return cfg != NULL && cfg->base_url != NULL &&
           (unsigned)cfg->auth <= (unsigned)FWC_AUTH_BASIC &&
           !(cfg->auth == FWC_AUTH_BASIC && !CONFIG_FWC_AUTH_BASIC) &&
           (CONFIG_FWC_TLS_MBEDTLS || cfg->transport != NULL) &&
           /* A proxy is fwc's own TLS transport's; an own transport
            * reaches its server its own way. */
           (cfg->proxy == NULL || (CONFIG_FWC_PROXY && CONFIG_FWC_TLS_MBEDTLS &&
                                   cfg->transport == NULL));
}

/* The caller's struct fwc_client is the one this library was compiled
 * for: the same layout-changing options (fingerprint) and the same size. */
static bool caller_built_alike(unsigned long config_fingerprint, size_t client_size)
{
    if (config_fingerprint == FWC_CONFIG_FINGERPRINT && client_size == sizeof(struct fwc_client))
        return true;
    FWC_LOG_TEXT(FWC_LOG_ERROR, "program and library built with different fwc configurations");
    return false;
}

enum fwc_err fwc_client_init_checked(struct fwc_client *c, const struct fwc_client_config *cfg,
                                     unsigned long config_fingerprint, size_t client_size)
{
    struct fwci_link *link;
    enum fwc_err err;

    /* Before anything touches *c: its size may not be sizeof(*c). */
    if (!caller_built_alike(config_fingerprint, client_size))
        return FWC_ERR_CONFIG_MISMATCH;
    if (c == NULL || !config_usable(cfg))
        return FWC_ERR_INVALID_ARG;
    memset(c, 0, sizeof(*c));
    link = &c->_internal.link;
    err = open_link(link, cfg);
    if (err == FWC_OK)
        err = fwci_token_cache_init(c, link->url.prefix, cfg);
#if CONFIG_FWC_LOCKS
    if (err == FWC_OK)
        err = fwc_port_lock_init(&c->_internal.lock);
#endif
    if (err != FWC_OK) {
        release_transport(link);
        memset(c, 0, sizeof(*c));
        return err;
    }
    if (!link->url.tls)
        FWC_LOG_TEXT(FWC_LOG_WARNING, "plaintext http:// base URL: for test rigs only");
    return FWC_OK;
}

void fwc_client_close(struct fwc_client *c)
{
    if (!fwci_client_is_open(c))
        return;
    fwci_http_close(&c->_internal.link.conn);
    release_transport(&c->_internal.link);
#if CONFIG_FWC_LOCKS
    fwc_port_lock_free(&c->_internal.lock);
#endif
    /* Token, credentials scratch, answers: every part. */
    fwci_wipe(c, sizeof(*c));
}

bool fwci_client_is_open(const struct fwc_client *c)
{
    return c != NULL && c->_internal.link.transport != NULL; /* not never opened, nor closed */
}

struct fwc_http_conn *fwci_client_conn(struct fwc_client *c)
{
    return &c->_internal.link.conn;
}

const char *fwci_client_prefix(const struct fwc_client *c)
{
    return c->_internal.link.url.prefix;
}

void fwci_client_lock(const struct fwc_client *c)
{
#if CONFIG_FWC_LOCKS
    fwc_port_lock_acquire((struct fwc_port_lock *)&c->_internal.lock);
#else
    (void)c;
#endif
}

void fwci_client_unlock(const struct fwc_client *c)
{
#if CONFIG_FWC_LOCKS
    fwc_port_lock_release((struct fwc_port_lock *)&c->_internal.lock);
#else
    (void)c;
#endif
}

const char *fwc_client_host(const struct fwc_client *c)
{
    return c == NULL ? "" : c->_internal.link.url.host;
}

struct fwci_failure *fwci_client_failure_begin(struct fwc_client *c)
{
    struct fwci_failures *f = &c->_internal.failure;

    memset(&f->call, 0, sizeof(f->call));
    return &f->call;
}

enum fwc_err fwci_client_failure_end(struct fwc_client *c, enum fwc_err err)
{
    struct fwci_failures *f = &c->_internal.failure;

    if (err != FWC_OK) {
        f->call.err = err;
        f->last = f->call;
    }
    return err;
}

/* The last failure, copied under the lock; zeroes when none or closed. */
static struct fwci_failure last_failure(const struct fwc_client *c)
{
    struct fwci_failure copy;

    memset(&copy, 0, sizeof(copy));
    if (!fwci_client_is_open(c))
        return copy;
    fwci_client_lock(c);
    copy = c->_internal.failure.last;
    fwci_client_unlock(c);
    return copy;
}

enum fwc_err fwc_client_last_error(const struct fwc_client *c)
{
    return last_failure(c).err;
}

int fwc_client_http_status(const struct fwc_client *c)
{
    return last_failure(c).http_status;
}

void fwc_client_oauth_error(const struct fwc_client *c, char *out, size_t cap)
{
    struct fwci_failure f;
    const char *end;

    if (out == NULL || cap == 0)
        return;
    out[0] = '\0';
    f = last_failure(c);
    end = memchr(f.oauth_error, '\0', sizeof(f.oauth_error));
    if (end != NULL && (size_t)(end - f.oauth_error) < cap)
        memcpy(out, f.oauth_error, (size_t)(end - f.oauth_error) + 1);
}

uint32_t fwc_client_cert_problems(const struct fwc_client *c)
{
#if CONFIG_FWC_TLS_MBEDTLS
    uint32_t problems;

    if (c == NULL || !uses_own_tls(&c->_internal.link))
        return 0;
    fwci_client_lock(c);
    problems = fwci_tls_cert_problems(&c->_internal.link.tls);
    fwci_client_unlock(c);
    return problems;
#else
    (void)c;
    return 0;
#endif
}

/* ---- warm starts (src/warm.c) ----------------------------------------------- */

/* One spelling per server whatever the base URL said: the port always
 * written (":443" or not is the same server), an IPv6 host in brackets. */
size_t fwci_client_url_key(const struct fwc_client *c, uint8_t *out, size_t cap)
{
    const struct fwc_url *url = &c->_internal.link.url;
    bool ipv6 = strchr(url->host, ':') != NULL;
    struct fwci_bufw w;

    fwci_bufw_init(&w, (char *)out, cap);
    fwci_bufw_str(&w, url->tls ? "https://" : "http://");
    fwci_bufw_str(&w, ipv6 ? "[" : "");
    fwci_bufw_str(&w, url->host);
    fwci_bufw_str(&w, ipv6 ? "]:" : ":");
    fwci_bufw_u64(&w, url->port);
    fwci_bufw_str(&w, url->prefix);
    return w.overflow ? 0 : w.len;
}

bool fwci_client_url_key_is(const struct fwc_client *c, const uint8_t *key, size_t len)
{
    uint8_t mine[FWC_WARM_URL_KEY_MAX];
    size_t n = fwci_client_url_key(c, mine, sizeof(mine));

    return n != 0 && n == len && memcmp(mine, key, n) == 0;
}

enum fwc_err fwci_client_session_export(struct fwc_client *c, uint8_t *out, size_t cap,
                                        size_t *len)
{
    *len = 0;
#if CONFIG_FWC_TLS_MBEDTLS
    if (uses_own_tls(&c->_internal.link))
        return fwci_tls_session_export(&c->_internal.link.tls, out, cap, len);
#else
    (void)c;
    (void)out;
    (void)cap;
#endif
    return FWC_OK;
}

bool fwci_client_session_import(struct fwc_client *c, const uint8_t *in, size_t len)
{
#if CONFIG_FWC_TLS_MBEDTLS
    if (uses_own_tls(&c->_internal.link))
        return fwci_tls_session_import(&c->_internal.link.tls, in, len);
#else
    (void)c;
    (void)in;
    (void)len;
#endif
    return false;
}
