/* SPDX-License-Identifier: MIT */
/* ARM semihosting (the debugger or emulator services a BKPT 0xAB): this
 * firmware's console, its exit status, and the test rig's entropy, wall
 * time and configuration, all read from the host running QEMU
 * (-semihosting-config enable=on,target=native).
 *
 * TEST RIG ONLY. A product has none of this: a real board's console is a
 * UART, its entropy a TRNG, its date an RTC set by SNTP, its CA and
 * credentials in flash and secure storage. Without a debugger attached a
 * BKPT 0xAB is a HardFault. */
#ifndef SEMIHOST_H
#define SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

void sh_write0(const char *text);
/* A host file opened for reading, binary; -1 if it cannot be. */
int sh_open_read(const char *path);
/* Bytes read into buf (0 at the end), or -1. */
long sh_read(int handle, void *buf, size_t len);
void sh_close(int handle);
/* Seconds since 1970 on the host's clock. */
uint32_t sh_time(void);
/* The command line QEMU was given (-semihosting-config arg=...), NUL-ended;
 * 0 or -1. */
int sh_cmdline(char *buf, size_t cap);
/* Stop the emulator with this exit status. */
void sh_exit(int status) __attribute__((noreturn));

#endif
