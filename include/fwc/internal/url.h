/* SPDX-License-Identifier: MIT */
/* INTERNAL: not for application use. What this header declares changes
 * without notice; fwc/client.h includes it only because struct fwc_client
 * embeds what it defines.
 *
 * The base URL of a FotoWeb tenant: https://host[:port][/prefix]. */
#ifndef FWC_URL_H
#define FWC_URL_H

#include <stdbool.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"

struct fwc_url {
    bool tls;                              /* https (always, unless CONFIG_FWC_ALLOW_HTTP) */
    uint16_t port;                         /* 443 / 80 when not given */
    char host[CONFIG_FWC_URL_HOST_MAX];    /* for DNS, SNI and the certificate check;
                                              an IPv6 literal without brackets */
    char authority[CONFIG_FWC_URL_HOST_MAX + 8]; /* for the Host header: host[:port] */
    char prefix[CONFIG_FWC_URL_PREFIX_MAX];/* path before /fotoweb/..., no trailing '/' */
};

/* Parse and check a base URL. FWC_ERR_URL for anything malformed (user
 * info, query, fragment, bad port, bad host characters, too long for the
 * slots above); FWC_ERR_PLAINTEXT for http:// when the build does not allow
 * it. Nothing is truncated. */
FWC_NODISCARD enum fwc_err fwci_url_parse(const char *url, struct fwc_url *out);

#endif
