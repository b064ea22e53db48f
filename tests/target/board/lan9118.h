/* SPDX-License-Identifier: MIT */
/* An lwIP netif for the SMSC LAN9118 Ethernet controller of mps2-an386
 * (at 0x40200000, interrupt line 13; in hardware a LAN9220, which is
 * register compatible). Polled from the main loop (NO_SYS): the interrupt
 * only wakes the core from WFI. */
#ifndef LAN9118_H
#define LAN9118_H

#include <stdbool.h>

#include "lwip/err.h"
#include "lwip/netif.h"

/* netif_add()'s init function: resets the chip, reads its MAC address,
 * enables transmit and receive and the receive interrupt. */
err_t lan9118_init(struct netif *netif);
/* Hand every received frame to netif->input; the number handed. */
int lan9118_poll(struct netif *netif);
/* A frame is waiting in the receive FIFO. */
bool lan9118_rx_pending(void);

#endif
