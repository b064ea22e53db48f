/* SPDX-License-Identifier: MIT */
/* lwIP's platform glue for port/lwip_nosys's host test. */
#ifndef HOST_NOSYS_ARCH_CC_H
#define HOST_NOSYS_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#define LWIP_PLATFORM_DIAG(x) \
    do {                      \
        printf x;             \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x)                          \
    do {                                                 \
        fprintf(stderr, "lwIP assertion: %s\n", x);      \
        abort();                                         \
    } while (0)
/* Initial ports and DNS ids; a test's, not a device's randomness. */
#define LWIP_RAND() ((u32_t)random())

#endif
