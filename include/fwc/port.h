/* SPDX-License-Identifier: MIT */
/* The platform contract: link-time functions, exactly one port per build
 * (port/posix, port/lwip, or your own from port/template). Only files under
 * port/ touch the operating system.
 *
 * Sockets are small non-negative ints (a POSIX descriptor, an lwIP socket).
 * fwc_port_tcp_send and _recv return what a transport's send and recv do
 * (fwc/transport.h has the contract: bytes, 0 for an orderly close, or a
 * named error), except that a plain socket knows no close_notify, so it
 * never reports FWC_ERR_CONN_CLOSED. Only fwc's own TLS transport
 * (CONFIG_FWC_TLS_MBEDTLS) and the test-rig plaintext one call them; a
 * build with neither needs no socket functions at all. */
#ifndef FWC_PORT_H
#define FWC_PORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds from a monotonic clock: never jumps when the wall clock is
 * set. It may wrap at 2^32; fwc compares times by unsigned difference, so a
 * wrap is harmless as long as no single wait exceeds 2^31 ms. */
uint32_t fwc_port_now_ms(void);

/* Block the calling task for at least ms milliseconds. */
void fwc_port_sleep_ms(uint32_t ms);

/* Resolve host (name, IPv4 or IPv6 literal) and connect to port within
 * timeout_ms, DNS included where the platform's resolver can be bounded
 * (port/posix: see net.c for the resolver's own limits). Tries each
 * address in turn.
 * Returns FWC_OK and *out_sock, or FWC_ERR_DNS (no such name),
 * FWC_ERR_CONNECT (refused or unreachable everywhere), FWC_ERR_TIMEOUT,
 * FWC_ERR_TRANSPORT. Leaves no socket open on failure. */
enum fwc_err fwc_port_tcp_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                                  int *out_sock);

int32_t fwc_port_tcp_send(int sock, const uint8_t *data, size_t len, uint32_t timeout_ms);
int32_t fwc_port_tcp_recv(int sock, uint8_t *buf, size_t len, uint32_t timeout_ms);
void fwc_port_tcp_close(int sock);

/* Bytes sent on sock that the peer has not yet acknowledged (still in the
 * local send queue), or a negative value when the platform cannot tell.
 * Never blocks. fwc reads it while it waits for an answer: on a slow
 * uplink the queue can hold seconds of a request body after the last
 * send returned, and a queue that shrinks is a link that is working, not
 * a silent server (docs/HTTP.md, "Time"). A port that returns -1 loses
 * only that: the wait is then bounded by CONFIG_FWC_IO_TIMEOUT_MS alone. */
int32_t fwc_port_tcp_unsent(int sock);

/* Fill buf with len bytes from a cryptographically secure source, to seed
 * the TLS random generator. FWC_OK, or FWC_ERR_TRANSPORT when none can be
 * had: fwc then refuses to connect rather than use weak randomness. */
enum fwc_err fwc_port_entropy(uint8_t *buf, size_t len);

/* Seconds since 1970 (UTC) for certificate validity checks. Return false
 * when the device does not know the date yet: fwc then takes the build
 * date as now (a certificate that expired before it is still refused) and
 * says so in the log (docs/TLS.md, "Time"). */
bool fwc_port_wall_time(int64_t *out_unix_seconds);

/* Locks, with CONFIG_FWC_LOCKS: a mutex the port keeps in this storage.
 * init may fail (no memory in an RTOS pool): the client then refuses to
 * start. acquire blocks until the lock is held; the same task never
 * acquires twice. (Not fwc_port_lock(): in C++ a function of the
 * struct's name hides its constructor, and g++ -Wshadow says so.) */
struct fwc_port_lock {
    union {
        void *align_ptr;
        uint64_t align_u64;
        unsigned char bytes[CONFIG_FWC_PORT_LOCK_SIZE];
    } storage;
};
enum fwc_err fwc_port_lock_init(struct fwc_port_lock *lock);
void fwc_port_lock_acquire(struct fwc_port_lock *lock);
void fwc_port_lock_release(struct fwc_port_lock *lock);
void fwc_port_lock_free(struct fwc_port_lock *lock);

/* One finished log line, never containing a secret or a whole token.
 * level: 1 error, 2 warning, 3 info, 4 debug. */
void fwc_port_log(int level, const char *line);

#ifdef __cplusplus
}
#endif

#endif
