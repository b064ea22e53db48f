/* SPDX-License-Identifier: MIT */
/* Random spread for waits (retry backoff, token renewal), so that devices
 * that failed together do not all come back together. */
#ifndef FWC_RANDOM_H
#define FWC_RANDOM_H

#include <stdint.h>

/* A number in [0, n) from the port's entropy; 0 when n is 0 or there is
 * no entropy: no spread is a worse wait, never a failure. */
uint32_t fwci_random_below(uint32_t n);

#endif
