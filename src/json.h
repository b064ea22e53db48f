/* SPDX-License-Identifier: MIT */
/* JSON for fwc: a strict validator, jsmn for the tokens, and the few reads
 * the token and upload layers need. Pure: no I/O, no globals, caller's
 * memory only. */
#ifndef FWC_JSON_H
#define FWC_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"

/* Room for one jsmn token; jsmntok_t is four ints. Callers size their
 * token storage with this without seeing jsmn's header. */
#define FWC_JSON_TOKEN_SIZE (4 * sizeof(int))

/* Deepest nesting accepted: fwc's documents are flat, and a bound keeps
 * the validator's state small. */
#define FWC_JSON_MAX_DEPTH 16

struct fwc_json {
    const char *doc;
    void *tokens; /* jsmntok_t[], kept opaque */
    int count;
};

/* Check that doc[0..len) is one complete, valid JSON object (RFC 8259: no
 * trailing commas, no bare words, no control characters or bad escapes in
 * strings, valid UTF-8, nothing after it), then tokenize it into the
 * caller's token storage (capacity tokens). FWC_ERR_JSON for anything
 * else, including too many tokens or too deep. */
FWC_NODISCARD enum fwc_err fwci_json_parse(struct fwc_json *out, const char *doc, size_t len,
                                          void *token_storage, size_t capacity);

/* Index of the value of the root object's member named key, or -1 when
 * absent. A key given twice, or any key written with an escape (which could
 * spell the same name twice), is ambiguous: -2. */
int fwci_json_member(const struct fwc_json *j, const char *key);

/* The same inside the object at token index object (-1 if tok is not an
 * object). */
int fwci_json_member_in(const struct fwc_json *j, int object, const char *key);

bool fwci_json_is_string(const struct fwc_json *j, int tok);

/* Where token tok's text starts in the document (inside the quotes for a
 * string). */
size_t fwci_json_offset(const struct fwc_json *j, int tok);
bool fwci_json_is_null(const struct fwc_json *j, int tok);

/* Unescape string token tok into out (NUL-terminated). FWC_ERR_JSON if tok
 * is not a string or holds \u0000 or a lone surrogate; FWC_ERR_BODY_TOO_LARGE
 * if it does not fit cap (with its NUL). Either refusal of a string leaves
 * out empty, with no part of the string in it. */
FWC_NODISCARD enum fwc_err fwci_json_string(const struct fwc_json *j, int tok, char *out,
                                           size_t cap, size_t *out_len);

/* String token tok equals the lower-case ASCII literal, ignoring case. */
bool fwci_json_string_ieq(const struct fwc_json *j, int tok, const char *lower);

/* A JSON number as a whole count (fraction dropped: 28800.000000 is 28800,
 * 2.5 is 2), for seconds or sizes. FWC_ERR_JSON if tok is not a number, is
 * negative, has an exponent, or exceeds max. */
FWC_NODISCARD enum fwc_err fwci_json_count(const struct fwc_json *j, int tok, uint64_t max,
                                          uint64_t *out);

/* fwci_json_count for what has no fractions (a chunk size, a count of
 * chunks): 5 and 5.0 are 5, 5.9 is FWC_ERR_JSON rather than 5. */
FWC_NODISCARD enum fwc_err fwci_json_whole(const struct fwc_json *j, int tok, uint64_t max,
                                          uint64_t *out);

#endif
