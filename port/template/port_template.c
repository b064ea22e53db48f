/* SPDX-License-Identifier: MIT */
/* A new port, annotated: copy this file to port/<yours>/, fill in each
 * function, and build it instead of port/posix. Every function here is
 * declared in include/fwc/port.h, which is the contract; the notes below
 * are what that contract means in practice. This file compiles as it is,
 * but every stub fails safe (errors, no data): a port is not done until
 * tests/port/conformance.c's cases pass against it (tests/port/port.mk
 * and tests/lwip/lwip.mk show how a port's run is built). */
#include "fwc/port.h"

/* A free-running millisecond counter (a SysTick count, xTaskGetTickCount()
 * scaled to ms, lwIP's sys_now()). It must never go backwards. Wrapping at
 * 2^32 is fine: fwc only ever subtracts two readings. */
uint32_t fwc_port_now_ms(void)
{
    return 0;
}

/* Yield the CPU for at least ms (vTaskDelay, k_msleep, usleep). Used
 * between retries and upload status polls; with CONFIG_FWC_LOCKS the
 * client's lock is held meanwhile (other tasks on that client wait), so it
 * must be a real sleep that lets them run, not a busy wait. */
void fwc_port_sleep_ms(uint32_t ms)
{
    (void)ms;
}

/* Resolve host, connect a TCP socket to port, all within timeout_ms.
 * - Try every address the name resolves to (IPv4 and IPv6) until one
 *   connects; leave no socket open on failure.
 * - Return FWC_ERR_DNS when the name does not resolve, FWC_ERR_CONNECT when
 *   every address refused or was unreachable, FWC_ERR_TIMEOUT when time ran
 *   out. Never block past timeout_ms: use a non-blocking connect and wait
 *   with select/poll, or the stack's own connect timeout.
 * - Set the socket up so a write to a dead peer returns an error instead of
 *   raising a signal. */
enum fwc_err fwc_port_tcp_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                                  int *out_sock)
{
    (void)host;
    (void)port;
    (void)timeout_ms;
    (void)out_sock;
    return FWC_ERR_CONNECT;
}

/* Send up to len bytes; a short count is fine (fwc sends the rest). Wait
 * at most timeout_ms for room; timeout_ms == 0 means try once.
 * > 0 bytes sent, FWC_ERR_TIMEOUT (no room in time; socket still good),
 * FWC_ERR_CONN_RESET (peer reset or EPIPE), FWC_ERR_TRANSPORT (else). */
int32_t fwc_port_tcp_send(int sock, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    (void)sock;
    (void)data;
    (void)len;
    (void)timeout_ms;
    return FWC_ERR_TRANSPORT;
}

/* Receive up to len bytes; return as soon as any arrive. Wait at most
 * timeout_ms; timeout_ms == 0 means look once without waiting (fwc uses it
 * to see whether an idle kept-alive connection was closed by the server).
 * > 0 bytes received; 0 ONLY for an orderly close by the peer (FIN);
 * FWC_ERR_TIMEOUT when nothing arrived (never 0 for this: keep-alive
 * depends on the difference); FWC_ERR_CONN_RESET for a reset. */
int32_t fwc_port_tcp_recv(int sock, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    (void)sock;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return FWC_ERR_TRANSPORT;
}

/* Close the socket; never fails, never blocks for long. */
void fwc_port_tcp_close(int sock)
{
    (void)sock;
}

/* Bytes sent but not yet acknowledged by the peer, without blocking; -1
 * when the stack cannot tell (fwc then bounds waits by silence alone). */
int32_t fwc_port_tcp_unsent(int sock)
{
    (void)sock;
    return -1;
}

/* Cryptographically secure random bytes: a hardware TRNG, a secure
 * element, the OS's getrandom. This seeds TLS: returning anything
 * predictable breaks TLS completely, so when no good source is ready
 * return FWC_ERR_TRANSPORT and fwc will refuse to connect. */
enum fwc_err fwc_port_entropy(uint8_t *buf, size_t len)
{
    (void)buf;
    (void)len;
    return FWC_ERR_TRANSPORT;
}

/* UTC seconds since 1970 from an RTC set by SNTP or GNSS, for certificate
 * validity. Return false until the clock has been set: fwc then checks
 * dates against the build date (the time floor, docs/TLS.md). */
bool fwc_port_wall_time(int64_t *out_unix_seconds)
{
    (void)out_unix_seconds;
    return false;
}

/* One log line (no newline) to wherever the device logs: UART, syslog,
 * ESP_LOGx. fwc never passes a secret here. */
void fwc_port_log(int level, const char *line)
{
    (void)level;
    (void)line;
}
