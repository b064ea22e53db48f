/* SPDX-License-Identifier: MIT */
/* lwIP options for the fwc firmware on mps2-an386: bare metal (NO_SYS 1),
 * one Ethernet netif, DHCP, one TLS connection at a time. Every pool is
 * static (lwIP's own heap and pools are arrays in .bss; no C library
 * malloc), sized for what fwc does: a TLS connection sending 2 KiB records
 * and receiving up to 4 KiB ones (port/mbedtls's buffer sizes). */
#ifndef FW_LWIPOPTS_H
#define FW_LWIPOPTS_H

#define NO_SYS 1
#define LWIP_TIMERS 1
/* No interrupt handler touches lwIP (the Ethernet interrupt only wakes the
 * main loop), so no critical sections are needed. */
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0

#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_TCP 1
#define LWIP_UDP 1 /* DHCP */
#define LWIP_DHCP 1
/* Skip the ARP probe of the offered address: it costs a second of boot
 * on a link where the DHCP server is the only other host. */
#define DHCP_DOES_ARP_CHECK 0
/* fwc connects by address here; a device reaching FotoWare's cloud by
 * name sets LWIP_DNS 1 (port/lwip_nosys then resolves within fwc's
 * connect timeout) and takes a DNS server from DHCP. */
#define LWIP_DNS 0
#define LWIP_RAW 0
#define LWIP_IGMP 0
#define LWIP_STATS 0
#define LWIP_NETIF_HOSTNAME 0

/* Memory: lwIP's heap holds what TCP has been given to send (copied, so
 * fwc can reuse its buffer) until it is acknowledged; the pool holds
 * received frames until fwc reads them. */
#define MEM_ALIGNMENT 4
#define MEM_SIZE (12 * 1024)
#define MEMP_NUM_PBUF 8
#define MEMP_NUM_TCP_PCB 4
#define MEMP_NUM_TCP_SEG 16
#define MEMP_NUM_UDP_PCB 2
#define PBUF_POOL_SIZE 8
#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)

/* fwc keeps one connection; a second covers its replacement. */
#define FWC_LWIP_NOSYS_SOCKETS 2

#endif
