/* The secret hook for the examples (CONFIG_FWC_SECRET_CALLBACK): the
 * client ID from FWC_CLIENT_ID, the secret from the first line of the file
 * FWC_CLIENT_SECRET_FILE, read when fwc asks, straight into fwc's buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/secret.h"

/* The secret file's first line, without its newline. */
static enum fwc_err read_secret_file(char *buf, size_t cap, size_t *out_len)
{
    const char *path = getenv("FWC_CLIENT_SECRET_FILE");
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    size_t n;
    if (f == NULL)
        return FWC_ERR_SECRET_UNAVAILABLE;
    n = fread(buf, 1, cap, f);
    fclose(f);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    *out_len = n;
    return n > 0 && n < cap ? FWC_OK : FWC_ERR_SECRET_UNAVAILABLE;
}

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    const char *id = getenv("FWC_CLIENT_ID");
    size_t len;
    (void)ctx;
    if (item == FWC_SECRET_CLIENT_SECRET)
        return read_secret_file(buf, cap, out_len);
    if (id == NULL || (len = strlen(id)) > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, id, len); /* fwc wants the bytes, no NUL */
    *out_len = len;
    return FWC_OK;
}
