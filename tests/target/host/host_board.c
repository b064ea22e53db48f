/* SPDX-License-Identifier: MIT */
/* port/lwip_nosys on the host, for the port conformance suite
 * (tests/port/conformance.c): lwIP built with NO_SYS 1 drives the TAP
 * device of tests/lwip/netns.sh's namespace from the test's one thread,
 * the way a bare-metal board drives its Ethernet controller. This file is
 * that "board": the TAP netif, the millisecond clock (sys_now), the poll
 * hook, entropy, wall time and log from the host, and the name server
 * netns.sh --dns exports (FWC_PORT_DNS). Test code only. */
#define _GNU_SOURCE /* getrandom, TUNSETIFF */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#include "fwc_port_lwip.h"
#include "fwc_port_lwip_nosys.h"

int port_setup(void);
extern void (*peer_port_idle)(void); /* tests/port/peer_kernel.c */

/* While the peer waits, the "device" idles in its main loop. */
static void idle(void)
{
    fwc_lwip_nosys_service(0);
}

static struct netif tap;
static int tap_fd = -1;

u32_t sys_now(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (u32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

enum fwc_err fwc_lwip_board_entropy(uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = getrandom(buf + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return FWC_ERR_TRANSPORT;
        got += (size_t)n;
    }
    return FWC_OK;
}

bool fwc_lwip_board_wall_time(int64_t *out_unix_seconds)
{
    *out_unix_seconds = (int64_t)time(NULL);
    return true;
}

void fwc_lwip_board_log(int level, const char *line)
{
    fprintf(stderr, "fwc[%d]: %s\n", level, line);
}

/* ---- the TAP device as an Ethernet netif --------------------------------- */

static err_t tap_output(struct netif *netif, struct pbuf *p)
{
    uint8_t frame[1518];
    u16_t n = p->tot_len > sizeof(frame) ? (u16_t)sizeof(frame) : p->tot_len;
    (void)netif;
    (void)pbuf_copy_partial(p, frame, n, 0);
    return write(tap_fd, frame, n) == (ssize_t)n ? ERR_OK : ERR_IF;
}

static err_t tap_init(struct netif *netif)
{
    static const uint8_t mac[6] = {0x02, 0x12, 0x34, 0x56, 0x78, 0xac};
    memcpy(netif->hwaddr, mac, sizeof(mac));
    netif->hwaddr_len = 6;
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    netif->name[0] = 't';
    netif->name[1] = 'p';
    netif->output = etharp_output;
    netif->linkoutput = tap_output;
    return ERR_OK;
}

/* Every frame waiting on the TAP, into lwIP; if none, wait up to
 * max_wait_ms for one (the host's version of a WFI). */
void fwc_lwip_nosys_board_poll(uint32_t max_wait_ms)
{
    uint8_t frame[2048];
    struct pollfd pfd = {tap_fd, POLLIN, 0};
    int waited = 0;

    for (;;) {
        ssize_t n = read(tap_fd, frame, sizeof(frame));
        struct pbuf *p;
        if (n <= 0) {
            if (waited || max_wait_ms == 0)
                return;
            (void)poll(&pfd, 1, max_wait_ms > 1000 ? 1000 : (int)max_wait_ms);
            waited = 1;
            continue;
        }
        p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_POOL);
        if (p == NULL)
            continue; /* dropped, as a full RX FIFO would: TCP resends */
        (void)pbuf_take(p, frame, (u16_t)n);
        if (tap.input(p, &tap) != ERR_OK)
            pbuf_free(p);
    }
}

/* A board learns its name server from DHCP or its configuration; this
 * one from the environment, when the run has one. */
static int set_name_server(const char *address)
{
    ip_addr_t server;

    if (address == NULL)
        return 0;
    if (!ipaddr_aton(address, &server))
        return -1;
    dns_setserver(0, &server);
    return 0;
}

int port_setup(void)
{
    const char *name = getenv("PRECONFIGURED_TAPIF");
    const char *addr = getenv("FWC_LWIP_ADDR");
    const char *peer = getenv("FWC_LWIP_PEER");
    struct ifreq ifr;
    ip4_addr_t ip, mask, gw;

    if (name == NULL || addr == NULL || peer == NULL) {
        fprintf(stderr, "port_setup: run under tests/lwip/netns.sh\n");
        return -1;
    }
    tap_fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK);
    memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    (void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
    if (tap_fd < 0 || ioctl(tap_fd, TUNSETIFF, &ifr) != 0) {
        perror("port_setup: TAP device");
        return -1;
    }
    if (!ip4addr_aton(addr, &ip) || !ip4addr_aton(peer, &gw))
        return -1;
    IP4_ADDR(&mask, 255, 255, 255, 0);
    lwip_init();
    if (netif_add(&tap, &ip, &mask, &gw, NULL, tap_init, ethernet_input) == NULL)
        return -1;
    netif_set_default(&tap);
    if (set_name_server(getenv("FWC_PORT_DNS")) != 0)
        return -1;
    netif_set_up(&tap);
    netif_set_link_up(&tap);
    peer_port_idle = idle;
    return 0;
}
