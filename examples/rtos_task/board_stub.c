/* SPDX-License-Identifier: MIT */
/* A stand-in board, so that `make cross` links the whole capture program
 * (fwc, mbedTLS, the task) for Cortex-M4 and every symbol is accounted for.
 * It has no camera, no CA and no credentials: run on a device, the task
 * fails safe with a named error before anything is sent. A real board replaces
 * this file; main() stands where FreeRTOS would create the task and start
 * the scheduler. */
#include "board.h"

void capture_task(void *arg);

static const uint8_t frame[] = {0xFF, 0xD8, 0xFF, 0xD9}; /* an empty JPEG */

static const uint8_t ca_pem[] = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n";

const uint8_t *board_ca(size_t *out_len)
{
    *out_len = sizeof(ca_pem);
    return ca_pem;
}

const char *board_base_url(void)
{
    return "https://tenant.example.com";
}

const char *board_destination(void)
{
    return "/fotoweb/archives/5000-Captures/";
}

enum fwc_err board_read_credential(int which, char *buf, size_t cap, size_t *out_len)
{
    (void)which;
    (void)buf;
    (void)cap;
    *out_len = 0;
    return FWC_ERR_SECRET_UNAVAILABLE;
}

const uint8_t *board_wait_for_capture(size_t *out_len, const char **out_name)
{
    *out_len = sizeof(frame);
    *out_name = "capture.jpg";
    return frame;
}

void board_release_capture(void)
{
}

int main(void)
{
    capture_task(0);
    return 0;
}
