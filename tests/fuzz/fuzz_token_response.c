/* SPDX-License-Identifier: MIT */
/* Fuzz target: judging a token endpoint's answer (src/token_response.c),
 * both fwci_token_response_read and _in_place.
 *
 * Input: byte 0 picks the HTTP status, byte 1 the token buffer's size,
 * byte 2 the JSON token capacity, then the body.
 *
 * Properties: only the documented errors; both functions agree on the
 * verdict, token, lifetime and OAuth error code; on success the status was
 * 200, the token is non-empty, NUL-terminated inside its buffer, made of
 * RFC 6750 b64token characters only, and the lifetime within limits; in
 * place, the token lies inside the body; on failure the token buffer (or
 * the whole body, in place) is wiped; the OAuth error code is always
 * NUL-terminated printable ASCII and set only for an OAuth refusal; a
 * token that fits in N bytes with its NUL fails with N - 1 and succeeds
 * with N. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "fwc/config.h"
#include "json.h"
#include "token_response.h"

#define MAX_BODY 65536
#define MAX_TOKENS 64
#define OAUTH_ERROR_CAP 64

struct result {
    enum fwc_err err;
    struct fwc_token_answer ans;
    char oauth_error[OAUTH_ERROR_CAP];
};

static int storage[MAX_TOKENS * 4];
static char token_buf[4096];

static bool is_b64token_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           strchr("-._~+/=", c) != NULL;
}

static bool known_error(enum fwc_err err)
{
    return err == FWC_OK || err == FWC_ERR_TOKEN_RESPONSE || err == FWC_ERR_TOKEN_TOO_LARGE ||
           err == FWC_ERR_HTTP_STATUS || err == FWC_ERR_OAUTH ||
           err == FWC_ERR_OAUTH_INVALID_CLIENT || err == FWC_ERR_OAUTH_ACCESS_DENIED;
}

static bool is_refusal(enum fwc_err err)
{
    return err == FWC_ERR_OAUTH || err == FWC_ERR_OAUTH_INVALID_CLIENT ||
           err == FWC_ERR_OAUTH_ACCESS_DENIED;
}

static void check_common(int status, const struct result *r, size_t token_cap)
{
    size_t i, n;

    FUZZ_CHECK(known_error(r->err));
    FUZZ_CHECK(memchr(r->oauth_error, '\0', sizeof(r->oauth_error)) != NULL);
    n = strlen(r->oauth_error);
    for (i = 0; i < n; i++) {
        char c = r->oauth_error[i];
        FUZZ_CHECK(c >= 0x20 && c <= 0x7e && c != '"' && c != '\\');
    }
    FUZZ_CHECK(n == 0 || is_refusal(r->err));
    if (is_refusal(r->err) || r->err == FWC_ERR_HTTP_STATUS)
        FUZZ_CHECK(status != 200);
    if (r->err != FWC_OK) {
        FUZZ_CHECK(r->ans.token_len == 0);
        return;
    }
    FUZZ_CHECK(status == 200);
    FUZZ_CHECK(r->ans.token_len > 0 && r->ans.token_len < token_cap);
    FUZZ_CHECK(r->ans.token[r->ans.token_len] == '\0');
    for (i = 0; i < r->ans.token_len; i++)
        FUZZ_CHECK(is_b64token_char(r->ans.token[i]));
    FUZZ_CHECK(r->ans.lifetime_s >= 1 && r->ans.lifetime_s <= CONFIG_FWC_TOKEN_MAX_LIFETIME_S);
    FUZZ_CHECK(r->ans.lifetime_given ||
               r->ans.lifetime_s == CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S);
}

static enum fwc_err read_copy(int status, const char *body, size_t len, size_t cap,
                              size_t capacity, struct result *r)
{
    memset(r, 0, sizeof(*r));
    memset(token_buf, 0xAA, sizeof(token_buf));
    memset(r->oauth_error, 0xAA, sizeof(r->oauth_error));
    r->ans.token = token_buf;
    r->ans.token_cap = cap;
    r->ans.oauth_error = r->oauth_error;
    r->ans.oauth_error_cap = sizeof(r->oauth_error);
    r->err = fwci_token_response_read(status, body, len, storage, capacity, &r->ans);
    return r->err;
}

static void read_in_place(int status, char *body, size_t len, size_t cap, size_t capacity,
                          struct result *r)
{
    memset(r, 0, sizeof(*r));
    memset(r->oauth_error, 0xAA, sizeof(r->oauth_error));
    r->ans.token_cap = cap;
    r->ans.oauth_error = r->oauth_error;
    r->ans.oauth_error_cap = sizeof(r->oauth_error);
    r->err = fwci_token_response_read_in_place(status, body, len, storage, capacity, &r->ans);
}

static void same_verdict(const struct result *a, const struct result *b)
{
    FUZZ_CHECK(a->err == b->err);
    FUZZ_CHECK(strcmp(a->oauth_error, b->oauth_error) == 0);
    if (a->err != FWC_OK)
        return;
    FUZZ_CHECK(a->ans.token_len == b->ans.token_len);
    FUZZ_CHECK(memcmp(a->ans.token, b->ans.token, a->ans.token_len + 1) == 0);
    FUZZ_CHECK(a->ans.lifetime_s == b->ans.lifetime_s);
    FUZZ_CHECK(a->ans.lifetime_given == b->ans.lifetime_given);
}

/* The token buffer's size decides only whether the token fits. */
static void check_cap_edge(int status, const char *body, size_t len, size_t capacity,
                           const struct result *a)
{
    static struct result edge;
    size_t need;

    if (a->err == FWC_OK) {
        need = a->ans.token_len + 1;
        FUZZ_CHECK(read_copy(status, body, len, need - 1, capacity, &edge) ==
                   FWC_ERR_TOKEN_TOO_LARGE);
        FUZZ_CHECK(fuzz_all_zero(token_buf, need - 1));
        FUZZ_CHECK(read_copy(status, body, len, need, capacity, &edge) == FWC_OK);
        FUZZ_CHECK(edge.ans.token_len == a->ans.token_len);
    } else if (a->err == FWC_ERR_TOKEN_TOO_LARGE) {
        enum fwc_err big = read_copy(status, body, len, sizeof(token_buf), capacity, &edge);
        FUZZ_CHECK(big == FWC_OK || big == FWC_ERR_TOKEN_RESPONSE ||
                   big == FWC_ERR_TOKEN_TOO_LARGE);
        FUZZ_CHECK(big != FWC_OK || edge.ans.token_len >= a->ans.token_cap);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int statuses[] = {200, 200, 200, 400, 401, 403, 500, 302};
    static struct result a, b;
    char *copy;
    int status;
    size_t cap, capacity, len;
    const char *body;

    if (size < 3 || size - 3 > MAX_BODY)
        return 0;
    status = statuses[data[0] % 8];
    cap = data[1] == 255 ? CONFIG_FWC_TOKEN_MAX + 1 : (size_t)data[1] * 8u + 1u;
    capacity = (size_t)data[2] % MAX_TOKENS + 1;
    len = size - 3;
    body = len > 0 ? (const char *)data + 3 : NULL;

    read_copy(status, body, len, cap, capacity, &a);
    check_common(status, &a, cap);
    if (a.err != FWC_OK)
        FUZZ_CHECK(fuzz_all_zero(token_buf, cap));

    /* A copy of exactly len bytes, so any access past the body is caught
     * (never NULL: in place, the body is where the token would go). */
    copy = malloc(len > 0 ? len : 1);
    FUZZ_CHECK(copy != NULL);
    memcpy(copy, data + 3, len);
    read_in_place(status, copy, len, cap, capacity, &b);
    check_common(status, &b, cap);
    if (b.err == FWC_OK)
        FUZZ_CHECK(b.ans.token >= copy && b.ans.token + b.ans.token_len < copy + len);
    else
        FUZZ_CHECK(fuzz_all_zero(copy, len));
    same_verdict(&a, &b);
    free(copy);
    check_cap_edge(status, body, len, capacity, &a);
    return 0;
}
