/* JSON writer (json_write.h). */
#include "json_write.h"

#include <string.h>

static void put(struct fwc_jw *w, const char *s, size_t n)
{
    if (w->overflow || n > w->cap - w->len) {
        w->overflow = true;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
}

/* A value or key inside a container is preceded by a comma but the first. */
static void separate(struct fwc_jw *w)
{
    if (w->need_comma)
        put(w, ",", 1);
    w->need_comma = true;
}

void fwci_jw_init(struct fwc_jw *w, char *buf, size_t cap)
{
    memset(w, 0, sizeof(*w));
    w->buf = buf;
    w->cap = cap;
}

void fwci_jw_open(struct fwc_jw *w, char bracket)
{
    separate(w);
    put(w, &bracket, 1);
    w->need_comma = false;
}

void fwci_jw_close(struct fwc_jw *w, char bracket)
{
    put(w, &bracket, 1);
    w->need_comma = true;
}

static void put_escaped(struct fwc_jw *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    put(w, "\"", 1);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        if (c == '"' || c == '\\') {
            esc[1] = (char)c;
            put(w, esc, 2);
        } else if (c < 0x20) {
            put(w, esc, 6);
        } else {
            put(w, (const char *)&c, 1);
        }
    }
    put(w, "\"", 1);
}

void fwci_jw_key(struct fwc_jw *w, const char *key)
{
    separate(w);
    put_escaped(w, key);
    put(w, ":", 1);
    w->need_comma = false;
}

void fwci_jw_string(struct fwc_jw *w, const char *s)
{
    separate(w);
    if (s == NULL)
        put(w, "null", 4);
    else
        put_escaped(w, s);
}

void fwci_jw_u64(struct fwc_jw *w, uint64_t v)
{
    char digits[20];
    size_t n = sizeof(digits);
    separate(w);
    do {
        digits[--n] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    put(w, digits + n, sizeof(digits) - n);
}

void fwci_jw_i64(struct fwc_jw *w, int64_t v)
{
    if (v < 0) {
        separate(w);
        put(w, "-", 1);
        w->need_comma = false;
        fwci_jw_u64(w, (uint64_t)(-(v + 1)) + 1u);
        return;
    }
    fwci_jw_u64(w, (uint64_t)v);
}

void fwci_jw_bool(struct fwc_jw *w, bool v)
{
    separate(w);
    put(w, v ? "true" : "false", v ? 4 : 5);
}

enum fwc_err fwci_jw_finish(const struct fwc_jw *w, size_t *out_len)
{
    if (w->overflow)
        return FWC_ERR_REQUEST_TOO_LARGE;
    *out_len = w->len;
    return FWC_OK;
}
