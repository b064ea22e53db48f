/* SPDX-License-Identifier: MIT */
/* An application outside fwc's tree, built against an installed fwc
 * (pkg-config or find_package): fetches a token from FWC_URL and says how
 * long it is, never the token. Exit 0 only with a token in hand. The secret
 * hook is examples/token/secret_file.c, compiled with it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fwc/oauth.h>
#include <fwc/version.h>

static struct fwc_client client;
static unsigned char ca[65536];
static char token[CONFIG_FWC_TOKEN_MAX + 1];

int main(void)
{
    struct fwc_client_config cfg;
    const char *ca_path = getenv("FWC_CA_FILE");
    FILE *f = ca_path != NULL ? fopen(ca_path, "rb") : NULL;
    size_t n = 0, len = 0;
    enum fwc_err err;

    if (f != NULL) {
        n = fread(ca, 1, sizeof(ca) - 1, f);
        fclose(f);
    }
    if (n == 0 || getenv("FWC_URL") == NULL) {
        fprintf(stderr, "consumer: set FWC_URL and FWC_CA_FILE\n");
        return 2;
    }
    ca[n] = '\0';
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = getenv("FWC_URL");
    cfg.ca = ca;
    cfg.ca_len = n + 1;
    err = fwc_client_init(&client, &cfg);
    if (err == FWC_OK)
        err = fwc_token(&client, token, sizeof(token), &len);
    fwc_client_close(&client);
    if (err != FWC_OK || len == 0) {
        fprintf(stderr, "consumer (C, fwc %s): no token: %s\n", FWC_VERSION, fwc_strerror(err));
        return 1;
    }
    printf("consumer (C, fwc %s): token of %zu characters\n", FWC_VERSION, len);
    return 0;
}
