/* SPDX-License-Identifier: MIT */
/* Random spread (random.h). */
#include "random.h"

#include "fwc/config.h"
#include "fwc/port.h"

/* 16 bits scaled to n: uniform enough to spread waits, and the port's
 * entropy (a hardware RNG on a device) is asked for as little as it can. */
uint32_t fwci_random_below(uint32_t n)
{
    uint8_t r[2] = {0, 0};
    if (n == 0 || fwc_port_entropy(r, sizeof(r)) != FWC_OK)
        return 0;
    return (uint32_t)(((uint64_t)((uint32_t)r[0] << 8 | r[1]) * n) >> 16);
}

/* Servers send every client they turn away the same Retry-After; without
 * an extra, a fleet turned away together comes back in the same second. */
uint32_t fwci_retry_after_spread_ms(uint32_t wait_ms, unsigned pct, uint32_t room_ms)
{
    uint32_t span;

    if (pct == 0)
        return wait_ms;
    span = (uint32_t)(((uint64_t)wait_ms * pct) / 100u);
    if (span < CONFIG_FWC_RETRY_BASE_MS)
        span = CONFIG_FWC_RETRY_BASE_MS;
    if (span > CONFIG_FWC_RETRY_CAP_MS)
        span = CONFIG_FWC_RETRY_CAP_MS;
    if (span > room_ms)
        span = room_ms; /* the budget still decides, as without the extra */
    return wait_ms + fwci_random_below(span + 1u);
}
