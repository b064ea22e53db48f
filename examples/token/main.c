/* SPDX-License-Identifier: MIT */
/* The smallest fwc program: get an access token from a FotoWeb server and
 * say so, without ever printing it.
 *
 * Configuration (the same variables the fwc tool reads):
 *   FWC_URL                 base URL, e.g. https://tenant.fotoware.cloud
 *   FWC_CA_FILE             PEM bundle of the CA(s) to trust
 *   FWC_CLIENT_ID           the application's client ID
 *   FWC_CLIENT_SECRET_FILE  a file holding the client secret (mode 600)
 *
 * The secret hook (CONFIG_FWC_SECRET_CALLBACK) is in secret_file.c: it
 * reads the secret file when fwc asks, into fwc's own buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/oauth.h"

static struct fwc_client client; /* static: it holds all of fwc's state */
static uint8_t ca[65536];
static char token[CONFIG_FWC_TOKEN_MAX + 1];

static size_t load_ca(const char *path)
{
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    size_t n;
    if (f == NULL)
        return 0;
    n = fread(ca, 1, sizeof(ca) - 1, f);
    fclose(f);
    ca[n] = '\0';
    return n + 1; /* PEM: mbedTLS counts the NUL */
}

int main(void)
{
    struct fwc_client_config cfg;
    size_t len = 0;
    enum fwc_err err;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = getenv("FWC_URL");
    cfg.ca_len = load_ca(getenv("FWC_CA_FILE"));
    cfg.ca = ca;
    if (cfg.base_url == NULL || cfg.ca_len == 0) {
        fprintf(stderr, "set FWC_URL, FWC_CA_FILE, FWC_CLIENT_ID, FWC_CLIENT_SECRET_FILE\n");
        return 2;
    }
    err = fwc_client_init(&client, &cfg);
    if (err == FWC_OK)
        err = fwc_token(&client, token, sizeof(token), &len);
    if (err != FWC_OK) {
        char code[FWC_OAUTH_ERROR_MAX];
        fwc_client_oauth_error(&client, code, sizeof(code));
        fprintf(stderr, "no token: %s (HTTP %d%s%s)\n", fwc_strerror(err),
                fwc_client_http_status(&client), code[0] ? ", " : "", code);
        fwc_client_close(&client);
        return 1;
    }
    printf("access token %.4s... (%zu characters), expires in %u s\n", token, len,
           (unsigned)fwc_token_seconds_left(&client));
    /* Asked again, the cache answers: no second request. */
    err = fwc_token(&client, token, sizeof(token), &len);
    printf("asked again: %s, from the cache\n", fwc_strerror(err));
    memset(token, 0, sizeof(token));
    fwc_client_close(&client);
    return err == FWC_OK ? 0 : 1;
}
