/* SPDX-License-Identifier: MIT */
/* INTERNAL: not for application use. What this header declares changes
 * without notice; fwc/client.h includes it only because struct fwc_client
 * is made of these parts (after its enum fwc_auth_method).
 *
 * struct fwc_client in parts, one per layer (docs/ARCHITECTURE.md). Each
 * part is read and written by its owner's file only; what another layer
 * needs comes through a function or a response. Every part is wiped by
 * fwc_client_close(). */
#ifndef FWC_INTERNAL_CLIENT_PARTS_H
#define FWC_INTERNAL_CLIENT_PARTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"
#include "fwc/http.h"
#include "fwc/internal/http_conn.h"
#include "fwc/internal/plain.h"
#include "fwc/internal/proxy.h"
#include "fwc/internal/tls.h"
#include "fwc/internal/url.h"
#include "fwc/port.h"

#define FWC_OAUTH_ERROR_MAX 64
/* Longest upload id a server may give (fwc/upload.h). */
#define FWC_UPLOAD_ID_MAX 128
/* "/fotoweb/api/uploads/<id>/chunks/<index>" with its NUL. */
#define FWC_UPLOAD_PATH_MAX (FWC_UPLOAD_ID_MAX + 48)
/* Room for the state of one multipart part (upload.c checks it fits). */
#define FWC_UPLOAD_PART_SIZE 384
/* Longest request target fwc builds: the URL's prefix and an API path. */
#define FWC_TARGET_MAX (CONFIG_FWC_URL_PREFIX_MAX + CONFIG_FWC_API_PATH_MAX)
/* Caller headers per API request (Authorization is added by fwc). */
#define FWC_REQUEST_MAX_HEADERS 8
#define FWC_TOKEN_TARGET_MAX (CONFIG_FWC_URL_PREFIX_MAX + 64)
/* "Basic " + base64(form(id) ":" form(secret)) + NUL */
#define FWC_BASIC_AUTH_MAX \
    (6 + 4 * ((3 * (CONFIG_FWC_CLIENT_ID_MAX + CONFIG_FWC_SECRET_MAX) + 1 + 2) / 3) + 1)

/* client.c: the way to the tenant. The transport is the application's, or
 * one of the two fwc builds in here. */
struct fwci_link {
    struct fwc_url url;
    const struct fwc_transport *transport; /* NULL: never opened, or closed */
#if CONFIG_FWC_TLS_MBEDTLS
    struct fwc_tls tls;
#endif
#if CONFIG_FWC_TLS_MBEDTLS && CONFIG_FWC_PROXY
    struct fwc_proxy proxy; /* proxy.c's; the TLS transport tunnels through it */
#endif
#if CONFIG_FWC_ALLOW_HTTP
    struct fwc_plain plain;
#endif
    struct fwc_http_conn conn;
};

/* What a failed public call ended in: its error, the HTTP status of the
 * answer the failure is about (0: none, e.g. the network failed), and the
 * OAuth "error" code of a refused token request ("" otherwise). */
struct fwci_failure {
    enum fwc_err err;
    int http_status;
    char oauth_error[FWC_OAUTH_ERROR_MAX];
};

/* client.c: the last failed public call, recorded once when it returns,
 * and what the call in flight has learnt so far (each layer that fails
 * writes it through the `why` pointer it is handed). */
struct fwci_failures {
    struct fwci_failure last;
    struct fwci_failure call;
};

/* oauth.c: where and how to ask for a token, and the token it holds.
 * Times are port milliseconds kept as offsets from the fetch and compared
 * by unsigned elapsed time: right for up to 49.7 days between calls. */
struct fwci_token_cache {
    char target[FWC_TOKEN_TARGET_MAX];
    enum fwc_auth_method auth;
    void *secret_ctx;
    char token[CONFIG_FWC_TOKEN_MAX + 1];
    size_t token_len;
    bool have_token;
    uint32_t fetched_ms;
    uint32_t lifetime_ms;
    uint32_t renew_after_ms;
    uint32_t lifetime_s;
    /* The client ID the token was fetched (or warm-imported) with: what a
     * warm-start export binds to (fwc/warm.h). Not a secret. */
    char client_id[CONFIG_FWC_CLIENT_ID_MAX];
    size_t client_id_len;
    enum fwc_err renew_error; /* of the last renewal, for fwc_token_renew_error() */
    uint8_t renew_refusals;   /* renewals refused in a row, while the token held */
    /* The token request's answer head. Here, not in a stack frame, so a
     * task's stack holds under 1 KiB of fwc (make size). */
    struct fwc_http_response resp;
};

/* oauth.c: the credentials while one token request is written, wiped
 * right after it on every path. Apart from the answer scratch below, so
 * the secret never shares bytes with what a server wrote. */
struct fwci_credentials {
    char client_id[CONFIG_FWC_CLIENT_ID_MAX];
    size_t client_id_len;
    char secret[CONFIG_FWC_SECRET_MAX];
    size_t secret_len;
#if CONFIG_FWC_AUTH_BASIC
    char basic_auth[FWC_BASIC_AUTH_MAX];
#endif
};

/* request.c: the API request in flight, and what the last one did. */
struct fwci_request_state {
    char target[FWC_TARGET_MAX];
    char bearer[CONFIG_FWC_TOKEN_MAX + 8]; /* "Bearer <token>", wiped after each send */
    uint32_t retry_after_s;
    unsigned sends; /* every attempt's sends in the call in flight */
    unsigned maybe_received;
    struct fwc_http_response attempt; /* the attempt's answer head (make size) */
    /* The attempt's headers: the caller's and Authorization. Here, not on
     * the stack: a token fetch and a proxy tunnel may run below them, and
     * the upload path must stay under 1 KiB (make size). */
    struct fwc_http_header headers[FWC_REQUEST_MAX_HEADERS + 1];
};

#if CONFIG_FWC_UPLOAD
/* upload.c: the upload in flight: its request body (the create's JSON),
 * its requests' answer head, the request path, the multipart boundary and
 * content type, and the part being streamed. */
struct fwci_upload_work {
    char json[CONFIG_FWC_UPLOAD_JSON_MAX];
    struct fwc_http_response resp;
    char path[FWC_UPLOAD_PATH_MAX];
    char boundary[40];
    char content_type[80];
    /* The part's request, here rather than on the stack (make size). */
    struct fwc_http_request part_req;
    struct fwc_http_header part_headers[2];
    union {
        uint64_t align;
        unsigned char bytes[FWC_UPLOAD_PART_SIZE];
    } part;
};
#endif

/* A JSON answer and room for its tokens (json.c parses in place). */
struct fwci_json_answer {
    char text[CONFIG_FWC_TOKEN_RESPONSE_MAX];
    union {
        int align;
        unsigned char bytes[CONFIG_FWC_JSON_MAX_TOKENS * 4 * sizeof(int)];
    } tokens;
};

/* The one read buffer for JSON answers, held in turns, wiped by its holder
 * before it lets go:
 * - token: oauth.c, from a token request's exchange until its answer is
 *   parsed and the token copied out;
 * - upload: upload.c, from an upload request's exchange (create, status)
 *   until its answer is parsed. That exchange may first renew the token
 *   (fwc_request does), but the token's turn ends before the upload
 *   request is sent, and so before its answer's first byte arrives. */
union fwci_answer_scratch {
    struct fwci_json_answer token;
#if CONFIG_FWC_UPLOAD
    struct fwci_json_answer upload;
#endif
};

#endif
