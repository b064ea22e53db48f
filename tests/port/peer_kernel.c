/* SPDX-License-Identifier: MIT */
/* The conformance peer (peer.h) on the host kernel's sockets. The address
 * is FWC_PORT_PEER (tests/lwip/netns.sh sets the TAP's kernel side), or
 * 127.0.0.1; the port under test is brought up by port_setup(), which each
 * port's test build supplies. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "peer.h"

int port_setup(void);

/* A port whose stack runs only while it is called (port/lwip_nosys: bare
 * metal, one thread) sets this in port_setup. The peer's waits then turn
 * that stack as they wait, as a device's main loop does when idle:
 * otherwise what the port's send queued would never leave while the test
 * waits here for it. */
void (*peer_port_idle)(void) = NULL;

static long now_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* poll() on one descriptor, turning the port's stack meanwhile if it needs it. */
static int wait_fd(int fd, short events, int timeout_ms)
{
    struct pollfd p = {fd, events, 0};
    long start = now_ms();
    int r;

    if (peer_port_idle == NULL)
        return poll(&p, 1, timeout_ms);
    for (;;) {
        r = poll(&p, 1, 1);
        if (r != 0 || now_ms() - start >= timeout_ms)
            return r;
        peer_port_idle();
    }
}

const char *peer_host(void)
{
    const char *h = getenv("FWC_PORT_PEER");
    return h != NULL ? h : "127.0.0.1";
}

int peer_setup(void)
{
    return port_setup();
}

static int bound_socket(uint16_t *out_port, int rcvbuf)
{
    struct sockaddr_in a;
    socklen_t len = sizeof(a);
    int one = 1;
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return -1;
    (void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (rcvbuf > 0)
        (void)setsockopt(s, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    if (inet_pton(AF_INET, peer_host(), &a.sin_addr) != 1 ||
        bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        getsockname(s, (struct sockaddr *)&a, &len) != 0) {
        close(s);
        return -1;
    }
    *out_port = ntohs(a.sin_port);
    return s;
}

int peer_listen(uint16_t *out_port, int small_window)
{
    int s = bound_socket(out_port, small_window ? 4096 : 0);
    if (s >= 0 && listen(s, 8) != 0) {
        close(s);
        return -1;
    }
    return s;
}

uint16_t peer_closed_port(void)
{
    uint16_t port = 0;
    int s = bound_socket(&port, 0);
    if (s < 0)
        return 0;
    close(s); /* bound, never listened: a SYN there is answered with RST */
    return port;
}

/* Fill the accept queue of a backlog-0 listener with connections nobody
 * accepts: Linux then drops further SYNs, so a connect times out. */
int peer_listen_silent(uint16_t *out_port)
{
    struct sockaddr_in a;
    int s = bound_socket(out_port, 0);
    int i, c;
    if (s < 0 || listen(s, 0) != 0)
        return -1;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_port = htons(*out_port);
    (void)inet_pton(AF_INET, peer_host(), &a.sin_addr);
    for (i = 0; i < 2; i++) {
        c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        if (c >= 0)
            (void)connect(c, (struct sockaddr *)&a, sizeof(a)); /* kept open: leaks 2 fds */
    }
    usleep(50000);
    return s;
}

int peer_accept(int listener)
{
    if (wait_fd(listener, POLLIN, 2000) != 1)
        return -1;
    return accept(listener, NULL, NULL);
}

int peer_write(int sock, const void *data, size_t len)
{
    const char *d = data;
    while (len > 0) {
        ssize_t n = write(sock, d, len);
        if (n <= 0)
            return -1;
        d += n;
        len -= (size_t)n;
    }
    return 0;
}

long peer_read(int sock, void *buf, size_t len, int timeout_ms)
{
    if (wait_fd(sock, POLLIN, timeout_ms) != 1)
        return -1;
    return (long)read(sock, buf, len);
}

void peer_close(int sock)
{
    if (sock >= 0)
        close(sock);
}

void peer_reset(int sock)
{
    struct linger lin = {1, 0};
    (void)setsockopt(sock, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
    close(sock);
}
