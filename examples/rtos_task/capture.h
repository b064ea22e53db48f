/* SPDX-License-Identifier: MIT */
/* The board-independent half of the capture device: the client set up
 * from the board (board.h), fwc's secret hook over the board's secure
 * storage, one capture sent as a FotoWeb upload, and the retry policy.
 * examples/rtos_task/task.c runs it as a FreeRTOS task over port/lwip;
 * tests/target/firmware.c runs the same code bare-metal over
 * port/lwip_nosys in QEMU, so the example a user copies is the one that
 * runs. */
#ifndef CAPTURE_H
#define CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/client.h"
#include "fwc/upload.h"

/* What to upload: size bytes given out by read, from any offset by seek
 * (fwc seeks back to resend a chunk whose answer was lost). */
struct capture {
    const char *name;
    uint64_t size;
    int32_t (*read)(void *ctx, uint8_t *buf, size_t len);
    enum fwc_err (*seek)(void *ctx, uint64_t offset);
    void *ctx;
};

/* A capture read from a buffer in memory (a camera frame). */
struct capture_buffer {
    const uint8_t *data;
    size_t len;
    size_t pos;
};
void capture_from_buffer(struct capture *cap, struct capture_buffer *buf, const uint8_t *data,
                         size_t len, const char *name);

/* fwc_client_init with the board's base URL and CA. */
FWC_NODISCARD enum fwc_err capture_client_init(struct fwc_client *client);

/* Upload one capture to the board's destination, from its start; state
 * (the caller's, reset here) ends holding the upload's id and chunks, and
 * asset_url the new asset's URL. fwc renews the token and retries within
 * its own budget; what it returns is final for this attempt. */
FWC_NODISCARD enum fwc_err capture_send(struct fwc_client *client, const struct capture *cap,
                                        struct fwc_upload_state *state, char *asset_url,
                                        size_t asset_url_cap);

/* Failures a later attempt can cure (the uplink or the server is down for
 * now), and the wait before that attempt. */
bool capture_worth_retrying(enum fwc_err err);
uint32_t capture_next_backoff_ms(uint32_t ms);

#endif
