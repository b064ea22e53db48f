/* SPDX-License-Identifier: MIT */
/* What a host string names: a DNS name or an IP address (src/url.c).
 * Inner header, not part of the API: the URL parser and the TLS transport
 * share it, so both read a host the same way. */
#ifndef FWC_URL_HOST_H
#define FWC_URL_HOST_H

#include <stdint.h>

enum fwc_host_kind {
    FWC_HOST_NAME = 0,  /* a DNS name: sent as SNI, matched against DNS entries */
    FWC_HOST_IPV4 = 4,  /* a dotted quad; its 4 bytes written out */
    FWC_HOST_IPV6 = 16, /* an IPv6 literal without brackets; its 16 bytes written out */
    FWC_HOST_BAD = -1   /* an address that is none ("1:2", "127.1", "010.0.0.1"): the
                           resolver might read it as one, the certificate check would not */
};

/* Classify host; for an address, out_ip receives its bytes (network order),
 * as a certificate's iPAddress entry holds them. */
enum fwc_host_kind fwci_url_host_kind(const char *host, uint8_t out_ip[16]);

#endif
