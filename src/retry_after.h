/* Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date. Pure. */
#ifndef FWC_RETRY_AFTER_H
#define FWC_RETRY_AFTER_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds to wait, from value (the header, trimmed). An HTTP-date needs
 * the wall clock: now_unix is the current UTC time, or negative when the
 * device does not know it (a date then cannot be used). A date in the
 * past means 0. Returns false for anything unusable (the caller falls back
 * to its own backoff). IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"),
 * the form RFC 9110 requires senders to use. */
bool fwc_retry_after_seconds(const char *value, int64_t now_unix, uint32_t *out_seconds);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t fwc_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
