/* SPDX-License-Identifier: MIT */
/* Base URL parsing (fwc/internal/url.h) and what a host names (url_host.h). Pure:
 * no I/O, no globals. */
#include "fwc/internal/url.h"

#include <string.h>

#include "chars.h"
#include "url_host.h"

static bool starts_with_ci(const char *s, const char *lower_prefix, size_t n)
{
    return strlen(s) >= n && fwci_ascii_ieq(s, n, lower_prefix);
}

static bool is_host_char(char c)
{
    return fwci_is_alnum(c) || c == '.' || c == '-' || c == '_';
}

static bool is_ipv6_char(char c)
{
    return fwci_is_hex(c) || c == ':' || c == '.';
}

/* ---- IP literals ---------------------------------------------------------- */

/* Exactly four decimal parts of 0..255, no leading zeros: the form RFC 3986
 * calls an IPv4 address. */
static bool parse_ipv4(const char *s, size_t n, uint8_t out[4])
{
    unsigned value = 0, digits = 0, parts = 0;
    size_t i;

    for (i = 0; i <= n; i++) {
        if (i == n || s[i] == '.') {
            if (digits == 0 || parts == 4)
                return false;
            out[parts++] = (uint8_t)value;
            value = digits = 0;
        } else if (!fwci_is_digit(s[i]) || (digits == 1 && value == 0)) {
            return false;
        } else {
            value = value * 10u + (unsigned)(s[i] - '0');
            digits++;
            if (value > 255u)
                return false;
        }
    }
    return parts == 4;
}

/* RFC 4291 section 2.2: groups of one to four hex digits between ':', one
 * "::" for a run of zero groups, the last 32 bits perhaps as a dotted
 * quad. No zone ("%eth0"): a certificate cannot name one. */
static bool parse_ipv6(const char *s, size_t n, uint8_t out[16])
{
    uint8_t b[16];
    size_t len = 0, i = 0, gap = 16 + 1, start;
    unsigned group;

    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        gap = 0;
        i = 2;
    }
    while (i < n) {
        for (start = i, group = 0; i < n && i - start < 4 && fwci_is_hex(s[i]); i++)
            group = group * 16u + (unsigned)fwci_hex_value(s[i]);
        if (i < n && s[i] == '.') { /* the last 32 bits as a dotted quad */
            if (len > 12 || !parse_ipv4(s + start, n - start, b + len))
                return false;
            len += 4;
            break;
        }
        if (i == start || len == 16)
            return false;
        b[len++] = (uint8_t)(group >> 8);
        b[len++] = (uint8_t)group;
        if (i == n)
            break;
        if (s[i++] != ':' || i == n)
            return false;
        if (s[i] == ':') {
            if (gap <= 16)
                return false;
            gap = len;
            i++;
        }
    }
    if (gap > 16 ? len != 16 : len > 14) /* "::" stands for at least one group */
        return false;
    if (gap > 16)
        gap = len;
    memset(out, 0, 16);
    memcpy(out, b, gap);
    memcpy(out + 16 - (len - gap), b + gap, len - gap);
    return true;
}

/* The last label is a number (decimal, or 0x hex): no DNS name ends so,
 * while inet_aton reads "127.1" and "0x7f.1" as addresses. */
static bool ends_in_number(const char *s, size_t n)
{
    size_t start;

    if (n > 0 && s[n - 1] == '.')
        n--;
    for (start = n; start > 0 && s[start - 1] != '.'; start--) {
    }
    if (start == n)
        return false;
    if (n - start >= 2 && s[start] == '0' && (s[start + 1] == 'x' || s[start + 1] == 'X')) {
        for (start += 2; start < n && fwci_is_hex(s[start]); start++) {
        }
    } else {
        for (; start < n && fwci_is_digit(s[start]); start++) {
        }
    }
    return start == n;
}

enum fwc_host_kind fwci_url_host_kind(const char *host, uint8_t out_ip[16])
{
    size_t n = strlen(host);

    if (memchr(host, ':', n) != NULL) /* no DNS name holds a ':' */
        return parse_ipv6(host, n, out_ip) ? FWC_HOST_IPV6 : FWC_HOST_BAD;
    if (parse_ipv4(host, n, out_ip))
        return FWC_HOST_IPV4;
    return ends_in_number(host, n) ? FWC_HOST_BAD : FWC_HOST_NAME;
}

/* ---- URLs ------------------------------------------------------------------- */

/* Copy s[0..n) into a slot, or fail: a silently shortened host would
 * send the secret somewhere else. */
static enum fwc_err copy_slot(char *slot, size_t size, const char *s, size_t n)
{
    if (n >= size)
        return FWC_ERR_URL;
    memcpy(slot, s, n);
    slot[n] = '\0';
    return FWC_OK;
}

/* host or [v6], then optional :port. *end points past the authority. */
static enum fwc_err parse_authority(const char *s, struct fwc_url *out, const char **end)
{
    const char *h = s, *p;
    size_t host_len;
    enum fwc_err err;
    uint8_t ip[16];

    if (*s == '[') {
        h = s + 1;
        for (p = h; is_ipv6_char(*p); p++) {
        }
        if (*p != ']')
            return FWC_ERR_URL;
        host_len = (size_t)(p - h);
        p++;
    } else {
        for (p = s; is_host_char(*p); p++) {
        }
        host_len = (size_t)(p - s);
        if (host_len == 0 || *h == '.' || *h == '-')
            return FWC_ERR_URL;
    }
    err = copy_slot(out->host, sizeof(out->host), h, host_len);
    if (err != FWC_OK)
        return err;
    /* Brackets hold an IPv6 address and nothing else: around a name
     * ("[cafe]") they would hide it from DNS and the certificate check
     * while the Host header kept them. A bare host is a name or a dotted
     * quad, never an address in another spelling ("127.1"). */
    switch (fwci_url_host_kind(out->host, ip)) {
    case FWC_HOST_IPV6:
        if (h == s)
            return FWC_ERR_URL;
        break;
    case FWC_HOST_BAD:
        return FWC_ERR_URL;
    default:
        if (h != s)
            return FWC_ERR_URL;
        break;
    }
    if (*p == ':') {
        unsigned long port = 0;
        const char *digits = ++p;
        while (fwci_is_digit(*p) && p - digits < 5)
            port = port * 10u + (unsigned long)(*p++ - '0');
        if (p == digits || port == 0 || port > 65535u || fwci_is_digit(*p))
            return FWC_ERR_URL;
        out->port = (uint16_t)port;
    }
    err = copy_slot(out->authority, sizeof(out->authority), s, (size_t)(p - s));
    *end = p;
    return err;
}

/* The rest: empty, or a path of visible ASCII; no query or fragment. */
static enum fwc_err parse_prefix(const char *p, struct fwc_url *out)
{
    size_t n = strlen(p), i;

    if (n > 0 && p[0] != '/')
        return FWC_ERR_URL;
    for (i = 0; i < n; i++) {
        if (!fwci_is_vchar(p[i]) || p[i] == '?' || p[i] == '#' || p[i] == '@')
            return FWC_ERR_URL;
    }
    while (n > 0 && p[n - 1] == '/')
        n--;
    return copy_slot(out->prefix, sizeof(out->prefix), p, n);
}

enum fwc_err fwci_url_parse(const char *url, struct fwc_url *out)
{
    const char *rest;
    enum fwc_err err;

    if (url == NULL || out == NULL)
        return FWC_ERR_INVALID_ARG;
    memset(out, 0, sizeof(*out));
    if (starts_with_ci(url, "https://", 8)) {
        out->tls = true;
        out->port = 443;
        rest = url + 8;
    } else if (starts_with_ci(url, "http://", 7)) {
        if (!CONFIG_FWC_ALLOW_HTTP)
            return FWC_ERR_PLAINTEXT;
        out->port = 80;
        rest = url + 7;
    } else {
        return FWC_ERR_URL;
    }
    err = parse_authority(rest, out, &rest);
    if (err == FWC_OK)
        err = parse_prefix(rest, out);
    if (err != FWC_OK)
        memset(out, 0, sizeof(*out));
    return err;
}
