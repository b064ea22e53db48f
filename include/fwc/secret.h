/* SPDX-License-Identifier: MIT */
/* The compile-time secret provisioning hook. Kconfig chooses the source:
 *
 * CONFIG_FWC_SECRET_CALLBACK: the application implements fwc_secret_get()
 *   and copies each value from wherever it keeps it (secure element, NVS,
 *   TPM, a root-only file).
 * CONFIG_FWC_SECRET_BUILD: the build reads CONFIG_FWC_SECRETS_FILE (outside
 *   the repository) and generates build/gen/fwc_secrets.h, masked so the
 *   values are not plain strings in the binary; src/secret/secret_build.c then
 *   implements fwc_secret_get().
 *
 * fwc asks for the values only while writing a token request, and wipes its
 * copies as soon as the request is sent, on every path. */
#ifndef FWC_SECRET_H
#define FWC_SECRET_H

#include <stddef.h>

#include "fwc/error.h"

#ifdef __cplusplus
extern "C" {
#endif

enum fwc_secret_item {
    FWC_SECRET_CLIENT_ID,
    FWC_SECRET_CLIENT_SECRET
};

/* Copy the item into buf (at most cap bytes, no NUL needed) and set
 * *out_len. ctx is fwc_client_config.secret_ctx. Return FWC_OK, or
 * FWC_ERR_SECRET_UNAVAILABLE when the value cannot be had or does not fit:
 * fwc then sends nothing. */
enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len);

#ifdef __cplusplus
}
#endif

#endif
