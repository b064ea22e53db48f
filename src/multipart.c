/* SPDX-License-Identifier: MIT */
/* Multipart framing (multipart.h). */
#include "multipart.h"

#include "fwc/config.h"

#if CONFIG_FWC_UPLOAD
#include <string.h>

#include "bufwriter.h"

void fwci_multipart_boundary(char out[FWCI_BOUNDARY_SIZE],
                             const uint8_t entropy[FWCI_BOUNDARY_ENTROPY])
{
    static const char hex[] = "0123456789abcdef";
    size_t i;

    memcpy(out, "fwc-", 4);
    for (i = 0; i < FWCI_BOUNDARY_ENTROPY; i++) {
        out[4 + 2 * i] = hex[entropy[i] >> 4];
        out[5 + 2 * i] = hex[entropy[i] & 15];
    }
    out[FWCI_BOUNDARY_SIZE - 1] = '\0';
}

enum fwc_err fwci_multipart_content_type(char *out, size_t cap, const char *boundary)
{
    struct fwci_bufw w;

    fwci_bufw_init(&w, out, cap);
    fwci_bufw_str(&w, "multipart/form-data; boundary=");
    fwci_bufw_str(&w, boundary);
    return fwci_bufw_cstr(&w) ? FWC_OK : FWC_ERR_REQUEST_TOO_LARGE;
}

enum fwc_err fwci_part_frame(struct fwci_part *b, const char *boundary, const char *name,
                             const char *filename)
{
    struct fwci_bufw head, tail;

    fwci_bufw_init(&head, b->head, sizeof(b->head));
    fwci_bufw_str(&head, "--");
    fwci_bufw_str(&head, boundary);
    fwci_bufw_str(&head, "\r\nContent-Disposition: form-data; name=\"");
    fwci_bufw_str(&head, name);
    fwci_bufw_str(&head, "\"; filename=\"");
    fwci_bufw_str(&head, filename);
    fwci_bufw_str(&head, "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    fwci_bufw_init(&tail, b->tail, sizeof(b->tail));
    fwci_bufw_str(&tail, "\r\n--");
    fwci_bufw_str(&tail, boundary);
    fwci_bufw_str(&tail, "--\r\n");
    b->head_len = head.len;
    b->tail_len = tail.len;
    /* A cut frame is a body the server cannot read, or reads wrong (a
     * lost closing boundary): not sent, named. */
    return head.overflow || tail.overflow ? FWC_ERR_REQUEST_TOO_LARGE : FWC_OK;
}

uint64_t fwci_part_length(const struct fwci_part *b)
{
    return b->head_len + b->len + b->tail_len;
}

static size_t copy_out(uint8_t *buf, size_t len, const char *src, size_t src_len, size_t *pos)
{
    size_t n = src_len - *pos;
    if (n > len)
        n = len;
    memcpy(buf, src + *pos, n);
    *pos += n;
    return n;
}

static void report_progress(const struct fwci_part *b)
{
    uint64_t sent = b->base_sent + b->done;
    if (b->progress != NULL && b->reported != NULL && sent > *b->reported) {
        *b->reported = sent;
        b->progress(b->progress_ctx, sent, b->total);
    }
}

int32_t fwci_part_read(void *ctx, uint8_t *buf, size_t len)
{
    struct fwci_part *b = ctx;
    size_t n = 0;

    while (n < len && b->phase != FWCI_PART_DONE) {
        if (b->phase == FWCI_PART_HEAD) {
            n += copy_out(buf + n, len - n, b->head, b->head_len, &b->pos);
            if (b->pos == b->head_len) {
                b->phase = FWCI_PART_DATA;
                b->pos = 0;
            }
        } else if (b->phase == FWCI_PART_DATA) {
            uint64_t left = b->len - b->done;
            size_t want = (uint64_t)(len - n) < left ? len - n : (size_t)left;
            int32_t got = want > 0 ? b->read(b->ctx, buf + n, want) : 0;
            if (want > 0 && (got <= 0 || (size_t)got > want))
                return -1; /* the HTTP layer names it FWC_ERR_BODY_READER */
            n += (size_t)got;
            b->done += (uint64_t)got;
            report_progress(b);
            if (b->done == b->len)
                b->phase = FWCI_PART_TAIL;
        } else {
            n += copy_out(buf + n, len - n, b->tail, b->tail_len, &b->pos);
            if (b->pos == b->tail_len)
                b->phase = FWCI_PART_DONE;
        }
    }
    return (int32_t)n;
}

enum fwc_err fwci_part_rewind(void *ctx)
{
    struct fwci_part *b = ctx;
    b->phase = FWCI_PART_HEAD;
    b->pos = 0;
    b->done = 0;
    if (b->len == 0)
        return FWC_OK;
    return b->seek != NULL ? b->seek(b->ctx, b->offset) : FWC_ERR_BODY_READER;
}
#else
typedef int fwc_multipart_compiled_out;
#endif
