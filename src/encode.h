/* SPDX-License-Identifier: MIT */
/* application/x-www-form-urlencoded and base64, into the caller's buffer.
 * Pure functions. */
#ifndef FWC_ENCODE_H
#define FWC_ENCODE_H

#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"

/* Encode one byte: A-Z a-z 0-9 - . _ * as is, space as '+', anything else
 * as %XX (upper-case hex). Writes 1 or 3 chars to out, returns how many. */
size_t fwci_form_encode_byte(uint8_t c, char out[3]);

/* Length of in[0..len) once form-encoded. */
size_t fwci_form_encoded_len(const uint8_t *in, size_t len);

/* Form-encode in[0..len) into out. FWC_ERR_REQUEST_TOO_LARGE (and nothing
 * past cap written) when it does not fit. No NUL is added. */
FWC_NODISCARD enum fwc_err fwci_form_encode(char *out, size_t cap, const uint8_t *in, size_t len,
                                           size_t *out_len);

/* Standard base64 with padding. FWC_ERR_REQUEST_TOO_LARGE when it does
 * not fit. No NUL is added. */
FWC_NODISCARD enum fwc_err fwci_base64_encode(char *out, size_t cap, const uint8_t *in,
                                             size_t len, size_t *out_len);

#endif
