/* SPDX-License-Identifier: MIT */
/* fwc end to end over port/lwip: lwIP's own TCP/IP stack on a TAP device
 * in a private network namespace (tests/lwip/netns.sh --emulator), fwc's
 * normal TLS on top, the emulator on the kernel side. A token, an API
 * request (GET /fotoweb/me/), and an upload of a few MiB whose SHA-256 the
 * emulator must report back (/_emulator/uploads/<id>). TAP output. */
#include <stdio.h>
#include <string.h>

#include <mbedtls/md.h>

#include "fwc/oauth.h"
#include "fwc/upload.h"
#include "emu_util.h"
#include "lwip_host.h"

#define FILE_SIZE ((3u << 20) + 12345u) /* 4 chunks, the last one short */

static struct fwc_client client;
static uint8_t file[FILE_SIZE];

struct source {
    uint64_t pos;
};

static int32_t source_read(void *ctx, uint8_t *buf, size_t len)
{
    struct source *s = ctx;
    size_t n = len;
    if ((uint64_t)n > FILE_SIZE - s->pos)
        n = (size_t)(FILE_SIZE - s->pos);
    if (n > 0x7fffffffu)
        n = 0x7fffffffu;
    memcpy(buf, file + s->pos, n);
    s->pos += n;
    return (int32_t)n;
}

static enum fwc_err source_seek(void *ctx, uint64_t offset)
{
    struct source *s = ctx;
    if (offset > FILE_SIZE)
        return FWC_ERR_INVALID_ARG;
    s->pos = offset;
    return FWC_OK;
}

static void hex(const uint8_t *b, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < n; i++) {
        out[2 * i] = digits[b[i] >> 4];
        out[2 * i + 1] = digits[b[i] & 15];
    }
    out[2 * n] = '\0';
}

int main(void)
{
    static char out[16384];
    char token[CONFIG_FWC_TOKEN_MAX + 1], asset[512], path[256], want[65], got[80];
    uint8_t digest[32];
    struct fwc_upload_params p;
    struct fwc_upload_state st;
    struct source src = {0};
    uint32_t x = 2463534242u, t0;
    size_t len = 0, i;
    enum fwc_err err;
    int status;

    printf("1..6\n");
    if (!tap(lwip_host_up() == 0, "lwIP up on the namespace's TAP device (%s side: 10.77.0.2)",
             "lwIP"))
        return 1;
    if (emu_client_init(&client) != FWC_OK) {
        printf("Bail out! no client\n");
        return 1;
    }
    /* No waiting on status polls: the upload is the point here. */
    status = emu_call(&client, "PUT", "/_emulator/config", "{\"status_polls\": 0}", out,
                      sizeof(out));
    tap(status == 200, "the emulator's control endpoint answers over lwIP (%d)", status);

    err = fwc_token(&client, token, sizeof(token), &len);
    tap(err == FWC_OK && len > 0, "a token over TLS over lwIP (%s, %zu characters)",
        fwc_strerror(err), len);

    status = emu_call(&client, "GET", "/fotoweb/me/", NULL, out, sizeof(out));
    tap(status == 200 && strstr(out, "\"userName\"") != NULL, "GET /fotoweb/me/ (%d)", status);

    for (i = 0; i < FILE_SIZE; i++) { /* xorshift32: no pattern TLS could flatter */
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        file[i] = (uint8_t)x;
    }
    (void)mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), file, FILE_SIZE, digest);
    hex(digest, sizeof(digest), want);
    memset(&p, 0, sizeof(p));
    memset(&st, 0, sizeof(st));
    p.destination = "/fotoweb/archives/5000-Uploads/";
    p.filename = "lwip.bin";
    p.file_size = FILE_SIZE;
    p.read = source_read;
    p.seek = source_seek;
    p.file_ctx = &src;
    t0 = fwc_port_now_ms();
    err = fwc_upload(&client, &p, &st, asset, sizeof(asset));
    t0 = fwc_port_now_ms() - t0;
    tap(err == FWC_OK, "upload of %u bytes in %u chunks (%s, %u ms, %.1f MiB/s)",
        (unsigned)FILE_SIZE, (unsigned)st.num_chunks, fwc_strerror(err), (unsigned)t0,
        t0 > 0 ? (double)FILE_SIZE / 1048576.0 / ((double)t0 / 1000.0) : 0.0);

    (void)snprintf(path, sizeof(path), "/_emulator/uploads/%s", st.id);
    status = emu_call(&client, "GET", path, NULL, out, sizeof(out));
    got[0] = '\0';
    (void)emu_json_str(out, "sha256", got, sizeof(got));
    tap(status == 200 && strcmp(got, want) == 0, "the emulator holds the same bytes: sha256 %s",
        got[0] != '\0' ? got : "(none)");
    if (strcmp(got, want) != 0)
        printf("# expected sha256 %s\n", want);
    fwc_client_close(&client);
    return tap_failures() == 0 ? 0 : 1;
}
