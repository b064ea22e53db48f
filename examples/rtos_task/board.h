/* SPDX-License-Identifier: MIT */
/* What the board gives the capture task: its trust anchor, its identity,
 * and its captures. Everything that talks to the network or keeps time is
 * behind fwc's port (include/fwc/port.h), not here. The same interface
 * serves the FreeRTOS capture device (board_lwip.c, board_stub.c) and the
 * bare-metal firmware that runs in QEMU (tests/target/firmware.c). */
#ifndef BOARD_H
#define BOARD_H

#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"

/* The tenant's CA chain, PEM with its NUL counted (or DER), usually kept
 * in flash; it must stay valid while the client is used. */
const uint8_t *board_ca(size_t *out_len);

/* The tenant's base URL and the archive new captures go to. */
const char *board_base_url(void);
const char *board_destination(void);

/* Copy the client ID or secret from secure storage (a secure element, an
 * encrypted NVS partition) into buf; FWC_ERR_SECRET_UNAVAILABLE if absent. */
enum fwc_err board_read_credential(int which, char *buf, size_t cap, size_t *out_len);

/* Block until the camera has a frame; return its bytes and name. The frame
 * stays valid until board_release_capture(). */
const uint8_t *board_wait_for_capture(size_t *out_len, const char **out_name);
void board_release_capture(void);

#endif
