/* SPDX-License-Identifier: MIT */
/* The Upload API's answers read apart from the client: the create plan
 * against the file size, the state left alone on a refusal, and the
 * status verdicts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "json.h"
#include "upload_answer.h"

static int tokens[CONFIG_FWC_JSON_MAX_TOKENS * 4];

static enum fwc_err create(const char *body, uint64_t file_size, struct fwc_upload_state *st)
{
    return fwci_upload_read_create(body, strlen(body), file_size, tokens,
                                  CONFIG_FWC_JSON_MAX_TOKENS, st);
}

static void plan_must_cover_the_file(void **state)
{
    struct fwc_upload_state st;
    (void)state;
    memset(&st, 0, sizeof(st));
    assert_int_equal(create("{\"id\":\"u-1\",\"chunkSize\":5,\"numChunks\":3}", 11, &st), FWC_OK);
    assert_string_equal(st.id, "u-1");
    assert_int_equal(st.chunk_size, 5);
    assert_int_equal(st.num_chunks, 3);
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":5,\"numChunks\":2}", 10, &st), FWC_OK);
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":5,\"numChunks\":1}", 0, &st), FWC_OK);
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":5,\"numChunks\":3}", 10, &st),
                     FWC_ERR_JSON);
    /* Whole numbers only: 5.0 is 5, 5.9 is not a chunk size (it was read
     * as 5), and neither is 2^31. */
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":5.00,\"numChunks\":3.0}", 11, &st),
                     FWC_OK);
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":5.9,\"numChunks\":3}", 11, &st),
                     FWC_ERR_JSON);
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":5,\"numChunks\":3.5}", 11, &st),
                     FWC_ERR_JSON);
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":2147483648,\"numChunks\":1}", 11, &st),
                     FWC_ERR_JSON);
    assert_true(fwci_upload_plan_valid(0, 5, 0));
    assert_true(fwci_upload_plan_valid(0, 5, 1));
    assert_false(fwci_upload_plan_valid(0, 5, 2));
    assert_false(fwci_upload_plan_valid(13, UINT64_C(1) << 63, 1));
}

/* Found by fuzzing: file_size + chunkSize - 1 wrapped for a size near
 * 2^64, so a plan of 0 chunks was taken for a non-empty file. */
static void huge_file_plan_does_not_wrap(void **state)
{
    struct fwc_upload_state st;
    (void)state;
    memset(&st, 0, sizeof(st));
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":2,\"numChunks\":0}", UINT64_MAX, &st),
                     FWC_ERR_JSON);
    assert_int_equal(create("{\"id\":\"u\",\"chunkSize\":2147483647,\"numChunks\":0}",
                            UINT64_MAX - 5, &st),
                     FWC_ERR_JSON);
}

/* Found by fuzzing: a refused answer left its id in the state, so the
 * "all zero starts a new upload" state no longer was, and a retry was
 * refused as a bad resume. */
static void refused_answer_leaves_the_state_alone(void **state)
{
    static const char *const bad[] = {
        "{\"id\":\"up1\",\"chunkSize\":5,\"numChunks\":9}",
        "{\"id\":\"up1\",\"chunkSize\":0,\"numChunks\":3}",
        "{\"id\":\"../x\",\"chunkSize\":5,\"numChunks\":3}",
        "{\"id\":\"up1\"}",
    };
    struct fwc_upload_state st, zero;
    size_t i;
    (void)state;
    memset(&zero, 0, sizeof(zero));
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(&st, 0, sizeof(st));
        assert_int_equal(create(bad[i], 11, &st), FWC_ERR_JSON);
        assert_memory_equal(&st, &zero, sizeof(st));
    }
}

static void status_verdicts(void **state)
{
    static const char done[] = "{\"status\":\"Done\",\"result\":{\"assetUrl\":\"/a/1.jpg\"}}";
    static const char pending[] = "{\"status\":\"pending\"}";
    static const char failed[] = "{\"status\":\"failed\"}";
    static const char number[] = "{\"status\":1}";
    char url[16] = "x";
    bool final = false;
    (void)state;
    assert_int_equal(fwci_upload_read_status(pending, strlen(pending), tokens,
                                            CONFIG_FWC_JSON_MAX_TOKENS, url, sizeof(url), &final),
                     FWC_OK);
    assert_false(final);
    assert_string_equal(url, "x");
    assert_int_equal(fwci_upload_read_status(number, strlen(number), tokens,
                                            CONFIG_FWC_JSON_MAX_TOKENS, url, sizeof(url), &final),
                     FWC_ERR_JSON);
    assert_int_equal(fwci_upload_read_status(failed, strlen(failed), tokens,
                                            CONFIG_FWC_JSON_MAX_TOKENS, url, sizeof(url), &final),
                     FWC_ERR_UPLOAD_FAILED);
    assert_true(final);
    final = false;
    assert_int_equal(fwci_upload_read_status(done, strlen(done), tokens,
                                            CONFIG_FWC_JSON_MAX_TOKENS, url, sizeof(url), &final),
                     FWC_OK);
    assert_true(final);
    assert_string_equal(url, "/a/1.jpg");
    assert_int_equal(fwci_upload_read_status(done, strlen(done), tokens,
                                            CONFIG_FWC_JSON_MAX_TOKENS, url, 8, &final),
                     FWC_ERR_BODY_TOO_LARGE);
    assert_int_equal(url[0], '\0');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plan_must_cover_the_file),
        cmocka_unit_test(huge_file_plan_does_not_wrap),
        cmocka_unit_test(refused_answer_leaves_the_state_alone),
        cmocka_unit_test(status_verdicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
