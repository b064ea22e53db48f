/* SPDX-License-Identifier: MIT */
/* Character classes, one definition each: ASCII's (digits, letters, hex,
 * visible) for the parsers and encoders, and RFC 9110's, shared by the
 * request writer (which must not let a caller inject a header) and the
 * response parser. Not <ctype.h>: it follows the locale, and a negative
 * char is undefined behaviour there. These take an int, so a char or a
 * byte goes in as it is, and a negative char is in no class. */
#ifndef FWC_CHARS_H
#define FWC_CHARS_H

#include <stdbool.h>
#include <stddef.h>

static inline bool fwci_is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Letters and digits: the core of host names, base64 and upload ids. */
static inline bool fwci_is_alnum(int c)
{
    return fwci_is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* 0-15 for a hex digit of either case, -1 for anything else. */
static inline int fwci_hex_value(int c)
{
    if (fwci_is_digit(c))
        return c - '0';
    c |= 0x20; /* 'A'-'F' to 'a'-'f'; nothing else lands there */
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static inline bool fwci_is_hex(int c)
{
    return fwci_hex_value(c) >= 0;
}

/* VCHAR: visible ASCII, neither space nor control nor DEL. */
static inline bool fwci_is_vchar(int c)
{
    return c > 0x20 && c < 0x7f;
}

/* tchar: the characters of a header name or a method. */
static inline bool fwci_is_tchar(unsigned char c)
{
    if (fwci_is_alnum(c))
        return true;
    switch (c) {
    case '!': case '#': case '$': case '%': case '&': case '\'': case '*':
    case '+': case '-': case '.': case '^': case '_': case '`': case '|': case '~':
        return true;
    default:
        return false;
    }
}

/* field-content: visible ASCII, obs-text (0x80-0xFF), space and tab.
 * Excludes NUL, CR, LF, the other controls and DEL. */
static inline bool fwci_is_field_char(unsigned char c)
{
    return c == ' ' || c == '\t' || (c > 0x20 && c != 0x7f);
}

static inline char fwci_ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive compare of s[0..len) with the NUL-terminated lower-case
 * literal lit. */
static inline bool fwci_ascii_ieq(const char *s, size_t len, const char *lit)
{
    size_t i;
    for (i = 0; i < len; i++) {
        if (lit[i] == '\0' || fwci_ascii_lower(s[i]) != lit[i])
            return false;
    }
    return lit[len] == '\0';
}

#endif
