/* SPDX-License-Identifier: MIT */
/* fwc_upload over a scripted transport: the create request's JSON, the
 * multipart framing and chunk sizes, 409 on a resend (and after a refused
 * send), resume and its checks, a reader failure, a failed status, no
 * entropy; and the JSON writer's escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_port.h"
#include "fwc/upload.h"
#include "json_write.h"
#include "script_transport.h"

#define CONNS(...) ((const struct st_step *const[]){__VA_ARGS__})
#define NCONNS(...) (sizeof((const struct st_step *const[]){__VA_ARGS__}) / sizeof(void *))
#define START(st, ...) script_transport_init((st), CONNS(__VA_ARGS__), NCONNS(__VA_ARGS__))

#define TOKEN ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 63\r\n\r\n"                      \
                          "{\"access_token\":\"tokA\",\"token_type\":\"bearer\",\"expires_in\":3600}")
#define NEXT {ST_NEXT, 0, 0}
#define END {ST_END, 0, 0}
#define CREATED_5X3 ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 55\r\n\r\n"                \
                                "{\"id\":\"up1\",\"chunkSize\":5,\"numChunks\":3,\"hasXmp\":false}")
#define S204 ST_DATA_STR("HTTP/1.1 204 No Content\r\n\r\n")
#define S409 ST_DATA_STR("HTTP/1.1 409 Conflict\r\nContent-Length: 0\r\n\r\n")
#define DONE ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 58\r\n\r\n"                       \
                         "{\"status\":\"done\",\"result\":{\"assetUrl\":\"/fotoweb/a/1.jpg\"}}")
#define PENDING ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 22\r\n\r\n{\"status\":\"pending\"}  ")
#define FAILED ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 19\r\n\r\n{\"status\":\"failed\"}")

static struct script_transport st;
static struct fwc_client client;
static char url[256];

struct memfile {
    const char *data;
    uint64_t size, pos;
    uint64_t fail_at; /* read fails at this offset */
    unsigned reads_after_failure;
    bool failed;
};

static int32_t mem_read(void *ctx, uint8_t *buf, size_t len)
{
    struct memfile *f = ctx;
    size_t n = len;
#if CONFIG_FWC_LOCKS
    /* The whole upload holds the client's lock, once (the fake lock aborts
     * on a second take). */
    if (fake_lock_held != 1)
        return -1;
#endif
    if (f->failed)
        f->reads_after_failure++;
    if (f->pos >= f->fail_at) {
        f->failed = true;
        return -1;
    }
    if ((uint64_t)n > f->size - f->pos)
        n = (size_t)(f->size - f->pos);
    if ((uint64_t)n > f->fail_at - f->pos)
        n = (size_t)(f->fail_at - f->pos); /* stop exactly at the failure */
    memcpy(buf, f->data + f->pos, n);
    f->pos += n;
    return (int32_t)n;
}

static enum fwc_err mem_seek(void *ctx, uint64_t offset)
{
    struct memfile *f = ctx;
    if (offset > f->size)
        return FWC_ERR_BODY_READER;
    f->pos = offset;
    return FWC_OK;
}

static uint64_t last_progress;
static unsigned progress_calls;
static void on_progress(void *ctx, uint64_t sent, uint64_t total)
{
    (void)ctx;
    assert_true(sent > last_progress); /* never backwards, never repeated */
    assert_true(sent <= total);
    last_progress = sent;
    progress_calls++;
}

static void setup(struct memfile *f, struct fwc_upload_params *p, const char *data)
{
    struct fwc_client_config cfg;
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://api.example";
    cfg.transport = script_transport_ops(&st);
    assert_int_equal(fwc_client_init(&client, &cfg), FWC_OK);
    memset(f, 0, sizeof(*f));
    f->data = data;
    f->size = strlen(data);
    f->fail_at = UINT64_MAX;
    memset(p, 0, sizeof(*p));
    p->destination = "/fotoweb/archives/5000-Photos/";
    p->filename = "pic \"1\".jpg";
    p->file_size = f->size;
    p->read = mem_read;
    p->seek = mem_seek;
    p->file_ctx = f;
    p->progress = on_progress;
    last_progress = 0;
    progress_calls = 0;
    fake_entropy_byte = 0xab; /* boundary fwc-abab... */
}

static bool sent_contains(const char *needle)
{
    size_t n = strlen(needle), i;
    for (i = 0; i + n <= st.sent_len; i++) {
        if (memcmp(st.sent + i, needle, n) == 0)
            return true;
    }
    return false;
}

static unsigned sent_count(const char *needle)
{
    size_t n = strlen(needle), i;
    unsigned k = 0;
    for (i = 0; i + n <= st.sent_len; i++)
        k += memcmp(st.sent + i, needle, n) == 0;
    return k;
}

static void whole_upload_on_the_wire(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, CREATED_5X3, NEXT, S204, NEXT, S204,
                                        NEXT, S204, NEXT, DONE, END};
    static const struct fwc_upload_field fields[] = {{5, "Oslo \\ \"harbour\""}, {25, "x"}};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    p.folder = "2026/11";
    p.fields = fields;
    p.field_count = 2;
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_OK);
    assert_string_equal(url, "/fotoweb/a/1.jpg");
    assert_true(sent_contains(
        "{\"destination\":\"/fotoweb/archives/5000-Photos/\",\"folder\":\"2026/11\","
        "\"filename\":\"pic \\\"1\\\".jpg\",\"fileSize\":13,\"hasXmp\":false,\"checkoutId\":null,"
        "\"comment\":null,\"metadata\":{\"fields\":[{\"id\":5,\"action\":\"add\",\"value\":"
        "\"Oslo \\\\ \\\"harbour\\\"\"},{\"id\":25,\"action\":\"add\",\"value\":\"x\"}],"
        "\"attributes\":[]}}"));
    assert_true(sent_contains("POST /fotoweb/api/uploads/up1/chunks/0 HTTP/1.1\r\n"));
    assert_true(sent_contains("POST /fotoweb/api/uploads/up1/chunks/2 HTTP/1.1\r\n"));
    assert_true(sent_contains(
        "Content-Type: multipart/form-data; boundary=fwc-abababababababababababababababab\r\n"));
    /* Each part: exactly the chunk's bytes between the framing. */
    assert_true(sent_contains("filename=\"chunk\"\r\nContent-Type: application/octet-stream\r\n"
                              "\r\n01234\r\n--fwc-abababababababababababababababab--\r\n"));
    assert_true(sent_contains("\r\n\r\nABC\r\n--fwc-abababababababababababababababab--\r\n"));
    assert_int_equal(up.next_chunk, 3);
    assert_int_equal(last_progress, 13);
    assert_true(st.max_send <= CONFIG_FWC_IO_BUFFER_SIZE);
    fwc_client_close(&client);
}

static void conflict_after_a_lost_answer_counts_as_received(void **state)
{
    /* Chunk 1 goes out, the connection dies before its answer, the chunk
     * is resent on a new connection and the server says it has it. */
    static const struct st_step c1[] = {TOKEN, NEXT, CREATED_5X3, NEXT, S204, NEXT,
                                        {ST_CLOSE, 0, 0}};
    static const struct st_step c2[] = {S409, NEXT, S204, NEXT, PENDING, NEXT, DONE, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1, c2);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_OK);
    assert_int_equal(st.opens, 2);
    assert_int_equal(sent_count("/status HTTP/1.1"), 2); /* polled again after pending */
    fwc_client_close(&client);
}

static void conflict_on_a_first_send_is_an_error(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, CREATED_5X3, NEXT, S409, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_HTTP_STATUS);
    assert_int_equal(fwc_client_http_status(&client), 409);
    assert_int_equal(up.next_chunk, 0);
    fwc_client_close(&client);
}

/* A 409 after an answered refusal: that send was not taken in, so the
 * 409 is "someone else's" (or in progress), not "you sent it already". */
static void conflict_after_a_refused_send_is_an_error(void **state)
{
    static const struct st_step after_503[] = {
        TOKEN, NEXT, CREATED_5X3, NEXT,
        ST_DATA_STR("HTTP/1.1 503 Busy\r\nRetry-After: 0\r\nContent-Length: 0\r\n\r\n"), NEXT,
        S409, END};
    static const struct st_step after_401[] = {
        TOKEN, NEXT, CREATED_5X3, NEXT,
        ST_DATA_STR("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"), NEXT,
        TOKEN, NEXT, S409, END};
    const struct st_step *scripts[] = {after_503, after_401};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    size_t i;
    (void)state;
    for (i = 0; i < 2; i++) {
        script_transport_init(&st, &scripts[i], 1);
        setup(&f, &p, "0123456789ABC");
        memset(&up, 0, sizeof(up));
        assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_HTTP_STATUS);
        assert_int_equal(fwc_client_http_status(&client), 409);
        assert_int_equal(up.next_chunk, 0); /* chunk 0 is not counted as sent */
        assert_int_equal(sent_count("/chunks/0 HTTP/1.1"), 2);
        assert_false(sent_contains("/chunks/1 "));
        fwc_client_close(&client);
    }
}

/* Issue 15.2: the token answered 200, then the upload failed on the
 * network. The last failure is the upload's, which had no answer: no HTTP
 * status (it said 200, the token's, and the tool printed "timed out (HTTP 200)"). */
static void network_failure_after_a_token_has_no_status(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, {ST_LATE_RESET, 0, 0}};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_CONN_RESET);
    assert_int_equal(fwc_client_http_status(&client), 0);
    fwc_client_close(&client);
}

static void resume_starts_at_the_persisted_chunk(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, S204, NEXT, DONE, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    strcpy(up.id, "up1");
    up.chunk_size = 5;
    up.num_chunks = 3;
    up.next_chunk = 2;
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_OK);
    assert_false(sent_contains("POST /fotoweb/api/uploads HTTP"));
    assert_false(sent_contains("/chunks/0 "));
    assert_true(sent_contains("/chunks/2 "));
    assert_true(sent_contains("\r\n\r\nABC\r\n--"));
    fwc_client_close(&client);
}

static void reader_failure_stops_everything(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, CREATED_5X3, NEXT, S204, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    f.fail_at = 7;
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_BODY_READER);
    assert_int_equal(up.next_chunk, 1); /* chunk 0 made it, the state says so */
    assert_int_equal(f.reads_after_failure, 0);
    assert_false(sent_contains("/chunks/2 "));
    assert_false(sent_contains("/status"));
    fwc_client_close(&client);
}

static void failed_status_is_named(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, CREATED_5X3, NEXT, S204, NEXT, S204,
                                        NEXT, S204, NEXT, FAILED, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_UPLOAD_FAILED);
    fwc_client_close(&client);
}

static void inconsistent_plan_is_refused(void **state)
{
    static const struct st_step c1[] = {
        TOKEN, NEXT,
        ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 55\r\n\r\n"
                    "{\"id\":\"up1\",\"chunkSize\":5,\"numChunks\":9,\"hasXmp\":false}"),
        END};
    static const struct st_step c2[] = {TOKEN, NEXT, CREATED_5X3, NEXT, S204, NEXT, S204,
                                        NEXT, S204, NEXT, DONE, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_JSON);
    assert_false(sent_contains("/chunks/"));
    fwc_client_close(&client);
    /* The state is still the all-zero "new upload", so a retry starts
     * over instead of being refused as a bad resume. */
    START(&st, c2);
    setup(&f, &p, "0123456789ABC");
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_OK);
    assert_string_equal(url, "/fotoweb/a/1.jpg");
    fwc_client_close(&client);
}

static void bad_resume_state_is_refused(void **state)
{
    static const struct st_step c1[] = {END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    strcpy(up.id, "../../etc");
    up.chunk_size = 5;
    up.num_chunks = 3;
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_INVALID_ARG);
    assert_int_equal(st.opens, 0);
    fwc_client_close(&client);
}

/* A saved plan no create answer could have given for this file: refused
 * before anything goes out, not uploaded at a wrapped offset. */
static void resume_plan_must_fit_the_file(void **state)
{
    static const struct st_step c1[] = {END};
    static const struct {
        uint64_t chunk_size;
        uint32_t num_chunks, next_chunk;
    } bad[] = {
        {UINT64_C(1) << 63, 3, 2}, /* next_chunk * chunk_size wraps to 0 */
        {UINT64_C(1) << 31, 1, 0}, /* larger than any chunk a server gives */
        {5, 4, 0},                 /* 13 bytes are 3 chunks of 5, not 4 */
        {5, 2, 0},
        {0, 3, 0},
        {5, 3, 4}, /* past the end */
    };
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        START(&st, c1);
        setup(&f, &p, "0123456789ABC");
        memset(&up, 0, sizeof(up));
        strcpy(up.id, "up1");
        up.chunk_size = bad[i].chunk_size;
        up.num_chunks = bad[i].num_chunks;
        up.next_chunk = bad[i].next_chunk;
        assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_INVALID_ARG);
        assert_int_equal(st.opens, 0);
        fwc_client_close(&client);
    }
}

/* Without entropy the boundary would be guessable, and a file could end
 * its own part: no upload at all, and nothing on the wire. */
static void no_entropy_no_upload(void **state)
{
    static const struct st_step c1[] = {END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    fake_entropy_fails = 1;
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_ENTROPY);
    fake_entropy_fails = 0;
    assert_int_equal(st.opens, 0);
    assert_int_equal(up.id[0], '\0');
    fwc_client_close(&client);
}

static void json_writer_escapes_and_refuses_overflow(void **state)
{
    char buf[64];
    struct fwc_jw w;
    size_t len = 0;
    (void)state;
    fwci_jw_init(&w, buf, sizeof(buf));
    fwci_jw_open(&w, '{');
    fwci_jw_key(&w, "a");
    fwci_jw_string(&w, "q\"b\\n\n\x01");
    fwci_jw_key(&w, "n");
    fwci_jw_i64(&w, -42);
    fwci_jw_key(&w, "t");
    fwci_jw_bool(&w, true);
    fwci_jw_close(&w, '}');
    assert_int_equal(fwci_jw_finish(&w, &len), FWC_OK);
    assert_int_equal(len, strlen("{\"a\":\"q\\\"b\\\\n\\u000a\\u0001\",\"n\":-42,\"t\":true}"));
    assert_memory_equal(buf, "{\"a\":\"q\\\"b\\\\n\\u000a\\u0001\",\"n\":-42,\"t\":true}", len);

    fwci_jw_init(&w, buf, 8);
    fwci_jw_open(&w, '{');
    fwci_jw_key(&w, "long key");
    fwci_jw_close(&w, '}');
    assert_int_equal(fwci_jw_finish(&w, &len), FWC_ERR_REQUEST_TOO_LARGE);
}

/* ---- a link that drops inside a chunk (docs/HTTP.md, "Time") ---- */

#define CREATED_3000X3 ST_DATA_STR("HTTP/1.1 200 OK\r\nContent-Length: 58\r\n\r\n"           \
                                   "{\"id\":\"up1\",\"chunkSize\":3000,\"numChunks\":3,\"hasXmp\":false}")

static char big_file[9001];
static unsigned checkpoints;
static uint32_t checkpoint_next[8];

static void on_checkpoint(void *ctx, const struct fwc_upload_state *s)
{
    (void)ctx;
    if (checkpoints < 8)
        checkpoint_next[checkpoints] = s->next_chunk;
    checkpoints++;
}

static void setup_big(struct memfile *f, struct fwc_upload_params *p)
{
    size_t i;
    for (i = 0; i + 1 < sizeof(big_file); i++)
        big_file[i] = (char)('a' + i / 3000u); /* chunk 0 'a', 1 'b', 2 'c' */
    big_file[sizeof(big_file) - 1] = '\0';
    setup(f, p, big_file);
    p->checkpoint = on_checkpoint;
    checkpoints = 0;
}

/* Where chunk 1's body is half sent on the first connection: the token
 * request, the create and chunk 0 are before it (about 4.5 KB). */
#define INSIDE_CHUNK_1 6000u

/* Chunk 1 is cut half way (a reset, or a stall past the I/O timeout): it
 * is sent again whole on a new connection, opened after the old one was
 * closed; chunk 0 never again. */
static void drop_inside_a_chunk_resumes_at_that_chunk(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, CREATED_3000X3, NEXT, S204, NEXT, END};
    static const struct st_step c2[] = {S204, NEXT, S204, NEXT, DONE, END};
    static const int32_t cuts[] = {FWC_ERR_CONN_RESET, FWC_ERR_TIMEOUT};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    size_t i;
    (void)state;
    for (i = 0; i < 2; i++) {
        START(&st, c1, c2);
        st.cut_conn = 1;
        st.cut_at = INSIDE_CHUNK_1;
        st.cut_err = cuts[i];
        setup_big(&f, &p);
        memset(&up, 0, sizeof(up));
        assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_OK);
        assert_int_equal(st.opens, 2);
        assert_int_equal(st.opens_while_open, 0); /* the old one was gone first */
        /* The second connection carried chunk 1 whole, then chunk 2. */
        assert_false(sent_contains("/chunks/0 "));
        assert_int_equal(sent_count("/chunks/1 HTTP/1.1"), 1);
        assert_true(sent_contains("\r\n\r\nbbbbbbbbbb"));
        assert_false(sent_contains("aaaaaaaaaa"));
        assert_int_equal(up.next_chunk, 3);
        assert_int_equal(checkpoints, 4); /* created, 0, 1, 2: each once */
        assert_int_equal(checkpoint_next[1], 1);
        assert_int_equal(checkpoint_next[2], 2);
        fwc_client_close(&client);
    }
}

/* The resend of a chunk cut inside its body is answered 409. The cut copy
 * cannot have been stored (its connection ended before its body did), so
 * this is "in progress" or someone else's, never "you sent it already":
 * before, every unanswered send counted as maybe received, and the chunk
 * was taken as stored. */
static void conflict_after_a_send_cut_inside_its_body_is_an_error(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, CREATED_3000X3, NEXT, S204, NEXT, END};
    static const struct st_step c2[] = {S409, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1, c2);
    st.cut_conn = 1;
    st.cut_at = INSIDE_CHUNK_1;
    st.cut_err = FWC_ERR_CONN_RESET;
    setup_big(&f, &p);
    memset(&up, 0, sizeof(up));
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_HTTP_STATUS);
    assert_int_equal(fwc_client_http_status(&client), 409);
    assert_int_equal(up.next_chunk, 1); /* chunk 1 is not counted as stored */
    fwc_client_close(&client);
}

/* A run saved next_chunk 1 and was killed while chunk 1 went out: the
 * server stored it, the answer was lost with the run. The next run's 409
 * for that chunk is "already received" (before: a conflict, and the upload
 * could not be resumed at all). A 409 for a later chunk still is not. */
static void resumed_first_chunk_conflict_counts_as_received(void **state)
{
    static const struct st_step c1[] = {TOKEN, NEXT, S409, NEXT, S204, NEXT, DONE, END};
    static const struct st_step c2[] = {TOKEN, NEXT, S409, NEXT, S409, END};
    struct fwc_upload_state up;
    struct fwc_upload_params p;
    struct memfile f;
    (void)state;
    START(&st, c1);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    strcpy(up.id, "up1");
    up.chunk_size = 5;
    up.num_chunks = 3;
    up.next_chunk = 1;
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_OK);
    assert_int_equal(up.next_chunk, 3);
    fwc_client_close(&client);
    START(&st, c2);
    setup(&f, &p, "0123456789ABC");
    memset(&up, 0, sizeof(up));
    strcpy(up.id, "up1");
    up.chunk_size = 5;
    up.num_chunks = 3;
    up.next_chunk = 1;
    assert_int_equal(fwc_upload(&client, &p, &up, url, sizeof(url)), FWC_ERR_HTTP_STATUS);
    assert_int_equal(up.next_chunk, 2);
    fwc_client_close(&client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(whole_upload_on_the_wire),
        cmocka_unit_test(conflict_after_a_lost_answer_counts_as_received),
        cmocka_unit_test(conflict_on_a_first_send_is_an_error),
        cmocka_unit_test(conflict_after_a_refused_send_is_an_error),
        cmocka_unit_test(network_failure_after_a_token_has_no_status),
        cmocka_unit_test(resume_starts_at_the_persisted_chunk),
        cmocka_unit_test(reader_failure_stops_everything),
        cmocka_unit_test(failed_status_is_named),
        cmocka_unit_test(inconsistent_plan_is_refused),
        cmocka_unit_test(bad_resume_state_is_refused),
        cmocka_unit_test(resume_plan_must_fit_the_file),
        cmocka_unit_test(no_entropy_no_upload),
        cmocka_unit_test(json_writer_escapes_and_refuses_overflow),
        cmocka_unit_test(drop_inside_a_chunk_resumes_at_that_chunk),
        cmocka_unit_test(conflict_after_a_send_cut_inside_its_body_is_an_error),
        cmocka_unit_test(resumed_first_chunk_conflict_counts_as_received),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
