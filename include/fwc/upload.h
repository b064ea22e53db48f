/* SPDX-License-Identifier: MIT */
/* The FotoWeb Upload API: create, chunks, optional XMP sidecar, status.
 * The file streams from an application reader through the client's I/O
 * buffer; no chunk is ever held whole in RAM. Needs CONFIG_FWC_UPLOAD. */
#ifndef FWC_UPLOAD_H
#define FWC_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One metadata field to set on the new asset: {"id": id, "action": "add",
 * "value": value}. */
struct fwc_upload_field {
    int id;
    const char *value;
};

/* What an application persists to resume an interrupted upload. All zero
 * starts a new upload; a state whose plan does not fit p->file_size is
 * refused (FWC_ERR_INVALID_ARG). */
struct fwc_upload_state {
    char id[FWC_UPLOAD_ID_MAX];
    uint64_t chunk_size;
    uint32_t num_chunks;
    uint32_t next_chunk;
};

struct fwc_upload_params {
    const char *destination; /* collection URL, or asset URL for a new revision */
    const char *folder;      /* optional sub-path, created if missing */
    const char *filename;
    const char *comment;     /* optional */
    uint64_t file_size;      /* exact bytes the reader will give */
    const struct fwc_upload_field *fields;
    size_t field_count;

    /* The file. read fills up to len bytes (> 0; 0 or negative: failure);
     * seek moves to an absolute offset (needed to resume and to resend a
     * chunk after a lost answer). */
    fwc_body_reader_fn read;
    enum fwc_err (*seek)(void *ctx, uint64_t offset);
    void *file_ctx;

    /* Optional XMP sidecar, sent after the chunks. */
    fwc_body_reader_fn xmp_read;
    enum fwc_err (*xmp_seek)(void *ctx, uint64_t offset);
    void *xmp_ctx;
    uint64_t xmp_size;

    /* The callbacks here run inside fwc_upload(), with the client's lock
     * held (CONFIG_FWC_LOCKS): none may call fwc with the same client.
     * Optional: file bytes sent so far of file_size, after every I/O piece;
     * never backwards, even when a chunk is resent. */
    void (*progress)(void *ctx, uint64_t sent, uint64_t total);
    void *progress_ctx;
    /* Optional: called after each chunk the server has, with the state to
     * persist; a device that reboots resumes from it. */
    void (*checkpoint)(void *ctx, const struct fwc_upload_state *state);
    void *checkpoint_ctx;
    /* Optional: the overall bound on each chunk's exchange (ms). 0: scaled
     * to the chunk, CONFIG_FWC_EXCHANGE_TIMEOUT_MS + its size at
     * CONFIG_FWC_MIN_RATE_BPS. Silence is bounded by CONFIG_FWC_IO_TIMEOUT_MS
     * either way (docs/HTTP.md, "Time"). */
    uint32_t chunk_deadline_ms;
};

/* Upload a file: create (unless ref_state names an upload to resume), send
 * every chunk from ref_state->next_chunk on, the XMP if any, then poll the
 * status at growing intervals until done or failed. On success the new
 * asset's URL is in out_asset_url. Requests are authorized and retried as
 * fwc_request() does; a chunk resent after a lost answer that the server
 * says it already has (409) counts as received.
 * Returns:
 *   FWC_OK                  out_asset_url holds the new asset's URL
 *   FWC_ERR_INVALID_ARG     NULL arguments, no reader or seek, a state
 *                           whose plan does not fit file_size
 *   FWC_ERR_ENTROPY         no random multipart boundary; nothing was sent
 *   FWC_ERR_BODY_READER     the file or XMP reader, or seek, failed
 *   FWC_ERR_JSON            an answer fwc cannot use (no upload id, a
 *                           plan that does not fit the file, an id with
 *                           characters a path cannot carry)
 *   FWC_ERR_UPLOAD_FAILED   the server reports the upload failed
 *   FWC_ERR_TIMEOUT         also: the upload was not done within
 *                           CONFIG_FWC_UPLOAD_STATUS_TIMEOUT_MS
 *   FWC_ERR_BODY_TOO_LARGE  an answer over CONFIG_FWC_TOKEN_RESPONSE_MAX, or
 *                           an asset URL longer than cap
 *   any error of fwc_request() */
FWC_NODISCARD enum fwc_err fwc_upload(struct fwc_client *c, const struct fwc_upload_params *p,
                                      struct fwc_upload_state *ref_state, char *out_asset_url,
                                      size_t cap);

#ifdef __cplusplus
}
#endif

#endif
