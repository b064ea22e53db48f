/* SPDX-License-Identifier: MIT */
/* Reading the Upload API's JSON answers (create and status). Pure: a body
 * in, a verdict out, so the parsing can be fuzzed apart from the client. */
#ifndef FWC_UPLOAD_ANSWER_H
#define FWC_UPLOAD_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/error.h"
#include "fwc/upload.h"

/* An upload id as FotoWeb writes one: letters, digits, '-', '_', '='.
 * It goes into request paths, so nothing else is accepted. */
bool fwci_upload_id_valid(const char *s, size_t len);

/* The largest chunk size fwc takes from a server (2^31 - 1). */
#define FWC_UPLOAD_CHUNK_MAX 0x7FFFFFFFu

/* Whether chunk_size (1..FWC_UPLOAD_CHUNK_MAX) and num_chunks are a plan
 * for file_size bytes: num_chunks = file_size / chunk_size rounded up
 * (0 or 1 for an empty file). */
bool fwci_upload_plan_valid(uint64_t file_size, uint64_t chunk_size, uint64_t num_chunks);

/* The create answer: a JSON object with "id", "chunkSize" and "numChunks",
 * whole numbers that are a plan for file_size (fwci_upload_plan_valid). On success st
 * holds the plan with next_chunk 0; on FWC_ERR_JSON (anything else) st
 * is left as it was.
 * token_storage holds `capacity` JSON tokens (FWC_JSON_TOKEN_SIZE each). */
FWC_NODISCARD enum fwc_err fwci_upload_read_create(const char *body, size_t len,
                                                  uint64_t file_size, void *token_storage,
                                                  size_t capacity,
                                                  struct fwc_upload_state *st);

/* A status answer. "done": result.assetUrl is copied to out (cap bytes
 * with its NUL) and *out_final set; "failed": FWC_ERR_UPLOAD_FAILED, final;
 * any other string: FWC_OK, not final (poll again). FWC_ERR_JSON when the
 * body or its status is unusable; FWC_ERR_BODY_TOO_LARGE when the URL does
 * not fit out. */
FWC_NODISCARD enum fwc_err fwci_upload_read_status(const char *body, size_t len,
                                                  void *token_storage, size_t capacity,
                                                  char *out, size_t cap, bool *out_final);

#endif
