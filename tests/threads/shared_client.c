/* SPDX-License-Identifier: MIT */
/* Several tasks, one client (CONFIG_FWC_LOCKS): WORKERS threads share one
 * struct fwc_client against the emulator (with_emulator.sh --control)
 * while its tokens live LIFETIME_S seconds, so the token is renewed again
 * and again under load. Each thread makes API requests (GET /fotoweb/me/)
 * and now and then copies the token out with fwc_token(). Checked (TAP):
 *   - every request got its 200, and the server saw each exactly once;
 *   - the token was renewed repeatedly, and once per renewal time only
 *     (no herd of renewals when it ran out);
 *   - the emulator never had two token requests in flight at once;
 *   - no request went out with a token the emulator never issued (a
 *     half-written one) or one that had expired, and no 401 at all;
 *   - every token copied out was whole;
 *   - the last-exchange getters (status, Retry-After, certificate
 *     problems) read as idle values while other tasks make exchanges,
 *     without a data race (TSan).
 * Built twice: on the POSIX port with pthreads under ThreadSanitizer
 * (tests/threads/threads.mk), and on port/lwip with lwIP's sys_thread_new
 * over the real lwIP stack (tests/lwip/lwip.mk, SHARED_CLIENT_LWIP). */
#define _POSIX_C_SOURCE 200809L /* pthreads; lwIP's unix port headers */
#include <stdio.h>
#include <string.h>

#include "fwc/oauth.h"
#include "fwc/port.h"
#include "emu_util.h"

#ifdef SHARED_CLIENT_LWIP
#include "lwip/sys.h"
#include "lwip_host.h"
#else
#include <pthread.h>
#endif

#if !CONFIG_FWC_LOCKS
#error "shared_client needs CONFIG_FWC_LOCKS=1"
#endif

#define WORKERS 4
#define RUN_MS 6000u
#define LIFETIME_S 2
#define TOKEN_LEN 43 /* the emulator's tokens (token_size 0) */

struct worker {
    unsigned requests, answered, failures, copies, bad_copies, getter_reads;
    enum fwc_err first_err;
    int first_status;
};

static struct fwc_client client;
static struct worker workers[WORKERS];

static bool token_whole(const char *t, size_t len)
{
    size_t i;
    if (len != TOKEN_LEN || strlen(t) != len)
        return false;
    for (i = 0; i < len; i++) {
        char ch = t[i];
        if (!((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
              ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

static void work(struct worker *w)
{
    static const char expected[] = "\"userName\": \"script\"";
    uint32_t start = fwc_port_now_ms();
    char body[256];
    char token[CONFIG_FWC_TOKEN_MAX + 1];
    char code[FWC_OAUTH_ERROR_MAX];
    size_t len;

    while (fwc_port_now_ms() - start < RUN_MS) {
        struct fwc_http_request req;
        struct fwc_http_response resp;
        enum fwc_err err;
        int status;

        memset(&req, 0, sizeof(req));
        memset(&resp, 0, sizeof(resp));
        req.method = "GET";
        req.path = "/fotoweb/me/";
        resp.body_buf = (uint8_t *)body;
        resp.body_cap = sizeof(body) - 1;
        err = fwc_request(&client, &req, &resp);
        w->requests++;
        /* The last-failure getters, read while other tasks make
         * exchanges: under TSan, a read outside the lock is a race. */
        status = fwc_client_http_status(&client); /* 0: no call has failed */
        fwc_client_oauth_error(&client, code, sizeof(code));
        w->getter_reads += (status == 0) + (code[0] == '\0') +
                           (fwc_client_retry_after(&client) == 0) +
                           (fwc_client_cert_problems(&client) == 0);
        if (err == FWC_OK && resp.status == 200) {
            body[resp.body_len] = '\0';
            if (strstr(body, expected) != NULL)
                w->answered++;
            else
                w->failures++;
        } else {
            if (w->failures++ == 0) {
                w->first_err = err;
                w->first_status = resp.status;
            }
        }
        if (w->requests % 4 == 0) {
            len = 0;
            err = fwc_token(&client, token, sizeof(token), &len);
            w->copies++;
            if (err != FWC_OK || !token_whole(token, len))
                w->bad_copies++;
        }
    }
}

#ifdef SHARED_CLIENT_LWIP
/* One semaphore per worker: lwIP's unix sys_arch semaphores are binary,
 * so two workers signalling one semaphore before main waits would count
 * once and main would wait for ever. */
static sys_sem_t finished[WORKERS];

static void worker_main(void *arg)
{
    struct worker *w = arg;
    work(w);
    sys_sem_signal(&finished[w - workers]);
}

static int run_workers(void)
{
    int i;
    for (i = 0; i < WORKERS; i++)
        if (sys_sem_new(&finished[i], 0) != ERR_OK)
            return -1;
    for (i = 0; i < WORKERS; i++)
        if (sys_thread_new("fwc-worker", worker_main, &workers[i], 0, 1) == NULL)
            return -1;
    for (i = 0; i < WORKERS; i++) {
        (void)sys_arch_sem_wait(&finished[i], 0);
        sys_sem_free(&finished[i]);
    }
    return 0;
}
#else
static void *worker_main(void *arg)
{
    work(arg);
    return NULL;
}

static int run_workers(void)
{
    pthread_t t[WORKERS];
    int i;
    for (i = 0; i < WORKERS; i++)
        if (pthread_create(&t[i], NULL, worker_main, &workers[i]) != 0)
            return -1;
    for (i = 0; i < WORKERS; i++)
        (void)pthread_join(t[i], NULL);
    return 0;
}
#endif

int main(void)
{
    static char out[8192];
    unsigned requests = 0, answered = 0, failures = 0, copies = 0, bad_copies = 0;
    unsigned getter_reads = 0;
    long issued, in_flight_max, api_requests, unknown, expired, api_401;
    uint32_t t0;
    int i, status;

    printf("1..9\n");
#ifdef SHARED_CLIENT_LWIP
    if (lwip_host_up() != 0) {
        printf("Bail out! lwIP stack not up\n");
        return 1;
    }
#endif
    if (emu_client_init(&client) != FWC_OK) {
        printf("Bail out! no client\n");
        return 1;
    }
    /* Short-lived tokens, the statistics zeroed; then forget the token this
     * very call fetched (it was issued with the old, long lifetime). */
    status = emu_call(&client, "PUT", "/_emulator/config",
                      "{\"reset\": true, \"lifetime\": 2, \"token_ttl\": null}", out, sizeof(out));
    if (status != 200) {
        printf("Bail out! emulator control refused (%d): %s\n", status, out);
        return 1;
    }
    fwc_token_invalidate(&client);

    t0 = fwc_port_now_ms();
    if (run_workers() != 0) {
        printf("Bail out! threads not started\n");
        return 1;
    }
    for (i = 0; i < WORKERS; i++) {
        requests += workers[i].requests;
        answered += workers[i].answered;
        failures += workers[i].failures;
        copies += workers[i].copies;
        bad_copies += workers[i].bad_copies;
        getter_reads += workers[i].getter_reads;
        if (workers[i].failures != 0)
            printf("# worker %d: first failure %s, HTTP %d\n", i,
                   fwc_strerror(workers[i].first_err), workers[i].first_status);
    }
    /* Read the statistics before the token could renew again (that
     * request's own token is counted, a renewal now would be one more). */
    status = emu_call(&client, "GET", "/_emulator/stats", NULL, out, sizeof(out));
    fwc_client_close(&client);
    if (status != 200) {
        printf("Bail out! no statistics (%d)\n", status);
        return 1;
    }
    issued = emu_json_long(out, "tokens_issued");
    in_flight_max = emu_json_long(out, "token_in_flight_max");
    api_requests = emu_json_long(out, "api_requests");
    unknown = emu_json_long(out, "bearer_unknown");
    expired = emu_json_long(out, "bearer_expired");
    api_401 = emu_json_long(out, "api_401");
    printf("# %d threads, %u ms, %u requests, %u token copies; emulator: %ld tokens issued "
           "(lifetime %d s), %ld API requests, at most %ld token request(s) in flight\n",
           WORKERS, (unsigned)(fwc_port_now_ms() - t0), requests, copies, issued, LIFETIME_S,
           api_requests, in_flight_max);

    tap(requests > 0 && answered == requests && failures == 0,
        "every request was answered 200 (%u of %u)", answered, requests);
    tap(api_requests == (long)requests, "the server saw each request once (%ld for %u)",
        api_requests, requests);
    /* Renewal is due at half the lifetime: about RUN_MS / 1000 renewals. */
    tap(issued >= 4, "the token was renewed again and again (%ld tokens)", issued);
    tap(issued <= (long)(RUN_MS / (LIFETIME_S * 500u)) + 3,
        "one renewal per renewal time, no herd (%ld tokens, at most %u expected)", issued,
        (unsigned)(RUN_MS / (LIFETIME_S * 500u)) + 3);
    tap(in_flight_max == 1, "never two token requests in flight (most at once: %ld)",
        in_flight_max);
    tap(unknown == 0, "no request carried a token never issued (half-written): %ld", unknown);
    tap(expired == 0 && api_401 == 0, "no request carried an expired token (%ld), no 401 (%ld)",
        expired, api_401);
    tap(copies > 0 && bad_copies == 0, "every token copied out was whole (%u bad of %u)",
        bad_copies, copies);
    tap(getter_reads == 4 * requests, "the getters read idle values (%u of %u)", getter_reads,
        4 * requests);
    return tap_failures() == 0 ? 0 : 1;
}
