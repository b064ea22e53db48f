/* Log line assembly (log.h), into a small stack buffer. */
#include "log.h"

#if CONFIG_FWC_LOG_LEVEL > 0
#include <string.h>

#include "fwc/port.h"

#define LINE_MAX_LEN 96

struct line {
    char buf[LINE_MAX_LEN];
    size_t len;
};

static void add(struct line *l, const char *s, size_t n)
{
    if (n > sizeof(l->buf) - 1 - l->len)
        n = sizeof(l->buf) - 1 - l->len; /* a log line may be cut; data never is */
    memcpy(l->buf + l->len, s, n);
    l->len += n;
    l->buf[l->len] = '\0';
}

static void add_str(struct line *l, const char *s)
{
    add(l, s, strlen(s));
}

static void add_u32(struct line *l, uint32_t v)
{
    char digits[10];
    size_t n = sizeof(digits);
    do {
        digits[--n] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    add(l, digits + n, sizeof(digits) - n);
}

void fwci_log_text(int level, const char *text)
{
    fwc_port_log(level, text);
}

void fwci_log_value(int level, const char *text, uint32_t value, const char *unit)
{
    struct line l = {{0}, 0};
    add_str(&l, text);
    add_str(&l, ": ");
    add_u32(&l, value);
    add_str(&l, unit);
    fwc_port_log(level, l.buf);
}

void fwci_log_token(int level, const char *text, const char *token, size_t len)
{
    struct line l = {{0}, 0};
    add_str(&l, text);
    add_str(&l, ": ");
    /* Four characters identify a token in a support log; of a short
     * (test) token they would be most of it, so then none. */
    add(&l, token, len >= 16 ? 4 : 0);
    add_str(&l, "... (");
    add_u32(&l, (uint32_t)len);
    add_str(&l, " chars)");
    fwc_port_log(level, l.buf);
}
#else
typedef int fwc_log_compiled_out;
#endif
