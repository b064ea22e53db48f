/* SPDX-License-Identifier: MIT */
/* The body of an RTOS task that sends every capture to FotoWeb: one static
 * client, its token fetched and renewed by fwc, each frame uploaded straight
 * from the camera buffer in chunks through fwc's I/O buffer. The
 * board-independent part (client set-up, the secret hook, one upload, the
 * retry policy) is capture.c, which the bare-metal firmware in
 * tests/target runs too.
 *
 * Start it as a FreeRTOS task. Stack: the same code on a Cortex-M4 in QEMU
 * (make target: fwc, mbedTLS's handshake with an ECDSA P-256 server, lwIP
 * and interrupts on one stack) peaked at 5,852 bytes (docs/PERFORMANCE.md),
 * so 2048 words (8 KiB) leaves room for an RTOS's frames, an RSA chain and
 * the sockets layer; check the task's high-water mark on the board:
 *     xTaskCreate(capture_task, "fwc", 2048, NULL, tskIDLE_PRIORITY + 1, NULL);
 * Time, sleeping, sockets and entropy come from fwc's port (port/lwip on
 * lwIP); the board provides credentials, the CA and captures (board.h). */
#include <stdbool.h>
#include <string.h>

#include "board.h"
#include "capture.h"
#include "fwc/port.h"

/* static: 16 KiB of state does not belong on a task stack. */
static struct fwc_client client;
static char asset_url[256];

void capture_task(void *arg);

void capture_task(void *arg)
{
    uint32_t backoff_ms = 5000;
    (void)arg;

    if (capture_client_init(&client) != FWC_OK)
        return; /* a configuration fault: nothing later can fix it */

    for (;;) {
        struct capture cap;
        struct capture_buffer buf;
        struct fwc_upload_state state;
        size_t len = 0;
        const char *name = NULL;
        const uint8_t *data = board_wait_for_capture(&len, &name);
        enum fwc_err err;

        capture_from_buffer(&cap, &buf, data, len, name);
        err = capture_send(&client, &cap, &state, asset_url, sizeof(asset_url));
        while (capture_worth_retrying(err)) {
            fwc_port_sleep_ms(backoff_ms);
            backoff_ms = capture_next_backoff_ms(backoff_ms);
            err = capture_send(&client, &cap, &state, asset_url, sizeof(asset_url));
        }
        backoff_ms = 5000;
        /* Any other error (credentials refused, the server rejected the
         * file) will not be cured by sending it again: drop the frame. */
        board_release_capture();
    }
}
