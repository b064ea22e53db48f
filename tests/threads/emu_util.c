/* SPDX-License-Identifier: MIT */
/* Test support against the FotoWeb emulator (emu_util.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_util.h"

static unsigned char ca[32768];
static int tap_n, tap_bad;

enum fwc_err emu_client_init(struct fwc_client *c)
{
    struct fwc_client_config cfg;
    const char *path = getenv("FWC_CA_FILE");
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    size_t n = 0;
    enum fwc_err err;

    if (f != NULL) {
        n = fread(ca, 1, sizeof(ca) - 1, f);
        fclose(f);
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = getenv("FWC_URL");
    cfg.ca = ca;
    cfg.ca_len = n + 1; /* PEM with its NUL counted */
    if (cfg.base_url == NULL || n == 0) {
        fprintf(stderr, "set FWC_URL and FWC_CA_FILE (tests/server/with_emulator.sh)\n");
        return FWC_ERR_INVALID_ARG;
    }
    err = fwc_client_init(c, &cfg);
    if (err != FWC_OK)
        fprintf(stderr, "fwc_client_init: %s\n", fwc_strerror(err));
    return err;
}

int emu_call(struct fwc_client *c, const char *method, const char *path, const char *json_body,
             char *out, size_t cap)
{
    struct fwc_http_request req;
    struct fwc_http_response resp;
    struct fwc_http_header ctype = {"Content-Type", "application/json"};
    enum fwc_err err;

    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.method = method;
    req.path = path;
    if (json_body != NULL) {
        req.body = (const uint8_t *)json_body;
        req.body_len = strlen(json_body);
        req.headers = &ctype;
        req.header_count = 1;
    }
    resp.body_buf = (uint8_t *)out;
    resp.body_cap = cap - 1;
    err = fwc_request(c, &req, &resp);
    if (err != FWC_OK) {
        fprintf(stderr, "%s %s: %s\n", method, path, fwc_strerror(err));
        out[0] = '\0';
        return -1;
    }
    out[resp.body_len] = '\0';
    return resp.status;
}

static const char *value_of(const char *json, const char *name)
{
    char key[80];
    const char *p;
    (void)snprintf(key, sizeof(key), "\"%s\":", name);
    p = strstr(json, key);
    if (p == NULL)
        return NULL;
    p += strlen(key);
    while (*p == ' ')
        p++;
    return p;
}

long emu_json_long(const char *json, const char *name)
{
    const char *p = value_of(json, name);
    return p != NULL && *p >= '0' && *p <= '9' ? strtol(p, NULL, 10) : -1;
}

bool emu_json_str(const char *json, const char *name, char *out, size_t cap)
{
    const char *p = value_of(json, name), *end;
    if (p == NULL || *p != '"')
        return false;
    end = strchr(p + 1, '"');
    if (end == NULL || (size_t)(end - p - 1) >= cap)
        return false;
    memcpy(out, p + 1, (size_t)(end - p - 1));
    out[end - p - 1] = '\0';
    return true;
}

bool tap(bool ok, const char *what, ...)
{
    va_list ap;
    printf("%sok %d - ", ok ? "" : "not ", ++tap_n);
    va_start(ap, what);
    vprintf(what, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    if (!ok)
        tap_bad++;
    return ok;
}

int tap_failures(void)
{
    return tap_bad;
}
