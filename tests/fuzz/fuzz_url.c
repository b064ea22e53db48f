/* SPDX-License-Identifier: MIT */
/* Fuzz target: base URL parsing (src/url.c, fwci_url_parse).
 *
 * Input: the URL; a NUL-terminated copy is parsed (a NUL inside ends it,
 * as it would for the caller's string).
 *
 * Properties: only FWC_OK, FWC_ERR_URL or FWC_ERR_PLAINTEXT (only for
 * http://); on failure the output is all zero; on success every slot is
 * NUL-terminated inside its array, the scheme is https (this build allows
 * no http), the port is not 0, the host is non-empty and made of host or
 * IPv6 characters, the authority is the host (bracketed for IPv6) with
 * ":port" as written when one was given (a bracketed host is one with
 * ':', and only it), the prefix is empty or "/..." of visible
 * ASCII without '?', '#', '@' or a trailing '/'; and the URL rebuilt from
 * the parts parses to exactly the same result.
 *
 * The same input as a host (fwci_url_host_kind, what the TLS transport sends
 * as SNI and matches against certificates): an IPv4 address exactly when
 * the C library's inet_pton takes it as one, an IPv6 address exactly when
 * inet_pton takes it as that, each with the same bytes. */
#define _POSIX_C_SOURCE 200112L
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "fuzz.h"
#include "fwc/internal/url.h"
#include "url_host.h"

static bool terminated(const char *s, size_t size)
{
    return memchr(s, '\0', size) != NULL;
}

static bool host_chars(const char *s)
{
    for (; *s != '\0'; s++) {
        char c = *s;
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              strchr(".-_:", c) != NULL))
            return false;
    }
    return true;
}

static void check_authority(const struct fwc_url *u)
{
    const char *a = u->authority, *rest;
    size_t hl = strlen(u->host);
    unsigned port = 0;

    if (a[0] == '[') { /* an IPv6 literal, and only it, holds ':' */
        FUZZ_CHECK(strchr(u->host, ':') != NULL);
        FUZZ_CHECK(a[0] == '[' && strncmp(a + 1, u->host, hl) == 0 && a[hl + 1] == ']');
        rest = a + hl + 2;
    } else {
        FUZZ_CHECK(strchr(u->host, ':') == NULL && strncmp(a, u->host, hl) == 0);
        rest = a + hl;
    }
    if (*rest == '\0') {
        FUZZ_CHECK(u->port == 443);
        return;
    }
    /* ":port", as written (leading zeros stay in the Host header). */
    FUZZ_CHECK(rest[0] == ':' && strlen(rest) >= 2 && strlen(rest) <= 6);
    for (rest++; *rest != '\0'; rest++) {
        FUZZ_CHECK(*rest >= '0' && *rest <= '9');
        port = port * 10u + (unsigned)(*rest - '0');
    }
    FUZZ_CHECK(port == u->port);
}

static void check_prefix(const char *p)
{
    size_t n = strlen(p), i;

    if (n == 0)
        return;
    FUZZ_CHECK(p[0] == '/' && p[n - 1] != '/');
    for (i = 0; i < n; i++)
        FUZZ_CHECK(p[i] > 0x20 && p[i] < 0x7f && strchr("?#@", p[i]) == NULL);
}

static void check_round_trip(const struct fwc_url *u)
{
    static char again[16 + sizeof(u->authority) + sizeof(u->prefix)];
    static struct fwc_url v;

    snprintf(again, sizeof(again), "https://%s%s", u->authority, u->prefix);
    FUZZ_CHECK(fwci_url_parse(again, &v) == FWC_OK);
    FUZZ_CHECK(memcmp(u, &v, sizeof(v)) == 0);
}

static void check_host_kind(const char *host)
{
    uint8_t ip[16], want[16];
    enum fwc_host_kind kind = fwci_url_host_kind(host, ip);
    bool v4 = inet_pton(AF_INET, host, want) == 1;

    FUZZ_CHECK((kind == FWC_HOST_IPV4) == v4);
    if (!v4)
        FUZZ_CHECK((kind == FWC_HOST_IPV6) == (inet_pton(AF_INET6, host, want) == 1));
    if (kind == FWC_HOST_IPV4 || kind == FWC_HOST_IPV6)
        FUZZ_CHECK(memcmp(ip, want, (size_t)kind) == 0);
    /* A name never holds ':' nor ends in a number; the latter are refused. */
    if (kind == FWC_HOST_NAME)
        FUZZ_CHECK(strchr(host, ':') == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct fwc_url u;
    char *url;
    enum fwc_err err;

    if (size > 4096)
        return 0;
    url = malloc(size + 1); /* exactly sized: a read past the NUL is caught */
    FUZZ_CHECK(url != NULL);
    memcpy(url, data, size);
    url[size] = '\0';
    check_host_kind(url);
    memset(&u, 0xAA, sizeof(u));
    err = fwci_url_parse(url, &u);
    FUZZ_CHECK(err == FWC_OK || err == FWC_ERR_URL || err == FWC_ERR_PLAINTEXT);
    if (err == FWC_ERR_PLAINTEXT)
        FUZZ_CHECK(strlen(url) >= 7 && strncmp(url + 4, "://", 3) == 0);
    if (err != FWC_OK) {
        FUZZ_CHECK(fuzz_all_zero(&u, sizeof(u)));
        free(url);
        return 0;
    }
    FUZZ_CHECK(terminated(u.host, sizeof(u.host)) && terminated(u.authority, sizeof(u.authority)) &&
               terminated(u.prefix, sizeof(u.prefix)));
    FUZZ_CHECK(u.tls && u.port != 0 && u.host[0] != '\0' && host_chars(u.host));
    check_authority(&u);
    check_prefix(u.prefix);
    check_round_trip(&u);
    free(url);
    return 0;
}
