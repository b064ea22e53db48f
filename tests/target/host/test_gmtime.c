/* SPDX-License-Identifier: MIT */
/* port/mbedtls/fwc_mbedtls_gmtime.c, the gmtime mbedTLS uses on the target
 * (newlib's allocates), against the host C library's gmtime_r: every
 * field, from 1811 to 2223 in steps that walk through every weekday, hour
 * and leap rule, and the edges (the epoch, 2000-02-29, 2100-03-01, before
 * 1970). TAP output. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <time.h>

#include "mbedtls/platform_util.h"

static int same(long long t)
{
    time_t tt = (time_t)t;
    mbedtls_time_t mt = (mbedtls_time_t)t;
    struct tm want, got;
    if (gmtime_r(&tt, &want) == NULL || mbedtls_platform_gmtime_r(&mt, &got) == NULL)
        return 0;
    return got.tm_year == want.tm_year && got.tm_mon == want.tm_mon &&
           got.tm_mday == want.tm_mday && got.tm_hour == want.tm_hour &&
           got.tm_min == want.tm_min && got.tm_sec == want.tm_sec &&
           got.tm_wday == want.tm_wday && got.tm_yday == want.tm_yday;
}

int main(void)
{
    static const long long edges[] = {0,          -1,         86399,      86400,     -86401,
                                      951782400,  951868800,  4107542400, 4107628800,
                                      1709164800, 1735689599, 253402300799};
    long long t, bad_at = 0;
    unsigned i, bad = 0, n = 0;

    printf("1..2\n");
    for (i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
        if (!same(edges[i]))
            bad++, bad_at = edges[i];
    printf("%s 1 - the edges (%u of %u differ)\n", bad == 0 ? "ok" : "not ok", bad,
           (unsigned)(sizeof(edges) / sizeof(edges[0])));
    if (bad)
        printf("# e.g. %lld\n", bad_at);
    bad = 0;
    for (t = -5000000000LL; t < 8000000000LL; t += 7 * 86400 + 3601, n++)
        if (!same(t))
            bad++, bad_at = t;
    printf("%s 2 - %u instants from 1811 to 2223 (%u differ)\n", bad == 0 ? "ok" : "not ok", n,
           bad);
    if (bad)
        printf("# e.g. %lld\n", bad_at);
    return bad != 0;
}
