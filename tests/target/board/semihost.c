/* SPDX-License-Identifier: MIT */
/* ARM semihosting calls for the test rig (semihost.h). Operation numbers
 * and parameter blocks are those of Arm's semihosting specification:
 * r0 holds the operation, r1 a pointer to its parameter words, and the
 * answer comes back in r0. */
#include <string.h>

#include "semihost.h"

enum {
    SYS_OPEN = 0x01,
    SYS_CLOSE = 0x02,
    SYS_WRITE0 = 0x04,
    SYS_READ = 0x06,
    SYS_TIME = 0x11,
    SYS_GET_CMDLINE = 0x15,
    SYS_EXIT_EXTENDED = 0x20
};
/* ADP_Stopped_ApplicationExit: the reason code for a normal exit. */
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

static uint32_t call(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    /* The host reads and writes memory through r1: a compiler barrier. */
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void sh_write0(const char *text)
{
    (void)call(SYS_WRITE0, text);
}

int sh_open_read(const char *path)
{
    /* Mode 1 is fopen's "rb". */
    uint32_t args[3] = {(uint32_t)(uintptr_t)path, 1u, (uint32_t)strlen(path)};
    return (int)call(SYS_OPEN, args);
}

long sh_read(int handle, void *buf, size_t len)
{
    uint32_t args[3] = {(uint32_t)handle, (uint32_t)(uintptr_t)buf, (uint32_t)len};
    uint32_t not_read = call(SYS_READ, args);
    /* The answer is the count NOT read: len at the end of the file. */
    return not_read > len ? -1 : (long)(len - not_read);
}

void sh_close(int handle)
{
    uint32_t args[1] = {(uint32_t)handle};
    (void)call(SYS_CLOSE, args);
}

uint32_t sh_time(void)
{
    return call(SYS_TIME, NULL);
}

int sh_cmdline(char *buf, size_t cap)
{
    uint32_t args[2] = {(uint32_t)(uintptr_t)buf, (uint32_t)cap};
    return call(SYS_GET_CMDLINE, args) == 0 ? 0 : -1;
}

void sh_exit(int status)
{
    uint32_t args[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    (void)call(SYS_EXIT_EXTENDED, args);
    for (;;) /* not reached under QEMU */
        ;
}
