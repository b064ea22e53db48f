/* SPDX-License-Identifier: MIT */
/* Shared by the libFuzzer harnesses. A property that does not hold aborts
 * with its file and line, so libFuzzer keeps the input as a crash artifact
 * just as it would for a sanitizer report. */
#ifndef FWC_FUZZ_H
#define FWC_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                   \
    do {                                                                   \
        if (!(cond))                                                       \
            fuzz_fail(__FILE__, __LINE__, #cond);                          \
    } while (0)

static inline void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: property does not hold: %s\n", file, line, what);
    abort();
}

/* All bytes of buf[0..len) are zero: what a wiped buffer must look like. */
static inline int fuzz_all_zero(const void *buf, size_t len)
{
    const unsigned char *p = buf;
    size_t i;
    for (i = 0; i < len; i++) {
        if (p[i] != 0)
            return 0;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
