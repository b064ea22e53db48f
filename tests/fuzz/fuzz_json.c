/* SPDX-License-Identifier: MIT */
/* Fuzz target: the strict JSON check and jsmn glue (src/json_check.c,
 * src/json.c): fwci_json_check, fwci_json_parse and the reads on top.
 *
 * Input: byte 0 the token capacity of a second parse, then the document.
 *
 * Properties: jsmn, given room, tokenizes exactly what the check accepts;
 * a smaller capacity only ever turns success into FWC_ERR_JSON; an
 * accepted document stays accepted with whitespace appended, and is
 * refused with any other byte appended, cut short before its closing
 * brace, or nested one level deeper than FWC_JSON_MAX_DEPTH. On a parsed
 * document: every string unescapes to valid UTF-8 of at most its raw
 * length, NUL-terminated, equal to the raw text when it has no escape, and
 * refuses a buffer one byte too small without leaving any of it behind,
 * as does a string refused for a bad escape; every number reads as its integer part (or refuses an exponent, a sign, or a
 * limit below it); a root member is found at the value after its key when
 * the key is unique and unescaped, and is ambiguous (-2) otherwise. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "json.h"
#include "json_check.h"

#define JSMN_HEADER
#include <jsmn.h>

#define MAX_DOC 8192

struct doc {
    const char *s;
    size_t len;
    const jsmntok_t *t;
    int count;
};

/* Deepest nesting of a document the check accepted (strings skipped). */
static int depth_of(const char *s, size_t len)
{
    int depth = 0, deepest = 0;
    bool in_string = false;
    size_t i;

    for (i = 0; i < len; i++) {
        if (in_string) {
            if (s[i] == '\\')
                i++;
            else if (s[i] == '"')
                in_string = false;
        } else if (s[i] == '"') {
            in_string = true;
        } else if (s[i] == '{' || s[i] == '[') {
            if (++depth > deepest)
                deepest = depth;
        } else if (s[i] == '}' || s[i] == ']') {
            depth--;
        }
    }
    return deepest;
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static enum fwc_err check_with(const char *pre, const char *s, size_t len, const char *post)
{
    static char buf[MAX_DOC + 16];
    size_t a = strlen(pre), b = strlen(post);
    memcpy(buf, pre, a);
    memcpy(buf + a, s, len);
    memcpy(buf + a + len, post, b);
    return fwci_json_check(buf, a + len + b);
}

/* What follows from the document being valid. */
static void check_valid_edges(const char *s, size_t len, uint8_t pick)
{
    size_t end = len, cut;
    static const char others[] = "x0}],{\"";

    while (end > 0 && is_ws(s[end - 1]))
        end--;
    FUZZ_CHECK(end > 0 && s[end - 1] == '}');
    FUZZ_CHECK(check_with("", s, len, " \t\r\n") == FWC_OK);
    FUZZ_CHECK(check_with("\n ", s, len, "") == FWC_OK);
    FUZZ_CHECK(check_with("", s, len, (char[]){others[pick % 7], '\0'}) == FWC_ERR_JSON);
    FUZZ_CHECK(fwci_json_check(s, end - 1) == FWC_ERR_JSON);
    cut = (size_t)pick * (end - 1) / 255u;
    FUZZ_CHECK(fwci_json_check(s, cut) == FWC_ERR_JSON);
    FUZZ_CHECK((check_with("{\"k\":", s, len, "}") == FWC_OK) ==
               (depth_of(s, len) < FWC_JSON_MAX_DEPTH));
}

/* Valid UTF-8: shortest forms, no surrogates, at most U+10FFFF. */
static bool utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0, k, more;
    uint32_t cp;

    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c < 0xC2 || c > 0xF4)
            return false;
        more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
        if (more > n - i - 1)
            return false;
        cp = c & (0x3Fu >> more);
        for (k = 1; k <= more; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if ((more == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
            (more == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        i += more + 1;
    }
    return true;
}

static void check_string(const struct fwc_json *j, const struct doc *d, int tok)
{
    static char out[MAX_DOC + 1];
    size_t raw = (size_t)(d->t[tok].end - d->t[tok].start), n = 0, i;
    const char *text = d->s + d->t[tok].start;
    enum fwc_err err;

    memset(out, 0x5A, raw + 1);
    err = fwci_json_string(j, tok, out, raw + 1, &n);
    FUZZ_CHECK(err == FWC_OK || err == FWC_ERR_JSON);
    if (err != FWC_OK) { /* \u0000 or a lone surrogate: an escape is there */
        FUZZ_CHECK(memchr(text, '\\', raw) != NULL && out[0] == '\0');
        for (i = 0; i <= raw; i++)
            FUZZ_CHECK(out[i] == 0 || out[i] == 0x5A);
        return;
    }
    FUZZ_CHECK(n <= raw && out[n] == '\0' && strlen(out) == n);
    FUZZ_CHECK(utf8_ok((const unsigned char *)out, n));
    if (memchr(text, '\\', raw) == NULL)
        FUZZ_CHECK(n == raw && memcmp(out, text, raw) == 0);
    if (n == 0)
        return;
    memset(out, 0x5A, n + 1);
    FUZZ_CHECK(fwci_json_string(j, tok, out, n, NULL) == FWC_ERR_BODY_TOO_LARGE);
    for (i = 0; i < n; i++)
        FUZZ_CHECK(out[i] == 0 || out[i] == 0x5A);
}

static void check_number(const struct fwc_json *j, const struct doc *d, int tok)
{
    const char *s = d->s + d->t[tok].start;
    size_t n = (size_t)(d->t[tok].end - d->t[tok].start), i = 0;
    uint64_t v = 0, got = 0;
    bool fits = true;
    enum fwc_err err = fwci_json_count(j, tok, UINT64_MAX, &got);

    if (s[0] == 't' || s[0] == 'f' || s[0] == 'n' || s[0] == '-') {
        FUZZ_CHECK(err == FWC_ERR_JSON);
        return;
    }
    for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        unsigned digit = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - digit) / 10u)
            fits = false;
        v = v * 10u + digit;
    }
    if (i < n && s[i] == '.')
        for (i++; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
        }
    FUZZ_CHECK((err == FWC_OK) == (fits && i == n));
    if (err != FWC_OK)
        return;
    FUZZ_CHECK(got == v);
    if (v > 0)
        FUZZ_CHECK(fwci_json_count(j, tok, v - 1, &got) == FWC_ERR_JSON);
}

/* The token after the whole value at tok: the first one starting past it. */
static int after(const struct doc *d, int tok)
{
    int i = tok + 1;
    while (i < d->count && d->t[i].start < d->t[tok].end)
        i++;
    return i;
}

static void check_members(const struct fwc_json *j, const struct doc *d)
{
    static char key[MAX_DOC + 1];
    int i, k, found, seen;

    for (i = 1; i < d->count; i = after(d, i + 1)) {
        size_t n = (size_t)(d->t[i].end - d->t[i].start);
        FUZZ_CHECK(d->t[i].type == JSMN_STRING && d->t[i].size == 1 && i + 1 < d->count);
        memcpy(key, d->s + d->t[i].start, n);
        key[n] = '\0';
        found = fwci_json_member(j, key);
        if (memchr(key, '\\', n) != NULL) {
            FUZZ_CHECK(found == -2);
            continue;
        }
        seen = 0;
        for (k = 1; k < d->count; k = after(d, k + 1)) {
            size_t m = (size_t)(d->t[k].end - d->t[k].start);
            if (memchr(d->s + d->t[k].start, '\\', m) != NULL)
                seen = 2; /* any escaped key makes every lookup ambiguous */
            else if (m == n && memcmp(d->s + d->t[k].start, key, n) == 0)
                seen++;
        }
        FUZZ_CHECK(seen == 1 ? found == i + 1 : found == -2);
    }
}

static void check_tokens(const struct fwc_json *j, const struct doc *d)
{
    int i;

    FUZZ_CHECK(d->t[0].type == JSMN_OBJECT && d->t[0].start >= 0 &&
               (size_t)d->t[0].end <= d->len);
    for (i = 1; i < d->count; i++) {
        FUZZ_CHECK(d->t[i].start >= d->t[0].start && d->t[i].end <= d->t[0].end &&
                   d->t[i].start <= d->t[i].end);
        if (d->t[i].type == JSMN_STRING) {
            FUZZ_CHECK(fwci_json_is_string(j, i) && d->s[d->t[i].start - 1] == '"');
            FUZZ_CHECK(fwci_json_offset(j, i) == (size_t)d->t[i].start);
            check_string(j, d, i);
        } else if (d->t[i].type == JSMN_PRIMITIVE) {
            check_number(j, d, i);
        }
    }
    check_members(j, d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fwc_json j, small;
    struct doc d;
    size_t len, capacity;
    void *tokens, *few;
    enum fwc_err checked, parsed;

    if (size < 1 || size - 1 > MAX_DOC)
        return 0;
    len = size - 1;
    d.s = (const char *)data + 1;
    d.len = len;
    capacity = (size_t)data[0] % 32 + 1;
    /* A document of len bytes has fewer than len tokens. */
    tokens = malloc((len + 1) * FWC_JSON_TOKEN_SIZE);
    few = malloc(capacity * FWC_JSON_TOKEN_SIZE);
    FUZZ_CHECK(tokens != NULL && few != NULL);

    checked = fwci_json_check(d.s, len);
    FUZZ_CHECK(checked == FWC_OK || checked == FWC_ERR_JSON);
    parsed = fwci_json_parse(&j, d.s, len, tokens, len + 1);
    FUZZ_CHECK(parsed == checked);
    if (checked == FWC_OK) {
        d.t = tokens;
        d.count = j.count;
        FUZZ_CHECK(j.count >= 1 && (size_t)j.count <= len);
        check_valid_edges(d.s, len, data[0]);
        check_tokens(&j, &d);
    }
    parsed = fwci_json_parse(&small, d.s, len, few, capacity);
    FUZZ_CHECK(parsed == (checked == FWC_OK && (size_t)j.count <= capacity ? FWC_OK
                                                                             : FWC_ERR_JSON));
    free(tokens);
    free(few);
    return 0;
}
