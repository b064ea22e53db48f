/* SPDX-License-Identifier: MIT */
/* TLS probe for the integration tests: connects through fwc's TLS
 * transport and HTTP engine, makes three GET requests (two on one
 * connection, then one on a new connection, which may resume the TLS
 * session), and prints one line the harness checks:
 *   result=<code> status=<http status> proto=<TLS version> cert=<problems>
 * Usage: tls_probe HOST PORT CA_FILE
 *        tls_probe --version-line     the mbedTLS version
 *        tls_probe --time-floor       fwc's certificate time floor
 *        tls_probe --now              the wall clock the probe sees
 * FWC_PROBE_WALL_TIME=<seconds since 1970> sets the clock the probe sees,
 * where it is linked with -Wl,--wrap=time (tests/integration/tls.mk). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fwc/internal/http_conn.h"
#include "fwc/internal/tls.h"

static uint8_t ca[65536];
static struct fwc_tls tls;
static struct fwc_http_conn conn;

static size_t load_ca(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL)
        return 0;
    n = fread(ca, 1, sizeof(ca) - 1, f);
    fclose(f);
    if (n < 5 || memcmp(ca, "-----", 5) != 0)
        return n; /* DER: the bytes as they are */
    ca[n] = '\0';
    return n + 1; /* PEM: the NUL counts */
}

/* With --wrap=time every time() call in the probe, fwc's port and the
 * statically linked mbedTLS lands here: the whole process sees one clock,
 * as on a device whose clock reads what the test says. */
time_t __wrap_time(time_t *out);
time_t __wrap_time(time_t *out)
{
    const char *fake = getenv("FWC_PROBE_WALL_TIME");
    struct timespec now;
    time_t t;
    if (fake != NULL) {
        t = (time_t)strtoll(fake, NULL, 10);
    } else {
        (void)clock_gettime(CLOCK_REALTIME, &now);
        t = now.tv_sec;
    }
    if (out != NULL)
        *out = t;
    return t;
}

static enum fwc_err get(struct fwc_http_response *resp)
{
    static uint8_t body[256];
    struct fwc_http_request req;
    memset(&req, 0, sizeof(req));
    memset(resp, 0, sizeof(*resp));
    req.method = "GET";
    req.path = "/probe";
    /* A test of a stall sets a short bound, so it ends well before the
     * stalling server could give up on its own (the I/O timeout is 30 s). */
    if (getenv("FWC_PROBE_DEADLINE_MS") != NULL)
        req.deadline_ms = (uint32_t)strtoul(getenv("FWC_PROBE_DEADLINE_MS"), NULL, 10);
    resp->body_buf = body;
    resp->body_cap = sizeof(body);
    return fwci_http_exchange(&conn, &req, resp);
}

int main(int argc, char **argv)
{
    struct fwc_http_response resp;
    char authority[300];
    const char *proto = "none";
    size_t ca_len;
    enum fwc_err err;
    int round;

    if (argc == 2 && strcmp(argv[1], "--version-line") == 0) {
        printf("%s\n", fwci_tls_library_version());
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--time-floor") == 0) {
        printf("%lld\n", (long long)fwci_tls_time_floor());
        return 0;
    }
    if (argc == 2 && strcmp(argv[1], "--now") == 0) {
        printf("%lld\n", (long long)time(NULL));
        return 0;
    }
    if (argc != 4 || atoi(argv[2]) <= 0 || atoi(argv[2]) > 65535) {
        fprintf(stderr, "usage: %s HOST PORT CA_FILE\n", argv[0]);
        return 2;
    }
    ca_len = load_ca(argv[3]);
    if (ca_len == 0) {
        fprintf(stderr, "cannot read %s\n", argv[3]);
        return 2;
    }
    if (strchr(argv[1], ':') != NULL) /* an IPv6 literal: brackets in the Host header */
        snprintf(authority, sizeof(authority), "[%s]:%s", argv[1], argv[2]);
    else
        snprintf(authority, sizeof(authority), "%s:%s", argv[1], argv[2]);
    err = fwci_tls_init(&tls, argv[1], (uint16_t)atoi(argv[2]), ca, ca_len);
    if (err == FWC_OK)
        err = fwci_http_conn_init(&conn, &tls.transport, authority);
    memset(&resp, 0, sizeof(resp));
    for (round = 0; round < 3 && err == FWC_OK; round++) {
        if (round == 2)
            fwci_http_close(&conn); /* the third request reconnects */
        err = get(&resp);
        if (err == FWC_OK)
            proto = fwci_tls_protocol(&tls);
    }
    printf("result=%d status=%d proto=%s cert=0x%x mbedtls=-0x%04x (%s)\n", (int)err,
           resp.status, proto, (unsigned)fwci_tls_cert_problems(&tls),
           (unsigned)-fwci_tls_mbedtls_error(&tls), fwc_strerror(err));
    fwci_http_close(&conn);
    fwci_tls_free(&tls);
    return 0;
}
