/* SPDX-License-Identifier: MIT */
/* Multipart framing apart from the upload: the boundary from given bytes,
 * the frame and a frame that does not fit, the part streamed in pieces of
 * every size, rewinding, a failing or over-giving reader, and progress
 * that never goes backwards. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "multipart.h"

/* A file in memory behind the reader and seek callbacks. */
struct source {
    const char *data;
    uint64_t pos;
    unsigned seeks;
    bool fixed; /* every read returns answer instead */
    int32_t answer;
};

static int32_t source_read(void *ctx, uint8_t *buf, size_t len)
{
    struct source *s = ctx;
    size_t left = strlen(s->data) - (size_t)s->pos;
    size_t n = len < left ? len : left;
    if (s->fixed)
        return s->answer;
    memcpy(buf, s->data + s->pos, n);
    s->pos += n;
    return (int32_t)n;
}

static enum fwc_err source_seek(void *ctx, uint64_t offset)
{
    struct source *s = ctx;
    s->seeks++;
    s->pos = offset;
    return FWC_OK;
}

static uint64_t last_sent, last_total;
static unsigned progress_calls;

static void on_progress(void *ctx, uint64_t sent, uint64_t total)
{
    (void)ctx;
    assert_true(sent > last_sent); /* never backwards, never repeated */
    last_sent = sent;
    last_total = total;
    progress_calls++;
}

/* A part over src's bytes [offset, offset + len), framed as a chunk. */
static void make_part(struct fwci_part *b, struct source *src, uint64_t offset, uint64_t len)
{
    memset(b, 0, sizeof(*b));
    b->read = source_read;
    b->seek = source_seek;
    b->ctx = src;
    b->offset = offset;
    b->len = len;
    assert_int_equal(fwci_part_frame(b, "fwc-b", "chunk", "c.bin"), FWC_OK);
    assert_int_equal(fwci_part_rewind(b), FWC_OK);
}

#define HEAD                                                                                    \
    "--fwc-b\r\nContent-Disposition: form-data; name=\"chunk\"; filename=\"c.bin\"\r\n"          \
    "Content-Type: application/octet-stream\r\n\r\n"
#define TAIL "\r\n--fwc-b--\r\n"

/* The whole part, read in pieces of at most `piece` bytes. */
static size_t read_all(struct fwci_part *b, size_t piece, char *out, size_t cap)
{
    size_t n = 0;
    int32_t got;
    do {
        size_t want = piece < cap - n ? piece : cap - n;
        got = fwci_part_read(b, (uint8_t *)out + n, want);
        assert_true(got >= 0 && (size_t)got <= want);
        n += (size_t)got;
    } while (got > 0);
    return n;
}

static void boundary_is_the_given_bytes_in_hex(void **state)
{
    static const uint8_t r[FWCI_BOUNDARY_ENTROPY] = {0x00, 0x01, 0x23, 0x45, 0x67, 0x89,
                                                     0xab, 0xcd, 0xef, 0xf0, 0x0f, 0x10,
                                                     0x7f, 0x80, 0xfe, 0xff};
    char out[FWCI_BOUNDARY_SIZE + 1];
    (void)state;
    memset(out, 'x', sizeof(out));
    fwci_multipart_boundary(out, r);
    assert_string_equal(out, "fwc-000123456789abcdeff00f107f80feff");
    assert_int_equal(out[FWCI_BOUNDARY_SIZE], 'x'); /* nothing past its size */
}

static void content_type_fits_or_is_refused(void **state)
{
    static const char want[] = "multipart/form-data; boundary=fwc-b";
    char out[sizeof(want)];
    (void)state;
    assert_int_equal(fwci_multipart_content_type(out, sizeof(out), "fwc-b"), FWC_OK);
    assert_string_equal(out, want);
    assert_int_equal(fwci_multipart_content_type(out, sizeof(out) - 1, "fwc-b"),
                     FWC_ERR_REQUEST_TOO_LARGE);
}

/* Head, data and tail exactly, whatever the pieces the HTTP layer asks
 * for, and as long as the Content-Length says. */
static void part_streams_in_pieces_of_every_size(void **state)
{
    static const char want[] = HEAD "world" TAIL;
    struct source src = {"hello world!", 0, 0, false, 0};
    struct fwci_part b;
    char out[256];
    size_t piece;
    (void)state;
    for (piece = 1; piece <= sizeof(want); piece++) {
        make_part(&b, &src, 6, 5);
        assert_int_equal(fwci_part_length(&b), strlen(want));
        assert_int_equal(read_all(&b, piece, out, sizeof(out)), strlen(want));
        assert_memory_equal(out, want, strlen(want));
    }
}

/* A resend starts over: the frame again and the data from the part's
 * offset, not from where the source was left. */
static void rewind_starts_over_from_the_offset(void **state)
{
    static const char want[] = HEAD "world" TAIL;
    struct source src = {"hello world!", 0, 0, false, 0};
    struct fwci_part b;
    char out[256];
    /* Stopped inside the head, the data, the tail. */
    const size_t stops[] = {3, strlen(HEAD) + 2, strlen(HEAD) + 5 + 3};
    size_t i, stop;
    (void)state;
    for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
        stop = stops[i];
        make_part(&b, &src, 6, 5);
        assert_int_equal(fwci_part_read(&b, (uint8_t *)out, stop), stop);
        src.seeks = 0;
        assert_int_equal(fwci_part_rewind(&b), FWC_OK);
        assert_int_equal(src.seeks, 1);
        assert_int_equal(read_all(&b, 7, out, sizeof(out)), strlen(want));
        assert_memory_equal(out, want, strlen(want));
    }

    /* An empty part needs no seek, and has none to ask. */
    make_part(&b, &src, 0, 0);
    b.seek = NULL;
    assert_int_equal(fwci_part_rewind(&b), FWC_OK);
    assert_int_equal(read_all(&b, 64, out, sizeof(out)), strlen(HEAD TAIL));
    assert_memory_equal(out, HEAD TAIL, strlen(HEAD TAIL));
    /* A part with data cannot start over without one. */
    b.len = 1;
    assert_int_equal(fwci_part_rewind(&b), FWC_ERR_BODY_READER);
}

/* A reader that fails, gives nothing or gives more than asked fails the
 * read, where the HTTP layer names it. */
static void bad_reader_fails_the_read(void **state)
{
    static const int32_t answers[] = {6, -1, -1000, 0}; /* 6: over the 5 asked */
    struct source src = {"hello world!", 0, 0, false, 0};
    struct fwci_part b;
    uint8_t out[256];
    size_t i;
    (void)state;
    for (i = 0; i < sizeof(answers) / sizeof(answers[0]); i++) {
        make_part(&b, &src, 0, 5);
        assert_int_equal(fwci_part_read(&b, out, strlen(HEAD)), strlen(HEAD));
        src.fixed = true;
        src.answer = answers[i];
        assert_int_equal(fwci_part_read(&b, out, 5), -1);
        src.fixed = false;
    }
}

/* A frame that does not fit its slot is an error, never a cut frame: a
 * long name overflows the head, a long boundary the tail. */
static void frame_that_does_not_fit_is_refused(void **state)
{
    char name[sizeof(((struct fwci_part *)0)->head)];
    char boundary[sizeof(((struct fwci_part *)0)->tail)];
    struct fwci_part b;
    (void)state;
    memset(&b, 0, sizeof(b));
    memset(name, 'n', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_int_equal(fwci_part_frame(&b, "fwc-b", name, "c.bin"), FWC_ERR_REQUEST_TOO_LARGE);
    memset(boundary, 'b', sizeof(boundary) - 1);
    boundary[sizeof(boundary) - 1] = '\0';
    assert_int_equal(fwci_part_frame(&b, boundary, "chunk", "c.bin"), FWC_ERR_REQUEST_TOO_LARGE);
    /* What upload.c frames fits: a boundary of FWCI_BOUNDARY_SIZE and its
     * longest names. */
    memset(boundary, 'b', FWCI_BOUNDARY_SIZE - 1);
    boundary[FWCI_BOUNDARY_SIZE - 1] = '\0';
    assert_int_equal(fwci_part_frame(&b, boundary, "xmp", "sidecar.xmp"), FWC_OK);
    assert_int_equal(fwci_part_frame(&b, boundary, "chunk", "chunk"), FWC_OK);
}

/* Progress counts the whole upload (base_sent on), and a resent part
 * reports nothing until it passes what was already reported. */
static void progress_never_goes_backwards(void **state)
{
    struct source src = {"0123456789", 0, 0, false, 0};
    uint64_t reported = 0;
    struct fwci_part b;
    uint8_t out[256];
    (void)state;
    last_sent = 0;
    progress_calls = 0;
    make_part(&b, &src, 5, 5);
    b.progress = on_progress;
    b.base_sent = 5;
    b.reported = &reported;
    b.total = 10;
    assert_int_equal(fwci_part_read(&b, out, strlen(HEAD) + 3), strlen(HEAD) + 3);
    assert_int_equal(last_sent, 8);
    assert_int_equal(last_total, 10);
    assert_int_equal(fwci_part_rewind(&b), FWC_OK);
    assert_int_equal(fwci_part_read(&b, out, strlen(HEAD) + 2), strlen(HEAD) + 2);
    assert_int_equal(fwci_part_read(&b, out, 1), 1);
    assert_int_equal(progress_calls, 1); /* 7, then 8 again: not reported */
    assert_int_equal(fwci_part_read(&b, out, sizeof(out)), 2 + strlen(TAIL));
    assert_int_equal(progress_calls, 2);
    assert_int_equal(last_sent, 10);
    assert_int_equal(reported, 10);

    /* No `reported` (the XMP sidecar's part): no progress at all. */
    make_part(&b, &src, 0, 5);
    b.progress = on_progress;
    assert_int_equal(fwci_part_read(&b, out, sizeof(out)), strlen(HEAD) + 5 + strlen(TAIL));
    assert_int_equal(progress_calls, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(boundary_is_the_given_bytes_in_hex),
        cmocka_unit_test(content_type_fits_or_is_refused),
        cmocka_unit_test(part_streams_in_pieces_of_every_size),
        cmocka_unit_test(rewind_starts_over_from_the_offset),
        cmocka_unit_test(bad_reader_fails_the_read),
        cmocka_unit_test(frame_that_does_not_fit_is_refused),
        cmocka_unit_test(progress_never_goes_backwards),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
