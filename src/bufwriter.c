/* SPDX-License-Identifier: MIT */
/* The bounded writer (bufwriter.h). */
#include "bufwriter.h"

#include <string.h>

void fwci_bufw_init(struct fwci_bufw *w, char *buf, size_t cap)
{
    w->buf = buf;
    w->cap = cap;
    w->len = 0;
    w->overflow = false;
}

void fwci_bufw_put(struct fwci_bufw *w, const char *s, size_t n)
{
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = true;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

void fwci_bufw_str(struct fwci_bufw *w, const char *s)
{
    fwci_bufw_put(w, s, strlen(s));
}

void fwci_bufw_u64(struct fwci_bufw *w, uint64_t v)
{
    char digits[20]; /* 2^64 - 1 has 20 */
    size_t n = sizeof(digits);
    do {
        digits[--n] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    fwci_bufw_put(w, digits + n, sizeof(digits) - n);
}

bool fwci_bufw_cstr(struct fwci_bufw *w)
{
    fwci_bufw_put(w, "", 1);
    if (w->overflow)
        return false;
    w->len--;
    return true;
}

enum fwc_err fwci_bufw_target(char *out, size_t cap, const char *prefix, const char *path)
{
    struct fwci_bufw w;

    if (path == NULL || path[0] != '/')
        return FWC_ERR_INVALID_ARG;
    fwci_bufw_init(&w, out, cap);
    fwci_bufw_str(&w, prefix);
    fwci_bufw_str(&w, path);
    return fwci_bufw_cstr(&w) ? FWC_OK : FWC_ERR_INVALID_ARG;
}
