/* SPDX-License-Identifier: MIT */
/* The board-independent half of the capture device (capture.h). */
#include <string.h>

#include "board.h"
#include "capture.h"
#include "fwc/secret.h"

/* fwc's secret hook, answered from the board's secure storage. */
enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    (void)ctx;
    return board_read_credential(item == FWC_SECRET_CLIENT_ID ? 0 : 1, buf, cap, out_len);
}

static int32_t buffer_read(void *ctx, uint8_t *buf, size_t len)
{
    struct capture_buffer *b = ctx;
    size_t n = b->len - b->pos < len ? b->len - b->pos : len;
    memcpy(buf, b->data + b->pos, n);
    b->pos += n;
    return (int32_t)n; /* len is at most fwc's I/O buffer, well under 2^31 */
}

static enum fwc_err buffer_seek(void *ctx, uint64_t offset)
{
    struct capture_buffer *b = ctx;
    if (offset > b->len)
        return FWC_ERR_INVALID_ARG;
    b->pos = (size_t)offset;
    return FWC_OK;
}

void capture_from_buffer(struct capture *cap, struct capture_buffer *buf, const uint8_t *data,
                         size_t len, const char *name)
{
    buf->data = data;
    buf->len = len;
    buf->pos = 0;
    cap->name = name;
    cap->size = len;
    cap->read = buffer_read;
    cap->seek = buffer_seek;
    cap->ctx = buf;
}

enum fwc_err capture_client_init(struct fwc_client *client)
{
    struct fwc_client_config cfg;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = board_base_url();
    cfg.ca = board_ca(&cfg.ca_len);
    return fwc_client_init(client, &cfg);
}

enum fwc_err capture_send(struct fwc_client *client, const struct capture *cap,
                          struct fwc_upload_state *state, char *asset_url, size_t asset_url_cap)
{
    struct fwc_upload_params p;

    /* Start at the beginning: a previous attempt may have read part of it. */
    if (cap->seek(cap->ctx, 0) != FWC_OK)
        return FWC_ERR_BODY_READER;
    memset(&p, 0, sizeof(p));
    memset(state, 0, sizeof(*state));
    p.destination = board_destination();
    p.filename = cap->name;
    p.file_size = cap->size;
    p.read = cap->read;
    p.seek = cap->seek;
    p.file_ctx = cap->ctx;
    return fwc_upload(client, &p, state, asset_url, asset_url_cap);
}

bool capture_worth_retrying(enum fwc_err err)
{
    return err == FWC_ERR_TIMEOUT || err == FWC_ERR_DNS || err == FWC_ERR_CONNECT ||
           err == FWC_ERR_CONN_RESET || err == FWC_ERR_CONN_CLOSED || err == FWC_ERR_TRANSPORT ||
           err == FWC_ERR_HTTP_TRUNCATED || err == FWC_ERR_RATE_LIMITED;
}

/* A device that lost its uplink must not hammer the tenant when it comes
 * back: double the wait up to five minutes. */
uint32_t capture_next_backoff_ms(uint32_t ms)
{
    return ms >= 300000u ? 300000u : ms * 2u;
}
