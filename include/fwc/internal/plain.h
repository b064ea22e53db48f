/* SPDX-License-Identifier: MIT */
/* INTERNAL: not for application use. What this header declares changes
 * without notice; fwc/client.h includes it only because struct fwc_client
 * embeds what it defines.
 *
 * Plaintext TCP transport, for test rigs only. It exists only in builds
 * with CONFIG_FWC_ALLOW_HTTP, and every connection it opens logs a
 * warning: the client secret and the token cross the network in clear. */
#ifndef FWC_PLAIN_H
#define FWC_PLAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"
#include "fwc/transport.h"

#if CONFIG_FWC_ALLOW_HTTP
struct fwc_plain {
    struct fwc_transport transport;
    struct {
        const char *host;
        uint16_t port;
        int sock;
        bool connected;
    } _internal;
};

FWC_NODISCARD enum fwc_err fwci_plain_init(struct fwc_plain *plain, const char *host,
                                           uint16_t port);
#endif

#endif
