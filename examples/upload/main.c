/* SPDX-License-Identifier: MIT */
/* Upload a file to FotoWeb from a reader callback, resumable: the upload's
 * state is saved after every chunk to FILE.fwc-state, and a rerun after a
 * crash or reboot continues where it stopped.
 *
 *   upload FILE DESTINATION       e.g. upload pic.jpg /fotoweb/archives/5000-Photos/
 *
 * Configuration as for examples/token (FWC_URL, FWC_CA_FILE, FWC_CLIENT_ID,
 * FWC_CLIENT_SECRET_FILE); this example links the secret hook of
 * examples/token/secret_file.c. */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fwc/upload.h"

static struct fwc_client client;
static uint8_t ca[65536];
static char state_path[4096];

static int32_t file_read(void *ctx, uint8_t *buf, size_t len)
{
    size_t n = fread(buf, 1, len, ctx);
    return n > 0 ? (int32_t)n : -1;
}

static enum fwc_err file_seek(void *ctx, uint64_t offset)
{
    return fseeko(ctx, (off_t)offset, SEEK_SET) == 0 ? FWC_OK : FWC_ERR_BODY_READER;
}

/* Persist the state: written to a temporary file, then renamed, so a crash
 * never leaves half a state behind. */
static void save_state(void *ctx, const struct fwc_upload_state *st)
{
    char tmp[4200];
    FILE *f;
    bool written;
    (void)ctx;
    snprintf(tmp, sizeof(tmp), "%s.tmp", state_path);
    f = fopen(tmp, "wb");
    if (f == NULL)
        return;
    written = fwrite(st, sizeof(*st), 1, f) == 1;
    /* Close exactly once; a failed close means the data may not be there. */
    if (fclose(f) == 0 && written)
        rename(tmp, state_path);
}

static void load_state(struct fwc_upload_state *st)
{
    FILE *f = fopen(state_path, "rb");
    memset(st, 0, sizeof(*st));
    if (f != NULL) {
        if (fread(st, sizeof(*st), 1, f) != 1)
            memset(st, 0, sizeof(*st));
        fclose(f);
    }
    st->id[sizeof(st->id) - 1] = '\0';
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

int main(int argc, char **argv)
{
    struct fwc_client_config cfg;
    struct fwc_upload_params p;
    struct fwc_upload_state st;
    static char url[1024];
    struct stat sb;
    FILE *file;
    enum fwc_err err;

    if (argc != 3) {
        fprintf(stderr, "usage: %s FILE DESTINATION\n", argv[0]);
        return 2;
    }
    file = fopen(argv[1], "rb");
    if (file == NULL || fstat(fileno(file), &sb) != 0) {
        fprintf(stderr, "cannot read %s\n", argv[1]);
        return 2;
    }
    snprintf(state_path, sizeof(state_path), "%s.fwc-state", argv[1]);
    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = getenv("FWC_URL");
    cfg.ca_len = load_ca(getenv("FWC_CA_FILE"));
    cfg.ca = ca;
    if (cfg.base_url == NULL || cfg.ca_len == 0 || fwc_client_init(&client, &cfg) != FWC_OK) {
        fprintf(stderr, "set FWC_URL, FWC_CA_FILE, FWC_CLIENT_ID, FWC_CLIENT_SECRET_FILE\n");
        return 2;
    }
    memset(&p, 0, sizeof(p));
    p.destination = argv[2];
    p.filename = strrchr(argv[1], '/') ? strrchr(argv[1], '/') + 1 : argv[1];
    p.file_size = (uint64_t)sb.st_size;
    p.read = file_read;
    p.seek = file_seek;
    p.file_ctx = file;
    p.checkpoint = save_state;
    load_state(&st);
    if (st.id[0] != '\0')
        printf("resuming upload %s at chunk %u of %u\n", st.id, (unsigned)st.next_chunk,
               (unsigned)st.num_chunks);
    err = fwc_upload(&client, &p, &st, url, sizeof(url));
    fclose(file);
    fwc_client_close(&client);
    if (err != FWC_OK) {
        fprintf(stderr, "upload failed: %s (rerun to resume)\n", fwc_strerror(err));
        return 1;
    }
    remove(state_path);
    printf("%s\n", url);
    return 0;
}
