/* Character classes of RFC 9110, shared by the request writer (which must
 * not let a caller inject a header) and the response parser. */
#ifndef FWC_HTTP_CHARS_H
#define FWC_HTTP_CHARS_H

#include <stdbool.h>
#include <stddef.h>

/* tchar: the characters of a header name or a method. */
static inline bool fwci_is_tchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
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
