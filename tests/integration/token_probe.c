/* SPDX-License-Identifier: MIT */
/* Token probe for the integration tests: the real client (TLS, HTTP,
 * OAuth) against the emulator. Prints one line the harness checks:
 *   result=<code> len=<token length> left=<seconds> status=<http status of the
 *   last failure, 0 after none>
 *   oauth_error=<code or -> sha=<first 8 hex of a hash of the token>
 * The token itself is never printed.
 *   FWC_URL, FWC_CA_FILE       where and whom to trust
 *   FWC_TEST_CLIENT_ID/SECRET  what this program's secret hook answers
 * Options: --basic (HTTP Basic client authentication), --twice (ask twice:
 * the second answer must come from the cache). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/oauth.h"
#include "fwc/secret.h"

static struct fwc_client client;
static uint8_t ca[32768];
static char token[CONFIG_FWC_TOKEN_MAX + 1];

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    const char *v = getenv(item == FWC_SECRET_CLIENT_ID ? "FWC_TEST_CLIENT_ID"
                                                        : "FWC_TEST_CLIENT_SECRET");
    size_t n = v != NULL ? strlen(v) : 0;
    (void)ctx;
    if (v == NULL || n > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, v, n);
    *out_len = n;
    return FWC_OK;
}

static size_t load_ca(const char *path)
{
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    size_t n;
    if (f == NULL)
        return 0;
    n = fread(ca, 1, sizeof(ca) - 1, f);
    fclose(f);
    ca[n] = '\0';
    return n + 1;
}

/* FNV-1a: lets the harness compare tokens without seeing them. */
static unsigned long fingerprint(const char *s, size_t n)
{
    unsigned long h = 2166136261ul;
    size_t i;
    for (i = 0; i < n; i++)
        h = ((h ^ (unsigned char)s[i]) * 16777619ul) & 0xffffffffu;
    return h;
}

int main(int argc, char **argv)
{
    struct fwc_client_config cfg;
    size_t len = 0;
    unsigned long first = 0;
    char code[FWC_OAUTH_ERROR_MAX];
    int i, rounds = 1;
    enum fwc_err err;

    memset(&cfg, 0, sizeof(cfg));
    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--basic") == 0)
            cfg.auth = FWC_AUTH_BASIC;
        else if (strcmp(argv[i], "--twice") == 0)
            rounds = 2;
    }
    cfg.base_url = getenv("FWC_URL");
    cfg.ca_len = load_ca(getenv("FWC_CA_FILE"));
    cfg.ca = ca;
    if (cfg.base_url == NULL || cfg.ca_len == 0) {
        fprintf(stderr, "set FWC_URL and FWC_CA_FILE\n");
        return 2;
    }
    err = fwc_client_init(&client, &cfg);
    for (i = 0; i < rounds && err == FWC_OK; i++) {
        err = fwc_token(&client, token, sizeof(token), &len);
        if (i == 0)
            first = fingerprint(token, len);
        else if (err == FWC_OK && fingerprint(token, len) != first)
            err = FWC_ERR_TOKEN_RESPONSE; /* the cache should have answered */
    }
    fwc_client_oauth_error(&client, code, sizeof(code));
    printf("result=%d len=%zu left=%u status=%d oauth_error=%s sha=%08lx (%s)\n", (int)err, len,
           (unsigned)fwc_token_seconds_left(&client), fwc_client_http_status(&client),
           code[0] ? code : "-",
           err == FWC_OK ? fingerprint(token, len) : 0ul, fwc_strerror(err));
    memset(token, 0, sizeof(token));
    fwc_client_close(&client);
    return 0;
}
