/* SPDX-License-Identifier: MIT */
/* Logging through the port's hook, compiled out above
 * CONFIG_FWC_LOG_LEVEL. No printf: on a microcontroller it would cost more
 * flash than fwc itself. Callers pass constant text and numbers only;
 * fwci_log_token shows a token by its first 4 characters, never more. */
#ifndef FWC_LOG_H
#define FWC_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"

#define FWC_LOG_ERROR 1
#define FWC_LOG_WARNING 2
#define FWC_LOG_INFO 3
#define FWC_LOG_DEBUG 4

#if CONFIG_FWC_LOG_LEVEL > 0
void fwci_log_text(int level, const char *text);
/* "text: <value><unit>" */
void fwci_log_value(int level, const char *text, uint32_t value, const char *unit);
/* "text: abcd... (N chars)" */
void fwci_log_token(int level, const char *text, const char *token, size_t len);
#endif

#define FWC_LOG_ENABLED(level) (CONFIG_FWC_LOG_LEVEL >= (level))

#define FWC_LOG_TEXT(level, text)                                                         \
    do {                                                                                  \
        if (FWC_LOG_ENABLED(level))                                                       \
            FWC_LOG_CALL(fwci_log_text((level), (text)));                                  \
    } while (0)
#define FWC_LOG_VALUE(level, text, value, unit)                                           \
    do {                                                                                  \
        if (FWC_LOG_ENABLED(level))                                                       \
            FWC_LOG_CALL(fwci_log_value((level), (text), (value), (unit)));               \
    } while (0)
#define FWC_LOG_TOKEN(level, text, token, len)                                            \
    do {                                                                                  \
        if (FWC_LOG_ENABLED(level))                                                       \
            FWC_LOG_CALL(fwci_log_token((level), (text), (token), (len)));                \
    } while (0)

#if CONFIG_FWC_LOG_LEVEL > 0
#define FWC_LOG_CALL(call) call
#else
#define FWC_LOG_CALL(call) ((void)0)
#endif

#endif
