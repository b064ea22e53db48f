/* SPDX-License-Identifier: MIT */
/* Random spread (random.h). */
#include "random.h"

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
