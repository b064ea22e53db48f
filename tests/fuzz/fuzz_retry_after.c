/* SPDX-License-Identifier: MIT */
/* Fuzz target: Retry-After (src/retry_after.c): fwci_retry_after_seconds
 * and the calendar arithmetic under it, fwci_days_from_civil.
 *
 * Input: bytes 0-7 the wall clock (int64, little-endian; negative: not
 * known), byte 8 a clock step k, bytes 9-12 a year, 13 a month, 14 a day,
 * then the header value (a NUL-terminated copy is parsed).
 *
 * Properties: a delay is never over a day; any run of digits is accepted
 * and gives its number, or a day when the number is larger, whatever the
 * clock; without a clock nothing else is accepted; an accepted date has
 * one of the three HTTP-date shapes and exists (its day in its month, its
 * day name the date's by Zeller's congruence; an RFC 850 two-digit year in
 * the century RFC 9110 says); for the four-digit-year forms, moving the
 * clock k seconds on shortens the delay by k (to no less than 0), moving
 * it back lengthens it by k (up to a day).
 * Calendar: 1970-01-01 is day 0; the day after any date (across month,
 * year and leap-day ends) is the next day number; 400 years are always
 * 146097 days. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "retry_after.h"

#define MAX_DELAY 86400u

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;
    for (i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static bool leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29u : days[m - 1];
}

static void check_calendar(int64_t y, unsigned m, unsigned d)
{
    int64_t day = fwci_days_from_civil(y, m, d), next;

    if (d < month_days(y, m))
        next = fwci_days_from_civil(y, m, d + 1);
    else if (m < 12)
        next = fwci_days_from_civil(y, m + 1, 1);
    else
        next = fwci_days_from_civil(y + 1, 1, 1);
    FUZZ_CHECK(next == day + 1);
    FUZZ_CHECK(fwci_days_from_civil(y + 400, m, d) == day + 146097);
    FUZZ_CHECK(fwci_days_from_civil(1970, 1, 1) == 0);
}

/* ASCII digits only: the delay-seconds form; its value, saturated just
 * past a day. */
static bool digits_value(const char *s, uint32_t *out)
{
    size_t n = strlen(s), i;
    uint32_t v = 0;

    if (n == 0)
        return false;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10u + (uint32_t)(s[i] - '0');
        if (v > MAX_DELAY)
            v = MAX_DELAY + 1u;
    }
    *out = v;
    return true;
}

/* The day name Zeller's congruence gives a date (independent of
 * fwci_days_from_civil), as three letters. */
static const char *zeller_day(long y, long mo, long d)
{
    static const char names[] = "SatSunMonTueWedThuFri"; /* Zeller's order */
    long h;
    y += 400; /* the same day names, and no year 0 to step back from */
    if (mo < 3) { /* January and February count as months 13 and 14 */
        mo += 12;
        y--;
    }
    h = (d + 13 * (mo + 1) / 5 + y % 100 + y % 100 / 4 + y / 100 / 4 + 5 * (y / 100)) % 7;
    return names + 3 * h;
}

static long two_digits(const char *s)
{
    return (s[0] == ' ' ? 0 : (s[0] - '0') * 10) + (s[1] - '0');
}

/* An accepted date has one of RFC 9110's three shapes, and exists: its
 * day is in its month, and its day name is the one that date had. For the
 * RFC 850 form, the year is the one with those two digits in the 100 years
 * up to 50 years from now. Returns false for the RFC 850 form, whose
 * century moves with the clock. */
static bool check_date_exists(const char *v, int64_t now)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    size_t n = strlen(v);
    const char *m, *name = v, *r, *found;
    long d, y, mo, this_year;

    if (n == 29) { /* "Sun, 06 Nov 1994 08:49:37 GMT" */
        FUZZ_CHECK(strcmp(v + 25, " GMT") == 0 && v[3] == ',');
        m = v + 8, d = two_digits(v + 5), y = strtol(v + 12, NULL, 10);
    } else if (n == 24) { /* "Sun Nov  6 08:49:37 1994" */
        m = v + 4, d = two_digits(v + 8), y = strtol(v + 20, NULL, 10);
    } else { /* "Sunday, 06-Nov-94 08:49:37 GMT" */
        FUZZ_CHECK(n >= 30 && n <= 33 && strcmp(v + n - 4, " GMT") == 0);
        r = v + n - 22;
        m = r + 3, d = two_digits(r);
        this_year = now >= INT64_C(253402300800) ? 9999 : 1970 + (long)(now / 31556952);
        y = this_year / 100 * 100 + two_digits(r + 7);
        if (y > this_year + 50)
            y -= 100;
    }
    found = strstr(months, (char[]){m[0], m[1], m[2], '\0'});
    FUZZ_CHECK(found != NULL && (found - months) % 3 == 0);
    mo = (long)(found - months) / 3 + 1;
    FUZZ_CHECK(d >= 1 && d <= (long)month_days(y, (unsigned)mo));
    FUZZ_CHECK(memcmp(zeller_day(y, mo, d), name, 3) == 0);
    return n == 29 || n == 24;
}

/* The same date against a clock k seconds later and k seconds earlier. */
static void check_clock_steps(const char *value, int64_t now, uint32_t delay, uint32_t k)
{
    uint32_t later = 0, earlier = 0;

    if (now <= INT64_MAX - (int64_t)k) {
        FUZZ_CHECK(fwci_retry_after_seconds(value, now + k, &later));
        /* A day may stand for any later date: then only bounds hold. */
        if (delay < MAX_DELAY)
            FUZZ_CHECK(later == (delay > k ? delay - k : 0));
        else
            FUZZ_CHECK(later + k >= MAX_DELAY && later <= MAX_DELAY);
    }
    /* A delay of 0 may stand for any date in the past: no exact answer. */
    if (delay > 0 && now >= (int64_t)k) {
        FUZZ_CHECK(fwci_retry_after_seconds(value, now - k, &earlier));
        FUZZ_CHECK(earlier == (delay + k <= MAX_DELAY ? delay + k : MAX_DELAY));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t now, year;
    uint32_t k, delay = 0, number;
    unsigned month, day;
    char *value;
    bool ok;

    if (size < 15 || size > 256)
        return 0;
    now = (int64_t)le64(data); /* two's complement on every target fwc has */
    k = (uint32_t)data[8] + 1u;
    year = (int32_t)(uint32_t)((uint32_t)data[9] | (uint32_t)data[10] << 8 |
                               (uint32_t)data[11] << 16 | (uint32_t)data[12] << 24);
    month = (unsigned)data[13] % 12u + 1u;
    day = (unsigned)data[14] % month_days(year, month) + 1u;
    check_calendar(year, month, day);

    value = malloc(size - 15 + 1);
    FUZZ_CHECK(value != NULL);
    memcpy(value, data + 15, size - 15);
    value[size - 15] = '\0';
    ok = fwci_retry_after_seconds(value, now, &delay);
    FUZZ_CHECK(!ok || delay <= MAX_DELAY);
    if (digits_value(value, &number)) {
        FUZZ_CHECK(ok && delay == (number <= MAX_DELAY ? number : MAX_DELAY));
    } else if (ok) {
        FUZZ_CHECK(now >= 0);
        if (check_date_exists(value, now))
            check_clock_steps(value, now, delay, k);
    }
    free(value);
    return 0;
}
