/* SPDX-License-Identifier: MIT */
/* The fwc client: one FotoWeb tenant, one connection, one cached token.
 * The application declares struct fwc_client (static, or on a task's
 * stack: its size is fixed by CONFIG_FWC_* values) and owns all of it. */
#ifndef FWC_CLIENT_H
#define FWC_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"
#include "fwc/http.h"
#include "fwc/port.h"
#include "fwc/transport.h"
#include "fwc/internal/proxy.h" /* struct fwc_proxy_config */

enum fwc_auth_method {
    FWC_AUTH_DEFAULT = 0, /* client_secret_post, FotoWeb's way */
    FWC_AUTH_POST,        /* id and secret in the form body */
    FWC_AUTH_BASIC        /* HTTP Basic (RFC 6749 2.3.1); needs CONFIG_FWC_AUTH_BASIC */
};

struct fwc_client_config {
    const char *base_url;   /* https://tenant.example.com[:port][/prefix] */
    const uint8_t *ca;      /* trusted CA chain, PEM (NUL counted) or DER; */
    size_t ca_len;          /* must stay valid while the client is used */
    const char *token_path; /* NULL: CONFIG_FWC_TOKEN_PATH */
    enum fwc_auth_method auth;
    void *secret_ctx;       /* handed to fwc_secret_get() */
    /* A transport of the application's own (a modem that does TLS, a test
     * script). NULL: fwc's TLS over the port's sockets. */
    const struct fwc_transport *transport;
    /* An HTTP proxy to reach the server through (CONNECT), with
     * CONFIG_FWC_PROXY and fwc's own TLS; NULL: connect directly. It and
     * its strings must stay valid while the client is used. */
    const struct fwc_proxy_config *proxy;
};

#include "fwc/internal/client_parts.h"

#ifdef __cplusplus
extern "C" {
#endif

/* All of a client's state, in one part per layer. The parts are fwc's own
 * (fwc/internal/client_parts.h): an application reads none of them. */
struct fwc_client {
    struct {
        struct fwci_link link;               /* client.c */
        struct fwci_failures failure;        /* client.c */
        struct fwci_token_cache token;       /* oauth.c */
        struct fwci_credentials credentials; /* oauth.c, during a token request */
        struct fwci_request_state request;   /* request.c */
#if CONFIG_FWC_UPLOAD
        struct fwci_upload_work upload;      /* upload.c */
#endif
        union fwci_answer_scratch answer;    /* oauth.c and upload.c, in turns */
#if CONFIG_FWC_LOCKS
        struct fwc_port_lock lock;           /* client.c */
#endif
    } _internal;
};

/* Parse the base URL, set up TLS (or the given transport); connect
 * nothing yet.
 * A macro: it hands the library this program's FWC_CONFIG_FINGERPRINT and
 * sizeof(struct fwc_client), the configuration it was compiled with, and
 * the library refuses one that is not its own before touching *c.
 * Returns:
 *   FWC_OK
 *   FWC_ERR_CONFIG_MISMATCH  this program and the library were compiled
 *                        with different CONFIG_FWC_* values (or compilers
 *                        that lay struct fwc_client out otherwise)
 *   FWC_ERR_INVALID_ARG  c or cfg NULL, no base_url, an unknown auth method
 *                        or Basic without CONFIG_FWC_AUTH_BASIC, no
 *                        transport in a build without CONFIG_FWC_TLS_MBEDTLS,
 *                        a token path not starting with '/' or too long, a
 *                        CA with no usable certificate, a host that spells
 *                        an address unusually ("127.1"), a proxy with no
 *                        host or port, controls in its host or
 *                        credentials, or a proxy in a build without
 *                        CONFIG_FWC_PROXY or with an own transport
 *   FWC_ERR_URL          the base URL cannot be parsed or does not fit
 *   FWC_ERR_PLAINTEXT    http:// without CONFIG_FWC_ALLOW_HTTP
 *   FWC_ERR_TLS          mbedTLS could not be set up
 *   what fwc_port_lock_init() returns, with CONFIG_FWC_LOCKS */
#define fwc_client_init(c, cfg) \
    fwc_client_init_checked((c), (cfg), FWC_CONFIG_FINGERPRINT, sizeof(struct fwc_client))
/* What the macro calls; call the macro. */
FWC_NODISCARD enum fwc_err fwc_client_init_checked(struct fwc_client *c,
                                                   const struct fwc_client_config *cfg,
                                                   unsigned long config_fingerprint,
                                                   size_t client_size);

/* Close the connection (TLS close_notify) and wipe the token and every
 * scratch buffer. The client can be initialised again afterwards. With
 * several tasks on one client, call it only once no other task uses the
 * client: it frees the client's lock too. */
void fwc_client_close(struct fwc_client *c);

/* An authorized FotoWeb API request. req->path is relative to the base
 * URL (e.g. "/fotoweb/me/"); fwc adds the URL's prefix and
 * "Authorization: Bearer", fetching or renewing the token as needed, on
 * the same kept-alive connection.
 * - 401: the token is dropped, a new one fetched, and the request repeated
 *   once if its body can be replayed; a second 401 is FWC_ERR_UNAUTHORIZED.
 * - 429 and 503 are retried after Retry-After (seconds or an HTTP-date)
 *   or a backoff; 5xx and transport failures only for idempotent requests
 *   (req->idempotent, or GET/HEAD/PUT/DELETE/OPTIONS). Backoff is
 *   exponential with jitter, capped by CONFIG_FWC_RETRY_CAP_MS, within
 *   CONFIG_FWC_RETRY_MAX_ATTEMPTS and CONFIG_FWC_RETRY_MAX_TOTAL_MS. Out of
 *   budget on 429/503: FWC_ERR_RATE_LIMITED (fwc_client_retry_after()).
 * - The body of a response that is retried never reaches resp's sink or
 *   buffer; only the final response's does (not even then when fwc still
 *   meant to retry it as it came, and the budget ran out after).
 * resp is reset first and ends with the final answer's head (status 0 when
 * none came). FWC_OK only when that answer is below 400; every error
 * status is an error: 401 FWC_ERR_UNAUTHORIZED, 429/503
 * FWC_ERR_RATE_LIMITED, any other 4xx/5xx FWC_ERR_HTTP_STATUS, with its
 * body delivered as for a success. A kept header too long for its slot is
 * not an error (resp->truncated says which); only a 429/503 that would be
 * retried, whose Retry-After fwc cannot hold whole, ends the call:
 * FWC_ERR_HTTP_HEADER_TOO_LARGE, the server's answer in resp.
 * A failure is recorded for fwc_client_http_status() and friends.
 * Returns:
 *   FWC_OK                         an answer below 400 (resp->status)
 *   FWC_ERR_INVALID_ARG            NULL arguments, a path that is not
 *                                  origin-form or too long, too many or bad
 *                                  headers, a body both buffered and streamed
 *   FWC_ERR_UNAUTHORIZED           401 again with a freshly fetched token
 *   FWC_ERR_RATE_LIMITED           429/503 and the retry budget is spent
 *   FWC_ERR_HTTP_STATUS            any other final answer of 400 or more
 *   FWC_ERR_HTTP_HEADER_TOO_LARGE  a 429/503's Retry-After does not fit
 *   FWC_ERR_BODY_TOO_LARGE         the body does not fit resp's buffer
 *   FWC_ERR_BODY_READER, FWC_ERR_SINK   the caller's reader or sink failed
 *   FWC_ERR_REQUEST_TOO_LARGE      the head does not fit the I/O buffer
 *   FWC_ERR_TIMEOUT, _DNS, _CONNECT, _CONN_RESET, _CONN_CLOSED, _TRANSPORT
 *   FWC_ERR_TLS_HANDSHAKE, _TLS_CERT, _TLS
 *   FWC_ERR_PROXY_AUTH, _PROXY, _PROXY_CLOSED   through fwc_client_config.proxy
 *   FWC_ERR_HTTP_STATUS_LINE, _HEADER, _LINE_TOO_LONG, _TOO_MANY_HEADERS,
 *   _CONTENT_LENGTH, _FRAMING, _CHUNK, _TRUNCATED   a malformed answer
 *   any error of fwc_token(), when a token had to be fetched first
 * With CONFIG_FWC_LOCKS the client's lock is held throughout, callbacks
 * included: a body reader or sink must not call fwc with the same client. */
FWC_NODISCARD enum fwc_err fwc_request(struct fwc_client *c, const struct fwc_http_request *req,
                                       struct fwc_http_response *ref_resp);

/* Seconds the last fwc_request()'s server asked to wait (Retry-After; 0: none). */
uint32_t fwc_client_retry_after(const struct fwc_client *c);

/* The host of the base URL (for messages). */
const char *fwc_client_host(const struct fwc_client *c);

/* Details of the last failed fwc_token(), fwc_request() or fwc_upload()
 * call, for messages and support logs (a successful call leaves them as
 * they were). Each is recorded once, when that call returns, and copied out
 * under the client's lock (CONFIG_FWC_LOCKS), as fwc_client_retry_after()
 * and fwc_client_cert_problems() are: do not call them from a callback
 * fwc is running. FWC_OK, 0 or "" when there was none, or the client is
 * closed. With several tasks on one client, the last failure may be
 * another task's. */
enum fwc_err fwc_client_last_error(const struct fwc_client *c);
/* The status of the answer the failure is about; 0: none came. */
int fwc_client_http_status(const struct fwc_client *c);
/* The OAuth "error" code of a refused token request, copied into out
 * (always NUL-terminated when cap > 0; FWC_OAUTH_ERROR_MAX always fits;
 * "" when there is none or it does not fit: a cut code could read as
 * another). */
void fwc_client_oauth_error(const struct fwc_client *c, char *out, size_t cap);
uint32_t fwc_client_cert_problems(const struct fwc_client *c); /* FWC_TLS_CERT_* */

#ifdef __cplusplus
}
#endif

#endif
