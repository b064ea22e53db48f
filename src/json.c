/* SPDX-License-Identifier: MIT */
/* jsmn glue (json.h). The only file that includes jsmn. */
#include "json.h"

#include <string.h>

#include "chars.h"
#include "json_check.h"

/* jsmn is a header-only library written for brevity, not for
 * -Wconversion; its warnings are not ours to fix. */
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wshadow"
#endif
#define JSMN_STATIC
#define JSMN_STRICT
#include <jsmn.h>
#if defined(__GNUC__) || defined(__clang__)
#pragma GCC diagnostic pop
#endif

typedef char jsmntok_is_four_ints[sizeof(jsmntok_t) == FWC_JSON_TOKEN_SIZE ? 1 : -1];

#define TOK(j, i) (((const jsmntok_t *)(j)->tokens)[i])

enum fwc_err fwci_json_parse(struct fwc_json *out, const char *doc, size_t len,
                            void *token_storage, size_t capacity)
{
    jsmn_parser parser;
    int n;

    memset(out, 0, sizeof(*out));
    if (doc == NULL || token_storage == NULL || capacity == 0 || capacity > (size_t)INT32_MAX ||
        len > (size_t)INT32_MAX)
        return FWC_ERR_INVALID_ARG;
    if (fwci_json_check(doc, len) != FWC_OK)
        return FWC_ERR_JSON;
    jsmn_init(&parser);
    n = jsmn_parse(&parser, doc, len, (jsmntok_t *)token_storage, (unsigned int)capacity);
    if (n <= 0 || ((const jsmntok_t *)token_storage)[0].type != JSMN_OBJECT)
        return FWC_ERR_JSON; /* too many tokens, or jsmn disagrees with the check */
    out->doc = doc;
    out->tokens = token_storage;
    out->count = n;
    return FWC_OK;
}

/* Index of the token after the whole value starting at i. */
static int skip_value(const struct fwc_json *j, int i)
{
    int pending = 1;
    while (pending > 0 && i < j->count) {
        const jsmntok_t *t = &TOK(j, i);
        if (t->type == JSMN_OBJECT)
            pending += 2 * t->size;
        else if (t->type == JSMN_ARRAY)
            pending += t->size;
        pending--;
        i++;
    }
    return i;
}

static bool token_equals(const struct fwc_json *j, int tok, const char *s)
{
    const jsmntok_t *t = &TOK(j, tok);
    size_t n = strlen(s);
    return t->type == JSMN_STRING && (size_t)(t->end - t->start) == n &&
           memcmp(j->doc + t->start, s, n) == 0;
}

int fwci_json_member(const struct fwc_json *j, const char *key)
{
    return fwci_json_member_in(j, 0, key);
}

int fwci_json_member_in(const struct fwc_json *j, int object, const char *key)
{
    int members, i = object + 1, found = -1, m;

    if (object < 0 || object >= j->count || TOK(j, object).type != JSMN_OBJECT)
        return -1;
    members = TOK(j, object).size;
    for (m = 0; m < members && i + 1 < j->count; m++) {
        /* Keys are compared as written. fwc's keys need no escapes, and an
         * escaped key could be a second spelling of one it reads
         * ("access\u005ftoken"), so any is taken as ambiguous. */
        if (memchr(j->doc + TOK(j, i).start, '\\', (size_t)(TOK(j, i).end - TOK(j, i).start)))
            return -2;
        if (token_equals(j, i, key)) {
            if (found >= 0)
                return -2;
            found = i + 1;
        }
        i = skip_value(j, i + 1);
    }
    return found;
}

size_t fwci_json_offset(const struct fwc_json *j, int tok)
{
    return (size_t)TOK(j, tok).start;
}

bool fwci_json_is_string(const struct fwc_json *j, int tok)
{
    return tok > 0 && tok < j->count && TOK(j, tok).type == JSMN_STRING;
}

bool fwci_json_is_null(const struct fwc_json *j, int tok)
{
    return tok > 0 && tok < j->count && TOK(j, tok).type == JSMN_PRIMITIVE &&
           j->doc[TOK(j, tok).start] == 'n';
}

static unsigned hex4(const char *p)
{
    unsigned v = 0;
    int i;
    for (i = 0; i < 4; i++)
        v = v * 16u + (unsigned)fwci_hex_value(p[i]); /* the checker saw 4 hex digits */
    return v;
}

/* \uXXXX (and a following low surrogate) as a code point; 0 if invalid. */
static unsigned long unicode_escape(const char *s, size_t end, size_t *pos)
{
    unsigned long cp = hex4(s + *pos);
    *pos += 4;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        unsigned long lo;
        if (*pos + 6 > end || s[*pos] != '\\' || s[*pos + 1] != 'u')
            return 0;
        lo = hex4(s + *pos + 2);
        if (lo < 0xDC00 || lo > 0xDFFF)
            return 0;
        *pos += 6;
        return 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    return (cp >= 0xDC00 && cp <= 0xDFFF) ? 0 : cp;
}

static size_t utf8_encode(unsigned long cp, char out[4])
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static char simple_escape(char c)
{
    switch (c) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    default: return c; /* " \ / */
    }
}

enum fwc_err fwci_json_string(const struct fwc_json *j, int tok, char *out, size_t cap,
                             size_t *out_len)
{
    size_t pos, end, n = 0;

    if (!fwci_json_is_string(j, tok) || out == NULL || cap == 0)
        return FWC_ERR_JSON;
    pos = (size_t)TOK(j, tok).start;
    end = (size_t)TOK(j, tok).end;
    while (pos < end) {
        char piece[4];
        size_t k = 1;
        char c = j->doc[pos++];
        piece[0] = c;
        if (c == '\\') {
            c = j->doc[pos++];
            if (c == 'u') {
                unsigned long cp = unicode_escape(j->doc, end, &pos);
                if (cp == 0) { /* \u0000 or a lone surrogate */
                    memset(out, 0, n + 1); /* nor what came before it */
                    return FWC_ERR_JSON;
                }
                k = utf8_encode(cp, piece);
            } else {
                piece[0] = simple_escape(c);
            }
        }
        if (k >= cap - n) {
            memset(out, 0, n + 1); /* no partial copy of (say) a token */
            return FWC_ERR_BODY_TOO_LARGE;
        }
        memcpy(out + n, piece, k);
        n += k;
    }
    out[n] = '\0';
    if (out_len != NULL)
        *out_len = n;
    return FWC_OK;
}

bool fwci_json_string_ieq(const struct fwc_json *j, int tok, const char *lower)
{
    return fwci_json_is_string(j, tok) &&
           fwci_ascii_ieq(j->doc + TOK(j, tok).start,
                         (size_t)(TOK(j, tok).end - TOK(j, tok).start), lower);
}

enum fwc_err fwci_json_count(const struct fwc_json *j, int tok, uint64_t max, uint64_t *out)
{
    const char *s;
    size_t i, n;
    uint64_t v = 0;

    if (tok <= 0 || tok >= j->count || TOK(j, tok).type != JSMN_PRIMITIVE)
        return FWC_ERR_JSON;
    s = j->doc + TOK(j, tok).start;
    n = (size_t)(TOK(j, tok).end - TOK(j, tok).start);
    if (n == 0 || !fwci_is_digit(s[0]))
        return FWC_ERR_JSON; /* negative, true/false/null */
    /* The checker has vouched for the number's shape. Integer part: */
    for (i = 0; i < n && fwci_is_digit(s[i]); i++) {
        uint64_t digit = (uint64_t)(s[i] - '0');
        if (digit > max || v > (max - digit) / 10u)
            return FWC_ERR_JSON;
        v = v * 10u + digit;
    }
    if (i < n && s[i] == '.') {
        for (i++; i < n && fwci_is_digit(s[i]); i++) {
        }
    }
    /* No server writes a lifetime or a size with an exponent; refusing
     * one is simpler than scaling it right. */
    if (i < n)
        return FWC_ERR_JSON;
    *out = v;
    return FWC_OK;
}

enum fwc_err fwci_json_whole(const struct fwc_json *j, int tok, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    const char *s, *end;

    if (fwci_json_count(j, tok, max, &v) != FWC_OK)
        return FWC_ERR_JSON;
    /* fwci_json_count vouched for the shape: digits, then perhaps '.' and
     * digits; past the '.' only zeros may follow. */
    s = j->doc + TOK(j, tok).start;
    end = j->doc + TOK(j, tok).end;
    while (s < end && *s != '.')
        s++;
    for (s += s < end; s < end; s++) /* past the '.', if there is one */
        if (*s != '0')
            return FWC_ERR_JSON;
    *out = v;
    return FWC_OK;
}
