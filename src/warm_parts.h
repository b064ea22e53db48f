/* SPDX-License-Identifier: MIT */
/* What each layer gives src/warm.c for a warm start (fwc/warm.h): every
 * part stays its owner's. client.c: the base URL as bound and the TLS
 * session (through tls_mbedtls.c); oauth.c: the client ID and the token.
 * All expect the client open and its lock held. */
#ifndef FWC_WARM_PARTS_H
#define FWC_WARM_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/client.h"

/* client.c: the base URL in the one spelling fwc binds an export to,
 * scheme://host:port/prefix ("https://host:443/fotoweb-prefix", an IPv6
 * address in brackets), written to out; 0 when it does not fit
 * (FWC_WARM_URL_KEY_MAX always does). */
size_t fwci_client_url_key(const struct fwc_client *c, uint8_t *out, size_t cap);
/* Is key that spelling of this client's base URL? */
bool fwci_client_url_key_is(const struct fwc_client *c, const uint8_t *key, size_t len);

/* client.c: the TLS session, as fwci_tls_session_export/_import; none
 * (FWC_OK, *len 0; false) with a transport that is not fwc's own TLS. */
FWC_NODISCARD enum fwc_err fwci_client_session_export(struct fwc_client *c, uint8_t *out,
                                                     size_t cap, size_t *len);
bool fwci_client_session_import(struct fwc_client *c, const uint8_t *in, size_t len);

/* oauth.c: the token as a warm start carries it: its expiry and the time
 * of the export in wall-clock seconds, the lifetime it was fetched with. */
struct fwci_warm_token {
    const char *token; /* not NUL-terminated */
    size_t token_len;
    int64_t exported_at;
    int64_t expires_at;
    uint32_t lifetime_s;
};

/* The held token, as of wall-clock now; false when there is none worth
 * carrying (none, or less than a second left). Points into the cache. */
bool fwci_token_warm_get(const struct fwc_client *c, int64_t now, struct fwci_warm_token *out);

/* Hold t (already checked: visible ASCII, fits, times consistent) as if it
 * had been fetched lifetime_s - (expires_at - now) seconds ago, bound to
 * client ID id; false, and nothing changed, when it has expired by now or
 * the clock reads earlier than at the export. */
bool fwci_token_warm_put(struct fwc_client *c, int64_t now, const struct fwci_warm_token *t,
                         const uint8_t *id, size_t id_len);

/* The client ID an export binds to, into out: the one the held token was
 * fetched (or imported) with, else the secret hook's. */
FWC_NODISCARD enum fwc_err fwci_token_client_id(struct fwc_client *c, uint8_t *out, size_t cap,
                                               size_t *len);

/* Is id the secret hook's client ID now? The hook's answer is wiped at
 * once. Its failure is returned (FWC_ERR_SECRET_UNAVAILABLE). */
FWC_NODISCARD enum fwc_err fwci_token_client_id_is(struct fwc_client *c, const uint8_t *id,
                                                  size_t len, bool *same);

#endif
