/* SPDX-License-Identifier: MIT */
/* lwIP's compiler and platform glue for the fwc firmware on mps2-an386:
 * GCC for Cortex-M4, newlib-nano, no printf. */
#ifndef FW_ARCH_CC_H
#define FW_ARCH_CC_H

#include <stdint.h>

#define BYTE_ORDER LITTLE_ENDIAN

/* lwIP's debug output is compiled out; its assertions stop the firmware
 * with the message on the console (a test must fail, not limp on). */
void board_lwip_halt(const char *msg) __attribute__((noreturn));
#define LWIP_PLATFORM_DIAG(x) \
    do {                      \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x) board_lwip_halt(x)

/* Initial ports and DHCP transaction ids. */
uint32_t board_lwip_rand(void);
#define LWIP_RAND() board_lwip_rand()

#endif
