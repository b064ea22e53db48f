/* SPDX-License-Identifier: MIT */
/* The port, faked for unit tests: a clock the tests move by hand (so
 * timeouts are tested without waiting), deterministic entropy, a log that
 * is captured for inspection, and sockets that refuse. */
#ifndef FAKE_PORT_H
#define FAKE_PORT_H

#include <stddef.h>
#include <stdint.h>

extern uint32_t fake_now_ms;
void fake_clock_advance(uint32_t ms);

/* Next entropy bytes: every byte is this value (default 0x80). */
extern uint8_t fake_entropy_byte;
extern int fake_entropy_fails;

/* Every log line since the last reset, newline-separated. */
extern char fake_log[65536];
extern size_t fake_log_len;
void fake_log_reset(void);
/* Abort the test program if any later log line contains s (a token). The
 * fake secret's forms are always forbidden. */
void fake_log_forbid(const char *s);

/* With CONFIG_FWC_LOCKS: how many fake locks are held now. */
extern int fake_lock_held;
/* ... and how often one was taken: a getter that reads locked state takes it. */
extern unsigned fake_lock_takes;

/* The secret hook's answers. */
extern const char *fake_client_id;
extern const char *fake_client_secret;
extern int fake_secret_fails;
extern unsigned fake_secret_calls;

#endif
