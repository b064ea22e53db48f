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
#include "fwc/internal/http_conn.h"
#include "fwc/internal/plain.h"
#include "fwc/port.h"
#include "fwc/internal/tls.h"
#include "fwc/internal/url.h"

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
};

#define FWC_OAUTH_ERROR_MAX 64

/* What a failed public call (fwc_token, fwc_request, fwc_upload) ended in:
 * its error, the HTTP status of the answer the failure is about (0: none,
 * e.g. the network failed), and the OAuth "error" code of a refused token
 * request ("" otherwise). */
struct fwc_failure {
    enum fwc_err err;
    int http_status;
    char oauth_error[FWC_OAUTH_ERROR_MAX];
};
/* Longest upload id a server may give (fwc/upload.h), and room for the
 * state of one multipart part (upload.c checks it fits). */
#define FWC_UPLOAD_ID_MAX 128
/* "/fotoweb/api/uploads/<id>/chunks/<index>" with its NUL. */
#define FWC_UPLOAD_PATH_MAX (FWC_UPLOAD_ID_MAX + 48)
#define FWC_UPLOAD_PART_SIZE 384
/* Longest request target fwc builds: the URL's prefix and an API path. */
#define FWC_TARGET_MAX (CONFIG_FWC_URL_PREFIX_MAX + CONFIG_FWC_API_PATH_MAX)
/* Caller headers per API request (Authorization is added by fwc). */
#define FWC_REQUEST_MAX_HEADERS 8
#define FWC_TOKEN_TARGET_MAX (CONFIG_FWC_URL_PREFIX_MAX + 64)
/* "Basic " + base64(form(id) ":" form(secret)) + NUL */
#define FWC_BASIC_AUTH_MAX \
    (6 + 4 * ((3 * (CONFIG_FWC_CLIENT_ID_MAX + CONFIG_FWC_SECRET_MAX) + 1 + 2) / 3) + 1)

struct fwc_client {
    struct {
        struct fwc_url url;
        const struct fwc_transport *transport;
        struct fwc_tls tls;
#if CONFIG_FWC_ALLOW_HTTP
        struct fwc_plain plain;
#endif
        struct fwc_http_conn conn;
        char token_target[FWC_TOKEN_TARGET_MAX];
        enum fwc_auth_method auth;
        void *secret_ctx;

        /* Token cache; times in port milliseconds. */
        char token[CONFIG_FWC_TOKEN_MAX + 1];
        size_t token_len;
        bool have_token;
        /* Times are kept as offsets from the fetch, compared by unsigned
         * elapsed time: right for up to 49.7 days between calls. */
        uint32_t fetched_ms;
        uint32_t lifetime_ms;
        uint32_t renew_after_ms;
        uint32_t lifetime_s;

        enum fwc_err renew_error; /* of the last renewal, for fwc_token_renew_error() */
        /* The last failed public call (client.c records it, once per call),
         * and what the call in flight has learnt so far: each layer that
         * fails writes it, the entry point records it if the call failed. */
        struct fwc_failure last_failure;
        struct fwc_failure call_failure;

        /* Scratch, wiped after each use: the credentials while a token
         * request is written, and the token response while it is read. */
        char client_id[CONFIG_FWC_CLIENT_ID_MAX];
        size_t client_id_len;
        char secret[CONFIG_FWC_SECRET_MAX];
        size_t secret_len;
#if CONFIG_FWC_AUTH_BASIC
        char basic_auth[FWC_BASIC_AUTH_MAX];
#endif
        char response[CONFIG_FWC_TOKEN_RESPONSE_MAX];
        /* An API request in flight: its target and "Bearer <token>". */
        char target[FWC_TARGET_MAX];
        char bearer[CONFIG_FWC_TOKEN_MAX + 8];
        uint32_t retry_after_s;
        unsigned sends; /* times the last fwc_request() went on the wire */
        /* ... of which may have been taken in by the server: no answer
         * seen, or a 2xx (a refusal such as 503 or 401 was not). */
        unsigned sends_maybe_taken;
        /* The heads of the responses in flight: an API request attempt's
         * and, while that attempt renews the token, the token request's.
         * They live here, not in fwc's stack frames, so that a task's
         * stack holds under 1 KiB of fwc (make size). */
        struct fwc_http_response attempt_resp;
        struct fwc_http_response token_resp;
#if CONFIG_FWC_UPLOAD
        char upload_json[CONFIG_FWC_UPLOAD_JSON_MAX];
        /* The upload in flight (upload.c): its requests' answer head, the
         * request path, the multipart boundary and content type, and the
         * part being streamed. Here rather than on the stack (make size). */
        struct {
            struct fwc_http_response resp;
            char path[FWC_UPLOAD_PATH_MAX];
            char boundary[40];
            char content_type[80];
            union {
                uint64_t align;
                unsigned char bytes[FWC_UPLOAD_PART_SIZE];
            } part;
        } upload;
#endif
        union {
            int align;
            unsigned char bytes[CONFIG_FWC_JSON_MAX_TOKENS * 4 * sizeof(int)];
        } json;
#if CONFIG_FWC_LOCKS
        struct fwc_port_lock lock;
#endif
    } _internal;
};

/* Parse the base URL, set up TLS (or the given transport); connect
 * nothing yet. FWC_ERR_URL / FWC_ERR_PLAINTEXT for the URL,
 * FWC_ERR_INVALID_ARG for anything else unusable. */
FWC_NODISCARD enum fwc_err fwc_client_init(struct fwc_client *c,
                                           const struct fwc_client_config *cfg);

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

#endif
