/* SPDX-License-Identifier: MIT */
/* Time for the POSIX port: monotonic milliseconds, sleep, wall clock. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <time.h>

#include "fwc/port.h"

uint32_t fwc_port_now_ms(void)
{
    struct timespec ts;
    /* CLOCK_MONOTONIC cannot fail on a system that has it. Were it to,
     * the per-call socket timeouts (poll) still bound every wait. */
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
        return 0;
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

void fwc_port_sleep_ms(uint32_t ms)
{
    struct timespec left;
    left.tv_sec = (time_t)(ms / 1000u);
    left.tv_nsec = (long)(ms % 1000u) * 1000000L;
    while (nanosleep(&left, &left) != 0 && errno == EINTR) {
    }
}

bool fwc_port_wall_time(int64_t *out_unix_seconds)
{
    time_t now = time(NULL);
    /* Before 2024 the clock has simply not been set yet (time()'s error
     * value, -1, is before 2024 too). */
    if (now < (time_t)1704067200)
        return false;
    *out_unix_seconds = (int64_t)now;
    return true;
}
