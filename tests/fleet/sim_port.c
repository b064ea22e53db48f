/* SPDX-License-Identifier: MIT */
/* include/fwc/port.h on the virtual clock: no sleeping, no sockets.
 * Entropy comes from a seeded splitmix64, so a run with the same seed
 * replays exactly (the library's jitter included). */
#include <string.h>

#include "fwc/port.h"
#include "sim.h"

int64_t sim_clock_ms;
uint32_t sim_device;
static uint64_t rng_state;

void sim_seed(uint64_t seed)
{
    rng_state = seed;
}

/* splitmix64: small, fast, and good enough to spread waits. */
uint64_t sim_rand(void)
{
    uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

uint32_t sim_rand_below(uint32_t n)
{
    return (uint32_t)(((sim_rand() >> 32) * n) >> 32);
}

/* Monotonic: the virtual clock itself (it never goes below 0). */
uint32_t fwc_port_now_ms(void)
{
    return (uint32_t)sim_clock_ms;
}

/* The library's retry and spread waits move this device's clock only. */
void fwc_port_sleep_ms(uint32_t ms)
{
    sim_clock_ms += ms;
}

bool fwc_port_wall_time(int64_t *out_unix_seconds)
{
    *out_unix_seconds = SIM_WALL_BASE + sim_clock_ms / 1000;
    return true;
}

enum fwc_err fwc_port_entropy(uint8_t *buf, size_t len)
{
    while (len > 0) {
        uint64_t r = sim_rand();
        size_t n = len < sizeof(r) ? len : sizeof(r);
        memcpy(buf, &r, n);
        buf += n;
        len -= n;
    }
    return FWC_OK;
}

/* The sim gives every client its own transport: the socket functions are
 * never called, and fail if they were. */
enum fwc_err fwc_port_tcp_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                                  int *out_sock)
{
    (void)host;
    (void)port;
    (void)timeout_ms;
    (void)out_sock;
    return FWC_ERR_CONNECT;
}

int32_t fwc_port_tcp_send(int sock, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    (void)sock;
    (void)data;
    (void)len;
    (void)timeout_ms;
    return FWC_ERR_TRANSPORT;
}

int32_t fwc_port_tcp_recv(int sock, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    (void)sock;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return FWC_ERR_TRANSPORT;
}

void fwc_port_tcp_close(int sock)
{
    (void)sock;
}

int32_t fwc_port_tcp_unsent(int sock)
{
    (void)sock;
    return -1;
}

/* One task per client: the lock hooks have nothing to guard. */
enum fwc_err fwc_port_lock_init(struct fwc_port_lock *lock)
{
    (void)lock;
    return FWC_OK;
}

void fwc_port_lock_acquire(struct fwc_port_lock *lock)
{
    (void)lock;
}

void fwc_port_lock_release(struct fwc_port_lock *lock)
{
    (void)lock;
}

void fwc_port_lock_free(struct fwc_port_lock *lock)
{
    (void)lock;
}

/* Logging is compiled out (CONFIG_FWC_LOG_LEVEL=0); nothing reaches here. */
void fwc_port_log(int level, const char *line)
{
    (void)level;
    (void)line;
}
