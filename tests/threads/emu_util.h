/* SPDX-License-Identifier: MIT */
/* Test support against the FotoWeb emulator (tests/server), for programs
 * started by tests/server/with_emulator.sh --control: a client from
 * FWC_URL and FWC_CA_FILE, the emulator's control endpoint through that
 * client, numbers and strings picked out of its JSON, and TAP lines. */
#ifndef EMU_UTIL_H
#define EMU_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "fwc/client.h"

/* fwc_client_init from the environment; FWC_OK or the error (printed). */
enum fwc_err emu_client_init(struct fwc_client *c);

/* method path [body] through the client into out (NUL-terminated);
 * returns the HTTP status, or -1 after printing the fwc error. */
int emu_call(struct fwc_client *c, const char *method, const char *path, const char *json_body,
             char *out, size_t cap);

/* "name": <integer> in a JSON text; -1 when absent. */
long emu_json_long(const char *json, const char *name);
/* "name": "<string>" copied into out; false when absent or too long. */
bool emu_json_str(const char *json, const char *name, char *out, size_t cap);

/* TAP: "ok N - what" or "not ok N - what"; returns ok. */
bool tap(bool ok, const char *what, ...);
int tap_failures(void);

#endif
