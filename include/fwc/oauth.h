/* SPDX-License-Identifier: MIT */
/* Client-credentials access tokens (RFC 6749 4.4) as FotoWeb issues them
 * to non-interactive applications, with a cache in the client. */
#ifndef FWC_OAUTH_H
#define FWC_OAUTH_H

#include <stddef.h>
#include <stdint.h>

#include "fwc/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Copy a valid access token into out (NUL-terminated; cap must be at least
 * CONFIG_FWC_TOKEN_MAX + 1).
 *
 * The cached token is used while now < expiry - margin, where margin is the
 * larger of CONFIG_FWC_TOKEN_RENEW_MARGIN_S and CONFIG_FWC_TOKEN_RENEW_MARGIN_PCT
 * of the lifetime, plus up to CONFIG_FWC_TOKEN_RENEW_JITTER_S of random
 * jitter (so a fleet rebooted together does not renew in step). Past that,
 * a new token is requested.
 *
 * If renewal fails while the cached token has not expired yet, that token
 * is returned (FWC_OK) and the failure is kept in fwc_token_renew_error();
 * the next attempt waits the server's Retry-After, else 30 s doubled for
 * each refusal in a row (to 16 min), plus a random extra of up to as much
 * again, within half the time left: a down server is not hammered, and
 * devices refused together do not come back together. With no usable token, the failure is
 * returned: a named FWC_ERR_* code, with fwc_client_http_status() and
 * fwc_client_oauth_error() telling more.
 * Returns:
 *   FWC_OK
 *   FWC_ERR_INVALID_ARG            NULL arguments, cap 0, a closed client
 *   FWC_ERR_TOKEN_TOO_LARGE        the token does not fit out, or
 *                                  CONFIG_FWC_TOKEN_MAX
 *   FWC_ERR_SECRET_UNAVAILABLE     fwc_secret_get() gave nothing usable
 *   FWC_ERR_OAUTH_INVALID_CLIENT, FWC_ERR_OAUTH_ACCESS_DENIED, FWC_ERR_OAUTH
 *                                  the token endpoint refused (OAuth code
 *                                  in fwc_client_oauth_error())
 *   FWC_ERR_TOKEN_RESPONSE         a 200 that is not a usable token
 *   FWC_ERR_HTTP_STATUS            another status, not an OAuth answer
 *   FWC_ERR_BODY_TOO_LARGE         the answer is over
 *                                  CONFIG_FWC_TOKEN_RESPONSE_MAX
 *   FWC_ERR_REQUEST_TOO_LARGE      the head does not fit the I/O buffer
 *   FWC_ERR_TIMEOUT, _DNS, _CONNECT, _CONN_RESET, _CONN_CLOSED, _TRANSPORT
 *   FWC_ERR_TLS_HANDSHAKE, _TLS_CERT, _TLS
 *   FWC_ERR_PROXY_AUTH, _PROXY, _PROXY_CLOSED   through fwc_client_config.proxy
 *   FWC_ERR_HTTP_STATUS_LINE, _HEADER, _LINE_TOO_LONG, _TOO_MANY_HEADERS,
 *   _CONTENT_LENGTH, _FRAMING, _CHUNK, _TRUNCATED   a malformed answer */
FWC_NODISCARD enum fwc_err fwc_token(struct fwc_client *c, char *out, size_t cap,
                                     size_t *out_len);

/* Forget the cached token (after a 401) and wipe it. */
void fwc_token_invalidate(struct fwc_client *c);

/* Seconds until the cached token expires; 0 when there is none. */
uint32_t fwc_token_seconds_left(const struct fwc_client *c);

/* The error of the last failed renewal (any of fwc_token()'s), FWC_OK
 * after a good one; FWC_ERR_INVALID_ARG for a closed client. */
enum fwc_err fwc_token_renew_error(const struct fwc_client *c);

#ifdef __cplusplus
}
#endif

#endif
