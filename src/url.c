/* Base URL parsing (fwc/url.h). Pure: no I/O, no globals. */
#include "fwc/url.h"

#include <string.h>

#include "http_chars.h"

static bool starts_with_ci(const char *s, const char *lower_prefix, size_t n)
{
    return strlen(s) >= n && fwc_ascii_ieq(s, n, lower_prefix);
}

static bool is_host_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           c == '.' || c == '-' || c == '_';
}

static bool is_ipv6_char(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
           c == ':' || c == '.';
}

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

    if (*s == '[') {
        h = s + 1;
        for (p = h; is_ipv6_char(*p); p++) {
        }
        /* Every IPv6 literal has a ':'. Without one ("[2.0]", "[cafe]")
         * the brackets would hide a name that DNS and the certificate
         * check see bare while the Host header keeps the brackets. */
        if (*p != ']' || memchr(h, ':', (size_t)(p - h)) == NULL)
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
    if (*p == ':') {
        unsigned long port = 0;
        const char *digits = ++p;
        while (*p >= '0' && *p <= '9' && p - digits < 5)
            port = port * 10u + (unsigned long)(*p++ - '0');
        if (p == digits || port == 0 || port > 65535u || (*p >= '0' && *p <= '9'))
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
        if (p[i] <= 0x20 || p[i] >= 0x7f || p[i] == '?' || p[i] == '#' || p[i] == '@')
            return FWC_ERR_URL;
    }
    while (n > 0 && p[n - 1] == '/')
        n--;
    return copy_slot(out->prefix, sizeof(out->prefix), p, n);
}

enum fwc_err fwc_url_parse(const char *url, struct fwc_url *out)
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
