/* SPDX-License-Identifier: MIT */
/* mbedtls_platform_gmtime_r for C libraries whose gmtime() is not fit for
 * a device: newlib's (arm-none-eabi) keeps its struct tm in a buffer it
 * allocates with malloc on first use, which would drag the C library's
 * allocator into an image that has none. port/mbedtls/fwc_mbedtls_config.h
 * selects this with FWC_MBEDTLS_ARENA (MBEDTLS_PLATFORM_GMTIME_R_ALT).
 * mbedTLS asks for UTC only, to compare certificate validity dates: plain
 * arithmetic on the proleptic Gregorian calendar, no time zones. */
#include "mbedtls/platform_util.h"

#if defined(MBEDTLS_PLATFORM_GMTIME_R_ALT)
#include <time.h>

/* Days since 1970-01-01 of year y's 1 March-based day: the calendar is
 * counted in 400-year eras starting on 1 March, so the leap day falls at
 * the end of each counted year. */
static long days_from_civil(long y, int m, int d)
{
    long era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153L * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097L + doe - 719468L;
}

struct tm *mbedtls_platform_gmtime_r(const mbedtls_time_t *tt, struct tm *tm_buf)
{
    long long t = (long long)*tt;
    long long days = t / 86400, secs = t % 86400;
    long z, era, doe, yoe, y, doy, mp;
    int m, d;

    if (secs < 0) {
        secs += 86400;
        days -= 1;
    }
    if (days > 100000000LL || days < -100000000LL)
        return NULL;
    z = (long)days + 719468L;
    era = (z >= 0 ? z : z - 146096L) / 146097L;
    doe = z - era * 146097L;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    d = (int)(doy - (153 * mp + 2) / 5 + 1);
    m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y = yoe + era * 400 + (m <= 2);

    tm_buf->tm_sec = (int)(secs % 60);
    tm_buf->tm_min = (int)(secs / 60 % 60);
    tm_buf->tm_hour = (int)(secs / 3600);
    tm_buf->tm_mday = d;
    tm_buf->tm_mon = m - 1;
    tm_buf->tm_year = (int)(y - 1900);
    tm_buf->tm_wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    tm_buf->tm_yday = (int)(days - days_from_civil(y, 1, 1));
    tm_buf->tm_isdst = 0;
    return tm_buf;
}
#else
/* ISO C wants something in every translation unit. */
typedef int fwc_mbedtls_gmtime_unused;
#endif
