/* SPDX-License-Identifier: MIT */
/* A tiny JSON writer into a caller buffer: enough for the upload create
 * request. Strings are escaped per RFC 8259. Overflow is sticky and
 * reported at the end, never a truncated document. */
#ifndef FWC_JSON_WRITE_H
#define FWC_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bufwriter.h"
#include "fwc/error.h"

struct fwc_jw {
    struct fwci_bufw out;
    bool need_comma;
};

void fwci_jw_init(struct fwc_jw *w, char *buf, size_t cap);
void fwci_jw_open(struct fwc_jw *w, char bracket);  /* '{' or '[' */
void fwci_jw_close(struct fwc_jw *w, char bracket); /* '}' or ']' */
void fwci_jw_key(struct fwc_jw *w, const char *key);
void fwci_jw_string(struct fwc_jw *w, const char *s); /* NULL writes null */
void fwci_jw_u64(struct fwc_jw *w, uint64_t v);
void fwci_jw_i64(struct fwc_jw *w, int64_t v);
void fwci_jw_bool(struct fwc_jw *w, bool v);
/* FWC_OK and the length, or FWC_ERR_REQUEST_TOO_LARGE. */
FWC_NODISCARD enum fwc_err fwci_jw_finish(const struct fwc_jw *w, size_t *out_len);

#endif
