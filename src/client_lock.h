/* The client's lock (CONFIG_FWC_LOCKS), inside the library.
 *
 * One lock per client guards all of it: the token cache, and the
 * connection with its I/O buffer, request target and bearer scratch, which
 * every exchange shares. Each public entry point takes it once, for the
 * whole call (an fwc_request() or fwc_upload() holds it across its
 * retries, waits and callbacks), and works through the *_held functions
 * below, which expect it taken and never take it again: port.h's lock need
 * not be recursive. Without CONFIG_FWC_LOCKS both calls are empty. */
#ifndef FWC_CLIENT_LOCK_H
#define FWC_CLIENT_LOCK_H

#include "fwc/client.h"

void fwc_client_lock(const struct fwc_client *c);
void fwc_client_unlock(const struct fwc_client *c);

/* fwc_token() and fwc_token_invalidate() with the lock held. */
enum fwc_err fwc_token_held(struct fwc_client *c, char *out, size_t cap, size_t *out_len);
void fwc_token_drop_held(struct fwc_client *c);

/* fwc_request() with the lock held (its arguments already checked). */
enum fwc_err fwc_request_held(struct fwc_client *c, const struct fwc_http_request *req,
                              struct fwc_http_response *ref_resp);

#endif
