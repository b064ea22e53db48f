/* SPDX-License-Identifier: MIT */
/* fwc's port over lwIP (port/lwip): what the board provides.
 *
 * port/lwip implements include/fwc/port.h over lwIP's sockets API
 * (LWIP_SOCKET, with LWIP_SOCKET_POLL for the timeouts) and its sys layer
 * (sys_now, sys_msleep, sys_mutex; NO_SYS must be 0). It needs from lwIP:
 *   - tcpip_init() done and a netif up before fwc connects;
 *   - LWIP_SO_RCVTIMEO is not needed: every wait is an lwip_poll();
 *   - host names need LWIP_DNS (lwip_getaddrinfo); without it only numeric
 *     IPv4/IPv6 addresses connect and a name is FWC_ERR_DNS. With it, a
 *     lookup is bounded by lwIP's DNS_MAX_RETRIES and DNS_TMR_INTERVAL,
 *     not by fwc's timeout: connect by address where that matters.
 * Locks (CONFIG_FWC_LOCKS) are sys_mutex_t kept in fwc's lock storage;
 * sys_mutex_new() takes its memory from wherever the sys_arch does (an RTOS
 * pool, or libc in the unix port): port/lwip itself allocates nothing.
 *
 * Three things lwIP does not know, so the board supplies them by defining
 * these functions (nothing in port/lwip fakes them): */
#ifndef FWC_PORT_LWIP_H
#define FWC_PORT_LWIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"

/* len bytes from a cryptographically secure source: the SoC's TRNG, a
 * secure element. FWC_OK, or FWC_ERR_TRANSPORT while none is available
 * (fwc then refuses to connect). This seeds TLS: a counter, a timer or
 * rand() here breaks TLS completely. */
enum fwc_err fwc_lwip_board_entropy(uint8_t *buf, size_t len);

/* UTC seconds since 1970 from the board's RTC (set by SNTP, GNSS, a
 * network time source). false while the date is not known: fwc then
 * cannot check certificate validity dates and says so in its log. */
bool fwc_lwip_board_wall_time(int64_t *out_unix_seconds);

/* One finished log line without newline; level 1 error, 2 warning, 3 info,
 * 4 debug. Never holds a secret or a whole token. May be called from any
 * task that uses fwc, with the client's lock held. */
void fwc_lwip_board_log(int level, const char *line);

#endif
