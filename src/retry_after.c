/* Retry-After parsing (retry_after.h). */
#include "retry_after.h"

#include <string.h>

/* A wait longer than a day is reported as a day: far past any retry
 * budget, so fwc gives up at once instead of asking again. */
#define MAX_DELAY_S 86400u

static bool digits_n(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10u + (uint32_t)(s[i] - '0');
    }
    *out = v;
    return true;
}

static bool delay_seconds(const char *s, uint32_t *out)
{
    size_t n = strlen(s), i;
    uint32_t v = MAX_DELAY_S;
    for (i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    if (n == 0)
        return false;
    while (n > 1 && *s == '0') { /* leading zeros change nothing */
        s++;
        n--;
    }
    /* Nine digits cannot overflow; more are more than a day anyway. */
    if (n <= 9 && !digits_n(s, n, &v))
        return false;
    *out = v > MAX_DELAY_S ? MAX_DELAY_S : v;
    return true;
}

int64_t fwc_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Shift the year to start in March, so the leap day comes last. */
    int64_t era, yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * ((int64_t)m + (m > 2 ? -3 : 9)) + 2) / 5 + (int64_t)d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static unsigned days_in_month(uint32_t year, unsigned month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4u == 0 && year % 100u != 0) || year % 400u == 0;
    return month == 2 && leap ? 29u : days[month - 1];
}

/* The index of a three-letter name in a list of them, or -1. */
static int name_index(const char *list, const char *name)
{
    const char *hit = strstr(list, (char[]){name[0], name[1], name[2], '\0'});
    if (hit == NULL || (hit - list) % 3 != 0)
        return -1;
    return (int)((hit - list) / 3);
}

/* "Sun, 06 Nov 1994 08:49:37 GMT". A date that cannot exist (31 Feb, a
 * day name that is not that date's) is refused: a server that sends one
 * is broken, and its wait is not to be trusted. */
static bool imf_fixdate(const char *s, int64_t *out_unix)
{
    uint32_t day, year, hh, mm, ss;
    int month, weekday;
    int64_t days;

    if (strlen(s) != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' ||
        s[16] != ' ' || s[19] != ':' || s[22] != ':' || s[25] != ' ' ||
        memcmp(s + 26, "GMT", 3) != 0)
        return false;
    weekday = name_index("MonTueWedThuFriSatSun", s);
    month = name_index("JanFebMarAprMayJunJulAugSepOctNovDec", s + 8) + 1;
    if (weekday < 0 || month < 1)
        return false;
    if (!digits_n(s + 5, 2, &day) || !digits_n(s + 12, 4, &year) || !digits_n(s + 17, 2, &hh) ||
        !digits_n(s + 20, 2, &mm) || !digits_n(s + 23, 2, &ss) || day < 1 ||
        day > days_in_month(year, (unsigned)month) || hh > 23 || mm > 59 || ss > 60)
        return false;
    days = fwc_days_from_civil(year, (unsigned)month, day);
    /* Day 0, 1970-01-01, was a Thursday: index 3 from Monday. */
    if ((days % 7 + 7 + 3) % 7 != weekday)
        return false;
    *out_unix = days * 86400 + (int64_t)hh * 3600 + (int64_t)mm * 60 + ss;
    return true;
}

bool fwc_retry_after_seconds(const char *value, int64_t now_unix, uint32_t *out_seconds)
{
    int64_t when;

    if (value == NULL || out_seconds == NULL)
        return false;
    if (delay_seconds(value, out_seconds))
        return true;
    if (now_unix < 0 || !imf_fixdate(value, &when))
        return false;
    if (when <= now_unix) {
        *out_seconds = 0;
        return true;
    }
    if (when - now_unix > MAX_DELAY_S)
        *out_seconds = MAX_DELAY_S;
    else
        *out_seconds = (uint32_t)(when - now_unix);
    return true;
}
