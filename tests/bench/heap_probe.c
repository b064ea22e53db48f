/* SPDX-License-Identifier: MIT */
/* Heap probe: how much memory mbedTLS takes from the heap at each stage of
 * an fwc TLS connection. fwc itself allocates nothing (tests/check_no_heap.sh),
 * so everything counted here is mbedTLS.
 *
 * Link with -Wl,--wrap=calloc -Wl,--wrap=free against mbedTLS's STATIC
 * archives: every calloc/free those archives make then lands in
 * __wrap_calloc/__wrap_free below (mbedTLS allocates with nothing else;
 * tests/bench/heap.mk checks that with nm). Each block carries a 16-byte
 * header with its size, so the counters know what a free gives back.
 * Allocations made inside the C library itself (getaddrinfo, stdio) are not
 * seen: they do not go through the wrapped symbols.
 *
 * Usage: heap_probe HOST PORT CA_FILE [PATH]
 * Stages, each measured on its own:
 *   init     fwci_tls_init: CA parse, DRBG seed, ssl_setup (+ PSA init, 3.x)
 *   ca       the CA chain parsed once more on its own, for the breakdown
 *   hs       the first transport open: TCP connect + full handshake
 *   req      first GET of PATH on that connection, after the handshake
 *   req2     a second GET on the same kept-alive connection
 *   close    fwci_http_close (the TLS context stays, ready to reconnect)
 *   resume   a third GET reconnects: the (resumed) handshake ...
 *   req3     ... and that GET's request/response
 *   cycles   8 more reconnections (HEAP_CYCLES=n for n), each with one GET;
 *            cycle1_held and cycles_held are what is held after the first
 *            and the last of them is closed: equal unless something grows
 *   free     fwci_tls_free (end_held: after mbedtls_psa_crypto_free too)
 * For each: <stage>_peak = most bytes held at any moment during the stage,
 * <stage>_held = bytes held when it ended (both counted from zero, i.e.
 * everything mbedTLS holds), <stage>_max = largest single block allocated
 * in it, <stage>_blocks = most blocks held at once in it (for sizing an
 * allocator with per-block overhead), <stage>_stack = the probe thread's
 * deepest stack use during the stage (see stack_paint). ca_peak and ca_held are the extra
 * bytes over what init left (ca_blocks is still counted from zero).
 * Prints one line "heap: key=value ...": also lib (mbedTLS version),
 * result (fwc code of the first failure, 0 = all fine), mbedtls (its last
 * error), status, proto and body of the first GET, req2 and req3 (fwc
 * codes of the second GET and of the third GET plus the extra
 * reconnections), opens (connections made), and the calloc/free counts.
 * HEAP_TRACE: see below. Exit status 0 when the probe ran (the line says whether the
 * requests succeeded), 2 on bad usage. */
#define _POSIX_C_SOURCE 200809L /* pthread_attr_setstack */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/x509_crt.h>
#if defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

#include "fwc/internal/http_conn.h"
#include "fwc/internal/tls.h"

/* ---- Counting allocator --------------------------------------------------- */

void *__real_calloc(size_t n, size_t size);
void __real_free(void *p);
void *__wrap_calloc(size_t n, size_t size);
void __wrap_free(void *p);

#define HEAP_MAGIC 0x6677636865617021ull /* "fwcheap!" */

/* 16 bytes in front of each block: keeps the 16-byte alignment the C
 * library's calloc gives. */
union block_header {
    struct {
        size_t size;
        uint64_t magic;
    } h;
    unsigned char pad[16];
};
typedef char block_header_is_16_bytes[sizeof(union block_header) == 16 ? 1 : -1];

/* HEAP_TRACE=<bytes> in the environment: print every calloc and free of a
 * block of at least that size to stderr, the calloc with its caller's
 * address (the probe is linked -no-pie: addr2line -f -e heap_probe ADDR). */
static size_t trace_min;
static int tracing;
static const char *stage_name = "init";

static struct {
    size_t cur;     /* bytes held now */
    size_t peak;    /* most held since the stage began */
    size_t biggest; /* largest block since the stage began */
    size_t blocks;  /* blocks held now */
    size_t peak_blocks; /* most blocks held since the stage began */
    unsigned long callocs, frees, foreign_frees, failed;
} heap;

void *__wrap_calloc(size_t n, size_t size)
{
    union block_header *b;
    size_t total;

    if (n != 0 && size > SIZE_MAX / n) {
        heap.failed++;
        return NULL;
    }
    total = n * size;
    if (total > SIZE_MAX - sizeof(*b)) {
        heap.failed++;
        return NULL;
    }
    b = __real_calloc(1, sizeof(*b) + total);
    if (b == NULL) {
        heap.failed++;
        return NULL;
    }
    b->h.size = total;
    b->h.magic = HEAP_MAGIC;
    heap.callocs++;
    heap.blocks++;
    if (heap.blocks > heap.peak_blocks)
        heap.peak_blocks = heap.blocks;
    heap.cur += total;
    if (heap.cur > heap.peak)
        heap.peak = heap.cur;
    if (total > heap.biggest)
        heap.biggest = total;
    if (tracing && total >= trace_min)
        fprintf(stderr, "heap_trace: %s +%lu now=%lu block=%p caller=%p\n", stage_name,
                (unsigned long)total, (unsigned long)heap.cur, (void *)(b + 1),
                __builtin_return_address(0));
    return b + 1;
}

void __wrap_free(void *p)
{
    union block_header *b;

    if (p == NULL)
        return;
    b = (union block_header *)p - 1;
    if (b->h.magic != HEAP_MAGIC) {
        /* Not ours (should not happen): hand it on untouched. */
        heap.foreign_frees++;
        __real_free(p);
        return;
    }
    b->h.magic = 0;
    heap.frees++;
    heap.blocks--;
    heap.cur -= b->h.size;
    if (tracing && b->h.size >= trace_min)
        fprintf(stderr, "heap_trace: %s -%lu now=%lu block=%p\n", stage_name,
                (unsigned long)b->h.size, (unsigned long)heap.cur, p);
    __real_free(b);
}

/* ---- Stack high-water ---------------------------------------------------- */

/* The probe runs on a thread whose stack is this array. Each stage paints
 * what lies below the live stack (less a 256-byte margin) and, at its end,
 * finds the deepest byte that changed: the whole thread's stack depth
 * (probe, fwc, mbedTLS, libc) during the stage. These are x86-64 frames,
 * with 8-byte registers and pointers: an estimate for a 32-bit target,
 * not its measurement. */
#define PROBE_STACK_SIZE (1024u * 1024u)
#define STACK_PAINT 0xA5u
static unsigned char probe_stack[PROBE_STACK_SIZE] __attribute__((aligned(64)));
/* The probe thread's first frame: depths count from here, leaving out
 * what glibc keeps at the top of a thread's stack (its descriptor, TLS). */
static uintptr_t stack_base;

/* Not inlined, and calling nothing: its own local marks the deepest live
 * frame (a caller's locals may lie far below the caller's frame address),
 * and the volatile stores keep the compiler from making the loop a memset
 * call, whose frame would sit in the painted area. */
__attribute__((noinline)) static void stack_paint(void)
{
    volatile unsigned char here = 0;
    volatile unsigned char *p = probe_stack;
    uintptr_t lo = (uintptr_t)probe_stack, below = (uintptr_t)&here - 256u;
    size_t i;

    if (below <= lo || below >= lo + PROBE_STACK_SIZE)
        return;
    for (i = 0; i < below - lo; i++)
        p[i] = STACK_PAINT;
}

static size_t stack_used(void)
{
    size_t i = 0;
    if (stack_base == 0)
        return 0;
    while (i < PROBE_STACK_SIZE && probe_stack[i] == STACK_PAINT)
        i++;
    return (size_t)(stack_base - ((uintptr_t)probe_stack + i));
}

struct stage {
    size_t peak, held, biggest, blocks, stack;
};

static void stage_begin(const char *name)
{
    stack_paint();
    stage_name = name;
    heap.peak = heap.cur;
    heap.peak_blocks = heap.blocks;
    heap.biggest = 0;
}

static struct stage stage_end(void)
{
    struct stage s;
    s.peak = heap.peak;
    s.held = heap.cur;
    s.biggest = heap.biggest;
    s.blocks = heap.peak_blocks;
    s.stack = stack_used();
    return s;
}

/* ---- fwc's TLS transport, with its open measured ------------------------ */

static struct fwc_tls tls;
static struct fwc_transport inner;    /* fwc's TLS transport */
static struct fwc_transport measured; /* what the HTTP engine uses */
static struct stage open_stage[2];
static unsigned opens;

static enum fwc_err measured_open(void *ctx, uint32_t timeout_ms)
{
    enum fwc_err err;

    stage_begin(opens == 0 ? "hs" : "resume");
    err = inner.open(ctx, timeout_ms);
    if (opens < 2)
        open_stage[opens] = stage_end();
    opens++;
    /* What follows in the same exchange is the request/response. */
    stage_begin(opens == 1 ? "req" : "req3");
    return err;
}

/* ---- The probe --------------------------------------------------------- */

static uint8_t ca[1048576]; /* room for a whole system CA bundle */
static struct fwc_http_conn conn;

/* 0 when unreadable or too large (never a silently cut bundle). */
static size_t load_ca(const char *path)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL)
        return 0;
    n = fread(ca, 1, sizeof(ca), f);
    fclose(f);
    if (n == sizeof(ca))
        return 0;
    ca[n] = '\0';
    return n + 1; /* PEM: the NUL counts */
}

static enum fwc_err count_body(void *ctx, const uint8_t *data, size_t len)
{
    (void)data;
    *(uint64_t *)ctx += len;
    return FWC_OK;
}

struct get_result {
    enum fwc_err err;
    int status;
    uint64_t body;
    int mbedtls;
    char proto[16];
};

static struct stage get(const char *path, const char *name, struct get_result *r)
{
    struct fwc_http_request req;
    struct fwc_http_response resp;
    const char *proto;

    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    memset(r, 0, sizeof(*r));
    req.method = "GET";
    req.path = path;
    resp.sink = count_body;
    resp.sink_ctx = &r->body;
    stage_begin(name); /* restarted by measured_open when it connects */
    r->err = fwci_http_exchange(&conn, &req, &resp);
    r->status = resp.status;
    r->mbedtls = fwci_tls_mbedtls_error(&tls);
    proto = r->err == FWC_OK ? fwci_tls_protocol(&tls) : "none";
    snprintf(r->proto, sizeof(r->proto), "%s", proto);
    return stage_end();
}

static void put(const char *name, struct stage s)
{
    printf(" %s_peak=%lu %s_held=%lu %s_max=%lu %s_blocks=%lu %s_stack=%lu", name,
           (unsigned long)s.peak, name, (unsigned long)s.held, name, (unsigned long)s.biggest,
           name, (unsigned long)s.blocks, name, (unsigned long)s.stack);
}

static int probe_main(int argc, char **argv)
{
    struct stage init, ca_only, req, req2, close_s, req3, freed;
    struct get_result r1, r2, r3, rc;
    unsigned long i, cycles = 8;
    size_t cycle1_held = 0, cycled_held = 0;
    mbedtls_x509_crt crt;
    char authority[300];
    const char *path = argc == 5 ? argv[4] : "/probe";
    size_t ca_len, before;
    enum fwc_err err;
    int ret;

    if (argc < 4 || argc > 5 || atoi(argv[2]) <= 0 || atoi(argv[2]) > 65535 ||
        path[0] != '/') {
        fprintf(stderr, "usage: %s HOST PORT CA_FILE [PATH]\n", argv[0]);
        return 2;
    }
    ca_len = load_ca(argv[3]);
    if (ca_len == 0) {
        fprintf(stderr, "cannot read %s (or larger than %lu bytes)\n", argv[3],
                (unsigned long)sizeof(ca) - 1);
        return 2;
    }
    snprintf(authority, sizeof(authority), "%s:%s", argv[1], argv[2]);
    memset(&r1, 0, sizeof(r1));
    memset(&r2, 0, sizeof(r2));
    memset(&r3, 0, sizeof(r3));
    memset(&ca_only, 0, sizeof(ca_only));
    memset(&req, 0, sizeof(req));
    memset(&req2, 0, sizeof(req2));
    memset(&close_s, 0, sizeof(close_s));
    memset(&req3, 0, sizeof(req3));

    if (getenv("HEAP_CYCLES") != NULL)
        cycles = strtoul(getenv("HEAP_CYCLES"), NULL, 10);
    if (getenv("HEAP_TRACE") != NULL) {
        tracing = 1;
        trace_min = (size_t)strtoul(getenv("HEAP_TRACE"), NULL, 10);
    }

    /* init */
    stage_begin("init");
    err = fwci_tls_init(&tls, argv[1], (uint16_t)atoi(argv[2]), ca, ca_len);
    init = stage_end();

    if (err == FWC_OK) {
        /* ca: the same chain parsed on its own (PSA is up by now on 3.x). */
        before = heap.cur;
        stage_begin("ca");
        mbedtls_x509_crt_init(&crt);
        ret = mbedtls_x509_crt_parse(&crt, ca, ca_len);
        ca_only = stage_end();
        ca_only.peak -= before;
        ca_only.held -= before;
        mbedtls_x509_crt_free(&crt);
        if (ret != 0)
            err = FWC_ERR_INVALID_ARG;
    }
    if (err == FWC_OK) {
        inner = tls.transport;
        measured = inner; /* send, recv and close as they are */
        measured.open = measured_open;
        err = fwci_http_conn_init(&conn, &measured, authority);
    }
    if (err == FWC_OK) {
        req = get(path, "req", &r1); /* connects: hs, then req */
        if (r1.err == FWC_OK)
            req2 = get(path, "req2", &r2);
        stage_begin("close");
        fwci_http_close(&conn);
        close_s = stage_end();
        if (r1.err == FWC_OK)
            req3 = get(path, "req3", &r3); /* reconnects: resume, req3 */
        fwci_http_close(&conn);
        /* More reconnections: what stays held must not grow with them. */
        for (i = 0; i < cycles && r1.err == FWC_OK && r3.err == FWC_OK; i++) {
            (void)get(path, "cycle", &rc);
            fwci_http_close(&conn);
            if (rc.err != FWC_OK)
                r3.err = rc.err;
            if (i == 0)
                cycle1_held = heap.cur;
        }
        cycled_held = heap.cur;
    }

    stage_begin("free");
    fwci_tls_free(&tls);
    freed = stage_end();
#if defined(MBEDTLS_PSA_CRYPTO_C)
    /* PSA's global key store stays until this; fwc never calls it (other
     * code in the application may use PSA too). */
    mbedtls_psa_crypto_free();
#endif

    printf("heap: lib=\"%s\" result=%d mbedtls=-0x%04x status=%d proto=%s body=%lu req2=%d "
           "req3=%d opens=%u",
           fwci_tls_library_version(), err != FWC_OK ? (int)err : (int)r1.err,
           (unsigned)-r1.mbedtls, r1.status, r1.proto, (unsigned long)r1.body, (int)r2.err,
           (int)r3.err, opens);
    put("init", init);
    put("ca", ca_only);
    put("hs", open_stage[0]);
    put("req", req);
    put("req2", req2);
    put("close", close_s);
    if (opens < 2)
        memset(&open_stage[1], 0, sizeof(open_stage[1]));
    put("resume", open_stage[1]);
    put("req3", req3); /* the request on the reconnected connection */
    put("free", freed);
    printf(" cycles=%lu cycle1_held=%lu cycles_held=%lu", cycles, (unsigned long)cycle1_held,
           (unsigned long)cycled_held);
    printf(" end_held=%lu callocs=%lu frees=%lu foreign_frees=%lu failed=%lu\n",
           (unsigned long)heap.cur, heap.callocs, heap.frees, heap.foreign_frees, heap.failed);
    return 0;
}

struct probe_args {
    int argc;
    char **argv;
    int status;
};

static void *probe_thread(void *arg)
{
    struct probe_args *a = arg;
    stack_base = (uintptr_t)__builtin_frame_address(0);
    a->status = probe_main(a->argc, a->argv);
    return NULL;
}

/* probe_main on a thread with probe_stack as its stack, for stack_used(). */
int main(int argc, char **argv)
{
    struct probe_args a = {argc, argv, 1};
    pthread_attr_t attr;
    pthread_t t;

    if (pthread_attr_init(&attr) != 0 ||
        pthread_attr_setstack(&attr, probe_stack, sizeof(probe_stack)) != 0 ||
        pthread_create(&t, &attr, probe_thread, &a) != 0 || pthread_join(t, NULL) != 0) {
        fprintf(stderr, "heap_probe: cannot start the probe thread\n");
        return 2;
    }
    return a.status;
}
