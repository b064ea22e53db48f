/* The FotoWeb Upload API (fwc/upload.h): create, chunks, XMP, status.
 *
 * Memory: the create request is written into the client's upload_json
 * buffer; every JSON answer lands in the client's response buffer (free
 * between token fetches: a token fetch always finishes before the API
 * exchange it precedes). File data streams from the application's reader
 * straight into the HTTP layer's I/O buffer inside a multipart body, so no
 * chunk is ever held whole. */
#include "fwc/upload.h"

#if CONFIG_FWC_UPLOAD
#include <string.h>

#include "client_internal.h"
#include "json_write.h"
#include "log.h"
#include "upload_answer.h"
#include "wipe.h"

/* This file's parts of the client: the upload in flight, and its turn at
 * the shared answer buffer (client_parts.h says when it holds it). */

/* ---- the multipart body, streamed ------------------------------------------ */

enum part_phase { PHASE_HEAD, PHASE_DATA, PHASE_TAIL, PHASE_DONE };

struct part_body {
    fwc_body_reader_fn read;
    enum fwc_err (*seek)(void *ctx, uint64_t offset);
    void *ctx;
    uint64_t offset; /* where this part's data starts in the source */
    uint64_t len;
    uint64_t done;
    enum part_phase phase;
    size_t pos;
    char head[200];
    size_t head_len;
    char tail[48];
    size_t tail_len;
    /* Progress over the whole upload, never reported backwards. */
    const struct fwc_upload_params *p;
    uint64_t base_sent;
    uint64_t *reported;
    uint64_t total;
};

/* The part lives in the client (work(c)->part); the size is set in
 * fwc/client.h, which cannot see this struct. */
typedef char part_body_fits[sizeof(struct part_body) <= FWC_UPLOAD_PART_SIZE ? 1 : -1];
/* Every path the Upload API takes must fit a request target, or a server
 * could hand out an id whose chunks fwc then cannot address. */
typedef char CONFIG_FWC_API_PATH_MAX_too_small_for_upload_paths
    [CONFIG_FWC_API_PATH_MAX >= FWC_UPLOAD_PATH_MAX ? 1 : -1];

/* This file's parts of the client: the upload in flight, and its turn at
 * the shared answer buffer (client_parts.h says when it holds it). */
static struct fwci_upload_work *work(struct fwc_client *c)
{
    return &c->_internal.upload;
}

static struct fwci_json_answer *answer(struct fwc_client *c)
{
    return &c->_internal.answer.upload;
}

static struct part_body *part(struct fwc_client *c)
{
    return (struct part_body *)(void *)work(c)->part.bytes;
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

static void report_progress(struct part_body *b)
{
    uint64_t sent = b->base_sent + b->done;
    if (b->p->progress != NULL && b->reported != NULL && sent > *b->reported) {
        *b->reported = sent;
        b->p->progress(b->p->progress_ctx, sent, b->total);
    }
}

static int32_t part_read(void *ctx, uint8_t *buf, size_t len)
{
    struct part_body *b = ctx;
    size_t n = 0;

    while (n < len && b->phase != PHASE_DONE) {
        if (b->phase == PHASE_HEAD) {
            n += copy_out(buf + n, len - n, b->head, b->head_len, &b->pos);
            if (b->pos == b->head_len) {
                b->phase = PHASE_DATA;
                b->pos = 0;
            }
        } else if (b->phase == PHASE_DATA) {
            uint64_t left = b->len - b->done;
            size_t want = (uint64_t)(len - n) < left ? len - n : (size_t)left;
            int32_t got = want > 0 ? b->read(b->ctx, buf + n, want) : 0;
            if (want > 0 && (got <= 0 || (size_t)got > want))
                return -1; /* the HTTP layer names it FWC_ERR_BODY_READER */
            n += (size_t)got;
            b->done += (uint64_t)got;
            report_progress(b);
            if (b->done == b->len)
                b->phase = PHASE_TAIL;
        } else {
            n += copy_out(buf + n, len - n, b->tail, b->tail_len, &b->pos);
            if (b->pos == b->tail_len)
                b->phase = PHASE_DONE;
        }
    }
    return (int32_t)n;
}

/* Start the part over: the source back to its offset. */
static enum fwc_err part_rewind(void *ctx)
{
    struct part_body *b = ctx;
    b->phase = PHASE_HEAD;
    b->pos = 0;
    b->done = 0;
    if (b->len == 0)
        return FWC_OK;
    return b->seek != NULL ? b->seek(b->ctx, b->offset) : FWC_ERR_BODY_READER;
}

static void append(char *dst, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (n < cap - *len) {
        memcpy(dst + *len, s, n + 1);
        *len += n;
    }
}

static void part_frame(struct part_body *b, const char *boundary, const char *name,
                       const char *filename)
{
    b->head_len = b->tail_len = 0;
    b->head[0] = b->tail[0] = '\0';
    append(b->head, sizeof(b->head), &b->head_len, "--");
    append(b->head, sizeof(b->head), &b->head_len, boundary);
    append(b->head, sizeof(b->head), &b->head_len, "\r\nContent-Disposition: form-data; name=\"");
    append(b->head, sizeof(b->head), &b->head_len, name);
    append(b->head, sizeof(b->head), &b->head_len, "\"; filename=\"");
    append(b->head, sizeof(b->head), &b->head_len, filename);
    append(b->head, sizeof(b->head), &b->head_len,
           "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    append(b->tail, sizeof(b->tail), &b->tail_len, "\r\n--");
    append(b->tail, sizeof(b->tail), &b->tail_len, boundary);
    append(b->tail, sizeof(b->tail), &b->tail_len, "--\r\n");
}

/* ---- requests ------------------------------------------------------------------ */

/* Every upload request's JSON answer goes to the client's response
 * buffer, its head to work(c)->resp. */
static struct fwc_http_response *answer_into_response(struct fwc_client *c)
{
    struct fwc_http_response *resp = &work(c)->resp;
    memset(resp, 0, sizeof(*resp));
    resp->body_buf = (uint8_t *)answer(c)->text;
    resp->body_cap = sizeof(answer(c)->text);
    return resp;
}

/* POST a multipart part. 2xx is success, and so is 409 when the part went
 * out more than once: the first send arrived and its answer was lost. A
 * 409 to a first send ("in progress", or someone else's upload) is not. */
static enum fwc_err post_part(struct fwc_client *c, struct part_body *b, bool landed_before,
                              struct fwci_failure *why)
{
    char *content_type = work(c)->content_type;
    /* In the client, not on the stack: a token fetch and a proxy tunnel
     * may run below this frame (make size keeps the path under 1 KiB). */
    struct fwc_http_header *headers = work(c)->part_headers;
    struct fwc_http_request *req = &work(c)->part_req;
    struct fwc_http_response *resp;
    size_t n = 0;
    enum fwc_err err;

    content_type[0] = '\0';
    append(content_type, sizeof(work(c)->content_type), &n, "multipart/form-data; boundary=");
    append(content_type, sizeof(work(c)->content_type), &n, work(c)->boundary);
    headers[0].name = "Content-Type";
    headers[0].value = content_type;
    headers[1].name = "Accept";
    headers[1].value = "application/json";
    memset(req, 0, sizeof(*req));
    req->method = "POST";
    req->path = work(c)->path;
    req->headers = headers;
    req->header_count = 2;
    req->body_reader = part_read;
    req->body_reader_ctx = b;
    req->body_rewind = part_rewind;
    req->body_reader_len = b->head_len + b->len + b->tail_len;
    req->idempotent = true; /* per index: a resend is answered 409 */
    req->deadline_ms = b->p->chunk_deadline_ms; /* 0: scaled to the part's size */
    resp = answer_into_response(c);
    err = fwci_request_held(c, req, resp, why);
    fwci_wipe(answer(c), sizeof(*answer(c))); /* the turn ends */
    /* 409: "already received or in progress". Received only if an earlier
     * send of this part may have landed: its answer was lost, or was a 2xx
     * cut short. After a 503 or a 401 it was not, and 409 is a conflict. */
    if (err == FWC_ERR_HTTP_STATUS && resp->status == 409 &&
        (resp->maybe_received > 0 || landed_before))
        return FWC_OK;
    if (err == FWC_OK && (resp->status < 200 || resp->status >= 300))
        return FWC_ERR_HTTP_STATUS;
    return err;
}

static enum fwc_err write_create_body(struct fwc_client *c, const struct fwc_upload_params *p,
                                      size_t *out_len)
{
    struct fwc_jw w;
    size_t i;

    fwci_jw_init(&w, work(c)->json, sizeof(work(c)->json));
    fwci_jw_open(&w, '{');
    fwci_jw_key(&w, "destination");
    fwci_jw_string(&w, p->destination);
    if (p->folder != NULL) {
        fwci_jw_key(&w, "folder");
        fwci_jw_string(&w, p->folder);
    }
    fwci_jw_key(&w, "filename");
    fwci_jw_string(&w, p->filename);
    fwci_jw_key(&w, "fileSize");
    fwci_jw_u64(&w, p->file_size);
    fwci_jw_key(&w, "hasXmp");
    fwci_jw_bool(&w, p->xmp_read != NULL);
    fwci_jw_key(&w, "checkoutId");
    fwci_jw_string(&w, NULL);
    fwci_jw_key(&w, "comment");
    fwci_jw_string(&w, p->comment);
    fwci_jw_key(&w, "metadata");
    fwci_jw_open(&w, '{');
    fwci_jw_key(&w, "fields");
    fwci_jw_open(&w, '[');
    for (i = 0; i < p->field_count; i++) {
        fwci_jw_open(&w, '{');
        fwci_jw_key(&w, "id");
        fwci_jw_i64(&w, p->fields[i].id);
        fwci_jw_key(&w, "action");
        fwci_jw_string(&w, "add");
        fwci_jw_key(&w, "value");
        fwci_jw_string(&w, p->fields[i].value);
        fwci_jw_close(&w, '}');
    }
    fwci_jw_close(&w, ']');
    fwci_jw_key(&w, "attributes");
    fwci_jw_open(&w, '[');
    fwci_jw_close(&w, ']');
    fwci_jw_close(&w, '}');
    fwci_jw_close(&w, '}');
    return fwci_jw_finish(&w, out_len);
}

static enum fwc_err create(struct fwc_client *c, const struct fwc_upload_params *p,
                           struct fwc_upload_state *st, struct fwci_failure *why)
{
    static const struct fwc_http_header headers[] = {{"Content-Type", "application/json"},
                                                     {"Accept", "application/json"}};
    struct fwc_http_request req;
    struct fwc_http_response *resp;
    size_t body_len = 0;
    enum fwc_err err = write_create_body(c, p, &body_len);

    if (err != FWC_OK)
        return err;
    memset(&req, 0, sizeof(req));
    req.method = "POST";
    req.path = "/fotoweb/api/uploads";
    req.headers = headers;
    req.header_count = 2;
    req.body = (const uint8_t *)work(c)->json;
    req.body_len = body_len;
    resp = answer_into_response(c);
    err = fwci_request_held(c, &req, resp, why);
    if (err == FWC_OK && resp->status != 200)
        err = FWC_ERR_HTTP_STATUS;
    if (err == FWC_OK)
        err = fwci_upload_read_create(answer(c)->text, (size_t)resp->body_len, p->file_size,
                                     answer(c)->tokens.bytes, CONFIG_FWC_JSON_MAX_TOKENS, st);
    fwci_wipe(answer(c), sizeof(*answer(c))); /* the turn ends */
    return err;
}

/* ---- status ----------------------------------------------------------------------- */

/* One status poll: *out_final when done (URL copied) or failed. */
static enum fwc_err poll_status(struct fwc_client *c, char *out, size_t cap, bool *out_final,
                                struct fwci_failure *why)
{
    struct fwc_http_request req;
    struct fwc_http_response *resp;
    enum fwc_err err;

    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.path = work(c)->path;
    resp = answer_into_response(c);
    err = fwci_request_held(c, &req, resp, why);
    if (err == FWC_OK && resp->status != 200)
        err = FWC_ERR_HTTP_STATUS;
    if (err == FWC_OK)
        err = fwci_upload_read_status(answer(c)->text, (size_t)resp->body_len, answer(c)->tokens.bytes,
                                     CONFIG_FWC_JSON_MAX_TOKENS, out, cap, out_final);
    fwci_wipe(answer(c), sizeof(*answer(c))); /* the turn ends */
    return err;
}

/* work(c)->path = "/fotoweb/api/uploads/<id>/<what>" (what may be
 * "chunks/<n>"). The id was checked (fwci_upload_id_valid), so it fits. */
static void upload_path(struct fwc_client *c, const char *id, const char *what, const char *index)
{
    size_t n = 0;
    work(c)->path[0] = '\0';
    append(work(c)->path, sizeof(work(c)->path), &n, "/fotoweb/api/uploads/");
    append(work(c)->path, sizeof(work(c)->path), &n, id);
    append(work(c)->path, sizeof(work(c)->path), &n, what);
    append(work(c)->path, sizeof(work(c)->path), &n, index);
}

static enum fwc_err wait_until_done(struct fwc_client *c, const char *id, char *out, size_t cap,
                                    struct fwci_failure *why)
{
    uint32_t started = fwc_port_now_ms(), delay = 250;
    bool final = false;
    enum fwc_err err;

    upload_path(c, id, "/status", "");
    for (;;) {
        err = poll_status(c, out, cap, &final, why);
        if (err != FWC_OK || final)
            return err;
        if (fwc_port_now_ms() - started + delay > CONFIG_FWC_UPLOAD_STATUS_TIMEOUT_MS) {
            why->http_status = 0; /* fwc's own deadline, not an answer's */
            return FWC_ERR_TIMEOUT;
        }
        fwc_port_sleep_ms(delay);
        if (delay < 8000u)
            delay *= 2u; /* growing intervals: a big file takes a while */
    }
}

/* ---- the whole upload ---------------------------------------------------------------- */

static enum fwc_err make_boundary(char *out)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t r[16];
    size_t i;
    /* Random, so it cannot occur in the file by design of an attacker; a
     * fixed one could, so without entropy there is no upload. */
    if (fwc_port_entropy(r, sizeof(r)) != FWC_OK)
        return FWC_ERR_ENTROPY;
    memcpy(out, "fwc-", 4);
    for (i = 0; i < sizeof(r); i++) {
        out[4 + 2 * i] = hex[r[i] >> 4];
        out[5 + 2 * i] = hex[r[i] & 15];
    }
    out[36] = '\0';
    return FWC_OK;
}

static enum fwc_err send_chunks(struct fwc_client *c, const struct fwc_upload_params *p,
                                struct fwc_upload_state *st, uint32_t resumed_at,
                                uint64_t *reported,
                                struct fwci_failure *why)
{
    struct part_body *b = part(c);
    char index[12];
    enum fwc_err err;

    while (st->next_chunk < st->num_chunks) {
        uint64_t offset = (uint64_t)st->next_chunk * st->chunk_size;
        uint32_t v = st->next_chunk;
        size_t k = sizeof(index) - 1;
        index[k] = '\0';
        do {
            index[--k] = (char)('0' + v % 10u);
            v /= 10u;
        } while (v != 0);
        upload_path(c, st->id, "/chunks/", index + k);

        memset(b, 0, sizeof(*b));
        b->read = p->read;
        b->seek = p->seek;
        b->ctx = p->file_ctx;
        b->offset = offset;
        b->len = offset < p->file_size ? p->file_size - offset : 0;
        if (b->len > st->chunk_size)
            b->len = st->chunk_size;
        b->p = p;
        b->base_sent = offset;
        b->reported = reported;
        b->total = p->file_size;
        part_frame(b, work(c)->boundary, "chunk", "chunk");
        /* The first chunk of a resumed upload may have landed in the run
         * that saved the state, its answer lost when that run ended. */
        err = post_part(c, b, st->next_chunk == resumed_at, why);
        if (err != FWC_OK)
            return err;
        st->next_chunk++;
        if (p->checkpoint != NULL)
            p->checkpoint(p->checkpoint_ctx, st);
    }
    return FWC_OK;
}

static enum fwc_err send_xmp(struct fwc_client *c, const struct fwc_upload_params *p,
                             const struct fwc_upload_state *st, struct fwci_failure *why)
{
    struct part_body *b = part(c);

    upload_path(c, st->id, "/xmp", "");
    memset(b, 0, sizeof(*b));
    b->read = p->xmp_read;
    b->seek = p->xmp_seek;
    b->ctx = p->xmp_ctx;
    b->len = p->xmp_size;
    b->p = p;
    b->reported = NULL; /* progress is the file's; the sidecar is small */
    part_frame(b, work(c)->boundary, "xmp", "sidecar.xmp");
    return post_part(c, b, false, why);
}

static bool params_ok(const struct fwc_upload_params *p, const struct fwc_upload_state *st)
{
    size_t i;
    if (p == NULL || st == NULL || p->destination == NULL || p->filename == NULL ||
        p->read == NULL || p->seek == NULL || (p->field_count > 0 && p->fields == NULL) ||
        (p->xmp_read != NULL && (p->xmp_seek == NULL || p->xmp_size == 0)))
        return false;
    for (i = 0; i < p->field_count; i++) {
        if (p->fields[i].value == NULL)
            return false;
    }
    /* A resumed upload: its id must be a real one, its plan one a create
     * answer could have given for this file, its position inside. */
    if (st->id[0] != '\0' &&
        (memchr(st->id, '\0', sizeof(st->id)) == NULL || !fwci_upload_id_valid(st->id, strlen(st->id)) ||
         !fwci_upload_plan_valid(p->file_size, st->chunk_size, st->num_chunks) ||
         st->next_chunk > st->num_chunks))
        return false;
    return true;
}

static enum fwc_err upload_held(struct fwc_client *c, const struct fwc_upload_params *p,
                                struct fwc_upload_state *ref_state, char *out_asset_url,
                                size_t cap, struct fwci_failure *why)
{
    uint64_t reported = 0;
    uint32_t resumed_at;
    enum fwc_err err = FWC_OK;

    if (!fwci_client_is_open(c) || out_asset_url == NULL || cap == 0 ||
        !params_ok(p, ref_state))
        return FWC_ERR_INVALID_ARG;
    out_asset_url[0] = '\0';
    /* A resumed upload starts at the chunk its state names (none: new). */
    resumed_at = ref_state->id[0] != '\0' ? ref_state->next_chunk : UINT32_MAX;
    err = make_boundary(work(c)->boundary);
    if (err == FWC_OK && ref_state->id[0] == '\0')
        err = create(c, p, ref_state, why);
    else if (err == FWC_OK)
        reported = (uint64_t)ref_state->next_chunk * ref_state->chunk_size;
    if (err == FWC_OK && ref_state->id[0] != '\0' && p->checkpoint != NULL &&
        ref_state->next_chunk == 0)
        p->checkpoint(p->checkpoint_ctx, ref_state);
    if (err == FWC_OK)
        err = send_chunks(c, p, ref_state, resumed_at, &reported, why);
    if (err == FWC_OK && p->xmp_read != NULL)
        err = send_xmp(c, p, ref_state, why);
    if (err == FWC_OK)
        err = wait_until_done(c, ref_state->id, out_asset_url, cap, why);
    /* The part pointed at this frame and the caller's objects: leave no
     * pointer behind in the client once they are gone. */
    memset(part(c), 0, sizeof(struct part_body));
    if (err != FWC_OK)
        FWC_LOG_TEXT(FWC_LOG_WARNING, fwc_strerror(err));
    return err;
}

/* The whole upload under the client's lock: between its requests it keeps
 * the upload's JSON and answers in the client's shared buffers. */
enum fwc_err fwc_upload(struct fwc_client *c, const struct fwc_upload_params *p,
                        struct fwc_upload_state *ref_state, char *out_asset_url, size_t cap)
{
    enum fwc_err err;

    if (!fwci_client_is_open(c) || out_asset_url == NULL || cap == 0 ||
        !params_ok(p, ref_state))
        return FWC_ERR_INVALID_ARG;
    out_asset_url[0] = '\0';
    fwci_client_lock(c);
    err = upload_held(c, p, ref_state, out_asset_url, cap, fwci_client_failure_begin(c));
    fwci_client_failure_end(c, err);
    fwci_client_unlock(c);
    return err;
}
#else
typedef int fwc_upload_compiled_out;
#endif
