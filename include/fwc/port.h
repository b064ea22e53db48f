/* The platform contract: link-time functions, exactly one port per build
 * (port/posix, port/lwip, or your own from port/template). Only files under
 * port/ touch the operating system. */
#ifndef FWC_PORT_H
#define FWC_PORT_H

#include <stdint.h>

/* Milliseconds from a monotonic clock: never jumps when the wall clock is
 * set. It may wrap at 2^32; fwc compares times by unsigned difference, so a
 * wrap is harmless as long as no single wait exceeds 2^31 ms. */
uint32_t fwc_port_now_ms(void);

#endif
