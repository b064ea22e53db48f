/* SPDX-License-Identifier: MIT */
/* A program compiled with its own CONFIG_FWC_* values, linked against a
 * library compiled with the defaults (build/libfwc.a). Built several
 * times by tests/config/config.mk: with the library's values fwc_client_init
 * must succeed; with any layout-changing value of its own it must return
 * FWC_ERR_CONFIG_MISMATCH and leave the client untouched. Prints the
 * outcome and this build's sizeof(struct fwc_client) for
 * check_fingerprint.sh, which compares sizes across the builds. */
#include <stdio.h>
#include <string.h>

#include "fwc/client.h"
#include "fwc/secret.h"

#ifndef EXPECT_MISMATCH
#error "build with -DEXPECT_MISMATCH=0 or 1"
#endif

/* Nothing is ever sent: fwc_client_init connects nothing. */
static enum fwc_err t_open(void *ctx, uint32_t timeout_ms)
{
    (void)ctx;
    (void)timeout_ms;
    return FWC_ERR_CONNECT;
}
static int32_t t_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)data;
    (void)len;
    (void)timeout_ms;
    return FWC_ERR_TRANSPORT;
}
static int32_t t_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return FWC_ERR_TRANSPORT;
}
static void t_close(void *ctx)
{
    (void)ctx;
}

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

static struct fwc_client client;

int main(void)
{
    static const struct fwc_transport transport = {
        .open = t_open, .send = t_send, .recv = t_recv, .close = t_close};
    struct fwc_client_config cfg;
    enum fwc_err err;
    size_t i;
    int untouched = 1;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://fotoweb.example.com";
    cfg.transport = &transport;
    memset(&client, 0xA5, sizeof(client));
    err = fwc_client_init(&client, &cfg);
    for (i = 0; i < sizeof(client); i++)
        untouched &= ((const unsigned char *)&client)[i] == 0xA5;
    printf("size %zu: %s\n", sizeof(client), fwc_strerror(err));
    if (EXPECT_MISMATCH) {
        if (err != FWC_ERR_CONFIG_MISMATCH) {
            printf("FAIL: a caller built with other options got \"%s\"\n", fwc_strerror(err));
            return 1;
        }
        if (!untouched) {
            printf("FAIL: the refused client was written to\n");
            return 1;
        }
        return 0;
    }
    if (err != FWC_OK) {
        printf("FAIL: a caller built like the library got \"%s\"\n", fwc_strerror(err));
        return 1;
    }
    fwc_client_close(&client);
    return 0;
}
