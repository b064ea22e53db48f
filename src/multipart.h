/* SPDX-License-Identifier: MIT */
/* One multipart/form-data part (RFC 7578), the body of an Upload API chunk
 * or XMP request, streamed: the head, the data from the application's
 * reader, the tail, in whatever pieces the HTTP layer asks for, so no chunk
 * is ever held whole. Pure: the data and the progress go through the
 * caller's callbacks, the boundary's randomness comes in as bytes. */
#ifndef FWC_MULTIPART_H
#define FWC_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"
#include "fwc/http.h"

/* Random bytes a boundary is made of, and its size: "fwc-", 32 hex
 * digits, NUL. */
#define FWCI_BOUNDARY_ENTROPY 16
#define FWCI_BOUNDARY_SIZE (4 + 2 * FWCI_BOUNDARY_ENTROPY + 1)

enum fwci_part_phase { FWCI_PART_HEAD, FWCI_PART_DATA, FWCI_PART_TAIL, FWCI_PART_DONE };

/* Set the source and progress fields (the rest zero), then frame it. */
struct fwci_part {
    fwc_body_reader_fn read;
    enum fwc_err (*seek)(void *ctx, uint64_t offset);
    void *ctx;
    uint64_t offset; /* where this part's data starts in the source */
    uint64_t len;
    /* Optional: (base_sent + data sent, total) after every read, when
     * above *reported, so that progress never goes backwards when a part
     * is sent again. reported NULL: no progress for this part. */
    void (*progress)(void *ctx, uint64_t sent, uint64_t total);
    void *progress_ctx;
    uint64_t base_sent;
    uint64_t *reported;
    uint64_t total;
    /* Filled by fwci_part_frame and fwci_part_read. */
    uint64_t done;
    enum fwci_part_phase phase;
    size_t pos;
    char head[200];
    size_t head_len;
    char tail[48];
    size_t tail_len;
};

/* "fwc-" and the entropy in hex. The boundary must be random: a fixed one
 * could be planted in a file, and the file would then end the part early. */
void fwci_multipart_boundary(char out[FWCI_BOUNDARY_SIZE],
                             const uint8_t entropy[FWCI_BOUNDARY_ENTROPY]);

/* "multipart/form-data; boundary=<boundary>", NUL-terminated.
 * FWC_ERR_REQUEST_TOO_LARGE when it does not fit. */
FWC_NODISCARD enum fwc_err fwci_multipart_content_type(char *out, size_t cap,
                                                       const char *boundary);

/* The part's head (boundary, Content-Disposition with name and filename,
 * Content-Type) and tail (closing boundary). name and filename are fwc's
 * own constants: no quote or line break. FWC_ERR_REQUEST_TOO_LARGE when
 * either does not fit, never a cut frame. */
FWC_NODISCARD enum fwc_err fwci_part_frame(struct fwci_part *b, const char *boundary,
                                           const char *name, const char *filename);

/* The Content-Length of the framed part. */
uint64_t fwci_part_length(const struct fwci_part *b);

/* fwc_http_request's body_reader and body_rewind, ctx a framed part.
 * Reading gives -1 when the source fails or gives more than asked (the
 * HTTP layer names it FWC_ERR_BODY_READER); rewinding seeks the source
 * back to the part's offset. */
int32_t fwci_part_read(void *ctx, uint8_t *buf, size_t len);
FWC_NODISCARD enum fwc_err fwci_part_rewind(void *ctx);

#endif
