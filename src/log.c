/* SPDX-License-Identifier: MIT */
/* Log line assembly (log.h), into a small stack buffer. */
#include "log.h"

#if CONFIG_FWC_LOG_LEVEL > 0
#include <string.h>

#include "bufwriter.h"
#include "fwc/port.h"

#define LINE_MAX_LEN 96
/* What ends a line that did not fit: a log is for people, and they must
 * not take a cut line for the whole. */
#define CUT_MARK "[...]"

struct line {
    struct fwci_bufw w;
    char buf[LINE_MAX_LEN];
};

static void line_start(struct line *l)
{
    fwci_bufw_init(&l->w, l->buf, sizeof(l->buf) - sizeof(CUT_MARK));
}

static void line_emit(int level, struct line *l)
{
    if (l->w.overflow)
        memcpy(l->buf + l->w.len, CUT_MARK, sizeof(CUT_MARK));
    else
        l->buf[l->w.len] = '\0';
    fwc_port_log(level, l->buf);
}

void fwci_log_text(int level, const char *text)
{
    fwc_port_log(level, text);
}

void fwci_log_value(int level, const char *text, uint32_t value, const char *unit)
{
    struct line l;
    line_start(&l);
    fwci_bufw_str(&l.w, text);
    fwci_bufw_str(&l.w, ": ");
    fwci_bufw_u64(&l.w, value);
    fwci_bufw_str(&l.w, unit);
    line_emit(level, &l);
}

void fwci_log_token(int level, const char *text, const char *token, size_t len)
{
    struct line l;
    line_start(&l);
    fwci_bufw_str(&l.w, text);
    fwci_bufw_str(&l.w, ": ");
    /* Four characters identify a token in a support log; of a short
     * (test) token they would be most of it, so then none. */
    fwci_bufw_put(&l.w, token, len >= 16 ? 4 : 0);
    fwci_bufw_str(&l.w, "... (");
    fwci_bufw_u64(&l.w, len);
    fwci_bufw_str(&l.w, " chars)");
    line_emit(level, &l);
}
#else
typedef int fwc_log_compiled_out;
#endif
