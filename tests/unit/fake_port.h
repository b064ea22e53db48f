/* SPDX-License-Identifier: MIT */
/* The port, faked for unit tests: a clock the tests move by hand (so
 * timeouts are tested without waiting), deterministic entropy, a log that
 * is captured for inspection, and sockets that refuse. */
#ifndef FAKE_PORT_H
#define FAKE_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern uint32_t fake_now_ms;
void fake_clock_advance(uint32_t ms);

/* The wall clock: unknown (false) unless a test sets it. */
extern bool fake_wall_known;
extern int64_t fake_wall_s;

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

/* Sockets refuse, unless a test hands them a transport to play (a script
 * transport): connect opens it, send and recv go to it, close closes it.
 * fake_tcp_host and fake_tcp_port say where the last connect went. */
struct fwc_transport;
extern const struct fwc_transport *fake_tcp;
extern char fake_tcp_host[256];
extern uint16_t fake_tcp_port;
extern unsigned fake_tcp_closes;

#endif
