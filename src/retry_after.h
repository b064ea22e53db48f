/* SPDX-License-Identifier: MIT */
/* Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date. Pure. */
#ifndef FWC_RETRY_AFTER_H
#define FWC_RETRY_AFTER_H

#include <stdbool.h>
#include <stdint.h>

/* Seconds to wait, from value (the header, trimmed). An HTTP-date needs
 * the wall clock: now_unix is the current UTC time, or negative when the
 * device does not know it (a date then cannot be used). A date in the
 * past means 0. Returns false for anything unusable (the caller falls back
 * to its own backoff). All three HTTP-date forms RFC 9110 5.6.7 has
 * recipients accept: IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"),
 * RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT", its century chosen so the
 * year is at most 50 years ahead) and asctime ("Sun Nov  6 08:49:37 1994").
 * A date that cannot exist (31 Apr, a day name not the date's) is refused. */
bool fwci_retry_after_seconds(const char *value, int64_t now_unix, uint32_t *out_seconds);

struct fwc_http_response;
/* The Retry-After of a 429 or 503 answer, as above; false for another
 * status, none, or one cut to fit its slot (a cut value could read as a
 * shorter wait). Request and token renewal share it. */
bool fwci_retry_after_of(const struct fwc_http_response *resp, int64_t now_unix,
                         uint32_t *out_seconds);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t fwci_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
