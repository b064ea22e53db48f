/* SPDX-License-Identifier: MIT */
/* lwIP on the host for port/lwip's tests (lwip_host.h). */
#define _GNU_SOURCE /* getrandom; lwIP's unix port headers want POSIX too */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>

#include "lwip/opt.h"
#include "lwip/ip_addr.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "lwip/tcpip.h"
#include "netif/tapif.h"

#include "fwc_port_lwip.h"
#include "lwip_host.h"

static struct netif tap_netif;
static sys_sem_t ready;

/* ---- the board hooks, from the host ------------------------------------- */

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

/* ---- the stack ------------------------------------------------------------- */

static void tcpip_ready(void *arg)
{
    (void)arg;
    sys_sem_signal(&ready);
}

const char *lwip_host_peer(void)
{
    const char *p = getenv("FWC_LWIP_PEER");
    return p != NULL ? p : "10.77.0.1";
}

int lwip_host_up(void)
{
    const char *addr = getenv("FWC_LWIP_ADDR");
    ip4_addr_t ip, mask, gw;

    if (getenv("PRECONFIGURED_TAPIF") == NULL || addr == NULL) {
        fprintf(stderr, "lwip_host_up: run under tests/lwip/netns.sh "
                        "(PRECONFIGURED_TAPIF, FWC_LWIP_ADDR)\n");
        return -1;
    }
    if (!ip4addr_aton(addr, &ip) || !ip4addr_aton(lwip_host_peer(), &gw)) {
        fprintf(stderr, "lwip_host_up: bad address %s\n", addr);
        return -1;
    }
    IP4_ADDR(&mask, 255, 255, 255, 0);
    if (sys_sem_new(&ready, 0) != ERR_OK)
        return -1;
    tcpip_init(tcpip_ready, NULL);
    (void)sys_arch_sem_wait(&ready, 0);
    sys_sem_free(&ready);

    /* netif calls outside the tcpip thread need the core lock. */
    LOCK_TCPIP_CORE();
    if (netif_add(&tap_netif, &ip, &mask, &gw, NULL, tapif_init, tcpip_input) == NULL) {
        UNLOCK_TCPIP_CORE();
        fprintf(stderr, "lwip_host_up: tapif_init failed\n");
        return -1;
    }
    netif_set_default(&tap_netif);
    netif_set_up(&tap_netif);
    netif_set_link_up(&tap_netif);
    UNLOCK_TCPIP_CORE();
    return 0;
}
