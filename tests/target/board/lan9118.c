/* SPDX-License-Identifier: MIT */
/* LAN9118 netif (lan9118.h). Registers and bits from SMSC's LAN9118
 * datasheet, as QEMU's model implements them: 32-bit FIFO ports at the
 * bottom of the map, system control registers above 0x50, and the MAC's
 * own registers reached indirectly through MAC_CSR_CMD/MAC_CSR_DATA. */
#include <stdint.h>
#include <string.h>

#include "mps2.h"
#include "lan9118.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#define BASE 0x40200000u
#define REG(off) (*(volatile uint32_t *)(BASE + (off)))

#define RX_DATA_FIFO REG(0x00)
#define TX_DATA_FIFO REG(0x20)
#define RX_STATUS_FIFO REG(0x40)
#define TX_STATUS_FIFO REG(0x48)
#define IRQ_CFG REG(0x54)
#define INT_STS REG(0x58)
#define INT_EN REG(0x5c)
#define BYTE_TEST REG(0x64)
#define TX_CFG REG(0x70)
#define HW_CFG REG(0x74)
#define RX_FIFO_INF REG(0x7c)
#define TX_FIFO_INF REG(0x80)
#define PMT_CTRL REG(0x84)
#define MAC_CSR_CMD REG(0xa4)
#define MAC_CSR_DATA REG(0xa8)

#define BYTE_TEST_VALUE 0x87654321u /* reads back so when the bus is right */
#define HW_CFG_SRST (1u << 0)
#define PMT_CTRL_READY (1u << 0)
#define TX_CFG_TX_ON (1u << 1)
#define IRQ_CFG_EN (1u << 8)
#define IRQ_CFG_POL_HIGH (1u << 4)
#define IRQ_CFG_PUSH_PULL (1u << 0)
#define INT_RSFL (1u << 3) /* RX status FIFO above its level (0: any frame) */
#define CSR_BUSY (1u << 31)
#define CSR_READ (1u << 30)

/* MAC registers (through MAC_CSR_CMD). */
#define MAC_CR 1u
#define MAC_ADDRH 2u
#define MAC_ADDRL 3u
#define MAC_CR_RXEN (1u << 2)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_FDPX (1u << 20)

/* TX command words and RX status. */
#define TXA_FIRST_SEG (1u << 13)
#define TXA_LAST_SEG (1u << 12)
#define RXS_ERROR (1u << 15)
#define RXS_LENGTH(s) (((s) >> 16) & 0x3fffu) /* frame + 4-byte CRC */

#define FRAME_MAX 1514u

static uint32_t mac_read(uint32_t reg)
{
    MAC_CSR_CMD = CSR_BUSY | CSR_READ | reg;
    while (MAC_CSR_CMD & CSR_BUSY)
        ;
    return MAC_CSR_DATA;
}

static void mac_write(uint32_t reg, uint32_t value)
{
    MAC_CSR_DATA = value;
    MAC_CSR_CMD = CSR_BUSY | reg;
    while (MAC_CSR_CMD & CSR_BUSY)
        ;
}

bool lan9118_rx_pending(void)
{
    return ((RX_FIFO_INF >> 16) & 0xffu) != 0;
}

/* One frame out: command A and B, then the bytes as little-endian words.
 * The whole frame goes in one buffer, so FIRST and LAST segment both. */
static err_t output(struct netif *netif, struct pbuf *p)
{
    uint32_t len = p->tot_len, word = 0;
    unsigned fill = 0;
    const struct pbuf *q;
    (void)netif;

    if (len > FRAME_MAX)
        return ERR_BUF;
    /* Room for the data and the two command words; the controller sends
     * as it goes, so the wait is short. */
    while ((TX_FIFO_INF & 0xffffu) < len + 8u)
        ;
    TX_DATA_FIFO = TXA_FIRST_SEG | TXA_LAST_SEG | len;
    TX_DATA_FIFO = (len << 16) | len; /* tag (the length) and packet length */
    for (q = p; q != NULL; q = q->next) {
        const uint8_t *b = q->payload;
        u16_t i;
        for (i = 0; i < q->len; i++) {
            word |= (uint32_t)b[i] << (8u * fill);
            if (++fill == 4) {
                TX_DATA_FIFO = word;
                word = 0;
                fill = 0;
            }
        }
    }
    if (fill != 0)
        TX_DATA_FIFO = word;
    /* Drop the transmit statuses: an error would only mean a lost frame,
     * which TCP repairs, and a full status FIFO stops transmission. */
    while (((TX_FIFO_INF >> 16) & 0xffu) != 0)
        (void)TX_STATUS_FIFO;
    return ERR_OK;
}

int lan9118_poll(struct netif *netif)
{
    int frames = 0;

    while (lan9118_rx_pending()) {
        uint32_t status = RX_STATUS_FIFO;
        uint32_t len = RXS_LENGTH(status), words = (len + 3u) / 4u, i, w;
        struct pbuf *p = NULL, *q;
        unsigned off = 0;

        if ((status & RXS_ERROR) == 0 && len > 4u && len - 4u <= FRAME_MAX)
            p = pbuf_alloc(PBUF_RAW, (u16_t)(len - 4u), PBUF_POOL);
        q = p;
        for (i = 0; i < words; i++) {
            /* Read every word of the frame even when it is dropped (bad,
             * or no pbuf free): the FIFO holds the next frame behind it. */
            w = RX_DATA_FIFO;
            if (p == NULL)
                continue;
            for (unsigned k = 0; k < 4u && q != NULL; k++) {
                ((uint8_t *)q->payload)[off] = (uint8_t)(w >> (8u * k));
                if (++off == q->len) {
                    q = q->next;
                    off = 0;
                }
            }
        }
        /* The level interrupt ends once the status FIFO is drained and its
         * flag written back. */
        INT_STS = INT_RSFL;
        if (p != NULL) {
            if (netif->input(p, netif) != ERR_OK)
                pbuf_free(p);
            frames++;
        }
    }
    board_irq_enable(BOARD_IRQ_ETHERNET);
    return frames;
}

/* The interrupt only wakes the main loop: lwIP must not run here. Masking
 * the line stops a level interrupt from firing again and again until the
 * main loop has drained the FIFO (lan9118_poll unmasks it). */
void Ethernet_Handler(void);
void Ethernet_Handler(void)
{
    board_irq_disable(BOARD_IRQ_ETHERNET);
}

err_t lan9118_init(struct netif *netif)
{
    uint32_t lo, hi;

    if (BYTE_TEST != BYTE_TEST_VALUE)
        return ERR_IF;
    HW_CFG = HW_CFG_SRST;
    while (HW_CFG & HW_CFG_SRST)
        ;
    while ((PMT_CTRL & PMT_CTRL_READY) == 0)
        ;
    /* The address the controller loaded from its EEPROM (QEMU's -nic mac=). */
    lo = mac_read(MAC_ADDRL);
    hi = mac_read(MAC_ADDRH);
    netif->hwaddr[0] = (u8_t)lo;
    netif->hwaddr[1] = (u8_t)(lo >> 8);
    netif->hwaddr[2] = (u8_t)(lo >> 16);
    netif->hwaddr[3] = (u8_t)(lo >> 24);
    netif->hwaddr[4] = (u8_t)hi;
    netif->hwaddr[5] = (u8_t)(hi >> 8);
    netif->hwaddr_len = 6;
    netif->mtu = 1500;
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->output = etharp_output;
    netif->linkoutput = output;

    /* Own address and broadcast only (not promiscuous, the reset state),
     * full duplex, both directions on. */
    mac_write(MAC_CR, MAC_CR_RXEN | MAC_CR_TXEN | MAC_CR_FDPX);
    TX_CFG = TX_CFG_TX_ON;
    /* An active-high, push-pull interrupt for any received frame. */
    INT_STS = 0xffffffffu;
    INT_EN = INT_RSFL;
    IRQ_CFG = IRQ_CFG_EN | IRQ_CFG_POL_HIGH | IRQ_CFG_PUSH_PULL;
    board_irq_enable(BOARD_IRQ_ETHERNET);
    return ERR_OK;
}
