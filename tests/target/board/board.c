/* SPDX-License-Identifier: MIT */
/* The mps2-an386 board under fwc's bare-metal port (port/lwip_nosys): the
 * poll hook over the LAN9118, the network brought up with DHCP, and the
 * three board hooks of port/lwip/fwc_port_lwip.h.
 *
 * TEST RIG, NOT A PRODUCT: entropy and the date come from the host
 * through semihosting (/dev/urandom and the host's clock, read by QEMU),
 * and the log goes to QEMU's console. A product takes entropy from a TRNG
 * or secure element, the date from an RTC set by SNTP, and logs to a UART;
 * the rest of this file (the netif, the poll hook, DHCP) is what a product
 * keeps. */
#include <stdbool.h>
#include <stdint.h>

#include "mps2.h"
#include "fwc_port_lwip.h"
#include "fwc_port_lwip_nosys.h"
#include "lan9118.h"
#include "lwip/dhcp.h"
#include "lwip/init.h"
#include "lwip/sys.h"
#include "lwip/netif.h"
#include "netif/ethernet.h"
#include "semihost.h"

static struct netif eth;
static int urandom = -1;
static uint32_t rand_state;

void board_puts(const char *text)
{
    sh_write0(text);
}

void board_exit(int status)
{
    sh_exit(status);
}

/* newlib's exit() ends here (mbedTLS's arena calls it when it finds itself
 * corrupted). */
void _exit(int status);
void _exit(int status)
{
    board_puts("exit() called\n");
    sh_exit(status == 0 ? 5 : status);
}

void board_lwip_halt(const char *msg)
{
    board_puts("lwIP assertion: ");
    board_puts(msg);
    board_puts("\n");
    sh_exit(4);
}

/* TEST RIG: the host's /dev/urandom, read through semihosting. */
enum fwc_err fwc_lwip_board_entropy(uint8_t *buf, size_t len)
{
    long n;
    if (urandom < 0)
        urandom = sh_open_read("/dev/urandom");
    if (urandom < 0)
        return FWC_ERR_TRANSPORT;
    while (len > 0) {
        n = sh_read(urandom, buf, len);
        if (n <= 0)
            return FWC_ERR_TRANSPORT;
        buf += n;
        len -= (size_t)n;
    }
    return FWC_OK;
}

/* TEST RIG: the host's clock, through semihosting. */
bool fwc_lwip_board_wall_time(int64_t *out_unix_seconds)
{
    *out_unix_seconds = (int64_t)sh_time();
    return true;
}

void fwc_lwip_board_log(int level, const char *line)
{
    static const char *const names[] = {"", "E ", "W ", "I ", "D "};
    board_puts("fwc: ");
    board_puts(level >= 1 && level <= 4 ? names[level] : "? ");
    board_puts(line);
    board_puts("\n");
}

/* lwIP's ports and DHCP ids: xorshift32 seeded from the entropy source
 * (lwIP needs them unpredictable only to other hosts, not secret). */
uint32_t board_lwip_rand(void)
{
    while (rand_state == 0 && fwc_lwip_board_entropy((uint8_t *)&rand_state, 4) == FWC_OK)
        ;
    rand_state ^= rand_state << 13;
    rand_state ^= rand_state >> 17;
    rand_state ^= rand_state << 5;
    return rand_state;
}

void fwc_lwip_nosys_board_poll(uint32_t max_wait_ms)
{
    if (lan9118_poll(&eth) > 0 || max_wait_ms == 0)
        return;
    /* Nothing arrived: sleep until a frame does or the wait is over. */
    board_wait_for_interrupt(lan9118_rx_pending, max_wait_ms);
    (void)lan9118_poll(&eth);
}

/* lwIP up on the LAN9118, then DHCP until an address is bound or
 * timeout_ms passes. The address, or 0. */
uint32_t board_network_up(uint32_t timeout_ms);
uint32_t board_network_up(uint32_t timeout_ms)
{
    uint32_t start;

    lwip_init();
    if (netif_add(&eth, NULL, NULL, NULL, NULL, lan9118_init, ethernet_input) == NULL)
        return 0;
    netif_set_default(&eth);
    netif_set_up(&eth);
    netif_set_link_up(&eth); /* QEMU's PHY has link at once */
    if (dhcp_start(&eth) != ERR_OK)
        return 0;
    start = sys_now();
    while (!dhcp_supplied_address(&eth)) {
        if (sys_now() - start >= timeout_ms)
            return 0;
        fwc_lwip_nosys_service(timeout_ms);
    }
    return ip4_addr_get_u32(netif_ip4_addr(&eth));
}
