/* SPDX-License-Identifier: MIT */
/* Reading a token endpoint's answer (RFC 6749 5.1 and 5.2, FotoWeb's
 * reading of them). Pure: the HTTP status and body in, a verdict out. */
#ifndef FWC_TOKEN_RESPONSE_H
#define FWC_TOKEN_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"

struct fwc_token_answer {
    /* In: where the access token goes (NUL-terminated on success). */
    char *token;
    size_t token_cap;
    /* In: where the RFC 6749 "error" code goes on a refusal. */
    char *oauth_error;
    size_t oauth_error_cap;
    /* Out. */
    size_t token_len;
    uint32_t lifetime_s;  /* expires_in, or the configured default */
    bool lifetime_given;  /* expires_in was present */
};

/* Judge a token response.
 * 200: the body must be a valid JSON object with a string access_token
 *   (RFC 6750 b64token characters only, so it is safe in a header),
 *   token_type "bearer" (any case) and, if present, an expires_in number in
 *   1..CONFIG_FWC_TOKEN_MAX_LIFETIME_S (a fraction is dropped). Unknown
 *   members and refresh_token are ignored. FWC_ERR_TOKEN_TOO_LARGE when the
 *   token does not fit; FWC_ERR_TOKEN_RESPONSE for anything else wrong.
 * Other status: a JSON body's "error" maps invalid_client to
 *   FWC_ERR_OAUTH_INVALID_CLIENT, access_denied to
 *   FWC_ERR_OAUTH_ACCESS_DENIED, anything else to FWC_ERR_OAUTH (the code is
 *   copied to oauth_error when it fits and is printable ASCII); a body
 *   that is not JSON or has no "error" is FWC_ERR_HTTP_STATUS.
 * token_storage is room for `capacity` JSON tokens (FWC_JSON_TOKEN_SIZE
 * bytes each). On any failure the token buffer is wiped. */
FWC_NODISCARD enum fwc_err fwci_token_response_read(int status, const char *body, size_t len,
                                                   void *token_storage, size_t capacity,
                                                   struct fwc_token_answer *ans);

/* The same, but the access token is unescaped where it stands in the
 * (writable) body, and ans->token is set to point there: no second
 * token-sized buffer is needed, so the cached token stays untouched until
 * the new one is known good. ans->token_cap still limits its length. */
FWC_NODISCARD enum fwc_err fwci_token_response_read_in_place(int status, char *body, size_t len,
                                                            void *token_storage,
                                                            size_t capacity,
                                                            struct fwc_token_answer *ans);

#endif
