/* SPDX-License-Identifier: MIT */
/* A strict JSON syntax check (RFC 8259), run before jsmn tokenizes a
 * document: jsmn's strict mode still accepts some invalid text (bare words
 * starting with t/f/n or a digit, missing commas), and fwc must not act on
 * a truncated or malformed token response. No recursion: the nesting is
 * tracked in a bit stack, FWC_JSON_MAX_DEPTH deep. */
#include "json_check.h"

#include <stdint.h>
#include <string.h>

#include "chars.h"
#include "json.h"

struct scan {
    const char *s;
    size_t len;
    size_t pos;
};

static bool at_end(const struct scan *sc)
{
    return sc->pos >= sc->len;
}

static char peek(const struct scan *sc)
{
    if (at_end(sc))
        return '\0';
    return sc->s[sc->pos];
}

static void skip_ws(struct scan *sc)
{
    while (!at_end(sc) && (peek(sc) == ' ' || peek(sc) == '\t' || peek(sc) == '\n' ||
                           peek(sc) == '\r'))
        sc->pos++;
}

/* One UTF-8 sequence starting at a byte >= 0x80: shortest form, no
 * surrogates, at most U+10FFFF. */
static bool utf8_sequence(struct scan *sc)
{
    const unsigned char *p = (const unsigned char *)sc->s + sc->pos;
    size_t left = sc->len - sc->pos, n, i;
    uint32_t cp;

    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        n = 2;
        cp = p[0] & 0x1Fu;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        n = 3;
        cp = p[0] & 0x0Fu;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        n = 4;
        cp = p[0] & 0x07u;
    } else {
        return false;
    }
    if (left < n)
        return false;
    for (i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return false;
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    if ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return false;
    sc->pos += n;
    return true;
}

static bool string_token(struct scan *sc)
{
    sc->pos++; /* opening quote */
    while (!at_end(sc)) {
        unsigned char c = (unsigned char)peek(sc);
        if (c == '"') {
            sc->pos++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c >= 0x80) {
            if (!utf8_sequence(sc))
                return false;
            continue;
        }
        sc->pos++;
        if (c != '\\')
            continue;
        c = (unsigned char)peek(sc);
        if (c == 'u') {
            size_t i;
            for (i = 1; i <= 4; i++) {
                if (sc->pos + i >= sc->len || !fwci_is_hex(sc->s[sc->pos + i]))
                    return false;
            }
            sc->pos += 5;
        } else if (c != '\0' && strchr("\"\\/bfnrt", (int)c) != NULL) {
            sc->pos++;
        } else {
            return false;
        }
    }
    return false;
}

static bool digits(struct scan *sc)
{
    size_t start = sc->pos;
    while (fwci_is_digit(peek(sc)))
        sc->pos++;
    return sc->pos > start;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool number_token(struct scan *sc)
{
    if (peek(sc) == '-')
        sc->pos++;
    if (peek(sc) == '0')
        sc->pos++;
    else if (!digits(sc))
        return false;
    if (peek(sc) == '.') {
        sc->pos++;
        if (!digits(sc))
            return false;
    }
    if (peek(sc) == 'e' || peek(sc) == 'E') {
        sc->pos++;
        if (peek(sc) == '+' || peek(sc) == '-')
            sc->pos++;
        if (!digits(sc))
            return false;
    }
    return true;
}

static bool literal_token(struct scan *sc, const char *word)
{
    size_t n = strlen(word);
    if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, word, n) != 0)
        return false;
    sc->pos += n;
    return true;
}

static bool scalar(struct scan *sc)
{
    switch (peek(sc)) {
    case '"':
        return string_token(sc);
    case 't':
        return literal_token(sc, "true");
    case 'f':
        return literal_token(sc, "false");
    case 'n':
        return literal_token(sc, "null");
    default:
        return number_token(sc);
    }
}

/* After a value inside a container: ',' then the next, or the close. */
enum after { AFTER_NEXT, AFTER_CLOSE, AFTER_BAD };

static enum after after_value(struct scan *sc, bool in_object)
{
    skip_ws(sc);
    if (peek(sc) == ',') {
        sc->pos++;
        return AFTER_NEXT;
    }
    return peek(sc) == (in_object ? '}' : ']') ? AFTER_CLOSE : AFTER_BAD;
}

enum fwc_err fwci_json_check(const char *doc, size_t len)
{
    struct scan sc = {doc, len, 0};
    uint32_t objects = 0; /* bit i: level i is an object (else array) */
    int depth = 0;
    bool expect_value = true;

    skip_ws(&sc);
    if (peek(&sc) != '{')
        return FWC_ERR_JSON; /* fwc's documents are objects */
    for (;;) {
        bool in_object = depth > 0 && ((objects >> (depth - 1)) & 1u);
        skip_ws(&sc);
        if (expect_value && in_object) {
            /* A member: "key" : value */
            if (peek(&sc) != '"' || !string_token(&sc))
                return FWC_ERR_JSON;
            skip_ws(&sc);
            if (peek(&sc) != ':')
                return FWC_ERR_JSON;
            sc.pos++;
            skip_ws(&sc);
        }
        if (expect_value) {
            char c = peek(&sc);
            if (c == '{' || c == '[') {
                if (depth == FWC_JSON_MAX_DEPTH)
                    return FWC_ERR_JSON;
                objects = (objects & ~(1u << depth)) | ((uint32_t)(c == '{') << depth);
                depth++;
                sc.pos++;
                skip_ws(&sc);
                /* Empty container closes at once. */
                if (peek(&sc) == (c == '{' ? '}' : ']')) {
                    sc.pos++;
                    depth--;
                    expect_value = false;
                    if (depth == 0)
                        break;
                }
                continue;
            }
            if (depth == 0 || !scalar(&sc))
                return FWC_ERR_JSON;
            expect_value = false;
            continue;
        }
        /* After a value: separator or close, possibly of several levels. */
        switch (after_value(&sc, in_object)) {
        case AFTER_NEXT:
            expect_value = true;
            break;
        case AFTER_CLOSE:
            sc.pos++;
            depth--;
            break;
        default:
            return FWC_ERR_JSON;
        }
        if (depth == 0)
            break;
    }
    skip_ws(&sc);
    return at_end(&sc) ? FWC_OK : FWC_ERR_JSON;
}
