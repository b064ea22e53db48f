/* SPDX-License-Identifier: MIT */
/* Upload probe for the integration tests: the real client (TLS, HTTP,
 * OAuth, Upload API) against the emulator. Prints one line the harness
 * checks:
 *   result=<code> asset=<url or -> id=<upload id or -> next=<next chunk>
 *   progress_calls=<n> status=<HTTP status of the last failure, 0: none>
 *   (<error name>)
 * Neither the secret nor a token is ever printed.
 *   FWC_URL, FWC_CA_FILE       where and whom to trust
 *   FWC_TEST_CLIENT_ID/SECRET  what this program's secret hook answers
 * Usage: upload_probe FILE DESTINATION [--folder F] [--field ID=VALUE]...
 *        [--comment C] [--xmp XMPFILE]
 *        [--resume-id ID --resume-next N --chunk-size S --num-chunks M]
 *        [--fail-read-at OFFSET]
 * --fail-read-at makes the file reader fail (return -1) when it reaches
 * OFFSET. The progress callback must never go backwards, must always give
 * the file size as the total, and must end at the file size when the upload
 * succeeds; a breach is reported on stderr and the exit status is 3 (the
 * line is printed all the same). Exit 2: unusable arguments or files. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/oauth.h"
#include "fwc/secret.h"
#include "fwc/upload.h"

#define MAX_FIELDS 16
#define ASSET_URL_MAX 1024

static struct fwc_client client;
static uint8_t ca[32768];
static char asset[ASSET_URL_MAX];

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    const char *v = getenv(item == FWC_SECRET_CLIENT_ID ? "FWC_TEST_CLIENT_ID"
                                                        : "FWC_TEST_CLIENT_SECRET");
    size_t n = v != NULL ? strlen(v) : 0;
    (void)ctx;
    if (v == NULL || n > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, v, n);
    *out_len = n;
    return FWC_OK;
}

static size_t load_ca(const char *path)
{
    FILE *f = path != NULL ? fopen(path, "rb") : NULL;
    size_t n;
    if (f == NULL)
        return 0;
    n = fread(ca, 1, sizeof(ca) - 1, f);
    fclose(f);
    ca[n] = '\0';
    return n + 1;
}

/* A file the library reads through the reader and seek callbacks. */
struct source {
    FILE *f;
    uint64_t offset;   /* where the next read starts */
    uint64_t size;
    bool fail;         /* fail when offset reaches fail_at */
    uint64_t fail_at;
    unsigned long failures;
};

static int32_t source_read(void *ctx, uint8_t *buf, size_t len)
{
    struct source *s = ctx;
    size_t want = len, got;
    if (s->fail && s->offset >= s->fail_at) {
        s->failures++;
        return -1;
    }
    if (want > (size_t)INT32_MAX)
        want = (size_t)INT32_MAX;
    if (s->fail && s->fail_at - s->offset < (uint64_t)want)
        want = (size_t)(s->fail_at - s->offset); /* fail exactly at fail_at */
    got = fread(buf, 1, want, s->f);
    s->offset += got;
    return (int32_t)got; /* 0 at the end of the file: the library's failure */
}

static enum fwc_err source_seek(void *ctx, uint64_t offset)
{
    struct source *s = ctx;
    if (offset > s->size || offset > (uint64_t)LONG_MAX ||
        fseek(s->f, (long)offset, SEEK_SET) != 0)
        return FWC_ERR_BODY_READER;
    s->offset = offset;
    return FWC_OK;
}

static bool source_open(struct source *s, const char *path)
{
    long size;
    memset(s, 0, sizeof(*s));
    s->f = fopen(path, "rb");
    if (s->f == NULL)
        return false;
    if (fseek(s->f, 0, SEEK_END) != 0 || (size = ftell(s->f)) < 0 ||
        fseek(s->f, 0, SEEK_SET) != 0) {
        fclose(s->f);
        s->f = NULL;
        return false;
    }
    s->size = (uint64_t)size;
    return true;
}

/* What the progress callback saw. */
struct progress {
    unsigned long calls;
    uint64_t last;
    uint64_t expected_total;
    unsigned long backwards; /* calls with sent below the previous call's */
    unsigned long bad_total; /* calls with total other than the file size */
    unsigned long overshoot; /* calls with sent above the total */
    uint64_t back_from, back_to;
};

static void on_progress(void *ctx, uint64_t sent, uint64_t total)
{
    struct progress *p = ctx;
    if (p->calls > 0 && sent < p->last) {
        if (p->backwards == 0) {
            p->back_from = p->last;
            p->back_to = sent;
        }
        p->backwards++;
    }
    if (total != p->expected_total)
        p->bad_total++;
    if (sent > total)
        p->overshoot++;
    p->calls++;
    p->last = sent;
}

static unsigned long checkpoints;
static uint32_t last_checkpoint_next;
static unsigned long checkpoint_backwards;

static void on_checkpoint(void *ctx, const struct fwc_upload_state *state)
{
    (void)ctx;
    if (checkpoints > 0 && state->next_chunk < last_checkpoint_next)
        checkpoint_backwards++;
    last_checkpoint_next = state->next_chunk;
    checkpoints++;
}

static bool parse_u64(const char *text, uint64_t *out)
{
    char *end;
    unsigned long long v;
    if (text == NULL || *text < '0' || *text > '9')
        return false;
    v = strtoull(text, &end, 10);
    if (*end != '\0')
        return false;
    *out = (uint64_t)v;
    return true;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash != NULL ? slash + 1 : path;
}

static int usage(const char *why)
{
    fprintf(stderr,
            "upload_probe: %s\n"
            "usage: upload_probe FILE DESTINATION [--folder F] [--field ID=VALUE]...\n"
            "       [--comment C] [--xmp XMPFILE]\n"
            "       [--resume-id ID --resume-next N --chunk-size S --num-chunks M]\n"
            "       [--fail-read-at OFFSET]\n",
            why);
    return 2;
}

int main(int argc, char **argv)
{
    struct fwc_client_config cfg;
    struct fwc_upload_params p;
    struct fwc_upload_state state;
    struct fwc_upload_field fields[MAX_FIELDS];
    struct source file, xmp;
    struct progress prog;
    const char *xmp_path = NULL, *resume_id = NULL;
    uint64_t resume_next = 0, chunk_size = 0, num_chunks = 0, fail_at = 0;
    bool have_fail = false, have_next = false, have_size = false, have_num = false;
    size_t nfields = 0;
    enum fwc_err err;
    int i, status = 0;

    if (argc < 3)
        return usage("FILE and DESTINATION are required");
    memset(&p, 0, sizeof(p));
    memset(&state, 0, sizeof(state));
    memset(&prog, 0, sizeof(prog));
    memset(&xmp, 0, sizeof(xmp));
    p.destination = argv[2];
    for (i = 3; i < argc; i++) {
        const char *opt = argv[i];
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (val == NULL)
            return usage("an option without its value");
        i++;
        if (strcmp(opt, "--folder") == 0) {
            p.folder = val;
        } else if (strcmp(opt, "--comment") == 0) {
            p.comment = val;
        } else if (strcmp(opt, "--field") == 0) {
            const char *eq = strchr(val, '=');
            char *end;
            long id = strtol(val, &end, 10);
            if (eq == NULL || end != eq || end == val || id < 0 || id > INT_MAX ||
                nfields == MAX_FIELDS)
                return usage("--field ID=VALUE (at most 16)");
            fields[nfields].id = (int)id;
            fields[nfields].value = eq + 1;
            nfields++;
        } else if (strcmp(opt, "--xmp") == 0) {
            xmp_path = val;
        } else if (strcmp(opt, "--resume-id") == 0) {
            resume_id = val;
        } else if (strcmp(opt, "--resume-next") == 0) {
            have_next = parse_u64(val, &resume_next) && resume_next <= UINT32_MAX;
            if (!have_next)
                return usage("--resume-next N");
        } else if (strcmp(opt, "--chunk-size") == 0) {
            have_size = parse_u64(val, &chunk_size);
            if (!have_size)
                return usage("--chunk-size S");
        } else if (strcmp(opt, "--num-chunks") == 0) {
            have_num = parse_u64(val, &num_chunks) && num_chunks <= UINT32_MAX;
            if (!have_num)
                return usage("--num-chunks M");
        } else if (strcmp(opt, "--fail-read-at") == 0) {
            have_fail = parse_u64(val, &fail_at);
            if (!have_fail)
                return usage("--fail-read-at OFFSET");
        } else {
            return usage("unknown option");
        }
    }
    if (resume_id != NULL) {
        if (!have_next || !have_size || !have_num)
            return usage("--resume-id needs --resume-next, --chunk-size and --num-chunks");
        if (strlen(resume_id) >= sizeof(state.id))
            return usage("--resume-id too long");
        memcpy(state.id, resume_id, strlen(resume_id) + 1);
        state.next_chunk = (uint32_t)resume_next;
        state.chunk_size = chunk_size;
        state.num_chunks = (uint32_t)num_chunks;
    } else if (have_next || have_size || have_num) {
        return usage("--resume-next, --chunk-size and --num-chunks need --resume-id");
    }

    if (!source_open(&file, argv[1]))
        return usage("cannot open FILE");
    file.fail = have_fail;
    file.fail_at = fail_at;
    p.filename = base_name(argv[1]);
    p.file_size = file.size;
    p.read = source_read;
    p.seek = source_seek;
    p.file_ctx = &file;
    p.fields = nfields > 0 ? fields : NULL;
    p.field_count = nfields;
    if (xmp_path != NULL) {
        if (!source_open(&xmp, xmp_path)) {
            fclose(file.f);
            return usage("cannot open XMPFILE");
        }
        p.xmp_read = source_read;
        p.xmp_seek = source_seek;
        p.xmp_ctx = &xmp;
        p.xmp_size = xmp.size;
    }
    prog.expected_total = file.size;
    p.progress = on_progress;
    p.progress_ctx = &prog;
    p.checkpoint = on_checkpoint;
    p.checkpoint_ctx = NULL;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = getenv("FWC_URL");
    cfg.ca_len = load_ca(getenv("FWC_CA_FILE"));
    cfg.ca = ca;
    if (cfg.base_url == NULL || cfg.ca_len == 0) {
        fclose(file.f);
        if (xmp.f != NULL)
            fclose(xmp.f);
        fprintf(stderr, "set FWC_URL and FWC_CA_FILE\n");
        return 2;
    }
    err = fwc_client_init(&client, &cfg);
    if (err == FWC_OK)
        err = fwc_upload(&client, &p, &state, asset, sizeof(asset));

    printf("result=%d asset=%s id=%s next=%u progress_calls=%lu status=%d (%s)\n", (int)err,
           err == FWC_OK && asset[0] != '\0' ? asset : "-", state.id[0] ? state.id : "-",
           (unsigned)state.next_chunk, prog.calls, fwc_client_http_status(&client),
           fwc_strerror(err));
    fflush(stdout);

    if (prog.backwards > 0) {
        fprintf(stderr,
                "progress went backwards %lu time(s), first from %llu to %llu\n",
                prog.backwards, (unsigned long long)prog.back_from,
                (unsigned long long)prog.back_to);
        status = 3;
    }
    if (prog.bad_total > 0 || prog.overshoot > 0) {
        fprintf(stderr, "progress: %lu call(s) with a total other than %llu, %lu above it\n",
                prog.bad_total, (unsigned long long)file.size, prog.overshoot);
        status = 3;
    }
    if (err == FWC_OK && prog.calls > 0 && prog.last != file.size) {
        fprintf(stderr, "progress ended at %llu of %llu\n", (unsigned long long)prog.last,
                (unsigned long long)file.size);
        status = 3;
    }
    if (err == FWC_OK && prog.calls == 0 && file.size > 0) {
        fprintf(stderr, "no progress call for a %llu-byte file\n",
                (unsigned long long)file.size);
        status = 3;
    }
    if (checkpoint_backwards > 0) {
        fprintf(stderr, "checkpoint next_chunk went backwards %lu time(s)\n",
                checkpoint_backwards);
        status = 3;
    }
    if (have_fail && file.failures == 0 && err != FWC_OK)
        fprintf(stderr, "note: the upload failed before the reader reached %llu\n",
                (unsigned long long)fail_at);
    fprintf(stderr, "checkpoints=%lu reader_failures=%lu\n", checkpoints, file.failures);

    fwc_client_close(&client);
    fclose(file.f);
    if (xmp.f != NULL)
        fclose(xmp.f);
    return status;
}
