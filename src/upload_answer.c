/* SPDX-License-Identifier: MIT */
/* The Upload API's answers (upload_answer.h). */
#include "upload_answer.h"

#include <string.h>

#include "chars.h"
#include "json.h"

#if CONFIG_FWC_UPLOAD
bool fwci_upload_id_valid(const char *s, size_t len)
{
    size_t i;
    if (len == 0)
        return false;
    for (i = 0; i < len; i++) {
        char ch = s[i];
        if (!(fwci_is_alnum(ch) || ch == '-' || ch == '_' || ch == '='))
            return false;
    }
    return true;
}

bool fwci_upload_plan_valid(uint64_t file_size, uint64_t chunk_size, uint64_t num_chunks)
{
    uint64_t expect;
    if (chunk_size == 0 || chunk_size > FWC_UPLOAD_CHUNK_MAX)
        return false;
    /* Rounded up without file_size + chunk_size - 1, which wraps near 2^64. */
    expect = file_size / chunk_size + (file_size % chunk_size != 0);
    return num_chunks == expect || (file_size == 0 && num_chunks == 1);
}

enum fwc_err fwci_upload_read_create(const char *body, size_t len, uint64_t file_size,
                                    void *token_storage, size_t capacity,
                                    struct fwc_upload_state *st)
{
    struct fwc_json j;
    char id[sizeof(st->id)]; /* st changes only on success: a retry starts over */
    uint64_t chunk = 0, num = 0;
    size_t id_len = 0;
    int tok;

    if (fwci_json_parse(&j, body, len, token_storage, capacity) != FWC_OK)
        return FWC_ERR_JSON;
    tok = fwci_json_member(&j, "id");
    if (fwci_json_string(&j, tok, id, sizeof(id), &id_len) != FWC_OK ||
        !fwci_upload_id_valid(id, id_len) ||
        fwci_json_whole(&j, fwci_json_member(&j, "chunkSize"), FWC_UPLOAD_CHUNK_MAX, &chunk) != FWC_OK ||
        fwci_json_whole(&j, fwci_json_member(&j, "numChunks"), 0xFFFFFFFFu, &num) != FWC_OK ||
        !fwci_upload_plan_valid(file_size, chunk, num))
        return FWC_ERR_JSON; /* or the server's plan does not match the file */
    memcpy(st->id, id, id_len + 1);
    st->chunk_size = chunk;
    st->num_chunks = (uint32_t)num;
    st->next_chunk = 0;
    return FWC_OK;
}

enum fwc_err fwci_upload_read_status(const char *body, size_t len, void *token_storage,
                                    size_t capacity, char *out, size_t cap, bool *out_final)
{
    struct fwc_json j;
    int status, result;

    if (fwci_json_parse(&j, body, len, token_storage, capacity) != FWC_OK)
        return FWC_ERR_JSON;
    status = fwci_json_member(&j, "status");
    if (fwci_json_string_ieq(&j, status, "done")) {
        result = fwci_json_member(&j, "result");
        *out_final = true;
        return fwci_json_string(&j, fwci_json_member_in(&j, result, "assetUrl"), out, cap, NULL);
    }
    if (fwci_json_string_ieq(&j, status, "failed")) {
        *out_final = true;
        return FWC_ERR_UPLOAD_FAILED;
    }
    return fwci_json_is_string(&j, status) ? FWC_OK : FWC_ERR_JSON;
}
#else
typedef int fwc_upload_answer_compiled_out;
#endif
