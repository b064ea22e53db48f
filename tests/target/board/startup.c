/* SPDX-License-Identifier: MIT */
/* Reset and exception entry for the Cortex-M4 of mps2-an386: the vector
 * table, .data copied from flash, .bss zeroed, the FPU switched on, the
 * stack painted (so its peak can be measured), then main(). */
#include <stdint.h>
#include <string.h>

#include "mps2.h"

int main(void);
void Reset_Handler(void);
void Fault_Handler(void);
void SysTick_Handler(void);
void Ethernet_Handler(void);

#define SCB_CPACR (*(volatile uint32_t *)0xe000ed88u)
#define SCB_CFSR (*(volatile uint32_t *)0xe000ed28u)
#define SCB_HFSR (*(volatile uint32_t *)0xe000ed2cu)

/* The table the core reads at reset: the initial stack pointer, then the
 * handlers. A struct, because the first word is data, not code. */
struct vector_table {
    uint32_t *stack_top;
    void (*handlers[15 + 32])(void);
};

__attribute__((section(".vectors"), used)) static const struct vector_table vectors = {
    __stack_top,
    {
        Reset_Handler,
        Fault_Handler, /* NMI */
        Fault_Handler, /* HardFault */
        Fault_Handler, /* MemManage */
        Fault_Handler, /* BusFault */
        Fault_Handler, /* UsageFault */
        0, 0, 0, 0,
        Fault_Handler, /* SVCall */
        Fault_Handler, /* DebugMonitor */
        0,
        Fault_Handler, /* PendSV */
        SysTick_Handler,
        /* External interrupts 0..31; AN386 puts the LAN9118 on line 13. */
        Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
        Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
        Fault_Handler, Fault_Handler, Fault_Handler, Ethernet_Handler, Fault_Handler,
        Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
        Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
        Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler, Fault_Handler,
        Fault_Handler, Fault_Handler,
    },
};

static void hex32(char *out, uint32_t v)
{
    static const char digits[] = "0123456789abcdef";
    int i;
    for (i = 7; i >= 0; i--) {
        out[i] = digits[v & 15u];
        v >>= 4;
    }
    out[8] = '\0';
}

/* Any fault or unexpected interrupt ends the run with its registers:
 * a test that crashes must fail loudly, not hang. */
void Fault_Handler(void)
{
    char hex[9];
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    board_puts("FAULT: exception ");
    hex32(hex, ipsr & 0x1ffu);
    board_puts(hex);
    board_puts(", CFSR ");
    hex32(hex, SCB_CFSR);
    board_puts(hex);
    board_puts(", HFSR ");
    hex32(hex, SCB_HFSR);
    board_puts(hex);
    board_puts("\n");
    board_exit(3);
}

void Reset_Handler(void)
{
    uint8_t *p, *sp;
    size_t data_len = (size_t)((uint8_t *)__data_end - (uint8_t *)__data_start);

    memcpy(__data_start, __data_load, data_len);
    memset(__bss_start, 0, (size_t)((uint8_t *)__bss_end - (uint8_t *)__bss_start));
    /* Full access to CP10 and CP11, the FPU: the build uses the hard-float
     * ABI, and the first floating-point instruction would fault. */
    SCB_CPACR |= 0xfu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
    /* Paint the stack below the frame running now (64 bytes of margin). */
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (p = (uint8_t *)__stack_bottom; p < sp - 64; p++)
        *p = BOARD_PAINT;
    board_exit(main());
}

size_t board_stack_peak(void)
{
    const uint8_t *p = (const uint8_t *)__stack_bottom;
    while (p < (const uint8_t *)__stack_top && *p == BOARD_PAINT)
        p++;
    return (size_t)((const uint8_t *)__stack_top - p);
}
