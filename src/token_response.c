/* SPDX-License-Identifier: MIT */
/* Judging a token endpoint's answer (token_response.h). */
#include "token_response.h"

#include <string.h>

#include "chars.h"
#include "fwc/config.h"
#include "json.h"
#include "wipe.h"

/* RFC 6750 2.1 b64token: what may follow "Bearer " in a header. Anything
 * else in a token (space, quote, CR, LF, non-ASCII) is refused, so a
 * hostile server cannot split the requests that will carry it. */
static bool is_b64token(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (fwci_is_alnum(s[i]) || s[i] == '-' || s[i] == '.' || s[i] == '_' ||
                       s[i] == '~' || s[i] == '+' || s[i] == '/'))
        i++;
    if (i == 0)
        return false;
    while (i < len && s[i] == '=')
        i++;
    return i == len;
}

static enum fwc_err read_lifetime(const struct fwc_json *j, struct fwc_token_answer *ans)
{
    int tok = fwci_json_member(j, "expires_in");
    uint64_t seconds;

    if (tok == -1) {
        ans->lifetime_s = CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S;
        ans->lifetime_given = false;
        return FWC_OK;
    }
    if (tok < 0 || fwci_json_count(j, tok, CONFIG_FWC_TOKEN_MAX_LIFETIME_S, &seconds) != FWC_OK ||
        seconds == 0)
        return FWC_ERR_TOKEN_RESPONSE;
    ans->lifetime_s = (uint32_t)seconds;
    ans->lifetime_given = true;
    return FWC_OK;
}

/* writable: the body itself when the token is to be unescaped in place
 * (unescaping never lengthens a string, and the NUL lands at the latest on
 * its closing quote, so nothing else in the document is touched). */
static enum fwc_err read_success(const struct fwc_json *j, struct fwc_token_answer *ans,
                                 char *writable)
{
    int token = fwci_json_member(j, "access_token");
    int type = fwci_json_member(j, "token_type");
    enum fwc_err err;

    if (!fwci_json_is_string(j, token) || !fwci_json_string_ieq(j, type, "bearer"))
        return FWC_ERR_TOKEN_RESPONSE;
    if (writable != NULL)
        ans->token = writable + fwci_json_offset(j, token);
    err = fwci_json_string(j, token, ans->token, ans->token_cap, &ans->token_len);
    if (err == FWC_ERR_BODY_TOO_LARGE)
        return FWC_ERR_TOKEN_TOO_LARGE;
    if (err != FWC_OK || !is_b64token(ans->token, ans->token_len))
        return FWC_ERR_TOKEN_RESPONSE;
    return read_lifetime(j, ans);
}

/* RFC 6749 5.2 error codes are printable ASCII without '"' and '\'. */
static void keep_error_code(const struct fwc_json *j, int tok, struct fwc_token_answer *ans)
{
    size_t len, i;

    if (ans->oauth_error == NULL || ans->oauth_error_cap == 0)
        return;
    if (fwci_json_string(j, tok, ans->oauth_error, ans->oauth_error_cap, &len) != FWC_OK)
        len = 0;
    for (i = 0; i < len; i++) {
        char c = ans->oauth_error[i];
        if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
            len = 0;
    }
    ans->oauth_error[len] = '\0';
}

static enum fwc_err read_refusal(const struct fwc_json *j, struct fwc_token_answer *ans)
{
    int tok = fwci_json_member(j, "error");

    if (!fwci_json_is_string(j, tok))
        return FWC_ERR_HTTP_STATUS; /* JSON, but not an OAuth error */
    keep_error_code(j, tok, ans);
    if (fwci_json_string_ieq(j, tok, "invalid_client"))
        return FWC_ERR_OAUTH_INVALID_CLIENT;
    if (fwci_json_string_ieq(j, tok, "access_denied"))
        return FWC_ERR_OAUTH_ACCESS_DENIED;
    return FWC_ERR_OAUTH;
}

static enum fwc_err read_answer(int status, const char *body, size_t len, void *token_storage,
                                size_t capacity, struct fwc_token_answer *ans, char *writable)
{
    struct fwc_json j;
    bool is_json;
    enum fwc_err err;

    if (ans == NULL || (ans->token == NULL && writable == NULL) || ans->token_cap == 0 ||
        (body == NULL && len > 0))
        return FWC_ERR_INVALID_ARG;
    if (ans->oauth_error != NULL && ans->oauth_error_cap > 0)
        ans->oauth_error[0] = '\0';
    ans->token_len = 0;
    is_json = body != NULL &&
              fwci_json_parse(&j, body, len, token_storage, capacity) == FWC_OK;
    if (status == 200)
        err = is_json ? read_success(&j, ans, writable) : FWC_ERR_TOKEN_RESPONSE;
    else
        err = is_json ? read_refusal(&j, ans) : FWC_ERR_HTTP_STATUS;
    if (err != FWC_OK) {
        if (writable != NULL)
            fwci_wipe(writable, len); /* the token, wherever it stood */
        else
            fwci_wipe(ans->token, ans->token_cap);
        ans->token_len = 0;
    }
    return err;
}

enum fwc_err fwci_token_response_read(int status, const char *body, size_t len,
                                     void *token_storage, size_t capacity,
                                     struct fwc_token_answer *ans)
{
    return read_answer(status, body, len, token_storage, capacity, ans, NULL);
}

enum fwc_err fwci_token_response_read_in_place(int status, char *body, size_t len,
                                              void *token_storage, size_t capacity,
                                              struct fwc_token_answer *ans)
{
    if (ans != NULL)
        ans->token = NULL;
    return read_answer(status, body, len, token_storage, capacity, ans, body);
}
