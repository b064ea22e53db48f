/* SPDX-License-Identifier: MIT */
/* Strict JSON syntax check (see json_check.c). */
#ifndef FWC_JSON_CHECK_H
#define FWC_JSON_CHECK_H

#include <stddef.h>

#include "fwc/error.h"

/* FWC_OK when doc[0..len) is exactly one valid JSON object (RFC 8259) with
 * valid UTF-8 and at most FWC_JSON_MAX_DEPTH levels; FWC_ERR_JSON else. */
FWC_NODISCARD enum fwc_err fwci_json_check(const char *doc, size_t len);

#endif
