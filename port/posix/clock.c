/* Monotonic time for the POSIX port. */
#define _POSIX_C_SOURCE 200809L
#include <time.h>

#include "fwc/port.h"

uint32_t fwc_port_now_ms(void)
{
    struct timespec ts;
    /* CLOCK_MONOTONIC cannot fail on a system that has it; a zero clock
     * would only make timeouts fire early, never late. */
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}
