#include "wipe.h"

#include <string.h>

/* Calling memset through a volatile pointer forces the call: the compiler
 * cannot prove which function it reaches, so it cannot elide it. */
static void *(*const volatile wipe_memset)(void *, int, size_t) = memset;

void fwc_wipe(void *buf, size_t len)
{
    if (buf != NULL && len > 0)
        (void)wipe_memset(buf, 0, len);
}
