/* SPDX-License-Identifier: MIT */
/* The request head writer (http_write.c), for the exchange in http.c. */
#ifndef FWC_HTTP_WRITE_H
#define FWC_HTTP_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "fwc/http.h"

/* Write the request head (request line, Host, caller headers,
 * Content-Length, blank line) into buf. FWC_ERR_REQUEST_TOO_LARGE when it
 * does not fit. */
FWC_NODISCARD enum fwc_err fwci_http_write_head(uint8_t *buf, size_t cap, const char *host,
                                               const struct fwc_http_request *req,
                                               size_t *out_len);

#endif
