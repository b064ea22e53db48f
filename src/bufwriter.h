/* SPDX-License-Identifier: MIT */
/* The bounded writer every text fwc assembles goes through: the request
 * head, the JSON body, the log line, the multipart frame, request paths.
 * A piece goes in whole or not at all, and the first piece that does not
 * fit makes the writer refuse all the rest (sticky overflow), so a writer
 * checks once, at the end, and names the overflow: nothing goes out cut. */
#ifndef FWC_BUFWRITER_H
#define FWC_BUFWRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"

struct fwci_bufw {
    char *buf;
    size_t cap;
    size_t len;
    bool overflow;
};

void fwci_bufw_init(struct fwci_bufw *w, char *buf, size_t cap);
void fwci_bufw_put(struct fwci_bufw *w, const char *s, size_t n);
void fwci_bufw_str(struct fwci_bufw *w, const char *s);
/* v in decimal: fwc's one number-to-text conversion. */
void fwci_bufw_u64(struct fwci_bufw *w, uint64_t v);
/* Ends the text with a NUL (not counted in len): false when the text and
 * its NUL did not fit. */
bool fwci_bufw_cstr(struct fwci_bufw *w);

/* out = prefix + path, a request target: the base URL's path prefix and an
 * origin-form path. FWC_ERR_INVALID_ARG when path is not one ('/' first)
 * or the two do not fit out with a NUL. */
FWC_NODISCARD enum fwc_err fwci_bufw_target(char *out, size_t cap, const char *prefix,
                                            const char *path);

#endif
