/* SPDX-License-Identifier: MIT */
/* The FotoWeb Upload API (fwc/upload.h): create, chunks, XMP, status.
 *
 * Memory: the create request is written into the client's upload_json
 * buffer; every JSON answer lands in the client's response buffer (free
 * between token fetches: a token fetch always finishes before the API
 * exchange it precedes). File data streams from the application's reader
 * straight into the HTTP layer's I/O buffer inside a multipart body
 * (multipart.c), so no chunk is ever held whole. */
#include "fwc/upload.h"

#if CONFIG_FWC_UPLOAD
#include <string.h>

#include "bufwriter.h"
#include "client_internal.h"
#include "json_write.h"
#include "log.h"
#include "multipart.h"
#include "upload_answer.h"
#include "wipe.h"

/* The part lives in the client (work(c)->part); the size is set in
 * fwc/client.h, which cannot see this struct. */
typedef char part_fits[sizeof(struct fwci_part) <= FWC_UPLOAD_PART_SIZE ? 1 : -1];
typedef char boundary_fits[sizeof(((struct fwci_upload_work *)0)->boundary) >= FWCI_BOUNDARY_SIZE
                               ? 1 : -1];
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

static struct fwci_part *part(struct fwc_client *c)
{
    return (struct fwci_part *)(void *)work(c)->part.bytes;
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
static enum fwc_err post_part(struct fwc_client *c, struct fwci_part *b, bool landed_before,
                              uint32_t deadline_ms, struct fwci_failure *why)
{
    /* In the client, not on the stack: a token fetch and a proxy tunnel
     * may run below this frame (make size keeps the path under 1 KiB). */
    struct fwc_http_header *headers = work(c)->part_headers;
    struct fwc_http_request *req = &work(c)->part_req;
    struct fwc_http_response *resp;
    enum fwc_err err;

    headers[0].name = "Content-Type";
    headers[0].value = work(c)->content_type;
    headers[1].name = "Accept";
    headers[1].value = "application/json";
    memset(req, 0, sizeof(*req));
    req->method = "POST";
    req->path = work(c)->path;
    req->headers = headers;
    req->header_count = 2;
    req->body_reader = fwci_part_read;
    req->body_reader_ctx = b;
    req->body_rewind = fwci_part_rewind;
    req->body_reader_len = fwci_part_length(b);
    req->idempotent = true; /* per index: a resend is answered 409 */
    req->deadline_ms = deadline_ms; /* 0: scaled to the part's size */
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

/* work(c)->path = "/fotoweb/api/uploads/<id><what>", then the chunk's
 * index if there is one. An id that passed fwci_upload_id_valid fits
 * (FWC_UPLOAD_PATH_MAX), but a path is never cut. */
static enum fwc_err upload_path(struct fwc_client *c, const char *id, const char *what,
                                const uint32_t *chunk)
{
    struct fwci_bufw w;

    fwci_bufw_init(&w, work(c)->path, sizeof(work(c)->path));
    fwci_bufw_str(&w, "/fotoweb/api/uploads/");
    fwci_bufw_str(&w, id);
    fwci_bufw_str(&w, what);
    if (chunk != NULL)
        fwci_bufw_u64(&w, *chunk);
    return fwci_bufw_cstr(&w) ? FWC_OK : FWC_ERR_REQUEST_TOO_LARGE;
}

static enum fwc_err wait_until_done(struct fwc_client *c, const char *id, char *out, size_t cap,
                                    struct fwci_failure *why)
{
    uint32_t started = fwc_port_now_ms(), delay = 250;
    bool final = false;
    enum fwc_err err = upload_path(c, id, "/status", NULL);

    if (err != FWC_OK)
        return err;
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

/* The upload's boundary and the Content-Type that names it. Random, so it
 * cannot occur in the file by design of an attacker; a fixed one could,
 * so without entropy there is no upload. */
static enum fwc_err make_boundary(struct fwc_client *c)
{
    uint8_t r[FWCI_BOUNDARY_ENTROPY];

    if (fwc_port_entropy(r, sizeof(r)) != FWC_OK)
        return FWC_ERR_ENTROPY;
    fwci_multipart_boundary(work(c)->boundary, r);
    return fwci_multipart_content_type(work(c)->content_type, sizeof(work(c)->content_type),
                                       work(c)->boundary);
}

static enum fwc_err send_chunks(struct fwc_client *c, const struct fwc_upload_params *p,
                                struct fwc_upload_state *st, uint32_t resumed_at,
                                uint64_t *reported,
                                struct fwci_failure *why)
{
    struct fwci_part *b = part(c);
    enum fwc_err err;

    while (st->next_chunk < st->num_chunks) {
        uint64_t offset = (uint64_t)st->next_chunk * st->chunk_size;

        err = upload_path(c, st->id, "/chunks/", &st->next_chunk);
        if (err != FWC_OK)
            return err;
        memset(b, 0, sizeof(*b));
        b->read = p->read;
        b->seek = p->seek;
        b->ctx = p->file_ctx;
        b->offset = offset;
        b->len = offset < p->file_size ? p->file_size - offset : 0;
        if (b->len > st->chunk_size)
            b->len = st->chunk_size;
        b->progress = p->progress;
        b->progress_ctx = p->progress_ctx;
        b->base_sent = offset;
        b->reported = reported;
        b->total = p->file_size;
        err = fwci_part_frame(b, work(c)->boundary, "chunk", "chunk");
        /* The first chunk of a resumed upload may have landed in the run
         * that saved the state, its answer lost when that run ended. */
        if (err == FWC_OK)
            err = post_part(c, b, st->next_chunk == resumed_at, p->chunk_deadline_ms, why);
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
    struct fwci_part *b = part(c);
    enum fwc_err err = upload_path(c, st->id, "/xmp", NULL);

    if (err != FWC_OK)
        return err;
    memset(b, 0, sizeof(*b));
    b->read = p->xmp_read;
    b->seek = p->xmp_seek;
    b->ctx = p->xmp_ctx;
    b->len = p->xmp_size;
    /* No progress: it is the file's, and the sidecar is small. */
    err = fwci_part_frame(b, work(c)->boundary, "xmp", "sidecar.xmp");
    return err == FWC_OK ? post_part(c, b, false, p->chunk_deadline_ms, why) : err;
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
    err = make_boundary(c);
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
    memset(part(c), 0, sizeof(struct fwci_part));
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
