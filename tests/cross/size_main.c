/* SPDX-License-Identifier: MIT */
/* The program `make size` measures: it fetches a token, makes one API
 * request and uploads a file, so every part of fwc a device uses is linked
 * and nothing else is. Built twice: as it is, and with CONFIG_FWC_UPLOAD=0
 * (the token-only configuration: a token fetch and nothing more). The port
 * is the template's stubs, measured on its own line, and the secret hook is
 * a stub: neither is fwc's own code. */
#include <string.h>

#include "fwc/oauth.h"
#include "fwc/secret.h"
#if CONFIG_FWC_UPLOAD
#include "fwc/upload.h"
#endif

static struct fwc_client client;
static char token[CONFIG_FWC_TOKEN_MAX + 1];
static const uint8_t ca[] = "-----BEGIN CERTIFICATE-----\n";

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    (void)ctx;
    (void)item;
    (void)buf;
    (void)cap;
    *out_len = 0;
    return FWC_ERR_SECRET_UNAVAILABLE;
}

#if CONFIG_FWC_UPLOAD
static uint8_t body[512];
static char asset[256];

static int32_t read_zeros(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0, len);
    return (int32_t)len;
}

static int api_and_upload(void)
{
    struct fwc_http_request req;
    struct fwc_http_response resp;
    struct fwc_upload_params up;
    struct fwc_upload_state state;

    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.method = "GET";
    req.path = "/fotoweb/me/";
    resp.body_buf = body;
    resp.body_cap = sizeof(body);
    if (fwc_request(&client, &req, &resp) != FWC_OK)
        return 1;
    memset(&up, 0, sizeof(up));
    memset(&state, 0, sizeof(state));
    up.destination = "/fotoweb/archives/5000-Captures/";
    up.filename = "a.jpg";
    up.file_size = 1024;
    up.read = read_zeros;
    return fwc_upload(&client, &up, &state, asset, sizeof(asset)) == FWC_OK ? 0 : 1;
}
#endif

int main(void)
{
    struct fwc_client_config cfg;
    size_t len = 0;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://tenant.example.com";
    cfg.ca = ca;
    cfg.ca_len = sizeof(ca);
    if (fwc_client_init(&client, &cfg) != FWC_OK ||
        fwc_token(&client, token, sizeof(token), &len) != FWC_OK)
        return 1;
#if CONFIG_FWC_UPLOAD
    return api_and_upload();
#else
    return 0;
#endif
}
