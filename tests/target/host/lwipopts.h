/* SPDX-License-Identifier: MIT */
/* lwIP options for port/lwip_nosys's host test (tests/target/host): lwIP
 * built from Debian's source with NO_SYS 1, driving a TAP device from one
 * thread, as a bare-metal device drives its Ethernet controller. The
 * target firmware has its own (tests/target/board/lwipopts.h). */
#ifndef HOST_NOSYS_LWIPOPTS_H
#define HOST_NOSYS_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_TIMERS 1
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0

#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_TCP 1
#define LWIP_UDP 1 /* DNS */
#define LWIP_DNS 1 /* so the port's name lookup is compiled and linked */
#define LWIP_DHCP 0
#define LWIP_RAW 0
#define LWIP_IGMP 0
#define LWIP_STATS 0

#define MEM_ALIGNMENT 8
#define MEM_SIZE (64 * 1024)
#define MEMP_NUM_TCP_PCB 8
#define MEMP_NUM_TCP_SEG 64
#define PBUF_POOL_SIZE 48
#define TCP_MSS 1460
#define TCP_WND (8 * TCP_MSS)
#define TCP_SND_BUF (8 * TCP_MSS)

#define FWC_LWIP_NOSYS_SOCKETS 4

#endif
