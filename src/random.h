/* SPDX-License-Identifier: MIT */
/* Random spread for waits (retry backoff, token renewal), so that devices
 * that failed together do not all come back together. */
#ifndef FWC_RANDOM_H
#define FWC_RANDOM_H

#include <stdint.h>

/* A number in [0, n) from the port's entropy; 0 when n is 0 or there is
 * no entropy: no spread is a worse wait, never a failure. */
uint32_t fwci_random_below(uint32_t n);

/* A Retry-After wait of wait_ms, spread: wait_ms plus a uniform random
 * extra of 0..pct % of it, the span at least CONFIG_FWC_RETRY_BASE_MS (so
 * "Retry-After: 0" is spread too) and at most CONFIG_FWC_RETRY_CAP_MS, the
 * extra cut to room_ms (what the caller's budget has beyond wait_ms).
 * Never less than wait_ms; pct 0 is wait_ms exactly. */
uint32_t fwci_retry_after_spread_ms(uint32_t wait_ms, unsigned pct, uint32_t room_ms);

#endif
