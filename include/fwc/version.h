/* SPDX-License-Identifier: MIT */
/* fwc's version: semantic versioning (a MAJOR change may break callers,
 * MINOR adds, PATCH fixes). The macros are the version of these headers;
 * fwc_version() is the version of the library a program runs with, which
 * may differ when fwc is a shared library. */
#ifndef FWC_VERSION_H
#define FWC_VERSION_H

#define FWC_VERSION_MAJOR 0
#define FWC_VERSION_MINOR 1
#define FWC_VERSION_PATCH 0
/* One number to compare, also in #if: MAJOR * 1000000 + MINOR * 1000 +
 * PATCH (1.2.3 is 1002003). */
#define FWC_VERSION_NUMBER \
    (FWC_VERSION_MAJOR * 1000000L + FWC_VERSION_MINOR * 1000L + FWC_VERSION_PATCH)
/* The same as text, e.g. for a User-Agent (tests/unit/test_version.c checks
 * it matches the numbers). */
#define FWC_VERSION "0.1.0"

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version as text ("0.1.0"), constant. */
const char *fwc_version(void);
/* The library's FWC_VERSION_NUMBER. */
long fwc_version_number(void);

#ifdef __cplusplus
}
#endif

#endif
