/* SPDX-License-Identifier: MIT */
/* The mps2-an386 board for the fwc firmware: clock, interrupts, the
 * LAN9118 Ethernet controller, and what the firmware measures about
 * itself. */
#ifndef MPS2_H
#define MPS2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* SysTick, from the 25 MHz core clock: one interrupt a millisecond. */
#define BOARD_CPU_HZ 25000000u
void board_clock_start(void);
/* Core clock ticks since start, 64-bit. */
uint64_t board_ticks(void);
/* Core clock ticks spent asleep in WFI since start. */
uint64_t board_idle_ticks(void);
/* Sleep in WFI until work_pending() or max_ms have passed; the time is
 * counted as idle. */
void board_wait_for_interrupt(bool (*work_pending)(void), uint32_t max_ms);

/* Console and stop, through semihosting (semihost.h: the test rig's). */
void board_puts(const char *text);
void board_exit(int status) __attribute__((noreturn));

/* Interrupt lines. */
#define BOARD_IRQ_ETHERNET 13
void board_irq_enable(unsigned irq);
void board_irq_disable(unsigned irq);

/* The linker script's symbols. */
extern uint32_t __stack_bottom[], __stack_top[];
extern uint32_t __data_start[], __data_end[], __data_load[], __bss_start[], __bss_end[];
extern uint8_t __flash_end[];
extern uint8_t __fwc_flash_start[], __fwc_flash_end[], __port_flash_start[], __port_flash_end[];
extern uint8_t __mbedtls_flash_start[], __mbedtls_flash_end[];
extern uint8_t __lwip_flash_start[], __lwip_flash_end[];
extern uint8_t __fwc_bss_start[], __fwc_bss_end[], __port_bss_start[], __port_bss_end[];
extern uint8_t __mbedtls_bss_start[], __mbedtls_bss_end[], __lwip_bss_start[], __lwip_bss_end[];

/* The byte the stack is painted with at reset. */
#define BOARD_PAINT 0xa5u
/* Bytes of stack ever used: the deepest byte not still paint. */
size_t board_stack_peak(void);

#endif
