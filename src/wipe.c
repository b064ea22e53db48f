/* SPDX-License-Identifier: MIT */
#include "wipe.h"

#include <string.h>

/* A plain memset of memory that is never read again may be removed by the
 * optimiser. After it, an empty asm statement that "reads" the buffer and
 * clobbers memory makes the zeros observable (GCC, Clang); elsewhere, a
 * byte loop through a volatile pointer, which no compiler may skip. Neither
 * needs a static variable, so fwc keeps no .data. */
void fwci_wipe(void *buf, size_t len)
{
    if (buf == NULL || len == 0)
        return;
#if defined(__GNUC__)
    memset(buf, 0, len);
    __asm__ __volatile__("" : : "r"(buf) : "memory");
#else
    {
        volatile unsigned char *p = buf;
        while (len-- > 0)
            *p++ = 0;
    }
#endif
}
