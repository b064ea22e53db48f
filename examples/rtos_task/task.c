/* The body of an RTOS task that sends every capture to FotoWeb: one static
 * client, its token fetched and renewed by fwc, each frame uploaded straight
 * from the camera buffer in chunks through fwc's I/O buffer.
 *
 * Start it as a FreeRTOS task. Stack: fwc's own frames need under 1 KiB;
 * with mbedTLS's handshake about 7 KiB was measured on x86-64 with
 * port/mbedtls's config (docs/PERFORMANCE.md), so 2048 words (8 KiB);
 * check the task's high-water mark on the board:
 *     xTaskCreate(capture_task, "fwc", 2048, NULL, tskIDLE_PRIORITY + 1, NULL);
 * Time, sleeping, sockets and entropy come from fwc's port (port/lwip on
 * lwIP); the board provides credentials, the CA and captures (board.h). */
#include <stdbool.h>
#include <string.h>

#include "board.h"
#include "fwc/oauth.h"
#include "fwc/port.h"
#include "fwc/secret.h"
#include "fwc/upload.h"

/* static: 14 KiB of state does not belong on a task stack. */
static struct fwc_client client;
static char asset_url[256];

struct frame {
    const uint8_t *data;
    size_t len;
    size_t pos;
};

/* fwc's secret hook, answered from the board's secure storage. */
enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    (void)ctx;
    return board_read_credential(item == FWC_SECRET_CLIENT_ID ? 0 : 1, buf, cap, out_len);
}

static int32_t frame_read(void *ctx, uint8_t *buf, size_t len)
{
    struct frame *f = ctx;
    size_t n = f->len - f->pos < len ? f->len - f->pos : len;
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    return (int32_t)n; /* len is at most fwc's I/O buffer, well under 2^31 */
}

/* fwc seeks back to resend a chunk whose answer was lost. */
static enum fwc_err frame_seek(void *ctx, uint64_t offset)
{
    struct frame *f = ctx;
    if (offset > f->len)
        return FWC_ERR_INVALID_ARG;
    f->pos = (size_t)offset;
    return FWC_OK;
}

static enum fwc_err upload_frame(const uint8_t *data, size_t len, const char *name)
{
    struct frame f = {data, len, 0};
    struct fwc_upload_params p;
    struct fwc_upload_state state;

    memset(&p, 0, sizeof(p));
    memset(&state, 0, sizeof(state));
    p.destination = board_destination;
    p.filename = name;
    p.file_size = len;
    p.read = frame_read;
    p.seek = frame_seek;
    p.file_ctx = &f;
    return fwc_upload(&client, &p, &state, asset_url, sizeof(asset_url));
}

/* Failures that a later attempt can cure: the uplink or the server is
 * down for now. fwc already retried within its own budget before saying so. */
static bool worth_retrying(enum fwc_err err)
{
    return err == FWC_ERR_TIMEOUT || err == FWC_ERR_DNS || err == FWC_ERR_CONNECT ||
           err == FWC_ERR_CONN_RESET || err == FWC_ERR_CONN_CLOSED || err == FWC_ERR_TRANSPORT ||
           err == FWC_ERR_HTTP_TRUNCATED || err == FWC_ERR_RATE_LIMITED;
}

/* Waits between failed uploads: a device that lost its uplink must not
 * hammer the tenant when it comes back. */
static uint32_t next_backoff_ms(uint32_t ms)
{
    return ms >= 300000u ? 300000u : ms * 2u;
}

void capture_task(void *arg)
{
    struct fwc_client_config cfg;
    uint32_t backoff_ms = 5000;
    (void)arg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = board_base_url;
    cfg.ca = board_ca_pem;
    cfg.ca_len = board_ca_pem_len;
    if (fwc_client_init(&client, &cfg) != FWC_OK)
        return; /* a configuration fault: nothing later can fix it */

    for (;;) {
        size_t len = 0;
        const char *name = NULL;
        const uint8_t *data = board_wait_for_capture(&len, &name);
        enum fwc_err err = upload_frame(data, len, name);
        while (worth_retrying(err)) {
            fwc_port_sleep_ms(backoff_ms);
            backoff_ms = next_backoff_ms(backoff_ms);
            err = upload_frame(data, len, name);
        }
        backoff_ms = 5000;
        /* Any other error (credentials refused, the server rejected the
         * file) will not be cured by sending it again: drop the frame. */
        board_release_capture();
    }
}
