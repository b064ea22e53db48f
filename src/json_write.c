/* SPDX-License-Identifier: MIT */
/* JSON writer (json_write.h). */
#include "json_write.h"

/* A value or key inside a container is preceded by a comma but the first. */
static void separate(struct fwc_jw *w)
{
    if (w->need_comma)
        fwci_bufw_put(&w->out, ",", 1);
    w->need_comma = true;
}

void fwci_jw_init(struct fwc_jw *w, char *buf, size_t cap)
{
    fwci_bufw_init(&w->out, buf, cap);
    w->need_comma = false;
}

void fwci_jw_open(struct fwc_jw *w, char bracket)
{
    separate(w);
    fwci_bufw_put(&w->out, &bracket, 1);
    w->need_comma = false;
}

void fwci_jw_close(struct fwc_jw *w, char bracket)
{
    fwci_bufw_put(&w->out, &bracket, 1);
    w->need_comma = true;
}

static void put_escaped(struct fwc_jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    fwci_bufw_put(&w->out, "\"", 1);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            fwci_bufw_put(&w->out, esc, 2);
        } else if (c < 0x20) {
            fwci_bufw_put(&w->out, esc, 6);
        } else {
            fwci_bufw_put(&w->out, (const char *)&c, 1);
        }
    }
    fwci_bufw_put(&w->out, "\"", 1);
}

void fwci_jw_key(struct fwc_jw *w, const char *key)
{
    separate(w);
    put_escaped(w, key);
    fwci_bufw_put(&w->out, ":", 1);
    w->need_comma = false;
}

void fwci_jw_string(struct fwc_jw *w, const char *s)
{
    separate(w);
    if (s == NULL)
        fwci_bufw_put(&w->out, "null", 4);
    else
        put_escaped(w, s);
}

void fwci_jw_u64(struct fwc_jw *w, uint64_t v)
{
    separate(w);
    fwci_bufw_u64(&w->out, v);
}

void fwci_jw_i64(struct fwc_jw *w, int64_t v)
{
    if (v < 0) {
        separate(w);
        fwci_bufw_put(&w->out, "-", 1);
        w->need_comma = false;
        fwci_jw_u64(w, (uint64_t)(-(v + 1)) + 1u);
        return;
    }
    fwci_jw_u64(w, (uint64_t)v);
}

void fwci_jw_bool(struct fwc_jw *w, bool v)
{
    separate(w);
    fwci_bufw_put(&w->out, v ? "true" : "false", v ? 4 : 5);
}

enum fwc_err fwci_jw_finish(const struct fwc_jw *w, size_t *out_len)
{
    if (w->out.overflow)
        return FWC_ERR_REQUEST_TOO_LARGE;
    *out_len = w->out.len;
    return FWC_OK;
}
