/* SPDX-License-Identifier: MIT */
/* lwIP's compiler and platform glue for the capture device: GCC for
 * Cortex-M4 with newlib. */
#ifndef RTOS_TASK_ARCH_CC_H
#define RTOS_TASK_ARCH_CC_H

#include <stdint.h>
#include <stdlib.h>

#define BYTE_ORDER LITTLE_ENDIAN

/* newlib has struct timeval in <sys/time.h>. */
#define LWIP_TIMEVAL_PRIVATE 0
#include <sys/time.h>

/* Diagnostics go to the board's console; an assertion stops the system,
 * which the watchdog then resets. */
void board_lwip_diag(const char *fmt, ...);
void board_lwip_halt(const char *msg);
#define LWIP_PLATFORM_DIAG(x) \
    do {                      \
        board_lwip_diag x;    \
    } while (0)
#define LWIP_PLATFORM_ASSERT(x) board_lwip_halt(x)

/* lwIP's randomness (initial ports, DNS ids) from the board's generator. */
uint32_t board_lwip_rand(void);
#define LWIP_RAND() board_lwip_rand()

#endif
