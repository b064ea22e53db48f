/* SPDX-License-Identifier: MIT */
/* Unit tests for the incremental HTTP/1.x response parser (fwc/internal/http_parse.h).
 *
 * Every entry of the table below is its own cmocka test. Its input is fed
 * (1) whole, (2) one byte at a time and (3) cut in two at every position;
 * each piece lives in a heap block of exactly its size, so ASan flags any
 * read past it. Each feeding yields an outcome record (error, status, header
 * events, body, DONE, keep-alive, bytes consumed); all feedings of a case
 * must agree, and must agree with the table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/internal/http_parse.h"

/* ---- Small growable byte buffer ---------------------------------------- */

struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_add(struct sbuf *b, const void *data, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = realloc(b->p, cap);
        assert_non_null(b->p);
        b->cap = cap;
    }
    if (n)
        memcpy(b->p + b->len, data, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_str(struct sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

static void sb_rep(struct sbuf *b, char c, size_t n)
{
    while (n--)
        sb_add(b, &c, 1);
}

/* ---- The case table ----------------------------------------------------- */

/* Generated inputs (long lines, many headers): the generator writes the
 * input and, when it sets them, the expected header text and body. */
struct gen {
    struct sbuf in, hdrs, body;
};

struct tcase {
    const char *name;
    const char *in;        /* input bytes (NULL: built by gen) */
    size_t len;
    bool head;             /* the request was HEAD */
    bool eof;              /* the peer closes after the last byte */
    /* Expected outcome. */
    enum fwc_err err;
    int status;            /* 0: no STATUS event; ANY: not checked */
    const char *hdrs;      /* "TAG Name: value\n" per HEADER; NULL: none */
    const char *body;
    size_t body_len;
    bool partial;          /* FWC_OK but no DONE yet (needs more input) */
    bool ka;               /* keep_alive after DONE */
    size_t rest;           /* bytes left unconsumed after DONE */
    void (*gen)(struct gen *g);
};

#define ANY (-1)
/* Where a parser may reasonably fail on the offending line or at the end of
 * the headers, which HEADER events come before the error is not checked
 * (all feedings must still agree). */
static const char ANY_HDRS[] = "<not checked>";

#define LEN(s) (sizeof(s) - 1)
#define IN(s) .in = (s), .len = LEN(s)
#define BODY(s) .body = (s), .body_len = LEN(s)

#define E_STATUS FWC_ERR_HTTP_STATUS_LINE
#define E_HEADER FWC_ERR_HTTP_HEADER
#define E_LONG FWC_ERR_HTTP_LINE_TOO_LONG
#define E_MANY FWC_ERR_HTTP_TOO_MANY_HEADERS
#define E_CL FWC_ERR_HTTP_CONTENT_LENGTH
#define E_FRAMING FWC_ERR_HTTP_FRAMING
#define E_CHUNK FWC_ERR_HTTP_CHUNK
#define E_TRUNC FWC_ERR_HTTP_TRUNCATED
#define E_BIG FWC_ERR_BODY_TOO_LARGE

#define OK200 "HTTP/1.1 200 OK\r\n"
#define CHUNKED OK200 "Transfer-Encoding: chunked\r\n\r\n"
#define TE "TE Transfer-Encoding: chunked\n"
#define INTERIM100 "HTTP/1.1 100 Continue\r\n\r\n"

/* Header tags used in the expected text, indexed by enum fwc_http_header_id. */
static const char *const tags[] = { "--", "CT", "CL", "TE", "CO", "RA", "WA", "LO" };

/* Appends "Name: value\r\n" to the input and its event to the expectation. */
static void add_hdr(struct gen *g, const char *tag, const char *name, const char *value)
{
    sb_str(&g->in, name);
    sb_str(&g->in, ": ");
    sb_str(&g->in, value);
    sb_str(&g->in, "\r\n");
    sb_str(&g->hdrs, tag);
    sb_str(&g->hdrs, " ");
    sb_str(&g->hdrs, name);
    sb_str(&g->hdrs, ": ");
    sb_str(&g->hdrs, value);
    sb_str(&g->hdrs, "\n");
}

/* n headers "X-Hnn: v" (only the first `emitted` are expected as events). */
static void add_x_headers(struct gen *g, unsigned n, unsigned emitted)
{
    for (unsigned i = 0; i < n; i++) {
        char name[16];
        snprintf(name, sizeof name, "X-H%u", i);
        if (i < emitted) {
            add_hdr(g, "--", name, "v");
        } else {
            sb_str(&g->in, name);
            sb_str(&g->in, ": v\r\n");
        }
    }
}

/* Status line with `before_lf` bytes before its bare LF, then CL 0. */
static void status_line_of(struct gen *g, size_t before_lf)
{
    sb_str(&g->in, "HTTP/1.1 200 ");
    sb_rep(&g->in, 'R', before_lf - LEN("HTTP/1.1 200 "));
    sb_str(&g->in, "\nContent-Length: 0\n\n");
}
static void g_status_256(struct gen *g) { status_line_of(g, 256); }
static void g_status_257(struct gen *g) { status_line_of(g, 257); }
static void g_status_long_crlf(struct gen *g)
{
    sb_str(&g->in, "HTTP/1.1 200 ");
    sb_rep(&g->in, 'R', 400);
    sb_str(&g->in, "\r\nContent-Length: 0\r\n\r\n");
}

/* Header line "X-Long: aaa..." with `before_lf` bytes before its bare LF. */
static void header_line_of(struct gen *g, size_t before_lf, bool expect_event)
{
    size_t vlen = before_lf - LEN("X-Long: ");
    sb_str(&g->in, "HTTP/1.1 200 OK\n");
    sb_str(&g->in, "X-Long: ");
    sb_rep(&g->in, 'a', vlen);
    sb_str(&g->in, "\nContent-Length: 0\n\n");
    if (expect_event) {
        sb_str(&g->hdrs, "-- X-Long: ");
        sb_rep(&g->hdrs, 'a', vlen);
        sb_str(&g->hdrs, "\nCL Content-Length: 0\n");
    }
}
static void g_hdr_1024(struct gen *g) { header_line_of(g, 1024, true); }
static void g_hdr_1025(struct gen *g) { header_line_of(g, 1025, false); }
static void g_hdr_long_crlf(struct gen *g)
{
    sb_str(&g->in, OK200 "X-Long: ");
    sb_rep(&g->in, 'a', 2000);
    sb_str(&g->in, "\r\nContent-Length: 0\r\n\r\n");
}
static void g_hdr_long_no_lf(struct gen *g)
{
    sb_str(&g->in, OK200 "X-Long: ");
    sb_rep(&g->in, 'a', 2000);
}

static void g_hdrs_64(struct gen *g)
{
    sb_str(&g->in, OK200);
    add_hdr(g, "CL", "Content-Length", "0");
    add_x_headers(g, 63, 63);
    sb_str(&g->in, "\r\n");
}
static void g_hdrs_65(struct gen *g)
{
    sb_str(&g->in, OK200);
    add_hdr(g, "CL", "Content-Length", "0");
    add_x_headers(g, 64, 63);
    sb_str(&g->in, "\r\n");
}
/* 60 header lines, then `trailers` trailer lines after the last chunk. */
static void trailers_of(struct gen *g, unsigned trailers)
{
    sb_str(&g->in, OK200);
    add_hdr(g, "TE", "Transfer-Encoding", "chunked");
    add_x_headers(g, 59, 59);
    sb_str(&g->in, "\r\n1\r\na\r\n0\r\n");
    for (unsigned i = 0; i < trailers; i++)
        sb_str(&g->in, "X-Trailer: t\r\n");
    sb_str(&g->in, "\r\n");
}
static void g_trailers_64(struct gen *g) { trailers_of(g, 4); }
static void g_trailers_65(struct gen *g) { trailers_of(g, 5); }
/* Each skipped 1xx counts as one header line of the final response. */
static void g_interim_64(struct gen *g)
{
    sb_str(&g->in, INTERIM100 OK200);
    add_hdr(g, "CL", "Content-Length", "0");
    add_x_headers(g, 62, 62);
    sb_str(&g->in, "\r\n");
}
static void g_interim_65(struct gen *g)
{
    sb_str(&g->in, INTERIM100 INTERIM100 OK200);
    add_hdr(g, "CL", "Content-Length", "0");
    add_x_headers(g, 62, 61);
    sb_str(&g->in, "\r\n");
}

/* Chunk-size line "1;eee..." with `before_lf` bytes before its bare LF. */
static void chunk_line_of(struct gen *g, size_t before_lf, const char *eol)
{
    sb_str(&g->in, CHUNKED "1;");
    sb_rep(&g->in, 'e', before_lf - 2);
    sb_str(&g->in, eol);
    sb_str(&g->in, "x\n0\n\n");
}
static void g_chunk_line_128(struct gen *g) { chunk_line_of(g, 128, "\n"); }
static void g_chunk_line_129(struct gen *g) { chunk_line_of(g, 129, "\n"); }
static void g_chunk_line_long_crlf(struct gen *g) { chunk_line_of(g, 300, "\r\n"); }

static void g_many_chunks(struct gen *g)
{
    sb_str(&g->in, CHUNKED);
    sb_str(&g->body, "");
    for (unsigned i = 0; i < 100; i++) {
        char c = (char)('a' + i % 26);
        sb_str(&g->in, "1\r\n");
        sb_add(&g->in, &c, 1);
        sb_str(&g->in, "\r\n");
        sb_add(&g->body, &c, 1);
    }
    sb_str(&g->in, "0\r\n\r\n");
}

static void g_cl_big_body(struct gen *g)
{
    sb_str(&g->in, OK200 "Content-Length: 2500\r\n\r\n");
    sb_str(&g->body, "");
    for (unsigned i = 0; i < 2500; i++) {
        char c = (char)(i * 7u & 0xffu); /* includes NUL, CR and LF */
        sb_add(&g->in, &c, 1);
        sb_add(&g->body, &c, 1);
    }
}

static struct tcase cases[] = {
    /* ---- Content-Length bodies ---- */
    { "cl_basic", IN(OK200 "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello"),
      .status = 200, .hdrs = "CT Content-Type: text/plain\nCL Content-Length: 5\n",
      BODY("hello"), .ka = true },
    { "cl_zero", IN(OK200 "Content-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CL Content-Length: 0\n", .ka = true },
    { "cl_body_nul_crlf", IN(OK200 "Content-Length: 8\r\n\r\na\0b\r\n\r\nc"),
      .status = 200, .hdrs = "CL Content-Length: 8\n", BODY("a\0b\r\n\r\nc"), .ka = true },
    { "cl_next_response_left", IN(OK200 "Content-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\n"),
      .status = 200, .hdrs = "CL Content-Length: 3\n", BODY("abc"), .ka = true,
      .rest = LEN("HTTP/1.1 200 OK\r\n") },
    { "cl_list_same", IN(OK200 "Content-Length: 5, 5\r\n\r\nhello"),
      .status = 200, .hdrs = "CL Content-Length: 5, 5\n", BODY("hello"), .ka = true },
    { "cl_list_no_space", IN(OK200 "Content-Length: 2,2\r\n\r\nok"),
      .status = 200, .hdrs = "CL Content-Length: 2,2\n", BODY("ok"), .ka = true },
    { "cl_repeated_same", IN(OK200 "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
      .status = 200, .hdrs = "CL Content-Length: 3\nCL Content-Length: 3\n", BODY("abc"),
      .ka = true },
    { "cl_leading_zeros", IN(OK200 "Content-Length: 003\r\n\r\nabc"),
      .status = 200, .hdrs = "CL Content-Length: 003\n", BODY("abc"), .ka = true },
    { "cl_ws_trimmed", IN(OK200 "Content-Length: \t 3 \t\r\n\r\nabc"),
      .status = 200, .hdrs = "CL Content-Length: 3\n", BODY("abc"), .ka = true },
    { "cl_big_body", .gen = g_cl_big_body,
      .status = 200, .hdrs = "CL Content-Length: 2500\n", .ka = true },
    { "cl_at_max_then_eof", IN(OK200 "Content-Length: 16777216\r\n\r\n"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = "CL Content-Length: 16777216\n" },

    /* ---- Chunked bodies ---- */
    { "chunked_basic", IN(CHUNKED "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"),
      .status = 200, .hdrs = TE, BODY("hello world"), .ka = true },
    { "chunked_extensions",
      IN(CHUNKED "5;name=value\r\nhello\r\n3 ; x\r\nabc\r\n2\t;q=\"a;b\"\r\nde\r\n"
                 "4 \r\nfghi\r\n0;last\r\n\r\n"),
      .status = 200, .hdrs = TE, BODY("helloabcdefghi"), .ka = true },
    { "chunked_trailers", IN(CHUNKED "2\r\nok\r\n0\r\nX-Checksum: abc\r\nExpires: 0\r\n\r\n"),
      .status = 200, .hdrs = TE, BODY("ok"), .ka = true },
    { "chunked_hex_case", IN(CHUNKED "A\r\n0123456789\r\nb\r\nabcdefghijk\r\n0\r\n\r\n"),
      .status = 200, .hdrs = TE, BODY("0123456789abcdefghijk"), .ka = true },
    { "chunked_leading_zeros", IN(CHUNKED "0005\r\nhello\r\n000\r\n\r\n"),
      .status = 200, .hdrs = TE, BODY("hello"), .ka = true },
    { "chunked_many_small", .gen = g_many_chunks, .status = 200, .hdrs = TE, .ka = true },
    { "chunked_data_like_end", IN(CHUNKED "7\r\n\r\n0\r\n\r\n\r\n0\r\n\r\n"),
      .status = 200, .hdrs = TE, BODY("\r\n0\r\n\r\n"), .ka = true },
    { "chunked_te_case_ws", IN(OK200 "transfer-encoding:  Chunked \r\n\r\n1\r\nx\r\n0\r\n\r\n"),
      .status = 200, .hdrs = "TE transfer-encoding: Chunked\n", BODY("x"), .ka = true },
    { "chunked_bare_lf", IN("HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nok\n0\n\n"),
      .status = 200, .hdrs = TE, BODY("ok"), .ka = true },
    { "chunked_garbage_after", IN(CHUNKED "2\r\nok\r\n0\r\n\r\nGARBAGE"),
      .status = 200, .hdrs = TE, BODY("ok"), .ka = true, .rest = LEN("GARBAGE") },
    { "chunked_pipelined_next", IN(CHUNKED "0\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n"),
      .status = 200, .hdrs = TE, .ka = true, .rest = LEN("HTTP/1.1 204 No Content\r\n\r\n") },
    { "chunked_conn_close",
      IN(OK200 "Connection: close\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\n\r\n"),
      .status = 200, .hdrs = "CO Connection: close\n" TE, BODY("z"), .ka = false },
    { "chunk_at_max_then_eof", IN(CHUNKED "1000000\r\n"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = TE },

    /* ---- No body: HEAD, 204, 304 ---- */
    { "head_cl", IN(OK200 "Content-Length: 1000\r\n\r\n"), .head = true,
      .status = 200, .hdrs = "CL Content-Length: 1000\n", .ka = true },
    { "head_chunked", IN(CHUNKED), .head = true, .status = 200, .hdrs = TE, .ka = true },
    { "head_body_left", IN(OK200 "Content-Length: 5\r\n\r\nhello"), .head = true,
      .status = 200, .hdrs = "CL Content-Length: 5\n", .ka = true, .rest = 5 },
    { "head_no_framing", IN(OK200 "\r\n"), .head = true, .status = 200, .ka = true },
    { "head_http10", IN("HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\n"), .head = true,
      .status = 200, .hdrs = "CL Content-Length: 5\n", .ka = false },
    { "s204_with_cl", IN("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n"),
      .status = 204, .hdrs = "CL Content-Length: 7\n", .ka = true },
    { "s204_bytes_left", IN("HTTP/1.1 204 No Content\r\n\r\nXYZ"),
      .status = 204, .ka = true, .rest = 3 },
    { "s304_with_cl",
      IN("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 100\r\n\r\n"),
      .status = 304, .hdrs = "-- ETag: \"v1\"\nCL Content-Length: 100\n", .ka = true },
    { "s304_chunked", IN("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n"),
      .status = 304, .hdrs = TE, .ka = true },
    { "s304_http10", IN("HTTP/1.0 304 Not Modified\r\n\r\n"), .status = 304, .ka = false },

    /* ---- Interim 1xx responses ---- */
    { "continue_then_200", IN(INTERIM100 OK200 "Content-Length: 2\r\n\r\nok"),
      .status = 200, .hdrs = "CL Content-Length: 2\n", BODY("ok"), .ka = true },
    { "early_hints_then_200",
      IN("HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\nLink: </a.js>\r\n\r\n"
         OK200 "Content-Length: 2\r\n\r\nok"),
      .status = 200, .hdrs = "CL Content-Length: 2\n", BODY("ok"), .ka = true },
    { "several_interim",
      IN("HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 100 Continue\n\n"
         "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
         "HTTP/1.1 201 Created\r\nLocation: /x/1\r\nContent-Length: 0\r\n\r\n"),
      .status = 201, .hdrs = "LO Location: /x/1\nCL Content-Length: 0\n", .ka = true },
    { "interim_101", IN("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"),
      .err = E_FRAMING, .status = ANY, .hdrs = ANY_HDRS },

    /* ---- Close-delimited bodies and keep-alive ---- */
    { "http10_close_delimited", IN("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close"),
      .eof = true, .status = 200, .hdrs = "CT Content-Type: text/plain\n",
      BODY("until close"), .ka = false },
    { "http10_close_delim_ka_hdr",
      IN("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n\r\nabc"), .eof = true,
      .status = 200, .hdrs = "CO Connection: keep-alive\n", BODY("abc"), .ka = false },
    { "http11_close_delimited", IN(OK200 "\r\nabc"), .eof = true,
      .status = 200, BODY("abc"), .ka = false },
    { "close_delimited_empty", IN(OK200 "\r\n"), .eof = true, .status = 200, .ka = false },
    { "close_delimited_no_eof", IN(OK200 "\r\nabc"), .partial = true,
      .status = 200, BODY("abc") },
    { "http10_keep_alive", IN("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"),
      .status = 200, .hdrs = "CO Connection: keep-alive\nCL Content-Length: 2\n",
      BODY("ok"), .ka = true },
    { "http10_keep_alive_case", IN("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CO Connection: Keep-Alive\nCL Content-Length: 0\n", .ka = true },
    { "http10_no_connection", IN("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"),
      .status = 200, .hdrs = "CL Content-Length: 2\n", BODY("ok"), .ka = false },
    { "http10_keep_alive_close",
      IN("HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CO Connection: keep-alive, close\nCL Content-Length: 0\n",
      .ka = false },
    { "conn_close", IN(OK200 "Connection: close\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CO Connection: close\nCL Content-Length: 0\n", .ka = false },
    { "conn_close_in_list", IN(OK200 "Connection: Upgrade ,CLOSE\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CO Connection: Upgrade ,CLOSE\nCL Content-Length: 0\n",
      .ka = false },
    { "conn_close_second_header",
      IN(OK200 "Connection: keep-alive\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"),
      .status = 200,
      .hdrs = "CO Connection: keep-alive\nCO Connection: close\nCL Content-Length: 0\n",
      .ka = false },
    { "conn_not_close_token", IN(OK200 "Connection: closed, x-close\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CO Connection: closed, x-close\nCL Content-Length: 0\n",
      .ka = true },

    /* ---- Line endings, reasons, header values ---- */
    { "bare_lf", IN("HTTP/1.1 200 OK\nContent-Length: 2\n\nok"),
      .status = 200, .hdrs = "CL Content-Length: 2\n", BODY("ok"), .ka = true },
    { "mixed_endings", IN("HTTP/1.1 200 OK\r\nX-A: 1\nContent-Length: 2\r\n\nok"),
      .status = 200, .hdrs = "-- X-A: 1\nCL Content-Length: 2\n", BODY("ok"), .ka = true },
    { "empty_reason", IN("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CL Content-Length: 0\n", .ka = true },
    { "no_reason", IN("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CL Content-Length: 0\n", .ka = true },
    { "reason_obs_text", IN("HTTP/1.1 200 \xC3\x89tat \xE2\x9C\x93\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "CL Content-Length: 0\n", .ka = true },
    { "reason_punct_404", IN("HTTP/1.1 404 Not Found: /a?b=c (really)\r\nContent-Length: 2\r\n\r\nno"),
      .status = 404, .hdrs = "CL Content-Length: 2\n", BODY("no"), .ka = true },
    { "status_599", IN("HTTP/1.1 599 X\r\nContent-Length: 0\r\n\r\n"),
      .status = 599, .hdrs = "CL Content-Length: 0\n", .ka = true },
    { "value_obs_text", IN(OK200 "X-Name: caf\xC3\xA9 \xFF\x80\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "-- X-Name: caf\xC3\xA9 \xFF\x80\nCL Content-Length: 0\n", .ka = true },
    { "value_trim",
      IN(OK200 "X-A:   padded \t \r\nX-B:\tx \t y\t\r\nX-Empty:\r\nX-Blank: \t \r\n"
               "Content-Length: 0\r\n\r\n"),
      .status = 200,
      .hdrs = "-- X-A: padded\n-- X-B: x \t y\n-- X-Empty: \n-- X-Blank: \nCL Content-Length: 0\n",
      .ka = true },
    { "header_ids",
      IN(OK200 "content-type: application/json\r\nCONTENT-LENGTH: 0\r\nconnection: Keep-Alive\r\n"
               "Retry-After: 120\r\nwww-authenticate: Bearer realm=\"fw\", error=\"invalid_token\"\r\n"
               "LOCATION: https://h/x\r\nX-Request-Id: 42\r\nContent-Typ: a\r\n"
               "Content-Type-X: b\r\nLocations: c\r\n\r\n"),
      .status = 200,
      .hdrs = "CT content-type: application/json\nCL CONTENT-LENGTH: 0\nCO connection: Keep-Alive\n"
              "RA Retry-After: 120\nWA www-authenticate: Bearer realm=\"fw\", error=\"invalid_token\"\n"
              "LO LOCATION: https://h/x\n-- X-Request-Id: 42\n-- Content-Typ: a\n"
              "-- Content-Type-X: b\n-- Locations: c\n",
      .ka = true },
    { "header_name_tchars", IN(OK200 "!#$%&'*+-.^_`|~09Az: v\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "-- !#$%&'*+-.^_`|~09Az: v\nCL Content-Length: 0\n", .ka = true },
    { "value_with_colons", IN(OK200 "Location: http://h:8/p?q=a:b\r\nContent-Length: 0\r\n\r\n"),
      .status = 200, .hdrs = "LO Location: http://h:8/p?q=a:b\nCL Content-Length: 0\n", .ka = true },

    /* ---- Bad status lines ---- */
    { "st_http2", IN("HTTP/2 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_http20", IN("HTTP/2.0 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_http12", IN("HTTP/1.2 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_lowercase", IN("http/1.1 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_two_digits", IN("HTTP/1.1 20 OK\r\n\r\n"), .err = E_STATUS },
    { "st_four_digits", IN("HTTP/1.1 2000 OK\r\n\r\n"), .err = E_STATUS },
    { "st_600", IN("HTTP/1.1 600 Nope\r\n\r\n"), .err = E_STATUS },
    { "st_099", IN("HTTP/1.1 099 Nope\r\n\r\n"), .err = E_STATUS },
    { "st_non_digit", IN("HTTP/1.1 2x0 OK\r\n\r\n"), .err = E_STATUS },
    { "st_no_version", IN("200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_leading_space", IN(" HTTP/1.1 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_two_spaces", IN("HTTP/1.1  200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_tab", IN("HTTP/1.1\t200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_no_space_reason", IN("HTTP/1.1 200OK\r\n\r\n"), .err = E_STATUS },
    { "st_nul_in_version", IN("HTTP\0/1.1 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_nul_in_reason", IN("HTTP/1.1 200 O\0K\r\n\r\n"), .err = E_STATUS },
    { "st_ctl_in_reason", IN("HTTP/1.1 200 O\x01" "K\r\n\r\n"), .err = E_STATUS },
    { "st_cr_not_lf", IN("HTTP/1.1 200 OK\rX\r\n\r\n"), .err = E_STATUS },
    { "st_empty_line_first", IN("\r\nHTTP/1.1 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_html", IN("<html>\n"), .err = E_STATUS },
    { "st_bad_after_interim", IN(INTERIM100 "HTTP/2 200 OK\r\n\r\n"), .err = E_STATUS },
    { "st_256", .gen = g_status_256, .status = 200, .hdrs = "CL Content-Length: 0\n", .ka = true },
    { "st_257", .gen = g_status_257, .err = E_LONG },
    { "st_long_crlf", .gen = g_status_long_crlf, .err = E_LONG },

    /* ---- Bad header lines ---- */
    { "hdr_nul_in_name", IN(OK200 "X-Good: 1\r\nX-A\0b: v\r\n\r\n"),
      .err = E_HEADER, .status = 200, .hdrs = "-- X-Good: 1\n" },
    { "hdr_nul_in_value", IN(OK200 "X-Good: 1\r\nX-A: a\0b\r\n\r\n"),
      .err = E_HEADER, .status = 200, .hdrs = "-- X-Good: 1\n" },
    { "hdr_ctl_in_value", IN(OK200 "X-A: a\x01" "b\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_del_in_value", IN(OK200 "X-A: a\x7f" "b\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_cr_in_value", IN(OK200 "X-A: a\rb\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_cr_in_name", IN(OK200 "X-\rA: b\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_blank_line_cr_only", IN(OK200 "Content-Length: 0\r\n\rX\r\n"),
      .err = E_HEADER, .status = 200, .hdrs = "CL Content-Length: 0\n" },
    { "hdr_obs_fold", IN(OK200 "X-A: a\r\n b\r\n\r\n"),
      .err = E_HEADER, .status = 200, .hdrs = ANY_HDRS },
    { "hdr_leading_tab", IN(OK200 "\tX-A: b\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_space_before_colon", IN(OK200 "X-A : v\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_tab_before_colon", IN(OK200 "Content-Length\t: 0\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_empty_name", IN(OK200 ": v\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_no_colon", IN(OK200 "X-A v\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_space_in_name", IN(OK200 "X A: v\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_bad_name_char", IN(OK200 "X@A: v\r\n\r\n"), .err = E_HEADER, .status = 200 },
    { "hdr_1024", .gen = g_hdr_1024, .status = 200, .ka = true },
    { "hdr_1025", .gen = g_hdr_1025, .err = E_LONG, .status = 200 },
    { "hdr_long_crlf", .gen = g_hdr_long_crlf, .err = E_LONG, .status = 200 },
    { "hdr_long_no_lf", .gen = g_hdr_long_no_lf, .err = E_LONG, .status = 200 },
    { "hdrs_64", .gen = g_hdrs_64, .status = 200, .ka = true },
    { "hdrs_65", .gen = g_hdrs_65, .err = E_MANY, .status = 200 },
    { "trailers_count_64", .gen = g_trailers_64, .status = 200, BODY("a"), .ka = true },
    { "trailers_count_65", .gen = g_trailers_65, .err = E_MANY, .status = 200, BODY("a") },
    { "interim_counts_64", .gen = g_interim_64, .status = 200, .ka = true },
    { "interim_counts_65", .gen = g_interim_65, .err = E_MANY, .status = 200 },

    /* ---- Bad Content-Length / framing ---- */
    { "cl_negative", IN(OK200 "Content-Length: -1\r\n\r\n"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_plus_sign", IN(OK200 "Content-Length: +5\r\n\r\nhello"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_empty", IN(OK200 "Content-Length: \r\n\r\n"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_non_numeric", IN(OK200 "Content-Length: abc\r\n\r\n"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_trailing_junk", IN(OK200 "Content-Length: 5a\r\n\r\nhello"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_inner_space", IN(OK200 "Content-Length: 5 5\r\n\r\nhello"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_hex", IN(OK200 "Content-Length: 0x5\r\n\r\nhello"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_list_differs", IN(OK200 "Content-Length: 5, 6\r\n\r\nhello"), .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_conflicting_dup", IN(OK200 "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello"),
      .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_overflow_2p64", IN(OK200 "Content-Length: 18446744073709551616\r\n\r\n"),
      .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_overflow_20_nines", IN(OK200 "Content-Length: 99999999999999999999\r\n\r\n"),
      .err = E_CL, .status = 200, .hdrs = ANY_HDRS },
    { "cl_19_digits_too_large", IN(OK200 "Content-Length: 9999999999999999999\r\n\r\n"),
      .err = E_BIG, .status = 200, .hdrs = ANY_HDRS },
    { "cl_above_max", IN(OK200 "Content-Length: 16777217\r\n\r\n"),
      .err = E_BIG, .status = 200, .hdrs = ANY_HDRS },
    { "cl_and_te", IN(OK200 "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
      .err = E_FRAMING, .status = 200, .hdrs = ANY_HDRS },
    { "te_and_cl", IN(OK200 "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n5\r\nhello\r\n0\r\n\r\n"),
      .err = E_FRAMING, .status = 200, .hdrs = ANY_HDRS },
    { "http10_chunked_is_faulty",
      IN("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
         "5\r\nhello\r\n0\r\n\r\n"),
      .err = E_FRAMING, .status = 200, .hdrs = ANY_HDRS },
    { "te_gzip", IN(OK200 "Transfer-Encoding: gzip\r\n\r\n"), .err = E_FRAMING, .status = 200, .hdrs = ANY_HDRS },
    { "te_gzip_chunked", IN(OK200 "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n"),
      .err = E_FRAMING, .status = 200, .hdrs = ANY_HDRS },
    { "te_identity", IN(OK200 "Transfer-Encoding: identity\r\n\r\n"), .err = E_FRAMING, .status = 200, .hdrs = ANY_HDRS },
    { "te_chunked_twice", IN(OK200 "Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n"),
      .err = E_FRAMING, .status = 200, .hdrs = ANY_HDRS },

    /* ---- Bad chunks ---- */
    { "chunk_non_hex", IN(CHUNKED "xyz\r\nabc\r\n0\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_hex_then_junk", IN(CHUNKED "5g\r\nhello\r\n0\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_empty_size", IN(CHUNKED "\r\nhello\r\n0\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_ws_before_size", IN(CHUNKED " 5\r\nhello\r\n0\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_0x_prefix", IN(CHUNKED "0x5\r\nhello\r\n0\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_negative", IN(CHUNKED "-1\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_above_2p32", IN(CHUNKED "100000000\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_20_hex_digits", IN(CHUNKED "FFFFFFFFFFFFFFFFFFFF\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_ffffffff_too_large", IN(CHUNKED "FFFFFFFF\r\n"), .err = E_BIG, .status = 200, .hdrs = TE },
    { "chunk_above_max", IN(CHUNKED "1000001\r\n"), .err = E_BIG, .status = 200, .hdrs = TE },
    { "chunk_total_above_max", IN(CHUNKED "1\r\na\r\n1000000\r\n"),
      .err = E_BIG, .status = 200, .hdrs = TE, BODY("a") },
    { "chunk_no_crlf_after_data", IN(CHUNKED "5\r\nhelloX\r\n0\r\n\r\n"),
      .err = E_CHUNK, .status = 200, .hdrs = TE, BODY("hello") },
    { "chunk_cr_alone_after_data", IN(CHUNKED "5\r\nhello\rX\n0\r\n\r\n"),
      .err = E_CHUNK, .status = 200, .hdrs = TE, BODY("hello") },
    { "chunk_cr_in_size_line", IN(CHUNKED "5\rX\r\nhello\r\n0\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_ext_ctl", IN(CHUNKED "5;a\x01" "b\r\nhello\r\n0\r\n\r\n"), .err = E_CHUNK, .status = 200, .hdrs = TE },
    { "chunk_bad_trailer", IN(CHUNKED "2\r\nok\r\n0\r\nBad Trailer\r\n\r\n"),
      .err = E_HEADER, .status = 200, .hdrs = TE, BODY("ok") },
    { "chunk_line_128", .gen = g_chunk_line_128, .status = 200, .hdrs = TE, BODY("x"), .ka = true },
    { "chunk_line_129", .gen = g_chunk_line_129, .err = E_LONG, .status = 200, .hdrs = TE },
    { "chunk_line_long_crlf", .gen = g_chunk_line_long_crlf, .err = E_LONG, .status = 200, .hdrs = TE },

    /* ---- The peer closes too early ---- */
    { "eof_no_bytes", .in = "", .len = 0, .eof = true, .err = E_TRUNC },
    { "eof_mid_status", IN("HTTP/1.1 20"), .eof = true, .err = E_TRUNC },
    /* HTTP/0.9: a body without status line or line end is refused as it
     * comes, not taken for a cut response at the close. */
    { "eof_http09_body", IN("{\"access_token\": \"x\"}"), .eof = true, .err = E_STATUS },
    { "st_not_http_prefix", IN("HTTX"), .err = E_STATUS },
    { "eof_after_status", IN(OK200), .eof = true, .err = E_TRUNC, .status = 200 },
    { "eof_mid_headers", IN(OK200 "Content-Len"), .eof = true, .err = E_TRUNC, .status = 200 },
    { "eof_before_blank_line", IN(OK200 "Content-Length: 2\r\n"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = "CL Content-Length: 2\n" },
    { "eof_after_interim", IN(INTERIM100), .eof = true, .err = E_TRUNC },
    { "eof_mid_cl_body", IN(OK200 "Content-Length: 5\r\n\r\nhel"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = "CL Content-Length: 5\n", BODY("hel") },
    { "eof_mid_chunk", IN(CHUNKED "5\r\nhel"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = TE, BODY("hel") },
    { "eof_mid_chunk_size", IN(CHUNKED "5"), .eof = true, .err = E_TRUNC, .status = 200, .hdrs = TE },
    { "eof_after_chunk_data", IN(CHUNKED "2\r\nok"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = TE, BODY("ok") },
    { "eof_before_last_blank", IN(CHUNKED "2\r\nok\r\n0\r\n"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = TE, BODY("ok") },
    { "eof_mid_trailers", IN(CHUNKED "0\r\nX-T: 1\r\n"), .eof = true,
      .err = E_TRUNC, .status = 200, .hdrs = TE },
    { "need_more_no_eof", IN(OK200 "Content-Len"), .partial = true, .status = 200 },
};

/* ---- Feeding and recording ---------------------------------------------- */

struct record {
    enum fwc_err err;
    int status;
    struct sbuf hdrs;
    uint8_t *body;
    size_t body_len, body_cap; /* cap = expected length: never exceeded */
    bool done, ka;
    size_t consumed;
    int phase;                 /* 0 start, 1 after STATUS, 2 after HEADERS_DONE */
    bool stop;
    const char *bad;           /* API contract broken (first such finding) */
};

static void bad(struct record *r, const char *why)
{
    if (!r->bad)
        r->bad = why;
    r->stop = true;
}

static bool inside(const void *base, size_t size, const void *ptr, size_t n)
{
    uintptr_t b = (uintptr_t)base, q = (uintptr_t)ptr;
    if (n == 0)
        return true;
    return ptr != NULL && q >= b && n <= size && q - b <= size - n;
}

static void on_event(struct record *r, const struct fwc_http_parser *p,
                     const struct fwc_http_event_data *ev, const uint8_t *in, size_t used)
{
    switch (ev->type) {
    case FWC_HTTP_EV_NONE:
        break;
    case FWC_HTTP_EV_STATUS:
        if (r->phase != 0)
            { bad(r, "STATUS out of order"); return; }
        r->status = ev->status;
        r->phase = 1;
        break;
    case FWC_HTTP_EV_HEADER:
        if (r->phase != 1)
            { bad(r, "HEADER out of order"); return; }
        if (ev->name_len == 0 || !inside(p, sizeof *p, ev->name, ev->name_len) ||
            !inside(p, sizeof *p, ev->value, ev->value_len))
            { bad(r, "HEADER name/value does not point into the parser"); return; }
        if ((unsigned)ev->id >= sizeof tags / sizeof tags[0])
            { bad(r, "HEADER with unknown id"); return; }
        sb_str(&r->hdrs, tags[ev->id]);
        sb_str(&r->hdrs, " ");
        sb_add(&r->hdrs, ev->name, ev->name_len);
        sb_str(&r->hdrs, ": ");
        sb_add(&r->hdrs, ev->value, ev->value_len);
        sb_str(&r->hdrs, "\n");
        break;
    case FWC_HTTP_EV_HEADERS_DONE:
        if (r->phase != 1)
            { bad(r, "HEADERS_DONE out of order"); return; }
        r->phase = 2;
        break;
    case FWC_HTTP_EV_BODY:
        if (r->phase != 2)
            { bad(r, "BODY before HEADERS_DONE"); return; }
        if (!inside(in, used, ev->data, ev->len))
            { bad(r, "BODY data is not inside the bytes consumed by this call"); return; }
        if (ev->len > r->body_cap - r->body_len)
            { bad(r, "body longer than expected"); return; }
        if (ev->len)
            memcpy(r->body + r->body_len, ev->data, ev->len);
        r->body_len += ev->len;
        break;
    case FWC_HTTP_EV_DONE:
        if (r->phase != 2)
            { bad(r, "DONE before HEADERS_DONE"); return; }
        r->done = true;
        r->stop = true;
        break;
    default:
        bad(r, "unknown event type");
    }
}

/* Calls fwci_http_parse until the piece is used up and the parser has nothing
 * more to say (an event with input left, or one that needs no input, such as
 * DONE right after the last body byte, is followed by another call). */
static void feed_piece(struct fwc_http_parser *p, struct record *r, const uint8_t *buf, size_t len)
{
    size_t off = 0;
    int idle = 0;

    while (!r->stop) {
        struct fwc_http_event_data ev;
        size_t used = (size_t)-1;
        enum fwc_err err;

        memset(&ev, 0, sizeof ev);
        err = fwci_http_parse(p, buf + off, len - off, &used, &ev);
        if (err != FWC_OK) {
            r->err = err;
            r->stop = true;
            break;
        }
        if (used > len - off) {
            bad(r, "consumed more bytes than it was given");
            break;
        }
        on_event(r, p, &ev, buf + off, used);
        off += used;
        r->consumed += used;
        if (ev.type == FWC_HTTP_EV_NONE) {
            if (off != len)
                bad(r, "EV_NONE with input left over");
            break;
        }
        idle = used ? 0 : idle + 1;
        if (idle > 4)
            bad(r, "events without progress");
    }
}

/* One feeding: whole (cut 0), in two pieces [0,cut) [cut,len), or bytewise. */
static void run(const struct tcase *tc, const uint8_t *in, size_t len, size_t cut,
                bool bytewise, struct record *r)
{
    static const uint8_t extra[1] = { 'X' };
    struct fwc_http_parser p;
    struct fwc_http_event_data ev;
    size_t pos = 0, used;
    enum fwc_err err;

    fwci_http_parse_init(&p, tc->head);
    while (pos < len && !r->stop) {
        size_t end = bytewise ? pos + 1 : (cut > pos ? cut : len);
        uint8_t *piece = malloc(end - pos);
        assert_non_null(piece);
        memcpy(piece, in + pos, end - pos);
        feed_piece(&p, r, piece, end - pos);
        free(piece);
        pos = end;
    }
    if (!r->stop && tc->eof) {
        memset(&ev, 0, sizeof ev);
        err = fwci_http_parse_eof(&p, &ev);
        if (err != FWC_OK)
            r->err = err;
        else if (ev.type == FWC_HTTP_EV_DONE)
            on_event(r, &p, &ev, NULL, 0);
        else
            bad(r, "fwci_http_parse_eof returned FWC_OK without DONE");
    }
    if (r->bad)
        return;
    if (r->done) {
        r->ka = fwci_http_parse_keep_alive(&p);
        memset(&ev, 0, sizeof ev);
        used = 99;
        err = fwci_http_parse(&p, extra, 1, &used, &ev);
        if (err != FWC_OK || ev.type != FWC_HTTP_EV_DONE || used != 0)
            bad(r, "a call after DONE did not give FWC_OK, DONE, 0 bytes");
    } else if (r->err != FWC_OK) {
        memset(&ev, 0, sizeof ev);
        if (fwci_http_parse(&p, extra, 1, &used, &ev) != r->err)
            bad(r, "error not sticky (fwci_http_parse)");
        else if (fwci_http_parse_eof(&p, &ev) != r->err)
            bad(r, "error not sticky (fwci_http_parse_eof)");
    }
}

/* ---- Comparing and reporting --------------------------------------------- */

struct expect {
    enum fwc_err err;
    int status;
    const char *hdrs; /* NULL: not checked */
    size_t hdrs_len;
    const char *body;
    size_t body_len;
    bool done, ka;
    size_t consumed;
};

static const char *err_name(enum fwc_err e)
{
    switch (e) {
    case FWC_OK: return "FWC_OK";
    case FWC_ERR_INVALID_ARG: return "INVALID_ARG";
    case E_STATUS: return "HTTP_STATUS_LINE";
    case E_HEADER: return "HTTP_HEADER";
    case E_LONG: return "HTTP_LINE_TOO_LONG";
    case E_MANY: return "HTTP_TOO_MANY_HEADERS";
    case E_CL: return "HTTP_CONTENT_LENGTH";
    case E_FRAMING: return "HTTP_FRAMING";
    case E_CHUNK: return "HTTP_CHUNK";
    case E_TRUNC: return "HTTP_TRUNCATED";
    case E_BIG: return "BODY_TOO_LARGE";
    default: return "other";
    }
}

static void print_bytes(const char *label, const void *data, size_t len)
{
    const uint8_t *d = data;
    char out[700];
    size_t o = 0, i;

    for (i = 0; i < len && o < 600; i++) {
        uint8_t c = d[i];
        if (c == '\r')
            o += (size_t)snprintf(out + o, sizeof out - o, "\\r");
        else if (c == '\n')
            o += (size_t)snprintf(out + o, sizeof out - o, "\\n");
        else if (c == '\t')
            o += (size_t)snprintf(out + o, sizeof out - o, "\\t");
        else if (c == '"' || c == '\\')
            o += (size_t)snprintf(out + o, sizeof out - o, "\\%c", c);
        else if (c < 0x20 || c >= 0x7f)
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02X", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
    print_error("    %-9s \"%s\"%s (%zu bytes)\n", label, out, i < len ? "..." : "", len);
}

static void print_record(const char *label, const struct record *r)
{
    print_error("  %s: err=%s(%d) status=%d done=%d keep_alive=%d consumed=%zu%s%s\n", label,
                err_name(r->err), (int)r->err, r->status, r->done, r->ka, r->consumed,
                r->bad ? " CONTRACT: " : "", r->bad ? r->bad : "");
    print_bytes("headers", r->hdrs.p ? r->hdrs.p : "", r->hdrs.len);
    print_bytes("body", r->body, r->body_len);
}

static void print_expect(const struct expect *e)
{
    print_error("  expected: err=%s(%d) status=%d done=%d keep_alive=%d consumed=%zu\n",
                err_name(e->err), (int)e->err, e->status, e->done, e->ka, e->consumed);
    if (e->hdrs)
        print_bytes("headers", e->hdrs, e->hdrs_len);
    else
        print_error("    headers   (not checked)\n");
    print_bytes("body", e->body, e->body_len);
}

static bool same_hdrs(const struct record *r, const char *h, size_t hlen)
{
    return r->hdrs.len == hlen && (hlen == 0 || memcmp(r->hdrs.p, h, hlen) == 0);
}

static bool matches_expect(const struct record *r, const struct expect *e)
{
    if (r->bad || r->err != e->err || r->done != e->done)
        return false;
    if (e->status != ANY && r->status != e->status)
        return false;
    if (e->hdrs && !same_hdrs(r, e->hdrs, e->hdrs_len))
        return false;
    if (r->body_len != e->body_len || (e->body_len && memcmp(r->body, e->body, e->body_len)))
        return false;
    if (e->done && r->ka != e->ka)
        return false;
    /* How far an erroring parser got is not part of the contract. */
    return e->err != FWC_OK || r->consumed == e->consumed;
}

static bool same_record(const struct record *a, const struct record *b)
{
    if (a->bad || b->bad || a->err != b->err || a->status != b->status || a->done != b->done ||
        a->ka != b->ka || !same_hdrs(a, b->hdrs.p, b->hdrs.len) || a->body_len != b->body_len)
        return false;
    if (a->body_len && memcmp(a->body, b->body, a->body_len))
        return false;
    return a->err != FWC_OK || a->consumed == b->consumed;
}

static void record_init(struct record *r, size_t body_cap)
{
    memset(r, 0, sizeof *r);
    r->body_cap = body_cap;
    r->body = malloc(body_cap ? body_cap : 1);
    assert_non_null(r->body);
}

static void record_free(struct record *r)
{
    free(r->hdrs.p);
    free(r->body);
}

static void run_case(void **state)
{
    const struct tcase *tc = *state;
    struct gen g;
    struct expect e;
    struct record whole, r;
    const uint8_t *in;
    size_t len, k, split_fail = 0, first_k = 0;
    bool ok = true;

    memset(&g, 0, sizeof g);
    if (tc->gen) {
        tc->gen(&g);
        in = (const uint8_t *)g.in.p;
        len = g.in.len;
    } else {
        in = (const uint8_t *)tc->in;
        len = tc->len;
    }

    memset(&e, 0, sizeof e);
    e.err = tc->err;
    e.status = tc->status;
    e.done = tc->err == FWC_OK && !tc->partial;
    e.ka = tc->ka;
    e.consumed = len - tc->rest;
    if (g.hdrs.p) {
        e.hdrs = g.hdrs.p;
        e.hdrs_len = g.hdrs.len;
    } else if (tc->hdrs != ANY_HDRS) {
        e.hdrs = tc->hdrs ? tc->hdrs : "";
        e.hdrs_len = strlen(e.hdrs);
    }
    if (g.body.p) {
        e.body = g.body.p;
        e.body_len = g.body.len;
    } else {
        e.body = tc->body ? tc->body : "";
        e.body_len = tc->body_len;
    }

    record_init(&whole, e.body_len);
    run(tc, in, len, 0, false, &whole);
    if (!matches_expect(&whole, &e)) {
        ok = false;
        print_error("case %s%s%s: fed whole, result differs from the expectation\n", tc->name,
                    tc->head ? " [HEAD]" : "", tc->eof ? " [then eof]" : "");
        print_bytes("input", in, len);
        print_expect(&e);
        print_record("got", &whole);
    }

    record_init(&r, e.body_len);
    run(tc, in, len, 0, true, &r);
    if (!same_record(&r, &whole)) {
        ok = false;
        print_error("case %s: fed one byte at a time, result differs from whole feed\n", tc->name);
        print_bytes("input", in, len);
        print_record("whole", &whole);
        print_record("bytewise", &r);
    }
    record_free(&r);

    for (k = 1; k < len; k++) {
        record_init(&r, e.body_len);
        run(tc, in, len, k, false, &r);
        if (!same_record(&r, &whole)) {
            if (split_fail++ == 0) {
                first_k = k;
                print_error("case %s: split at %zu, result differs from whole feed\n", tc->name, k);
                print_bytes("input", in, len);
                print_record("whole", &whole);
                print_record("split", &r);
            }
        }
        record_free(&r);
    }
    if (split_fail) {
        ok = false;
        print_error("case %s: %zu of %zu splits differ (first at %zu)\n", tc->name, split_fail,
                    len - 1, first_k);
    }

    record_free(&whole);
    free(g.in.p);
    free(g.hdrs.p);
    free(g.body.p);
    if (!ok)
        fail_msg("case %s: parser result is wrong (details above)", tc->name);
}

int main(void)
{
    size_t n = sizeof cases / sizeof cases[0];
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    int rc;

    if (!tests)
        return 1;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < i; j++) {
            if (strcmp(cases[i].name, cases[j].name) == 0) {
                fprintf(stderr, "duplicate case name %s\n", cases[i].name);
                free(tests);
                return 1;
            }
        }
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    rc = _cmocka_run_group_tests("http_parse", tests, n, NULL, NULL);
    free(tests);
    return rc;
}
