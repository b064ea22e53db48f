/* SPDX-License-Identifier: MIT */
/* Retry-After parsing (retry_after.h). */
#include "retry_after.h"

#include <string.h>

#include "chars.h"
#include "fwc/http.h"

/* A wait longer than a day is reported as a day: far past any retry
 * budget, so fwc gives up at once instead of asking again. */
#define MAX_DELAY_S 86400u

static bool digits_n(const char *s, size_t n, uint32_t *out)
{
    uint32_t v = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        if (!fwci_is_digit(s[i]))
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
        if (!fwci_is_digit(s[i]))
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

int64_t fwci_days_from_civil(int64_t y, unsigned m, unsigned d)
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

/* The index of a three-letter name in a list of them, or -1. */
static int name_index(const char *list, const char *name)
{
    const char *hit = strstr(list, (char[]){name[0], name[1], name[2], '\0'});
    if (hit == NULL || (hit - list) % 3 != 0)
        return -1;
    return (int)((hit - list) / 3);
}

static const char day_names[] = "MonTueWedThuFriSatSun";
static const char month_names[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

struct http_date {
    uint32_t day, year, hh, mm, ss;
    int month, weekday; /* 1..12; 0 = Monday; 0 or -1 when the name was not one */
};

/* "08:49:37" */
static bool clock_time(const char *s, struct http_date *d)
{
    return s[2] == ':' && s[5] == ':' && digits_n(s, 2, &d->hh) && digits_n(s + 3, 2, &d->mm) &&
           digits_n(s + 6, 2, &d->ss);
}

/* IMF-fixdate, what senders must use: "Sun, 06 Nov 1994 08:49:37 GMT". */
static bool imf_fixdate(const char *s, size_t n, struct http_date *d)
{
    if (n != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
        s[25] != ' ' || memcmp(s + 26, "GMT", 3) != 0)
        return false;
    d->weekday = name_index(day_names, s);
    d->month = name_index(month_names, s + 8) + 1;
    return digits_n(s + 5, 2, &d->day) && digits_n(s + 12, 4, &d->year) && clock_time(s + 17, d);
}

/* asctime: "Sun Nov  6 08:49:37 1994" (a one-digit day after a space). */
static bool asctime_date(const char *s, size_t n, struct http_date *d)
{
    if (n != 24 || s[3] != ' ' || s[7] != ' ' || s[10] != ' ' || s[19] != ' ')
        return false;
    d->weekday = name_index(day_names, s);
    d->month = name_index(month_names, s + 4) + 1;
    return (s[8] == ' ' ? digits_n(s + 9, 1, &d->day) : digits_n(s + 8, 2, &d->day)) &&
           clock_time(s + 11, d) && digits_n(s + 20, 4, &d->year);
}

/* RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT". The year has two digits: one
 * more than 50 years ahead of now is the same year a century earlier
 * (RFC 9110 5.6.7). now_unix >= 0. */
static bool rfc850_date(const char *s, size_t n, int64_t now_unix, struct http_date *d)
{
    static const char *const names[7] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                         "Friday", "Saturday", "Sunday"};
    const char *comma = memchr(s, ',', n), *r;
    uint32_t yy, this_year;
    size_t len;
    int i;

    if (comma == NULL)
        return false;
    len = (size_t)(comma - s);
    r = comma + 2; /* "06-Nov-94 08:49:37 GMT": 22 characters */
    if (n != len + 24 || comma[1] != ' ' || r[2] != '-' || r[6] != '-' || r[9] != ' ' ||
        r[18] != ' ' || memcmp(r + 19, "GMT", 3) != 0)
        return false;
    d->weekday = -1;
    for (i = 0; i < 7; i++)
        if (strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
            d->weekday = i;
    d->month = name_index(month_names, r + 3) + 1;
    if (!digits_n(r, 2, &d->day) || !digits_n(r + 7, 2, &yy) || !clock_time(r + 10, d))
        return false;
    /* The current year, near enough: an average Gregorian year is
     * 31,556,952 s, and a date 50 years off is past any wait anyway. */
    this_year = now_unix >= INT64_C(253402300800) /* 10000-01-01 */
                    ? 9999u
                    : (uint32_t)(1970 + now_unix / 31556952);
    d->year = this_year / 100u * 100u + yy;
    if (d->year > this_year + 50u)
        d->year -= 100u;
    return true;
}

static unsigned days_in_month(uint32_t year, unsigned month)
{
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (year % 4u == 0 && year % 100u != 0) || year % 400u == 0;
    return month == 2 && leap ? 29u : days[month - 1];
}

/* A date that cannot exist (31 Apr, a day name that is not that date's) is
 * refused: a server that sends one is broken, and its wait not to be
 * trusted. */
static bool date_to_unix(const struct http_date *d, int64_t *out_unix)
{
    int64_t days;

    if (d->weekday < 0 || d->month < 1 || d->day < 1 ||
        d->day > days_in_month(d->year, (unsigned)d->month) || d->hh > 23 || d->mm > 59 ||
        d->ss > 60)
        return false;
    days = fwci_days_from_civil(d->year, (unsigned)d->month, d->day);
    /* Day 0, 1970-01-01, was a Thursday: index 3 from Monday. */
    if ((days % 7 + 7 + 3) % 7 != d->weekday)
        return false;
    *out_unix = days * 86400 + (int64_t)d->hh * 3600 + (int64_t)d->mm * 60 + d->ss;
    return true;
}

/* Any of RFC 9110's three HTTP-date forms, which recipients must accept.
 * Their lengths differ (29, 24, 30 to 33), so at most one can match. */
static bool http_date(const char *s, int64_t now_unix, int64_t *out_unix)
{
    struct http_date d;
    size_t n = strlen(s);

    memset(&d, 0, sizeof(d));
    if (!imf_fixdate(s, n, &d) && !asctime_date(s, n, &d) && !rfc850_date(s, n, now_unix, &d))
        return false;
    return date_to_unix(&d, out_unix);
}

bool fwci_retry_after_seconds(const char *value, int64_t now_unix, uint32_t *out_seconds)
{
    int64_t when;

    if (value == NULL || out_seconds == NULL)
        return false;
    if (delay_seconds(value, out_seconds))
        return true;
    if (now_unix < 0 || !http_date(value, now_unix, &when))
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

bool fwci_retry_after_of(const struct fwc_http_response *resp, int64_t now_unix,
                         uint32_t *out_seconds)
{
    if ((resp->status != 429 && resp->status != 503) || resp->retry_after[0] == '\0' ||
        (resp->truncated & FWC_HTTP_KEPT_RETRY_AFTER) != 0)
        return false;
    return fwci_retry_after_seconds(resp->retry_after, now_unix, out_seconds);
}
