/* SPDX-License-Identifier: MIT */
/* port/lwip_nosys: time, sleep and the service loop that every wait of
 * this port runs (fwc_port_lwip_nosys.h). */
#include "lwip/opt.h"
#include "lwip/sys.h"
#include "lwip/timeouts.h"

#include "fwc/port.h"
#include "fwc_port_lwip_nosys.h"

#if !NO_SYS
#error "port/lwip_nosys is for lwIP with NO_SYS 1; with an RTOS use port/lwip"
#endif
#if !LWIP_TIMERS
#error "port/lwip_nosys runs lwIP's timers itself: LWIP_TIMERS must be 1"
#endif
#if CONFIG_FWC_LOCKS
#error "port/lwip_nosys has one thread of execution: build with CONFIG_FWC_LOCKS 0"
#endif

/* sys_now() is the board's millisecond clock, the one lwIP's timers run
 * on: monotonic and wrapping at 2^32, as port.h asks. */
uint32_t fwc_port_now_ms(void)
{
    return (uint32_t)sys_now();
}

void fwc_lwip_nosys_service(uint32_t max_wait_ms)
{
    /* Never sleep past lwIP's next timer: a TCP retransmission or a
     * delayed ACK due now must not wait for fwc's deadline. */
    uint32_t next = (uint32_t)sys_timeouts_sleeptime();
    fwc_lwip_nosys_board_poll(next < max_wait_ms ? next : max_wait_ms);
    sys_check_timeouts();
}

/* Sleeping keeps the stack alive: a connection fwc keeps open across a
 * Retry-After wait must still be acknowledged and kept. */
void fwc_port_sleep_ms(uint32_t ms)
{
    uint32_t start = fwc_port_now_ms(), spent;

    while ((spent = fwc_port_now_ms() - start) < ms)
        fwc_lwip_nosys_service(ms - spent);
}
