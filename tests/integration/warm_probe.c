/* SPDX-License-Identifier: MIT */
/* Warm-start probe for the integration tests: a device's day against the
 * emulator. Part 1 (before a deep sleep): a client uploads FILE, which
 * fetches a token, then exports its warm state into a static buffer (the
 * device's retained RAM or flash) and is closed. Part 2 (after waking): a
 * NEW client, whose memory held nothing of the first, imports that state
 * and uploads FILE again, which should need neither a token request nor
 * a full TLS handshake. Between the parts the probe waits for a line on
 * stdin, so the harness reads the emulator's statistics for each part.
 * Prints one line per part:
 *   part=1 result=<code> export=<code> len=<bytes> (<error name>)
 *   part=2 import=<code> used=<bits> result=<code> asset=<url or -> (<error name>)
 * used: 1 the token was taken, 2 the TLS session, 3 both. Neither the
 * secret nor a token nor the export is ever printed.
 *   FWC_URL, FWC_CA_FILE       where and whom to trust
 *   FWC_TEST_CLIENT_ID/SECRET  what this program's secret hook answers
 * Usage: warm_probe FILE DESTINATION [--corrupt]
 * --corrupt flips a byte of the export before part 2: the import must
 * fail cleanly and part 2 start cold (and still upload).
 * Exit 0 when both uploads succeeded, 1 when one failed, 2 on unusable
 * arguments or files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/oauth.h"
#include "fwc/secret.h"
#include "fwc/upload.h"
#include "fwc/warm.h"

#define ASSET_URL_MAX 1024

/* Two clients, as two boots: the second starts from zeroed memory. */
static struct fwc_client before_sleep, after_wake;
static uint8_t ca[32768];
static char asset[ASSET_URL_MAX];
/* What the device keeps across the sleep. */
static uint8_t retained[FWC_WARM_MAX];
static size_t retained_len;

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

static int32_t file_read(void *ctx, uint8_t *buf, size_t len)
{
    size_t got = fread(buf, 1, len, ctx);
    return (int32_t)got; /* 0 at the end: the library's failure */
}

static enum fwc_err file_seek(void *ctx, uint64_t offset)
{
    return fseek(ctx, (long)offset, SEEK_SET) == 0 ? FWC_OK : FWC_ERR_BODY_READER;
}

/* One upload of f (size bytes) to dest by c, the asset's URL in asset. */
static enum fwc_err upload(struct fwc_client *c, FILE *f, uint64_t size, const char *name,
                           const char *dest)
{
    struct fwc_upload_params p;
    struct fwc_upload_state state;

    if (fseek(f, 0, SEEK_SET) != 0)
        return FWC_ERR_BODY_READER;
    memset(&p, 0, sizeof(p));
    memset(&state, 0, sizeof(state));
    p.destination = dest;
    p.filename = name;
    p.file_size = size;
    p.read = file_read;
    p.seek = file_seek;
    p.file_ctx = f;
    asset[0] = '\0';
    return fwc_upload(c, &p, &state, asset, sizeof(asset));
}

/* Part 1: a cold start, then the state kept for the next boot. */
static enum fwc_err part1(const struct fwc_client_config *cfg, FILE *f, uint64_t size,
                          const char *name, const char *dest)
{
    enum fwc_err err = fwc_client_init(&before_sleep, cfg), exp = FWC_ERR_INVALID_ARG;

    if (err == FWC_OK)
        err = upload(&before_sleep, f, size, name, dest);
    if (err == FWC_OK)
        exp = fwc_warm_export(&before_sleep, retained, sizeof(retained), &retained_len);
    printf("part=1 result=%d export=%d len=%lu (%s)\n", (int)err, (int)exp,
           (unsigned long)retained_len, fwc_strerror(err != FWC_OK ? err : exp));
    fflush(stdout);
    fwc_client_close(&before_sleep);
    /* The RAM that held the first client is gone after a deep sleep. */
    memset(&before_sleep, 0xa5, sizeof(before_sleep));
    return err != FWC_OK ? err : exp;
}

/* Part 2: a new client from what was kept. */
static enum fwc_err part2(const struct fwc_client_config *cfg, FILE *f, uint64_t size,
                          const char *name, const char *dest)
{
    unsigned used = 0;
    enum fwc_err imp = FWC_ERR_INVALID_ARG, err = fwc_client_init(&after_wake, cfg);

    if (err == FWC_OK)
        imp = fwc_warm_import(&after_wake, retained, retained_len, &used);
    /* The device wipes its copy once the client holds it. */
    memset(retained, 0, sizeof(retained));
    if (err == FWC_OK)
        err = upload(&after_wake, f, size, name, dest);
    printf("part=2 import=%d used=%u result=%d asset=%s (%s)\n", (int)imp, used, (int)err,
           err == FWC_OK && asset[0] != '\0' ? asset : "-", fwc_strerror(err));
    fflush(stdout);
    fwc_client_close(&after_wake);
    return err;
}

/* The harness reads the statistics of part 1 before it answers. */
static void wait_for_harness(void)
{
    char line[16];
    if (fgets(line, sizeof(line), stdin) == NULL) {
        /* no harness on stdin: go on at once */
    }
}

int main(int argc, char **argv)
{
    struct fwc_client_config cfg;
    const char *name;
    FILE *f;
    long size;
    enum fwc_err err;

    if (argc < 3 || argc > 4 || (argc == 4 && strcmp(argv[3], "--corrupt") != 0)) {
        fprintf(stderr, "usage: warm_probe FILE DESTINATION [--corrupt]\n");
        return 2;
    }
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = getenv("FWC_URL");
    cfg.ca_len = load_ca(getenv("FWC_CA_FILE"));
    cfg.ca = ca;
    f = fopen(argv[1], "rb");
    if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        cfg.base_url == NULL || cfg.ca_len == 0) {
        fprintf(stderr, "warm_probe: cannot read FILE, or FWC_URL / FWC_CA_FILE unset\n");
        if (f != NULL)
            fclose(f);
        return 2;
    }
    name = strrchr(argv[1], '/') != NULL ? strrchr(argv[1], '/') + 1 : argv[1];

    err = part1(&cfg, f, (uint64_t)size, name, argv[2]);
    if (err == FWC_OK && argc == 4 && retained_len > 0)
        retained[retained_len / 2] ^= 0x40;
    wait_for_harness();
    if (err == FWC_OK)
        err = part2(&cfg, f, (uint64_t)size, name, argv[2]);
    fclose(f);
    return err == FWC_OK ? 0 : 1;
}
