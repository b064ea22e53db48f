/* SPDX-License-Identifier: MIT */
/* fwc on a Cortex-M4: the firmware `make target` runs in QEMU's
 * mps2-an386 (tests/target/run.sh). Bare metal, lwIP with NO_SYS 1 over
 * fwc's port/lwip_nosys, mbedTLS 2.28 with port/mbedtls's configuration
 * and a static arena. On boot it takes an address by DHCP, fetches a token
 * over TLS 1.2 from the FotoWeb emulator, makes an API request on the kept
 * connection, and uploads 1 MiB it generates itself, in chunks, through
 * examples/rtos_task/capture.c (the code the RTOS example runs too); the
 * emulator's SHA-256 of what it received must equal the device's. Then it
 * prints what it cost: peak stack (painted at reset), mbedTLS's arena peak,
 * static RAM, flash and fwc's share of it, and instructions per phase.
 *
 * TEST RIG: the URL, the CA file and the credentials come from QEMU's
 * command line and the host's files through semihosting (semihost.h);
 * a product has them in flash and secure storage. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "mbedtls/memory_buffer_alloc.h"
#include "mbedtls/sha256.h"

#include "board.h"   /* examples/rtos_task: what the capture code asks of a board */
#include "capture.h" /* examples/rtos_task: the capture code itself */
#include "fwc/oauth.h"
#include "fwc/upload.h"
#include "fwc_port_lwip_nosys.h"
#include "mps2.h"
#include "semihost.h"

uint32_t board_network_up(uint32_t timeout_ms);

#define UPLOAD_SIZE (1024u * 1024u)
/* mbedTLS's heap: one arena, sized with margin over the measured peak. */
#define ARENA_SIZE (40u * 1024u)

static struct fwc_client client;
static unsigned char arena[ARENA_SIZE] __attribute__((aligned(8)));
static char cmdline[512];
static uint8_t ca[8192];
static size_t ca_len;
static char secret[129];
static size_t secret_len;
static char body[4096];
static char asset_url[256];
static const char *url, *client_id;

/* ---- console ------------------------------------------------------------ */

static void put(const char *s)
{
    board_puts(s);
}

static void put_u64(uint64_t v)
{
    char d[21];
    int i = 20;
    d[i] = '\0';
    do {
        d[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    put(d + i);
}

static void put_kv(const char *what, uint64_t v, const char *unit)
{
    put(what);
    put_u64(v);
    put(unit);
}

static void fail(const char *what, enum fwc_err err)
{
    char code[8];
    int c = -(int)err, i = (int)sizeof(code) - 1;
    code[i] = '\0';
    do {
        code[--i] = (char)('0' + c % 10);
        c /= 10;
    } while (c != 0 && i > 1);
    code[--i] = '-';
    put(what);
    put(": ");
    put(fwc_strerror(err));
    put(" (");
    put(code + i);
    put(")\n");
}

/* ---- the test rig's configuration (semihosting) --------------------------- */

/* "key=value" from the command line, copied to out; NULL when absent. */
static const char *arg(const char *key)
{
    size_t klen = strlen(key);
    const char *p = cmdline;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        if (strncmp(p, key, klen) == 0 && p[klen] == '=')
            return p + klen + 1;
        while (*p != '\0' && *p != ' ')
            p++;
    }
    return NULL;
}

/* Terminate every argument at its space, once all have been found. */
static void split_args(void)
{
    char *p;
    for (p = cmdline; *p != '\0'; p++)
        if (*p == ' ')
            *p = '\0';
}

static size_t read_host_file(const char *path, void *buf, size_t cap)
{
    int h = path != NULL ? sh_open_read(path) : -1;
    size_t got = 0;
    long n;
    if (h < 0)
        return 0;
    while (got < cap && (n = sh_read(h, (uint8_t *)buf + got, cap - got)) > 0)
        got += (size_t)n;
    sh_close(h);
    return got;
}

const uint8_t *board_ca(size_t *out_len)
{
    *out_len = ca_len;
    return ca;
}

const char *board_base_url(void)
{
    return url;
}

const char *board_destination(void)
{
    return "/fotoweb/archives/5000-Uploads/";
}

enum fwc_err board_read_credential(int which, char *buf, size_t cap, size_t *out_len)
{
    const char *v = which == 0 ? client_id : secret;
    size_t n = which == 0 ? (client_id != NULL ? strlen(client_id) : 0) : secret_len;
    if (v == NULL || n == 0 || n > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, v, n);
    *out_len = n;
    return FWC_OK;
}

/* ---- what the device uploads: 1 MiB it makes up, from any offset ---------- */

struct generated {
    uint64_t pos;
};

/* Byte i is a hash of its 32-bit word's index: any offset can be produced
 * at once (fwc seeks back to resend a chunk), and TLS sees no pattern. */
static uint32_t mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static int32_t generated_read(void *ctx, uint8_t *buf, size_t len)
{
    struct generated *g = ctx;
    size_t n = len, i;
    uint32_t w = 0;
    if (n > UPLOAD_SIZE - g->pos)
        n = (size_t)(UPLOAD_SIZE - g->pos);
    for (i = 0; i < n; i++) {
        uint64_t at = g->pos + i;
        unsigned byte = (unsigned)(at & 3u);
        if (byte == 0 || i == 0) /* one hash per word */
            w = mix((uint32_t)(at >> 2) ^ 0x5eed0001u);
        buf[i] = (uint8_t)(w >> (8u * byte));
    }
    g->pos += n;
    return (int32_t)n;
}

/* What producing the data alone costs, to tell it from fwc's, TLS's and
 * lwIP's share of the upload. */
static uint64_t generation_instructions(void);

static enum fwc_err generated_seek(void *ctx, uint64_t offset)
{
    struct generated *g = ctx;
    if (offset > UPLOAD_SIZE)
        return FWC_ERR_INVALID_ARG;
    g->pos = offset;
    return FWC_OK;
}

static void sha256_hex(char out[65])
{
    static const char digits[] = "0123456789abcdef";
    struct generated g = {0};
    mbedtls_sha256_context sha;
    uint8_t digest[32];
    int32_t n;
    int i;

    mbedtls_sha256_init(&sha);
    (void)mbedtls_sha256_starts_ret(&sha, 0);
    /* Through a static buffer, so the rig's checks do not deepen the stack. */
    while ((n = generated_read(&g, (uint8_t *)body, sizeof(body))) > 0)
        (void)mbedtls_sha256_update_ret(&sha, (const uint8_t *)body, (size_t)n);
    (void)mbedtls_sha256_finish_ret(&sha, digest);
    mbedtls_sha256_free(&sha);
    for (i = 0; i < 32; i++) {
        out[2 * i] = digits[digest[i] >> 4];
        out[2 * i + 1] = digits[digest[i] & 15];
    }
    out[64] = '\0';
}

/* ---- measuring ------------------------------------------------------------ */

/* Instructions executed since boot. QEMU runs this firmware with
 * -icount shift=0: the virtual clock advances exactly 1 ns per instruction
 * while the core runs, and SysTick counts that clock at 25 MHz, so busy
 * time (time not spent asleep in WFI) x 40 ns is the instruction count, to
 * within a tick and the few instructions of each wake-up. Without -icount
 * this is core-clock time, not instructions. */
static uint64_t instructions(void)
{
    return (board_ticks() - board_idle_ticks()) * (1000000000u / BOARD_CPU_HZ);
}

/* Bytes of the arena mbedTLS ever touched: painted after
 * mbedtls_memory_buffer_alloc_init (which zeroes it and writes its first
 * block header), scanned from the top. Block headers and fragmentation
 * included: this is the size the arena needs. */
static void paint_arena(void)
{
    memset(arena + 64, BOARD_PAINT, sizeof(arena) - 64);
}

static size_t arena_peak(void)
{
    size_t i = sizeof(arena);
    while (i > 64 && arena[i - 1] == BOARD_PAINT)
        i--;
    return i;
}

static size_t span(const uint8_t *a, const uint8_t *b)
{
    return (size_t)(b - a);
}

static uint64_t generation_instructions(void)
{
    struct generated g = {0};
    uint64_t t0 = instructions();
    /* Into a static buffer: this measurement must not deepen the stack. */
    while (generated_read(&g, (uint8_t *)body, 2048) > 0)
        ;
    return instructions() - t0;
}

/* ---- the job -------------------------------------------------------------- */

/* A request through fwc into body; the HTTP status, or -1 after printing
 * fwc's error. */
static int call(const char *method, const char *path, const char *json)
{
    struct fwc_http_request req;
    struct fwc_http_response resp;
    struct fwc_http_header ctype = {"Content-Type", "application/json"};
    enum fwc_err err;

    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.method = method;
    req.path = path;
    if (json != NULL) {
        req.body = (const uint8_t *)json;
        req.body_len = strlen(json);
        req.headers = &ctype;
        req.header_count = 1;
    }
    resp.body_buf = (uint8_t *)body;
    resp.body_cap = sizeof(body) - 1;
    err = fwc_request(&client, &req, &resp);
    if (err != FWC_OK) {
        fail(path, err);
        return -1;
    }
    body[resp.body_len] = '\0';
    return resp.status;
}

/* "sha256": "<hex>" in the emulator's answer. */
static bool json_sha256(char out[65])
{
    const char *p = strstr(body, "\"sha256\": \"");
    if (p == NULL)
        p = strstr(body, "\"sha256\":\"");
    if (p == NULL)
        return false;
    p = strchr(p + 9, '"');
    if (p == NULL || strlen(p + 1) < 65 || p[65] != '"')
        return false;
    memcpy(out, p + 1, 64);
    out[64] = '\0';
    return true;
}

int main(void)
{
    char token[CONFIG_FWC_TOKEN_MAX + 1], want[65], got[65], path[200];
    struct fwc_upload_state state;
    struct generated gen = {0};
    struct capture cap;
    uint64_t t0, i_token, i_request, i_upload, i_generate;
    uint32_t addr;
    size_t token_len = 0, stack, heap, static_ram, flash, stack_token, heap_token, main_frame;
    uint8_t *sp;
    enum fwc_err err;
    int status;

    /* main's own frame (the token buffer and the rest above) is the
     * application's; what fwc's calls need is the peak minus this. */
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    main_frame = span(sp, (const uint8_t *)__stack_top);
    board_clock_start();
    put("fwc firmware: QEMU mps2-an386, Cortex-M4, lwIP NO_SYS, mbedTLS 2.28 (test rig: "
        "semihosting console, host entropy and time)\n");
    if (sh_cmdline(cmdline, sizeof(cmdline)) != 0) {
        put("no command line (-semihosting-config arg=...)\n");
        return 2;
    }
    {
        const char *ca_path = arg("ca"), *secret_path = arg("secret");
        url = arg("url");
        client_id = arg("id");
        split_args();
        ca_len = read_host_file(ca_path, ca, sizeof(ca) - 1);
        secret_len = read_host_file(secret_path, secret, sizeof(secret) - 1);
    }
    while (secret_len > 0 && (secret[secret_len - 1] == '\n' || secret[secret_len - 1] == '\r'))
        secret_len--;
    if (url == NULL || client_id == NULL || ca_len == 0 || secret_len == 0) {
        put("usage: url=https://... ca=FILE secret=FILE id=CLIENT_ID\n");
        return 2;
    }
    ca[ca_len++] = '\0'; /* PEM with its NUL counted */

    addr = board_network_up(30000);
    if (addr == 0) {
        put("network: no DHCP address within 30 s\n");
        return 2;
    }
    put_kv("network: address ", addr & 0xffu, ".");
    put_kv("", (addr >> 8) & 0xffu, ".");
    put_kv("", (addr >> 16) & 0xffu, ".");
    put_kv("", addr >> 24, " by DHCP\n");

    mbedtls_memory_buffer_alloc_init(arena, sizeof(arena));
    paint_arena();
    err = capture_client_init(&client);
    if (err != FWC_OK) {
        fail("client", err);
        return 2;
    }

    t0 = instructions();
    err = fwc_token(&client, token, sizeof(token), &token_len);
    i_token = instructions() - t0;
    if (err != FWC_OK) {
        fail("token", err);
        return 1;
    }
    memset(token, 0, sizeof(token)); /* never printed, not kept here */
    stack_token = board_stack_peak();
    heap_token = arena_peak();
    put_kv("token: ok, ", token_len, " characters; ");
    put_kv("", i_token, " instructions (TCP connect, TLS 1.2 handshake, token request)\n");

    t0 = instructions();
    status = call("GET", "/fotoweb/me/", NULL);
    i_request = instructions() - t0;
    if (status != 200 || strstr(body, "\"userName\"") == NULL) {
        put_kv("request: GET /fotoweb/me/ answered ", (uint64_t)(status < 0 ? 0 : status), "\n");
        return 1;
    }
    put_kv("request: GET /fotoweb/me/ 200 on the kept connection; ", i_request,
           " instructions\n");

    /* The emulator answers the upload's status poll "done" at once (the
     * upload is what is measured, not the server's processing), and takes
     * 256 KiB chunks, so the 1 MiB goes in four requests on the kept
     * connection, as a larger file would. */
    if (call("PUT", "/_emulator/config", "{\"status_polls\": 0, \"chunk_size\": 262144}") != 200) {
        put("emulator control endpoint refused the settings\n");
        return 1;
    }
    sha256_hex(want);
    cap.name = "target.bin";
    cap.size = UPLOAD_SIZE;
    cap.read = generated_read;
    cap.seek = generated_seek;
    cap.ctx = &gen;
    t0 = instructions();
    err = capture_send(&client, &cap, &state, asset_url, sizeof(asset_url));
    i_upload = instructions() - t0;
    if (err != FWC_OK) {
        fail("upload", err);
        return 1;
    }
    put_kv("upload: ", UPLOAD_SIZE, " bytes generated on the device, ");
    put_kv("", state.num_chunks, " chunks; ");
    put_kv("", i_upload, " instructions, ");
    i_generate = generation_instructions();
    put_kv("of which ", i_generate, " make up the data\n");

    memcpy(path, "/_emulator/uploads/", 19);
    memcpy(path + 19, state.id, strlen(state.id) + 1);
    if (call("GET", path, NULL) != 200 || !json_sha256(got) || strcmp(got, want) != 0) {
        put("upload: the emulator's SHA-256 differs from the device's ");
        put(want);
        put("\n");
        return 1;
    }
    put("upload: emulator's SHA-256 = device's: ");
    put(got);
    put("\n");
    fwc_client_close(&client);

    stack = board_stack_peak();
    heap = arena_peak();
    static_ram = span((const uint8_t *)__data_start, (const uint8_t *)__data_end) +
                 span((const uint8_t *)__bss_start, (const uint8_t *)__bss_end);
    flash = span((const uint8_t *)0, __flash_end);
    put_kv("stack: ", stack, " B peak (painted; one stack: fwc, mbedTLS, lwIP, interrupts); ");
    put_kv("", stack_token, " B by the end of the token fetch; ");
    put_kv("", stack - main_frame, " B below main's own frame of ");
    put_kv("", main_frame, " B\n");
    put_kv("heap: ", heap, " B peak of mbedTLS's ");
    put_kv("", sizeof(arena), " B arena (headers and fragmentation included); ");
    put_kv("", heap_token, " B by the end of the token fetch\n");
    put_kv("static RAM: ", static_ram, " B (.data + .bss): ");
    put_kv("fwc ", span(__fwc_bss_start, __fwc_bss_end), " B, ");
    put_kv("port ", span(__port_bss_start, __port_bss_end), " B, ");
    put_kv("mbedTLS ", span(__mbedtls_bss_start, __mbedtls_bss_end), " B, ");
    put_kv("lwIP ", span(__lwip_bss_start, __lwip_bss_end), " B, ");
    put_kv("struct fwc_client ", sizeof(struct fwc_client), " B, ");
    put_kv("mbedTLS arena ", sizeof(arena), " B, ");
    put_kv("the rig's buffers ", sizeof(cmdline) + sizeof(ca) + sizeof(secret) + sizeof(body), " B\n");
    put_kv("RAM: ", static_ram + stack, " B total (static + stack peak); ");
    put_kv("", static_ram + stack - sizeof(arena) + heap, " B with the arena cut to its peak\n");
    put_kv("flash: ", flash, " B image; ");
    put_kv("fwc ", span(__fwc_flash_start, __fwc_flash_end), " B, ");
    put_kv("port ", span(__port_flash_start, __port_flash_end), " B, ");
    put_kv("mbedTLS ", span(__mbedtls_flash_start, __mbedtls_flash_end), " B, ");
    put_kv("lwIP ", span(__lwip_flash_start, __lwip_flash_end), " B\n");
    put_kv("instructions: token ", i_token, ", ");
    put_kv("request ", i_request, ", ");
    put_kv("upload per MiB ", i_upload - i_generate, " without making up the data");
    put(" (QEMU -icount shift=0, busy time)\n");
    put_kv("target: token ok, request ok, upload ok, stack ", stack, " B, ");
    put_kv("heap ", heap, " B, ");
    put_kv("ram ", static_ram + stack, " B, ");
    put_kv("flash ", flash, " B\n");
    return 0;
}
