/* SPDX-License-Identifier: MIT */
/* Form and base64 encoding (encode.h). */
#include "encode.h"

#include <stdbool.h>

#include "chars.h"
#include "wipe.h"

static const char hex_digits[] = "0123456789ABCDEF";

/* The bytes form encoding writes as one character: themselves, and a
 * space as '+'. */
static bool is_unreserved(uint8_t c)
{
    return fwci_is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '*' || c == ' ';
}

size_t fwci_form_encode_byte(uint8_t c, char out[3])
{
    if (is_unreserved(c)) {
        out[0] = (char)(c == ' ' ? '+' : c);
        return 1;
    }
    out[0] = '%';
    out[1] = hex_digits[c >> 4];
    out[2] = hex_digits[c & 0x0F];
    return 3;
}

/* Counted without encoding, so no copy of a secret's bytes is left on the
 * stack. */
size_t fwci_form_encoded_len(const uint8_t *in, size_t len)
{
    size_t n = 0, i;
    for (i = 0; i < len; i++)
        n += is_unreserved(in[i]) ? 1u : 3u;
    return n;
}

enum fwc_err fwci_form_encode(char *out, size_t cap, const uint8_t *in, size_t len,
                             size_t *out_len)
{
    size_t n = 0, i, k;
    char piece[3];

    for (i = 0; i < len; i++) {
        k = fwci_form_encode_byte(in[i], piece);
        if (k > cap - n)
            break;
        for (size_t b = 0; b < k; b++)
            out[n + b] = piece[b];
        n += k;
    }
    fwci_wipe(piece, sizeof(piece)); /* it held a byte of (say) the secret */
    if (i < len)
        return FWC_ERR_REQUEST_TOO_LARGE;
    *out_len = n;
    return FWC_OK;
}

enum fwc_err fwci_base64_encode(char *out, size_t cap, const uint8_t *in, size_t len,
                               size_t *out_len)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t need = (len + 2) / 3 * 4, i, n = 0;

    if (len > (SIZE_MAX / 4) * 3 - 2 || need > cap)
        return FWC_ERR_REQUEST_TOO_LARGE;
    for (i = 0; i + 2 < len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[n++] = alphabet[v >> 18];
        out[n++] = alphabet[(v >> 12) & 63];
        out[n++] = alphabet[(v >> 6) & 63];
        out[n++] = alphabet[v & 63];
    }
    if (i < len) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0u);
        out[n++] = alphabet[v >> 18];
        out[n++] = alphabet[(v >> 12) & 63];
        out[n++] = '=';
        if (i + 1 < len)
            out[n - 1] = alphabet[(v >> 6) & 63];
        out[n++] = '=';
        fwci_wipe(&v, sizeof(v));
    }
    *out_len = n;
    return FWC_OK;
}
