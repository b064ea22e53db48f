/* SPDX-License-Identifier: MIT */
/* The client's lock (CONFIG_FWC_LOCKS), inside the library.
 *
 * One lock per client guards all of it: the token cache, and the
 * connection with its I/O buffer, request target and bearer scratch, which
 * every exchange shares. Each public entry point takes it once, for the
 * whole call (an fwc_request() or fwc_upload() holds it across its
 * retries, waits and callbacks), and works through the *_held functions
 * below, which expect it taken and never take it again: port.h's lock need
 * not be recursive. Without CONFIG_FWC_LOCKS both calls are empty. */
#ifndef FWC_CLIENT_INTERNAL_H
#define FWC_CLIENT_INTERNAL_H

#include "fwc/client.h"

void fwci_client_lock(const struct fwc_client *c);
void fwci_client_unlock(const struct fwc_client *c);

/* What client.c's link part gives the layers above it: is the client
 * open (initialised, not closed), its one connection, and the base URL's
 * path prefix ("" or "/fotoweb-prefix"), which every request target
 * starts with. */
bool fwci_client_is_open(const struct fwc_client *c);
struct fwc_http_conn *fwci_client_conn(struct fwc_client *c);
const char *fwci_client_prefix(const struct fwc_client *c);

/* oauth.c's part set up from the configuration: the token endpoint's
 * target (prefix + token path), the client authentication method and the
 * secret hook's context. FWC_ERR_INVALID_ARG for a token path that is not
 * absolute or does not fit. */
enum fwc_err fwci_token_cache_init(struct fwc_client *c, const char *prefix,
                                   const struct fwc_client_config *cfg);

/* "The last failure" (fwc_client_http_status() and friends) is recorded
 * once per public call: the entry point, holding the lock, begins a record
 * and hands it down; a layer whose exchange or answer fails fills in what
 * it knows (the answer's HTTP status, an OAuth code); the entry point ends
 * it with the call's result, and only a failed call replaces the last. */
struct fwci_failure *fwci_client_failure_begin(struct fwc_client *c);
enum fwc_err fwci_client_failure_end(struct fwc_client *c, enum fwc_err err);

/* fwc_token() and fwc_token_invalidate() with the lock held. */
enum fwc_err fwci_token_held(struct fwc_client *c, char *out, size_t cap, size_t *out_len,
                            struct fwci_failure *why);
void fwci_token_drop_held(struct fwc_client *c);

/* At the start of a call whose token request is due (no token, or time
 * to renew): sleep a uniform random 0..spread_s seconds
 * (CONFIG_FWC_TOKEN_FETCH_SPREAD_S), so devices that boot, renew or were
 * refused together, or whose applications call on a shared schedule, do
 * not all ask in the same second. With the lock held. */
void fwci_token_spread_fetch(struct fwc_client *c, uint32_t spread_s);

/* When to renew a token of lifetime_s: ms after it was fetched, with the
 * margins, the floor and a random spread of jitter_pct (oauth.c). */
uint32_t fwci_token_renew_after_ms(uint32_t lifetime_s, unsigned jitter_pct);

/* fwc_request() with the lock held (its arguments already checked). */
enum fwc_err fwci_request_held(struct fwc_client *c, const struct fwc_http_request *req,
                              struct fwc_http_response *ref_resp, struct fwci_failure *why);

#endif
