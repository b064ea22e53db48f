/* SPDX-License-Identifier: MIT */
/* The secret hook for the examples (CONFIG_FWC_SECRET_CALLBACK): the
 * client ID from FWC_CLIENT_ID, the secret from the first line of the file
 * FWC_CLIENT_SECRET_FILE, read when fwc asks, straight into fwc's buffer.
 *
 * Only the first line is the secret (LF or CR LF ends it): the lines after
 * it, a note or the old secret kept during a rotation, are never sent. An
 * empty first line, or one longer than fwc's buffer, is refused rather
 * than sent or cut to fit: the server would only answer invalid_client. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/secret.h"

/* memset on memory never read again may be optimised away; this may not. */
static void wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n-- > 0)
        *v++ = 0;
}

/* After a buffer that filled up with no LF in it: whether the line ends
 * right there (the end of the file, LF, or CR LF next). */
static bool line_ends_here(FILE *f)
{
    unsigned char c = 0;
    bool ends = fread(&c, 1, 1, f) == 0 || c == '\n';
    if (!ends && c == '\r')
        ends = fread(&c, 1, 1, f) == 0 || c == '\n';
    wipe(&c, sizeof(c));
    return ends && !ferror(f);
}

/* The first line of f into buf, without its LF or CR LF; 0 when it is
 * empty, does not fit in cap bytes, or cannot be read. Whatever was read
 * beyond the line is wiped. */
static size_t first_line(FILE *f, char *buf, size_t cap)
{
    size_t n = fread(buf, 1, cap, f);
    const char *lf = memchr(buf, '\n', n);
    size_t len = lf != NULL ? (size_t)(lf - buf) : n;
    bool fits = lf != NULL || n < cap || line_ends_here(f);

    wipe(buf + len, cap - len);
    if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
    if (!fits || ferror(f)) {
        wipe(buf, cap);
        return 0;
    }
    return len;
}

static enum fwc_err read_secret_file(char *buf, size_t cap, size_t *out_len)
{
    const char *path = getenv("FWC_CLIENT_SECRET_FILE");
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    size_t len;

    if (f == NULL)
        return FWC_ERR_SECRET_UNAVAILABLE;
    /* Unbuffered: stdio's own buffer would keep a copy of the secret in
     * memory that fclose frees without wiping. */
    setvbuf(f, NULL, _IONBF, 0);
    len = first_line(f, buf, cap);
    fclose(f);
    if (len == 0) {
        fprintf(stderr, "%s: the first line must hold the secret, in at most %zu bytes\n",
                path, cap);
        return FWC_ERR_SECRET_UNAVAILABLE;
    }
    *out_len = len;
    return FWC_OK;
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
