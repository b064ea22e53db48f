/* SPDX-License-Identifier: MIT */
/* Test support for port/lwip on the host: lwIP's stack brought up over its
 * unix port's tapif netif, and the board hooks (fwc_port_lwip.h) answered
 * from the host. Only tests link this; port/lwip itself fakes nothing. */
#ifndef LWIP_HOST_H
#define LWIP_HOST_H

/* tcpip_init, then one tapif netif on the TAP device PRECONFIGURED_TAPIF
 * names, with the IPv4 address FWC_LWIP_ADDR/24 (tests/lwip/netns.sh sets
 * both), as the default netif. 0, or -1 with a line on stderr. */
int lwip_host_up(void);

/* The kernel side's address (FWC_LWIP_PEER), for peers and messages. */
const char *lwip_host_peer(void);

#endif
