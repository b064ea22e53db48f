/* SPDX-License-Identifier: MIT */
/* lwIP options for the capture device (Cortex-M4, FreeRTOS, one Ethernet
 * or Wi-Fi netif): what port/lwip needs and little more. The board's lwIP
 * build and fwc's cross-compile (make cross) both read this file. */
#ifndef RTOS_TASK_LWIPOPTS_H
#define RTOS_TASK_LWIPOPTS_H

#define NO_SYS 0                  /* an RTOS: sockets and tcpip_thread */
#define SYS_LIGHTWEIGHT_PROT 1

/* What port/lwip uses: BSD-style sockets with poll, TCP, DNS. */
#define LWIP_SOCKET 1
#define LWIP_SOCKET_POLL 1
#define LWIP_SOCKET_SELECT 0
#define LWIP_NETCONN 1            /* the sockets API is built on it */
#define LWIP_COMPAT_SOCKETS 0     /* lwip_socket() etc., no POSIX names */
#define LWIP_TCP 1
#define LWIP_UDP 1                /* DNS */
#define LWIP_DNS 1
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_DHCP 1
#define LWIP_RAW 0
#define LWIP_IGMP 0
#define LWIP_STATS 0

/* Memory: lwIP's own pools, sized for one TLS connection at a time. */
#define MEM_ALIGNMENT 4
#define MEM_SIZE (16 * 1024)
#define MEMP_NUM_NETCONN 4
#define MEMP_NUM_TCP_PCB 4
#define PBUF_POOL_SIZE 16
#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)

/* errno comes from newlib. */
#define LWIP_ERRNO_STDINCLUDE 1
#define LWIP_PROVIDE_ERRNO 0

/* Threads: tcpip_thread and the application's tasks. */
#define TCPIP_THREAD_STACKSIZE 1024
#define TCPIP_THREAD_PRIO 3
#define TCPIP_MBOX_SIZE 16
#define DEFAULT_TCP_RECVMBOX_SIZE 8
#define DEFAULT_ACCEPTMBOX_SIZE 4
#define DEFAULT_UDP_RECVMBOX_SIZE 4
#define DEFAULT_RAW_RECVMBOX_SIZE 4

#endif
