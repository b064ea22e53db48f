/* A port clock the tests move by hand, so timeouts are tested without
 * waiting. Linked instead of port/posix/clock.c. */
#ifndef FAKE_CLOCK_H
#define FAKE_CLOCK_H

#include <stdint.h>

extern uint32_t fake_now_ms;
void fake_clock_advance(uint32_t ms);

#endif
