/* SPDX-License-Identifier: MIT */
/* Token endpoint answers (token_response.h), table-driven: every entry of
 * the table is its own cmocka test. Each body is copied into a heap block
 * of exactly its length (no NUL after it), so ASan flags any read past it.
 * Each entry is judged twice: by fwci_token_response_read into a token
 * buffer of CONFIG_FWC_TOKEN_MAX + 1 bytes pre-filled with a pattern, and
 * by fwci_token_response_read_in_place on a writable copy; both must give
 * the table's verdict.
 *
 * Checked for every entry: the error; on success the token text, token_len,
 * lifetime_s and lifetime_given; on failure that the token buffer is all
 * zero; that oauth_error holds a code only for the FWC_ERR_OAUTH* results. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/config.h"
#include "json.h"
#include "token_response.h"

#define TOKEN_CAP (CONFIG_FWC_TOKEN_MAX + 1)
#define OAUTH_CAP 32
#define TOKEN_FILL 0xA5
#define OAUTH_FILL 0x5A
#define CACHE_FILL 0x3C

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- The table ----------------------------------------------------------- */

struct tcase {
    const char *name;
    int status;
    const char *body;    /* NUL-terminated; ignored when gen_token > 0 */
    size_t gen_token;    /* > 0: body is a documented answer with a token this long */
    enum fwc_err err;
    bool has_alt;        /* the contract is silent: alt is accepted as well */
    enum fwc_err alt;
    const char *token;   /* on success (NULL with gen_token: the generated one) */
    uint32_t lifetime;
    bool given;
    const char *oauth;   /* the code expected in oauth_error; NULL: none */
};

#define OK(n, b, tok, life, giv) \
    {.name = n, .status = 200, .body = b, .err = FWC_OK, .token = tok, .lifetime = life, \
     .given = giv}
#define BAD(n, st, b, e) {.name = n, .status = st, .body = b, .err = e}
#define EITHER(n, st, b, e, a) \
    {.name = n, .status = st, .body = b, .err = e, .has_alt = true, .alt = a}
/* Refused or accepted (then with this token, 3600 s). */
#define EITHER_OK(n, b, tok) \
    {.name = n, .status = 200, .body = b, .err = FWC_ERR_TOKEN_RESPONSE, .has_alt = true, \
     .alt = FWC_OK, .token = tok, .lifetime = 3600, .given = true}
#define OAUTH(n, st, b, e, code) {.name = n, .status = st, .body = b, .err = e, .oauth = code}
#define GEN(n, len, e) {.name = n, .status = 200, .gen_token = len, .err = e, .lifetime = 3600, \
                        .given = true}

#define TT "\"token_type\":\"bearer\""
#define AT "\"access_token\":\"abc123\""
#define EI "\"expires_in\":3600"
#define JWT "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJjbGllbnQiLCJleHAiOjE3MDB9." \
            "c2lnbmF0dXJlLWJ5dGVzLWhlcmU"
#define DEF_LIFE CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S
#define MAX_LIFE STR(CONFIG_FWC_TOKEN_MAX_LIFETIME_S)
#define TR FWC_ERR_TOKEN_RESPONSE
#define HS FWC_ERR_HTTP_STATUS

static const struct tcase cases[] = {
    /* ---- 200, accepted ---- */
    OK("fotoweb_documented",
       "{\"access_token\":\"" JWT "\",\"token_type\":\"bearer\",\"expires_in\":3600}", JWT, 3600,
       true),
    OK("type_Bearer", "{" AT ",\"token_type\":\"Bearer\"," EI "}", "abc123", 3600, true),
    OK("type_BEARER", "{" AT ",\"token_type\":\"BEARER\"," EI "}", "abc123", 3600, true),
    OK("type_bEaReR", "{" AT ",\"token_type\":\"bEaReR\"," EI "}", "abc123", 3600, true),
    OK("order_expires_type_token", "{" EI "," TT "," AT "}", "abc123", 3600, true),
    OK("order_type_token_expires", "{" TT "," AT "," EI "}", "abc123", 3600, true),
    OK("extra_unknown_members",
       "{\"scope\":\"api\"," AT ",\"foo\":123,\"bar\":true,\"baz\":null,\"qux\":-1.5e3," TT
       ",\"id_token\":\"x y z\"," EI ",\"\":\"\"}",
       "abc123", 3600, true),
    OK("nested_unknown_objects_and_arrays",
       "{\"extra\":{\"a\":[1,2,{\"b\":\"c\"}],\"access_token\":\"nested\",\"token_type\":\"mac\","
       "\"expires_in\":-1},\"list\":[{\"token_type\":\"mac\"},[[\"access_token\"]]]," AT "," TT
       "," EI ",\"tail\":{}}",
       "abc123", 3600, true),
    OK("refresh_token_ignored", "{" AT "," TT "," EI ",\"refresh_token\":\"r e\\u0000f\"}",
       "abc123", 3600, true),
    OK("expires_in_absent", "{" AT "," TT "}", "abc123", DEF_LIFE, false),
    OK("expires_in_28800_000000", "{" AT "," TT ",\"expires_in\":28800.000000}", "abc123", 28800,
       true),
    OK("expires_in_1", "{" AT "," TT ",\"expires_in\":1}", "abc123", 1, true),
    OK("expires_in_1_9", "{" AT "," TT ",\"expires_in\":1.9}", "abc123", 1, true),
    OK("expires_in_max", "{" AT "," TT ",\"expires_in\":" MAX_LIFE "}", "abc123",
       CONFIG_FWC_TOKEN_MAX_LIFETIME_S, true),
    OK("pretty_printed",
       "\r\n{\n  \"access_token\" : \"abc123\" ,\n\t\"token_type\":\t\"bearer\",\r\n"
       "  \"expires_in\" :\n3600\n}\n",
       "abc123", 3600, true),
    OK("base64_token_with_padding", "{\"access_token\":\"ab+/CD09==\"," TT "," EI "}",
       "ab+/CD09==", 3600, true),
    OK("b64token_all_punctuation", "{\"access_token\":\"a-b.c_d~e+f/g=\"," TT "," EI "}",
       "a-b.c_d~e+f/g=", 3600, true),
    OK("one_char_token", "{\"access_token\":\"x\"," TT "," EI "}", "x", 3600, true),
    OK("escaped_slash", "{\"access_token\":\"ab\\/cd\\/\"," TT "," EI "}", "ab/cd/", 3600, true),
    OK("unicode_escaped_ascii", "{\"access_token\":\"\\u0041b\\u002Bc\"," TT "," EI "}", "Ab+c",
       3600, true),
    GEN("token_exactly_max", CONFIG_FWC_TOKEN_MAX, FWC_OK),

    /* ---- 200, lifetime refused ---- */
    BAD("expires_in_0", 200, "{" AT "," TT ",\"expires_in\":0}", TR),
    BAD("expires_in_0_0", 200, "{" AT "," TT ",\"expires_in\":0.0}", TR),
    BAD("expires_in_negative", 200, "{" AT "," TT ",\"expires_in\":-5}", TR),
    BAD("expires_in_string", 200, "{" AT "," TT ",\"expires_in\":\"3600\"}", TR),
    BAD("expires_in_null", 200, "{" AT "," TT ",\"expires_in\":null}", TR),
    BAD("expires_in_true", 200, "{" AT "," TT ",\"expires_in\":true}", TR),
    BAD("expires_in_object", 200, "{" AT "," TT ",\"expires_in\":{\"s\":3600}}", TR),
    BAD("expires_in_exponent", 200, "{" AT "," TT ",\"expires_in\":1e5}", TR),
    BAD("expires_in_above_max", 200,
        "{" AT "," TT ",\"expires_in\":" STR(CONFIG_FWC_TOKEN_MAX_LIFETIME_S) "1}", TR),
#if CONFIG_FWC_TOKEN_MAX_LIFETIME_S == 604800
    BAD("expires_in_max_plus_one", 200, "{" AT "," TT ",\"expires_in\":604801}", TR),
#endif
    BAD("expires_in_20_digits", 200, "{" AT "," TT ",\"expires_in\":99999999999999999999}", TR),
    /* Ambiguous: the first value may be taken, never the default. */
    EITHER_OK("expires_in_duplicate", "{" AT "," TT "," EI ",\"expires_in\":0}", "abc123"),
    BAD("expires_in_2_pow_32", 200, "{" AT "," TT ",\"expires_in\":4294967296}", TR),

    /* ---- 200, token_type refused ---- */
    BAD("type_mac", 200, "{" AT ",\"token_type\":\"mac\"," EI "}", TR),
    BAD("type_missing", 200, "{" AT "," EI "}", TR),
    BAD("type_number", 200, "{" AT ",\"token_type\":1," EI "}", TR),
    BAD("type_null", 200, "{" AT ",\"token_type\":null," EI "}", TR),
    BAD("type_array", 200, "{" AT ",\"token_type\":[\"bearer\"]," EI "}", TR),
    BAD("type_empty", 200, "{" AT ",\"token_type\":\"\"," EI "}", TR),
    BAD("type_trailing_space", 200, "{" AT ",\"token_type\":\"bearer \"," EI "}", TR),
    BAD("type_bearerx", 200, "{" AT ",\"token_type\":\"bearerx\"," EI "}", TR),
    BAD("type_only_nested", 200, "{" AT ",\"x\":{" TT "}," EI "}", TR),
    EITHER_OK("type_duplicate", "{" AT "," TT "," TT "," EI "}", "abc123"),

    /* ---- 200, access_token refused ---- */
    BAD("token_missing", 200, "{" TT "," EI "}", TR),
    BAD("token_null", 200, "{\"access_token\":null," TT "," EI "}", TR),
    BAD("token_number", 200, "{\"access_token\":12345," TT "," EI "}", TR),
    BAD("token_true", 200, "{\"access_token\":true," TT "," EI "}", TR),
    BAD("token_object", 200, "{\"access_token\":{\"v\":\"abc\"}," TT "," EI "}", TR),
    BAD("token_array", 200, "{\"access_token\":[\"abc\"]," TT "," EI "}", TR),
    BAD("token_empty", 200, "{\"access_token\":\"\"," TT "," EI "}", TR),
    BAD("token_space", 200, "{\"access_token\":\"abc def\"," TT "," EI "}", TR),
    BAD("token_escaped_quote", 200, "{\"access_token\":\"abc\\\"def\"," TT "," EI "}", TR),
    BAD("token_escaped_backslash", 200, "{\"access_token\":\"abc\\\\def\"," TT "," EI "}", TR),
    BAD("token_nul", 200, "{\"access_token\":\"abc\\u0000def\"," TT "," EI "}", TR),
    BAD("token_escaped_non_ascii", 200, "{\"access_token\":\"caf\\u00e9\"," TT "," EI "}", TR),
    BAD("token_raw_utf8", 200, "{\"access_token\":\"caf\xc3\xa9\"," TT "," EI "}", TR),
    BAD("token_crlf", 200, "{\"access_token\":\"abc\\r\\nX-Evil: 1\"," TT "," EI "}", TR),
    BAD("token_lf", 200, "{\"access_token\":\"abc\\n\"," TT "," EI "}", TR),
    BAD("token_tab", 200, "{\"access_token\":\"abc\\tdef\"," TT "," EI "}", TR),
    BAD("token_comma", 200, "{\"access_token\":\"abc,def\"," TT "," EI "}", TR),
    BAD("token_semicolon", 200, "{\"access_token\":\"abc;def\"," TT "," EI "}", TR),
    BAD("token_del", 200, "{\"access_token\":\"abc\x7f\"," TT "," EI "}", TR),
    BAD("token_only_padding", 200, "{\"access_token\":\"==\"," TT "," EI "}", TR),
    BAD("token_leading_equals", 200, "{\"access_token\":\"=abc\"," TT "," EI "}", TR),
    EITHER_OK("token_equals_inside", "{\"access_token\":\"ab=cd\"," TT "," EI "}", "ab=cd"),
    BAD("token_duplicate", 200, "{" AT "," TT ",\"access_token\":\"def456\"," EI "}", TR),
    BAD("token_duplicate_same", 200, "{" AT "," TT "," AT "," EI "}", TR),
    BAD("token_only_nested", 200, "{\"data\":{" AT "}," TT "," EI "}", TR),
    GEN("token_max_plus_one", CONFIG_FWC_TOKEN_MAX + 1, FWC_ERR_TOKEN_TOO_LARGE),
    GEN("token_5000_chars", 5000, FWC_ERR_TOKEN_TOO_LARGE),

    /* ---- 200, body refused ---- */
    BAD("truncated_middle", 200, "{\"access_token\":\"abc123\",\"token_ty", TR),
    BAD("truncated_before_close", 200, "{" AT "," TT "," EI, TR),
    BAD("truncated_in_token", 200, "{\"access_token\":\"abc1", TR),
    BAD("trailing_garbage", 200, "{" AT "," TT "," EI "}x", TR),
    BAD("trailing_second_object", 200, "{" AT "," TT "," EI "}{}", TR),
    BAD("trailing_comma", 200, "{" AT "," TT "," EI ",}", TR),
    BAD("single_quotes", 200, "{'access_token':'abc123','token_type':'bearer'}", TR),
    BAD("html_body", 200,
        "<!DOCTYPE html><html><head><title>Login</title></head><body>Sign in</body></html>", TR),
    BAD("empty_body", 200, "", TR),
    BAD("whitespace_body", 200, " \r\n", TR),
    BAD("root_array", 200, "[{" AT "," TT "," EI "}]", TR),
    BAD("root_string", 200, "\"abc123\"", TR),
    BAD("invalid_utf8_elsewhere", 200, "{" AT "," TT "," EI ",\"x\":\"\xc0\x80\"}", TR),
    BAD("bare_word_elsewhere", 200, "{" AT "," TT "," EI ",\"x\":tru}", TR),
    BAD("too_many_json_tokens", 200,
        "{" AT "," TT "," EI ",\"x\":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,"
        "22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,42,43,44,45,46,47,48]}",
        TR),
    BAD("error_body_with_200", 200,
        "{\"error\":\"invalid_client\",\"error_description\":\"bad secret\"}", TR),

    /* ---- Other status, OAuth error ---- */
    OAUTH("401_invalid_client", 401,
          "{\"error\":\"invalid_client\",\"error_description\":\"Client authentication "
          "failed\"}",
          FWC_ERR_OAUTH_INVALID_CLIENT, "invalid_client"),
    OAUTH("400_invalid_client", 400, "{\"error\":\"invalid_client\"}",
          FWC_ERR_OAUTH_INVALID_CLIENT, "invalid_client"),
    OAUTH("401_invalid_client_more_members", 401,
          "{\"error_uri\":\"https://x/y\",\"state\":null,\"error\":\"invalid_client\","
          "\"error_description\":\"no\"}",
          FWC_ERR_OAUTH_INVALID_CLIENT, "invalid_client"),
    OAUTH("403_access_denied", 403, "{\"error\":\"access_denied\"}", FWC_ERR_OAUTH_ACCESS_DENIED,
          "access_denied"),
    OAUTH("400_unsupported_grant_type", 400, "{\"error\":\"unsupported_grant_type\"}",
          FWC_ERR_OAUTH, "unsupported_grant_type"),
    OAUTH("400_invalid_request", 400,
          "{\"error\":\"invalid_request\",\"error_description\":\"missing client_id\"}",
          FWC_ERR_OAUTH, "invalid_request"),
    OAUTH("400_invalid_grant", 400, "{\"error\":\"invalid_grant\"}", FWC_ERR_OAUTH,
          "invalid_grant"),
    OAUTH("400_invalid_scope", 400, "{\"error\":\"invalid_scope\"}", FWC_ERR_OAUTH,
          "invalid_scope"),
    OAUTH("400_unauthorized_client", 400, "{\"error\":\"unauthorized_client\"}", FWC_ERR_OAUTH,
          "unauthorized_client"),
    OAUTH("429_slow_down", 429, "{\"error\":\"slow_down\"}", FWC_ERR_OAUTH, "slow_down"),
    OAUTH("400_invalid_client_with_space", 400, "{\"error\":\"invalid_client \"}",
          FWC_ERR_OAUTH, "invalid_client "),
    /* OAUTH_CAP - 1 characters fit with their NUL; one more does not. */
    OAUTH("400_code_fills_buffer", 400, "{\"error\":\"abcdefghijklmnopqrstuvwxyz_0123\"}",
          FWC_ERR_OAUTH, "abcdefghijklmnopqrstuvwxyz_0123"),
    OAUTH("400_code_one_too_long", 400, "{\"error\":\"abcdefghijklmnopqrstuvwxyz_012345\"}",
          FWC_ERR_OAUTH, NULL),
    OAUTH("400_code_too_long", 400,
          "{\"error\":\"a_very_long_error_code_that_cannot_fit_the_buffer\"}", FWC_ERR_OAUTH,
          NULL),
    OAUTH("400_code_with_newline", 400, "{\"error\":\"bad\\ncode\"}", FWC_ERR_OAUTH, NULL),
    OAUTH("400_code_with_control", 400, "{\"error\":\"bad\\u0001code\"}", FWC_ERR_OAUTH, NULL),
    OAUTH("400_code_non_ascii", 400, "{\"error\":\"caf\\u00e9\"}", FWC_ERR_OAUTH, NULL),
    OAUTH("400_code_raw_utf8", 400, "{\"error\":\"caf\xc3\xa9\"}", FWC_ERR_OAUTH, NULL),
    OAUTH("400_code_nul", 400, "{\"error\":\"bad\\u0000\"}", FWC_ERR_OAUTH, NULL),
    OAUTH("400_code_empty", 400, "{\"error\":\"\"}", FWC_ERR_OAUTH, ""),

    /* ---- Other status, not an OAuth error ---- */
    BAD("502_html", 502, "<html><body><h1>502 Bad Gateway</h1></body></html>", HS),
    BAD("503_empty", 503, "", HS),
    BAD("500_json_without_error", 500, "{\"message\":\"x\"}", HS),
    BAD("500_json_empty_object", 500, "{}", HS),
    BAD("400_error_only_nested", 400, "{\"details\":{\"error\":\"invalid_client\"}}", HS),
    BAD("401_truncated_error", 401, "{\"error\":\"invalid_client\"", HS),
    BAD("401_error_then_garbage", 401, "{\"error\":\"invalid_client\"} <html>", HS),
    BAD("401_json_array", 401, "[{\"error\":\"invalid_client\"}]", HS),
    BAD("401_plain_text", 401, "invalid_client", HS),
    BAD("401_token_body", 401, "{" AT "," TT "," EI "}", HS),
    BAD("201_token_body", 201, "{" AT "," TT "," EI "}", HS),
    BAD("204_empty", 204, "", HS),
    BAD("302_empty", 302, "", HS),
    EITHER("400_error_number", 400, "{\"error\":5}", HS, FWC_ERR_OAUTH),
    EITHER("400_error_null", 400, "{\"error\":null}", HS, FWC_ERR_OAUTH),
    EITHER("400_error_object", 400, "{\"error\":{\"code\":\"invalid_client\"}}", HS,
           FWC_ERR_OAUTH),
    EITHER("400_error_array", 400, "{\"error\":[\"invalid_client\"]}", HS, FWC_ERR_OAUTH),
};

/* ---- Running one entry ---------------------------------------------------- */

static const char gen_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                   "0123456789-._~+/";

/* The generated token of length n (heap, NUL-terminated). */
static char *gen_token(size_t n)
{
    char *t = malloc(n + 1);
    size_t i;
    assert_non_null(t);
    for (i = 0; i < n; i++)
        t[i] = gen_alphabet[i % (sizeof gen_alphabet - 1)];
    t[n] = '\0';
    return t;
}

/* Body of entry tc into a heap block of exactly its length; expected token
 * (heap or NULL) into *want. */
static char *make_body(const struct tcase *tc, size_t *len, char **want)
{
    char *body;
    *want = NULL;
    if (tc->gen_token > 0) {
        static const char head[] = "{\"access_token\":\"";
        static const char tail[] = "\",\"token_type\":\"bearer\",\"expires_in\":3600}";
        char *t = gen_token(tc->gen_token);
        *len = sizeof head - 1 + tc->gen_token + sizeof tail - 1;
        body = malloc(*len);
        assert_non_null(body);
        memcpy(body, head, sizeof head - 1);
        memcpy(body + sizeof head - 1, t, tc->gen_token);
        memcpy(body + sizeof head - 1 + tc->gen_token, tail, sizeof tail - 1);
        *want = t;
        return body;
    }
    *len = strlen(tc->body);
    body = malloc(*len ? *len : 1);
    assert_non_null(body);
    memcpy(body, tc->body, *len);
    if (tc->token != NULL) {
        *want = malloc(strlen(tc->token) + 1);
        assert_non_null(*want);
        strcpy(*want, tc->token);
    }
    return body;
}

static bool is_oauth_err(enum fwc_err e)
{
    return e == FWC_ERR_OAUTH || e == FWC_ERR_OAUTH_INVALID_CLIENT ||
           e == FWC_ERR_OAUTH_ACCESS_DENIED;
}

static bool all_bytes(const char *p, size_t n, unsigned char v)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if ((unsigned char)p[i] != v)
            return false;
    }
    return true;
}

/* oauth_error holds no code: left alone, or the empty string. */
static bool oauth_empty(const char *o)
{
    return all_bytes(o, OAUTH_CAP, OAUTH_FILL) || o[0] == '\0';
}

static void check_oauth(const struct tcase *tc, enum fwc_err err, const char *o, const char *how)
{
    if (!is_oauth_err(err) || tc->oauth == NULL) {
        if (!oauth_empty(o))
            fail_msg("%s: %s: oauth_error set for %d: \"%.*s\"", tc->name, how, (int)err,
                     OAUTH_CAP, o);
        return;
    }
    if (memchr(o, '\0', OAUTH_CAP) == NULL)
        fail_msg("%s: %s: oauth_error not NUL-terminated", tc->name, how);
    if (strcmp(o, tc->oauth) != 0)
        fail_msg("%s: %s: oauth_error \"%s\", want \"%s\"", tc->name, how, o, tc->oauth);
}

static void check_verdict(const struct tcase *tc, enum fwc_err err, const char *how)
{
    if (err != tc->err && !(tc->has_alt && err == tc->alt))
        fail_msg("%s: %s: %d (%s), want %d (%s)", tc->name, how, (int)err, fwc_strerror(err),
                 (int)tc->err, fwc_strerror(tc->err));
}

static void check_success(const struct tcase *tc, const struct fwc_token_answer *ans,
                          const char *want, const char *how)
{
    assert_non_null(want);
    if (ans->token_len != strlen(want) || memcmp(ans->token, want, ans->token_len) != 0)
        fail_msg("%s: %s: token \"%.*s\" (%zu), want \"%s\"", tc->name, how,
                 (int)(ans->token_len < 80 ? ans->token_len : 80), ans->token, ans->token_len,
                 want);
    assert_int_equal(ans->token[ans->token_len], '\0');
    if (ans->lifetime_s != tc->lifetime || ans->lifetime_given != tc->given)
        fail_msg("%s: %s: lifetime %u given %d, want %u given %d", tc->name, how,
                 (unsigned)ans->lifetime_s, (int)ans->lifetime_given, (unsigned)tc->lifetime,
                 (int)tc->given);
}

/* With a token buffer of the caller's. */
static void run_copy(const struct tcase *tc, const char *body, size_t len, const char *want,
                     void *store)
{
    char *token = malloc(TOKEN_CAP);
    char *oauth = malloc(OAUTH_CAP);
    struct fwc_token_answer ans;
    enum fwc_err err;

    assert_non_null(token);
    assert_non_null(oauth);
    memset(token, TOKEN_FILL, TOKEN_CAP);
    memset(oauth, OAUTH_FILL, OAUTH_CAP);
    memset(&ans, 0, sizeof ans);
    ans.token = token;
    ans.token_cap = TOKEN_CAP;
    ans.oauth_error = oauth;
    ans.oauth_error_cap = OAUTH_CAP;
    ans.token_len = 77777;
    ans.lifetime_s = 12345;

    err = fwci_token_response_read(tc->status, body, len, store, CONFIG_FWC_JSON_MAX_TOKENS, &ans);
    check_verdict(tc, err, "read");
    assert_ptr_equal(ans.token, token);
    if (err == FWC_OK) {
        check_success(tc, &ans, want, "read");
    } else if (!all_bytes(token, TOKEN_CAP, 0)) {
        fail_msg("%s: read: token buffer not wiped after %d", tc->name, (int)err);
    }
    check_oauth(tc, err, oauth, "read");
    free(oauth);
    free(token);
}

/* Every access_token string value in the original body, as byte ranges:
 * after a failure, the in-place variant must leave none of them readable. */
static bool token_bytes_survive(const char *orig, const char *after, size_t len)
{
    static const char key[] = "\"access_token\"";
    size_t i = 0;
    while (i + sizeof key - 1 <= len) {
        size_t p, k = sizeof key - 1;
        if (memcmp(orig + i, key, k) != 0) {
            i++;
            continue;
        }
        p = i + k;
        while (p < len && (orig[p] == ' ' || orig[p] == '\t' || orig[p] == '\r' ||
                           orig[p] == '\n' || orig[p] == ':'))
            p++;
        if (p < len && orig[p] == '"') {
            for (p++; p < len && orig[p] != '"'; p++) {
                if (orig[p] == '\\')
                    p++;
                if (p < len && after[p] != '\0' && orig[p] != '\\')
                    return true;
            }
        }
        i += k;
    }
    return false;
}

/* Unescaping where the token stands in the body. */
static void run_in_place(const struct tcase *tc, const char *body, size_t len, const char *want,
                         void *store)
{
    char *work = malloc(len ? len : 1);
    char *cache = malloc(TOKEN_CAP);
    char *oauth = malloc(OAUTH_CAP);
    struct fwc_token_answer ans;
    enum fwc_err err;

    assert_non_null(work);
    assert_non_null(cache);
    assert_non_null(oauth);
    memcpy(work, body, len);
    memset(cache, CACHE_FILL, TOKEN_CAP);
    memset(oauth, OAUTH_FILL, OAUTH_CAP);
    memset(&ans, 0, sizeof ans);
    ans.token = cache; /* the token in use: must stay untouched */
    ans.token_cap = TOKEN_CAP;
    ans.oauth_error = oauth;
    ans.oauth_error_cap = OAUTH_CAP;

    err = fwci_token_response_read_in_place(tc->status, work, len, store,
                                           CONFIG_FWC_JSON_MAX_TOKENS, &ans);
    check_verdict(tc, err, "in place");
    if (!all_bytes(cache, TOKEN_CAP, CACHE_FILL))
        fail_msg("%s: in place: the cached token buffer was written", tc->name);
    if (err == FWC_OK) {
        assert_true(ans.token >= work && ans.token + ans.token_len < work + len);
        check_success(tc, &ans, want, "in place");
    } else if (token_bytes_survive(body, work, len)) {
        fail_msg("%s: in place: token bytes left in the body after %d", tc->name, (int)err);
    }
    check_oauth(tc, err, oauth, "in place");
    free(oauth);
    free(cache);
    free(work);
}

static void run_case(void **state)
{
    const struct tcase *tc = *state;
    size_t len;
    char *want;
    char *body = make_body(tc, &len, &want);
    void *store = malloc(CONFIG_FWC_JSON_MAX_TOKENS * FWC_JSON_TOKEN_SIZE);

    assert_non_null(store);
    if (tc->err == FWC_OK && !tc->has_alt)
        assert_non_null(want); /* a table error, not the library's */
    run_copy(tc, body, len, want, store);
    run_in_place(tc, body, len, want, store);
    free(store);
    free(want);
    free(body);
}

int main(void)
{
    size_t n = sizeof cases / sizeof cases[0];
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    int rc;

    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(cases[i].name, cases[j].name) == 0) {
                fprintf(stderr, "duplicate case name %s\n", cases[i].name);
                free(tests);
                return 1;
            }
        }
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)(uintptr_t)&cases[i];
    }
    rc = _cmocka_run_group_tests("token_response", tests, n, NULL, NULL);
    free(tests);
    return rc;
}
