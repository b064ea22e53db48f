/* SPDX-License-Identifier: MIT */
/* Time on mps2-an386: SysTick counts the 25 MHz core clock and interrupts
 * every millisecond; that count is lwIP's sys_now() and so fwc's clock.
 * Time spent asleep in WFI is counted apart, so the firmware can tell
 * instructions executed from time waited (under QEMU's -icount the virtual
 * clock advances one nanosecond per instruction while the core runs). */
#include <stdbool.h>
#include <stdint.h>

#include "mps2.h"
#include "lwip/sys.h"

#define SYST_CSR (*(volatile uint32_t *)0xe000e010u)
#define SYST_RVR (*(volatile uint32_t *)0xe000e014u)
#define SYST_CVR (*(volatile uint32_t *)0xe000e018u)
#define NVIC_ISER0 (*(volatile uint32_t *)0xe000e100u)
#define NVIC_ICER0 (*(volatile uint32_t *)0xe000e180u)

#define TICKS_PER_MS (BOARD_CPU_HZ / 1000u)

void SysTick_Handler(void);

static volatile uint32_t ms;
static uint64_t idle;

void SysTick_Handler(void)
{
    ms++;
}

void board_clock_start(void)
{
    SYST_RVR = TICKS_PER_MS - 1u;
    SYST_CVR = 0;
    /* Processor clock, interrupt on wrap, enabled. */
    SYST_CSR = 0x7u;
}

/* lwIP's NO_SYS clock, fwc's too (port/lwip_nosys). */
u32_t sys_now(void)
{
    return ms;
}

uint64_t board_ticks(void)
{
    uint32_t m, v;
    /* A millisecond may end between the two reads: read until both agree. */
    do {
        m = ms;
        v = SYST_CVR;
    } while (m != ms);
    return (uint64_t)m * TICKS_PER_MS + (TICKS_PER_MS - 1u - v);
}

uint64_t board_idle_ticks(void)
{
    return idle;
}

void board_wait_for_interrupt(bool (*work_pending)(void), uint32_t max_ms)
{
    uint64_t t0 = board_ticks();
    uint32_t start = ms;
    /* Masked, an interrupt that arrives between the check and the WFI
     * stays pending and ends the WFI at once instead of being handled
     * before it and lost to it. Unmasked between WFIs so the tick counts.
     * The millisecond ticks that end a WFI only loop back here, a few
     * instructions each, instead of running the whole stack every time:
     * the instruction counts then measure work, not waiting. */
    __asm__ volatile("cpsid i" ::: "memory");
    while (!work_pending() && ms - start < max_ms) {
        __asm__ volatile("dsb\n\twfi\n\tcpsie i\n\tisb\n\tcpsid i" ::: "memory");
    }
    __asm__ volatile("cpsie i\n\tisb" ::: "memory");
    idle += board_ticks() - t0;
}

void board_irq_enable(unsigned irq)
{
    NVIC_ISER0 = 1u << irq;
}

void board_irq_disable(unsigned irq)
{
    NVIC_ICER0 = 1u << irq;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
}
