/* SPDX-License-Identifier: MIT */
/* Fuzz target: the Upload API's answers (src/upload_answer.c): the create
 * answer and a status answer.
 *
 * Input: byte 0 chooses the answer (even: create, odd: status), byte 1 the
 * JSON token capacity, byte 2 the asset URL buffer's size, bytes 3-10 the
 * file size (little-endian), then the body.
 *
 * Create: only FWC_OK or FWC_ERR_JSON; on success the id is non-empty,
 * NUL-terminated and of upload-id characters, the chunk size within
 * 1..2^31-1, the chunk count exactly what the file needs (one or none for
 * an empty file), next_chunk 0; on failure the state is as it was.
 * Status: only the documented errors; "failed" and a too-long URL are
 * final; on a final success the URL is NUL-terminated inside its buffer,
 * and a buffer of exactly its size with the NUL takes it while one byte
 * less is FWC_ERR_BODY_TOO_LARGE; when not final the buffer is untouched;
 * a URL refused (too long, or a bad escape) leaves no byte of it behind. */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "upload_answer.h"

#define MAX_TOKENS 64
#define URL_CAP 512

static int storage[MAX_TOKENS * 4];

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;
    for (i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static void check_create(const char *body, size_t len, size_t capacity, uint64_t file_size)
{
    static struct fwc_upload_state st, before;
    enum fwc_err err;
    size_t id_len;
    uint64_t num;

    memset(&st, 0, sizeof(st));
    memcpy(st.id, "untouched", 10);
    st.next_chunk = 7;
    before = st;
    err = fwci_upload_read_create(body, len, file_size, storage, capacity, &st);
    FUZZ_CHECK(err == FWC_OK || err == FWC_ERR_JSON);
    if (err != FWC_OK) {
        FUZZ_CHECK(memcmp(&st, &before, sizeof(st)) == 0);
        return;
    }
    FUZZ_CHECK(memchr(st.id, '\0', sizeof(st.id)) != NULL);
    id_len = strlen(st.id);
    FUZZ_CHECK(id_len > 0 && fwci_upload_id_valid(st.id, id_len));
    FUZZ_CHECK(st.chunk_size >= 1 && st.chunk_size <= 0x7FFFFFFFu && st.next_chunk == 0);
    num = st.num_chunks;
    if (file_size == 0) {
        FUZZ_CHECK(num <= 1);
    } else {
        /* Enough chunks for the file, and not one too many. Both products
         * stay below 2^63: num < 2^32, chunk_size < 2^31. */
        FUZZ_CHECK(num >= 1 && num * st.chunk_size >= file_size);
        FUZZ_CHECK((num - 1) * st.chunk_size < file_size);
    }
}

static enum fwc_err read_status(const char *body, size_t len, size_t capacity, char *url,
                                size_t cap, bool *final)
{
    memset(url, 0x5A, URL_CAP);
    *final = false;
    return fwci_upload_read_status(body, len, storage, capacity, url, cap, final);
}

static bool untouched(const char *url)
{
    size_t i;
    for (i = 0; i < URL_CAP; i++) {
        if (url[i] != 0x5A)
            return false;
    }
    return true;
}

/* Nothing but zeros and the fill: no partial URL was left. */
static bool no_partial(const char *url)
{
    size_t i;
    for (i = 0; i < URL_CAP; i++) {
        if (url[i] != 0x5A && url[i] != 0)
            return false;
    }
    return url[0] == '\0';
}

static void check_status(const char *body, size_t len, size_t capacity, size_t cap)
{
    static char url[URL_CAP];
    bool final;
    enum fwc_err err = read_status(body, len, capacity, url, cap, &final);
    size_t n;

    FUZZ_CHECK(err == FWC_OK || err == FWC_ERR_JSON || err == FWC_ERR_UPLOAD_FAILED ||
               err == FWC_ERR_BODY_TOO_LARGE);
    if (err == FWC_ERR_UPLOAD_FAILED || err == FWC_ERR_BODY_TOO_LARGE)
        FUZZ_CHECK(final);
    if (err == FWC_ERR_BODY_TOO_LARGE)
        FUZZ_CHECK(no_partial(url));
    if (!final) {
        FUZZ_CHECK(untouched(url));
        return;
    }
    if (err != FWC_OK) { /* "done" with no usable URL, or "failed" */
        FUZZ_CHECK(untouched(url) || no_partial(url));
        return;
    }
    FUZZ_CHECK(memchr(url, '\0', cap) != NULL);
    n = strlen(url);
    FUZZ_CHECK(read_status(body, len, capacity, url, n + 1, &final) == FWC_OK && final);
    FUZZ_CHECK(strlen(url) == n);
    if (n > 0) {
        FUZZ_CHECK(read_status(body, len, capacity, url, n, &final) == FWC_ERR_BODY_TOO_LARGE);
        FUZZ_CHECK(no_partial(url) && final);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t capacity, cap, len;
    const char *body;

    if (size < 11 || size - 11 > 65536)
        return 0;
    capacity = (size_t)data[1] % MAX_TOKENS + 1;
    cap = (size_t)data[2] * 2u + 1u;
    body = (const char *)data + 11;
    len = size - 11;
    if (data[0] % 2 == 0)
        check_create(body, len, capacity, le64(data + 3));
    else
        check_status(body, len, capacity, cap);
    return 0;
}
