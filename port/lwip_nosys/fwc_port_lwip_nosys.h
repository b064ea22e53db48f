/* SPDX-License-Identifier: MIT */
/* fwc's port for bare-metal lwIP (NO_SYS 1): include/fwc/port.h over
 * lwIP's raw TCP API, with no RTOS, no threads and no sockets.
 *
 * There is one thread of execution, so every blocking call of the port
 * contract blocks by polling: it feeds the netif (the board's poll hook),
 * runs lwIP's timers (sys_check_timeouts) and reads the clock, until its
 * condition holds or its deadline passes. fwc_port_sleep_ms() polls the
 * same way, so TCP keeps acknowledging, retransmitting and answering ARP
 * while fwc waits between retries.
 *
 * What lwIP must be built with (the board's lwipopts.h):
 *   NO_SYS 1, LWIP_TCP 1, LWIP_TIMERS 1 (sys_check_timeouts), LWIP_IPV4
 *   and/or LWIP_IPV6; LWIP_DNS 1 if fwc is to connect by host name (the
 *   lookup is then bounded by fwc's connect timeout, unlike the sockets
 *   port's). MEMP_NUM_TCP_PCB at least FWC_LWIP_NOSYS_SOCKETS plus the
 *   closed connections still in TIME_WAIT (lwIP reclaims those when it
 *   runs short).
 *
 * What the board must define:
 *   - u32_t sys_now(void): lwIP's NO_SYS millisecond clock, monotonic,
 *     wrapping at 2^32. It is fwc_port_now_ms() too. A SysTick or timer
 *     interrupt counting milliseconds is the usual source.
 *   - fwc_lwip_nosys_board_poll() below: the netif's receive side.
 *   - fwc_lwip_board_entropy / _wall_time / _log (port/lwip/fwc_port_lwip.h,
 *     shared with the RTOS port: port/lwip/board.c turns them into the
 *     contract's entropy, wall time and log).
 *
 * Rules that follow from NO_SYS: call fwc and lwIP from the main loop only,
 * never from an interrupt handler (an interrupt may only note that a frame
 * arrived); CONFIG_FWC_LOCKS must be 0 (there are no tasks to share a
 * client); the application's own waits (for DHCP, for the link) call
 * fwc_lwip_nosys_service() so lwIP keeps running.
 *
 * Memory: a table of FWC_LWIP_NOSYS_SOCKETS small entries (static RAM of
 * the port, about 16 bytes each on a 32-bit MCU); received data waits in
 * lwIP's pbufs until fwc reads it, and TCP's window (TCP_WND) bounds it.
 * Nothing is allocated from a heap. */
#ifndef FWC_PORT_LWIP_NOSYS_H
#define FWC_PORT_LWIP_NOSYS_H

#include <stdint.h>

/* Connections open at once. fwc uses one per client; a spare covers the
 * moment a keep-alive connection is replaced. */
#ifndef FWC_LWIP_NOSYS_SOCKETS
#define FWC_LWIP_NOSYS_SOCKETS 2
#endif

/* The board's receive side: hand every frame the netif has received to
 * lwIP (netif->input), and return. When nothing has arrived and
 * max_wait_ms > 0 it may sleep until an interrupt (a frame, the clock
 * tick) for at most max_wait_ms: that is where a device saves power and
 * where an emulator stops counting instructions. It must return at least
 * every max_wait_ms, so deadlines and lwIP's timers hold. */
void fwc_lwip_nosys_board_poll(uint32_t max_wait_ms);

/* One turn of the stack: the board's poll hook (waiting at most
 * max_wait_ms, and no longer than lwIP's next timer), then lwIP's timers.
 * The port calls it in every wait; the application calls it in its own. */
void fwc_lwip_nosys_service(uint32_t max_wait_ms);

#endif
