/* SPDX-License-Identifier: MIT */
/* make bench's fwc side of "a token plus API calls over one connection":
 * one fwc_client, fwc_token(), then N authorized GETs (default 10) of the
 * same path, all on the client's kept-alive connection.
 *
 *   bench_probe [N [PATH]]        PATH defaults to /fotoweb/me/
 *
 * Configuration as for the examples: FWC_URL, FWC_CA_FILE, FWC_CLIENT_ID,
 * FWC_CLIENT_SECRET_FILE (the secret hook is examples/token/secret_file.c).
 * Prints one line "requests=N ok=K bytes=B" and exits 0 when every request
 * was answered 200 (make bench counts the connections at the server). Neither the secret nor the token is
 * printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/oauth.h"

static struct fwc_client client;
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

/* The body is counted, not kept. */
static enum fwc_err count_body(void *ctx, const uint8_t *data, size_t len)
{
    (void)data;
    *(unsigned long long *)ctx += len;
    return FWC_OK;
}

int main(int argc, char **argv)
{
    struct fwc_client_config cfg;
    unsigned long long bytes = 0;
    long n = argc > 1 ? strtol(argv[1], NULL, 10) : 10;
    const char *path = argc > 2 ? argv[2] : "/fotoweb/me/";
    long i, ok = 0;
    size_t len = 0;
    enum fwc_err err;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = getenv("FWC_URL");
    cfg.ca_len = load_ca(getenv("FWC_CA_FILE"));
    cfg.ca = ca;
    if (cfg.base_url == NULL || cfg.ca_len == 0 || n < 0 || n > 100000) {
        fprintf(stderr, "usage: bench_probe [N [PATH]] with FWC_URL, FWC_CA_FILE, "
                        "FWC_CLIENT_ID, FWC_CLIENT_SECRET_FILE set\n");
        return 2;
    }
    err = fwc_client_init(&client, &cfg);
    if (err == FWC_OK)
        err = fwc_token(&client, token, sizeof(token), &len);
    memset(token, 0, sizeof(token));
    for (i = 0; err == FWC_OK && i < n; i++) {
        struct fwc_http_request req;
        struct fwc_http_response resp;
        memset(&req, 0, sizeof(req));
        memset(&resp, 0, sizeof(resp));
        req.method = "GET";
        req.path = path;
        resp.sink = count_body;
        resp.sink_ctx = &bytes;
        err = fwc_request(&client, &req, &resp);
        if (err == FWC_OK && resp.status == 200)
            ok++;
    }
    printf("requests=%ld ok=%ld bytes=%llu\n", n, ok, bytes);
    if (err != FWC_OK)
        fprintf(stderr, "bench_probe: %s\n", fwc_strerror(err));
    fwc_client_close(&client);
    return err == FWC_OK && ok == n ? 0 : 1;
}
