/* Client set-up and tear-down (fwc/client.h). */
#include <string.h>

#include "fwc/client.h"
#include "fwc/oauth.h"
#include "client_lock.h"
#include "log.h"
#include "wipe.h"

#define I (c->_internal)

static enum fwc_err set_token_target(struct fwc_client *c, const char *token_path)
{
    size_t prefix = strlen(I.url.prefix), path = strlen(token_path);

    if (token_path[0] != '/' || prefix + path >= sizeof(I.token_target))
        return FWC_ERR_INVALID_ARG;
    memcpy(I.token_target, I.url.prefix, prefix);
    memcpy(I.token_target + prefix, token_path, path + 1);
    return FWC_OK;
}

/* fwc's own transport for the URL's scheme: TLS, or plaintext in a
 * test-rig build. */
static enum fwc_err own_transport(struct fwc_client *c, const struct fwc_client_config *cfg)
{
    enum fwc_err err;

    if (!I.url.tls) {
#if CONFIG_FWC_ALLOW_HTTP
        err = fwc_plain_init(&I.plain, I.url.host, I.url.port);
        I.transport = &I.plain.transport;
        return err;
#else
        return FWC_ERR_PLAINTEXT;
#endif
    }
    err = fwci_tls_init(&I.tls, I.url.host, I.url.port, cfg->ca, cfg->ca_len);
    I.transport = &I.tls.transport;
    return err;
}

enum fwc_err fwc_client_init(struct fwc_client *c, const struct fwc_client_config *cfg)
{
    enum fwc_err err;

    /* Compared as unsigned: an enum may be signed or not (arm-none-eabi
     * makes it unsigned char), and a negative value then counts as large. */
    if (c == NULL || cfg == NULL || cfg->base_url == NULL ||
        (unsigned)cfg->auth > (unsigned)FWC_AUTH_BASIC ||
        (cfg->auth == FWC_AUTH_BASIC && !CONFIG_FWC_AUTH_BASIC))
        return FWC_ERR_INVALID_ARG;
    memset(c, 0, sizeof(*c));
    I.auth = cfg->auth == FWC_AUTH_DEFAULT ? FWC_AUTH_POST : cfg->auth;
    I.secret_ctx = cfg->secret_ctx;
    err = fwci_url_parse(cfg->base_url, &I.url);
    if (err == FWC_OK)
        err = set_token_target(c, cfg->token_path != NULL ? cfg->token_path
                                                          : CONFIG_FWC_TOKEN_PATH);
    if (err == FWC_OK && cfg->transport != NULL)
        I.transport = cfg->transport;
    else if (err == FWC_OK)
        err = own_transport(c, cfg);
    if (err == FWC_OK)
        err = fwci_http_conn_init(&I.conn, I.transport, I.url.authority);
#if CONFIG_FWC_LOCKS
    if (err == FWC_OK)
        err = fwc_port_lock_init(&I.lock);
#endif
    if (err != FWC_OK) {
        if (I.transport == &I.tls.transport)
            fwci_tls_free(&I.tls);
        memset(c, 0, sizeof(*c));
        return err;
    }
    if (!I.url.tls)
        FWC_LOG_TEXT(FWC_LOG_WARNING, "plaintext http:// base URL: for test rigs only");
    return FWC_OK;
}

void fwc_client_close(struct fwc_client *c)
{
    if (c == NULL || I.transport == NULL)
        return;
    fwci_http_close(&I.conn);
    if (I.transport == &I.tls.transport)
        fwci_tls_free(&I.tls);
#if CONFIG_FWC_LOCKS
    fwc_port_lock_free(&I.lock);
#endif
    /* Token, credentials scratch, response: all of it. */
    fwci_wipe(c, sizeof(*c));
}

void fwci_client_lock(const struct fwc_client *c)
{
#if CONFIG_FWC_LOCKS
    fwc_port_lock((struct fwc_port_lock *)&I.lock);
#else
    (void)c;
#endif
}

void fwci_client_unlock(const struct fwc_client *c)
{
#if CONFIG_FWC_LOCKS
    fwc_port_unlock((struct fwc_port_lock *)&I.lock);
#else
    (void)c;
#endif
}

const char *fwc_client_host(const struct fwc_client *c)
{
    return c == NULL ? "" : I.url.host;
}

struct fwc_failure *fwci_client_failure_begin(struct fwc_client *c)
{
    memset(&I.call_failure, 0, sizeof(I.call_failure));
    return &I.call_failure;
}

enum fwc_err fwci_client_failure_end(struct fwc_client *c, enum fwc_err err)
{
    if (err != FWC_OK) {
        I.call_failure.err = err;
        I.last_failure = I.call_failure;
    }
    return err;
}

static bool opened(const struct fwc_client *c)
{
    return c != NULL && I.transport != NULL; /* not never opened, nor closed */
}

enum fwc_err fwc_client_last_error(const struct fwc_client *c)
{
    enum fwc_err err;

    if (!opened(c))
        return FWC_OK;
    fwci_client_lock(c);
    err = I.last_failure.err;
    fwci_client_unlock(c);
    return err;
}

int fwc_client_http_status(const struct fwc_client *c)
{
    int status;

    if (!opened(c))
        return 0;
    fwci_client_lock(c);
    status = I.last_failure.http_status;
    fwci_client_unlock(c);
    return status;
}

void fwc_client_oauth_error(const struct fwc_client *c, char *out, size_t cap)
{
    const char *code, *end;

    if (out == NULL || cap == 0)
        return;
    out[0] = '\0';
    if (!opened(c))
        return;
    fwci_client_lock(c);
    code = I.last_failure.oauth_error;
    end = memchr(code, '\0', sizeof(I.last_failure.oauth_error));
    if (end != NULL && (size_t)(end - code) < cap)
        memcpy(out, code, (size_t)(end - code) + 1);
    fwci_client_unlock(c);
}

uint32_t fwc_client_cert_problems(const struct fwc_client *c)
{
    uint32_t problems;

    if (c == NULL || I.transport != &I.tls.transport)
        return 0;
    fwci_client_lock(c);
    problems = fwci_tls_cert_problems(&I.tls);
    fwci_client_unlock(c);
    return problems;
}
