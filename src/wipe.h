/* SPDX-License-Identifier: MIT */
/* Erase memory that held a secret or a token, in a way the optimiser may
 * not drop (a plain memset before the buffer dies is a dead store). */
#ifndef FWC_WIPE_H
#define FWC_WIPE_H

#include <stddef.h>

void fwci_wipe(void *buf, size_t len);

#endif
