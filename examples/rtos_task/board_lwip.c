/* SPDX-License-Identifier: MIT */
/* The board side of port/lwip for the capture device: bring the network up
 * with lwIP, and give fwc what lwIP cannot (fwc_port_lwip.h): entropy from
 * the SoC's TRNG, the date from the RTC, and a console for the log.
 *
 * The HAL calls (hal_trng_read, hal_rtc_unix_time, hal_console_write) and
 * the netif driver (ethernetif_init) are the board vendor's; their names
 * here stand for whatever the SDK calls them. A FreeRTOS main() runs:
 *     board_network_start();
 *     xTaskCreate(capture_task, "fwc", 2048, NULL, tskIDLE_PRIORITY + 1, NULL);
 *     vTaskStartScheduler();
 * make cross compiles this file, port/lwip and the task against Debian's
 * lwIP headers with lwip/lwipopts.h and lwip/arch/ from this folder. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "fwc_port_lwip.h"
#include "lwip/dhcp.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"

/* The vendor's HAL. */
bool hal_trng_read(uint8_t *buf, size_t len);
bool hal_rtc_unix_time(int64_t *out);
void hal_console_write(const char *text, size_t len);
err_t ethernetif_init(struct netif *netif);

static struct netif board_netif;

/* tcpip_thread, then the Ethernet netif with DHCP. fwc connects only once
 * the task runs, and a connect before DHCP finishes fails with a named
 * error that the task retries. */
void board_network_start(void)
{
    tcpip_init(NULL, NULL);
    LOCK_TCPIP_CORE();
    netif_add(&board_netif, NULL, NULL, NULL, NULL, ethernetif_init, tcpip_input);
    netif_set_default(&board_netif);
    netif_set_up(&board_netif);
    (void)dhcp_start(&board_netif);
    UNLOCK_TCPIP_CORE();
}

enum fwc_err fwc_lwip_board_entropy(uint8_t *buf, size_t len)
{
    return hal_trng_read(buf, len) ? FWC_OK : FWC_ERR_TRANSPORT;
}

bool fwc_lwip_board_wall_time(int64_t *out_unix_seconds)
{
    return hal_rtc_unix_time(out_unix_seconds);
}

void fwc_lwip_board_log(int level, const char *line)
{
    static const char *const names[] = {"", "E ", "W ", "I ", "D "};
    const char *name = (level >= 1 && level <= 4) ? names[level] : "? ";
    hal_console_write(name, 2);
    hal_console_write(line, strlen(line));
    hal_console_write("\r\n", 2);
}
