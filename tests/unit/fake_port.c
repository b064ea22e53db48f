/* SPDX-License-Identifier: MIT */
#include "fake_port.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/port.h"
#include "fwc/secret.h"
#include "fwc/transport.h"

/* Start near the wrap so every test also crosses 2^32. */
uint32_t fake_now_ms = 0xFFFFF000u;
uint8_t fake_entropy_byte = 0x80;
int fake_entropy_fails;
char fake_log[65536];
size_t fake_log_len;

void fake_clock_advance(uint32_t ms)
{
    fake_now_ms += ms;
}

uint32_t fwc_port_now_ms(void)
{
    return fake_now_ms;
}

void fwc_port_sleep_ms(uint32_t ms)
{
    fake_now_ms += ms;
}

/* Unknown unless a test sets it (the warm-start tests do). */
bool fake_wall_known;
int64_t fake_wall_s;

bool fwc_port_wall_time(int64_t *out_unix_seconds)
{
    if (fake_wall_known)
        *out_unix_seconds = fake_wall_s;
    return fake_wall_known;
}

enum fwc_err fwc_port_entropy(uint8_t *buf, size_t len)
{
    if (fake_entropy_fails)
        return FWC_ERR_TRANSPORT;
    memset(buf, fake_entropy_byte, len);
    return FWC_OK;
}

void fake_log_reset(void)
{
    fake_log_len = 0;
    fake_log[0] = '\0';
}

/* Strings no log line may ever hold: the fake secret in the forms fwc
 * handles it (raw and form-encoded), and whatever
 * a test adds (its tokens). A line that holds one ends the test program
 * at once, whatever the test itself checks. */
static const char *forbidden[16] = {"s3cr+t/with=odd&chars", "s3cr%2Bt%2Fwith%3Dodd%26chars"};
static size_t forbidden_count = 2;

void fake_log_forbid(const char *s)
{
    size_t i;
    for (i = 0; i < forbidden_count; i++)
        if (strcmp(forbidden[i], s) == 0)
            return;
    if (forbidden_count == sizeof(forbidden) / sizeof(forbidden[0])) {
        fprintf(stderr, "FATAL: fake_log_forbid: list full\n");
        abort();
    }
    forbidden[forbidden_count++] = s;
}

static void refuse_secret_in_log(const char *line)
{
    size_t i;
    for (i = 0; i < forbidden_count; i++) {
        if (strstr(line, forbidden[i]) != NULL) {
            fprintf(stderr, "FATAL: log line holds forbidden string #%zu\n", i);
            abort();
        }
    }
}

void fwc_port_log(int level, const char *line)
{
    size_t n = strlen(line);
    (void)level;
    refuse_secret_in_log(line);
    if (n + 2 > sizeof(fake_log) - fake_log_len)
        return;
    memcpy(fake_log + fake_log_len, line, n);
    fake_log_len += n;
    fake_log[fake_log_len++] = '\n';
    fake_log[fake_log_len] = '\0';
}

/* Unit tests use scripted transports; a real socket is never opened. A
 * test may play one through the sockets (fake_tcp), for the proxy tunnel. */
const struct fwc_transport *fake_tcp;
char fake_tcp_host[256];
uint16_t fake_tcp_port;
unsigned fake_tcp_closes;

enum fwc_err fwc_port_tcp_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                                  int *out_sock)
{
    enum fwc_err err;
    if (fake_tcp == NULL)
        return FWC_ERR_CONNECT;
    snprintf(fake_tcp_host, sizeof(fake_tcp_host), "%s", host);
    fake_tcp_port = port;
    err = fake_tcp->open(fake_tcp->ctx, timeout_ms);
    if (err == FWC_OK)
        *out_sock = 7;
    return err;
}

int32_t fwc_port_tcp_send(int sock, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    if (fake_tcp == NULL || sock != 7)
        return FWC_ERR_TRANSPORT;
    return fake_tcp->send(fake_tcp->ctx, data, len, timeout_ms);
}

int32_t fwc_port_tcp_recv(int sock, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    if (fake_tcp == NULL || sock != 7)
        return FWC_ERR_TRANSPORT;
    return fake_tcp->recv(fake_tcp->ctx, buf, len, timeout_ms);
}

void fwc_port_tcp_close(int sock)
{
    if (fake_tcp != NULL && sock == 7) {
        fake_tcp_closes++;
        fake_tcp->close(fake_tcp->ctx);
    }
}

int32_t fwc_port_tcp_unsent(int sock)
{
    if (fake_tcp == NULL || sock != 7 || fake_tcp->unsent == NULL)
        return -1;
    return fake_tcp->unsent(fake_tcp->ctx);
}

#if CONFIG_FWC_LOCKS
enum fwc_err fwc_port_lock_init(struct fwc_port_lock *lock)
{
    memset(lock, 0, sizeof(*lock));
    return FWC_OK;
}

/* A non-recursive lock, as port.h allows: taking it twice (which would
 * deadlock a real one) or releasing it unheld aborts the test program. */
int fake_lock_held;
unsigned fake_lock_takes;

void fwc_port_lock_acquire(struct fwc_port_lock *lock)
{
    if (lock->storage.bytes[0] != 0) {
        fprintf(stderr, "fake_port: lock taken twice (a real lock would deadlock)\n");
        abort();
    }
    lock->storage.bytes[0] = 1;
    fake_lock_held++;
    fake_lock_takes++;
}

void fwc_port_lock_release(struct fwc_port_lock *lock)
{
    if (lock->storage.bytes[0] != 1) {
        fprintf(stderr, "fake_port: lock released but not held\n");
        abort();
    }
    lock->storage.bytes[0] = 0;
    fake_lock_held--;
}

void fwc_port_lock_free(struct fwc_port_lock *lock)
{
    (void)lock;
}
#endif

/* The secret hook (CONFIG_FWC_SECRET_CALLBACK), answering from these. */
const char *fake_client_id = "demo-client";
const char *fake_client_secret = "s3cr+t/with=odd&chars";
int fake_secret_fails;
unsigned fake_secret_calls;

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    const char *v = item == FWC_SECRET_CLIENT_ID ? fake_client_id : fake_client_secret;
    size_t n = strlen(v);
    (void)ctx;
    fake_secret_calls++;
    if (fake_secret_fails || n > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, v, n);
    *out_len = n;
    return FWC_OK;
}
