/* SPDX-License-Identifier: MIT */
/* The secret hook for CONFIG_FWC_SECRET_BUILD: the values the build masked
 * into fwc_secrets.h, unmasked into fwc's scratch only when asked. */
#include <string.h>

#include "fwc/secret.h"
#include "fwc_secrets.h"

static enum fwc_err unmask(const unsigned char *masked, const volatile unsigned char *mask,
                           size_t len, char *buf, size_t cap, size_t *out_len)
{
    size_t i;
    if (len > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    for (i = 0; i < len; i++)
        buf[i] = (char)(masked[i] ^ mask[i]);
    *out_len = len;
    return FWC_OK;
}

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    (void)ctx;
    if (buf == NULL || out_len == NULL)
        return FWC_ERR_SECRET_UNAVAILABLE;
    if (item == FWC_SECRET_CLIENT_ID)
        return unmask(fwc_client_id_masked, fwc_client_id_mask, sizeof(fwc_client_id_masked),
                      buf, cap, out_len);
    return unmask(fwc_client_secret_masked, fwc_client_secret_mask,
                  sizeof(fwc_client_secret_masked), buf, cap, out_len);
}
