/* SPDX-License-Identifier: MIT */
/* TCP for the POSIX port. Sockets stay non-blocking; every wait is a
 * poll() with the caller's timeout, so no socket call blocks past it.
 * The one exception is name lookup: getaddrinfo() has no timeout of its
 * own and is bounded by the resolver's settings instead (resolv.conf
 * "options timeout:N attempts:N", 5 s x 2 x servers by default). Devices
 * that need a hard bound set those, or connect by address. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#ifdef __linux__
#include <linux/sockios.h> /* SIOCOUTQ */
#endif

#include "fwc/port.h"

#ifndef MSG_NOSIGNAL
#ifndef SO_NOSIGPIPE
#error "need MSG_NOSIGNAL or SO_NOSIGPIPE: a peer reset must not raise SIGPIPE"
#endif
#define MSG_NOSIGNAL 0 /* BSD and macOS: SO_NOSIGPIPE below instead */
#endif

/* Milliseconds left of a budget that started at start, as poll() wants
 * them: never negative, which would mean "forever". */
static int remaining_ms(uint32_t start, uint32_t timeout_ms)
{
    uint32_t spent = fwc_port_now_ms() - start;
    uint32_t left = spent >= timeout_ms ? 0 : timeout_ms - spent;
    return left > (uint32_t)INT_MAX ? INT_MAX : (int)left;
}

/* Wait for events on sock within the budget. 1 ready, 0 timed out,
 * -1 failed. */
static int wait_for(int sock, short events, uint32_t start, uint32_t timeout_ms)
{
    struct pollfd pfd;
    int r;

    for (;;) {
        pfd.fd = sock;
        pfd.events = events;
        pfd.revents = 0;
        r = poll(&pfd, 1, remaining_ms(start, timeout_ms));
        if (r >= 0)
            return r > 0 ? 1 : 0;
        if (errno != EINTR)
            return -1;
    }
}

static int open_socket(const struct addrinfo *ai)
{
    int one = 1;
    int flags;
#if defined(SOCK_CLOEXEC) && defined(SOCK_NONBLOCK)
    /* Atomic: a fork in another thread cannot inherit the socket. */
    int sock = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                      ai->ai_protocol);
    if (sock < 0)
        return -1;
    (void)flags;
#else
    int sock = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (sock < 0)
        return -1;
    flags = fcntl(sock, F_GETFL, 0);
    if (flags < 0 || fcntl(sock, F_SETFL, flags | O_NONBLOCK) != 0 ||
        fcntl(sock, F_SETFD, FD_CLOEXEC) != 0) {
        close(sock);
        return -1;
    }
#endif
    /* Requests are written whole; do not let Nagle hold the last piece. */
    (void)setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
#ifdef SO_NOSIGPIPE
    (void)setsockopt(sock, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#endif
    return sock;
}

/* Connect one address. FWC_OK with *out_sock, or an error. */
static enum fwc_err connect_one(const struct addrinfo *ai, uint32_t timeout_ms, int *out_sock)
{
    int sock = open_socket(ai);
    int so_error = 0;
    socklen_t len = sizeof(so_error);
    int ready;

    if (sock < 0)
        return FWC_ERR_TRANSPORT;
    if (connect(sock, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS) {
            so_error = errno;
        } else {
            ready = wait_for(sock, POLLOUT, fwc_port_now_ms(), timeout_ms);
            if (ready <= 0) {
                close(sock);
                return ready == 0 ? FWC_ERR_TIMEOUT : FWC_ERR_TRANSPORT;
            }
            if (getsockopt(sock, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
                so_error = errno;
        }
    }
    if (so_error != 0) {
        close(sock);
        return FWC_ERR_CONNECT;
    }
    *out_sock = sock;
    return FWC_OK;
}

/* RFC 6761 6.3: "localhost" is the loopback address and must not go to
 * DNS. Answered here, so it works on devices and minimal images that have
 * no /etc/hosts. Returns the numeric address to resolve instead, or host. */
static const char *loopback_for(const char *host)
{
    size_t n = strlen(host);
    static const char suffix[] = ".localhost";
    if (strcasecmp(host, "localhost") == 0 ||
        (n > sizeof(suffix) - 1 && strcasecmp(host + n - (sizeof(suffix) - 1), suffix) == 0))
        return "127.0.0.1";
    return host;
}

enum fwc_err fwc_port_tcp_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                                  int *out_sock)
{
    struct addrinfo hints, *list = NULL, *ai;
    char service[8];
    uint32_t start = fwc_port_now_ms();
    enum fwc_err err = FWC_ERR_CONNECT;

    if (host == NULL || out_sock == NULL || port == 0)
        return FWC_ERR_INVALID_ARG;
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC; /* IPv4 and IPv6 */
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    (void)snprintf(service, sizeof(service), "%u", (unsigned)port);
    switch (getaddrinfo(loopback_for(host), service, &hints, &list)) {
    case 0:
        break;
    case EAI_NONAME:
    case EAI_AGAIN:
    case EAI_FAIL:
#ifdef EAI_NODATA
    case EAI_NODATA:
#endif
        return FWC_ERR_DNS;
    default:
        return FWC_ERR_TRANSPORT;
    }
    if (list == NULL)
        return FWC_ERR_DNS;
    for (ai = list; ai != NULL; ai = ai->ai_next) {
        int left = remaining_ms(start, timeout_ms);
        if (left == 0) {
            err = FWC_ERR_TIMEOUT;
            break;
        }
        err = connect_one(ai, (uint32_t)left, out_sock);
        if (err == FWC_OK)
            break;
    }
    freeaddrinfo(list);
    return err;
}

static int32_t io_error(void)
{
    switch (errno) {
    case EAGAIN:
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
        return FWC_ERR_TIMEOUT;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
        return FWC_ERR_CONN_RESET;
    default:
        return FWC_ERR_TRANSPORT;
    }
}

static size_t clamp_len(size_t len)
{
    return len > (size_t)INT32_MAX ? (size_t)INT32_MAX : len;
}

/* poll() may report ready and the call still find nothing (a spurious
 * wake-up, or data dropped for a bad checksum): wait again for the rest of
 * the same budget rather than report a timeout early. */
int32_t fwc_port_tcp_send(int sock, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    uint32_t start = fwc_port_now_ms();
    ssize_t n;
    int ready;

    /* Send first, wait only when the send queue is full: the socket is
     * non-blocking, and an upload sends one TLS record per call into a
     * queue that nearly always has room, so a poll() before each would
     * be a wasted system call per record. */
    for (;;) {
        n = send(sock, data, clamp_len(len), MSG_NOSIGNAL);
        if (n > 0)
            return (int32_t)n;
        if (n == 0 || (errno != EINTR && io_error() != FWC_ERR_TIMEOUT))
            return n == 0 ? FWC_ERR_TRANSPORT : io_error();
        if (remaining_ms(start, timeout_ms) == 0)
            return FWC_ERR_TIMEOUT;
        ready = wait_for(sock, POLLOUT, start, timeout_ms);
        if (ready <= 0)
            return ready == 0 ? FWC_ERR_TIMEOUT : FWC_ERR_TRANSPORT;
    }
}

int32_t fwc_port_tcp_recv(int sock, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    uint32_t start = fwc_port_now_ms();
    ssize_t n;
    int ready;

    for (;;) {
        /* POLLHUP and POLLERR also wake poll; recv() then tells which. */
        ready = wait_for(sock, POLLIN, start, timeout_ms);
        if (ready <= 0)
            return ready == 0 ? FWC_ERR_TIMEOUT : FWC_ERR_TRANSPORT;
        n = recv(sock, buf, clamp_len(len), 0);
        if (n >= 0)
            return (int32_t)n;
        if ((errno == EINTR || io_error() == FWC_ERR_TIMEOUT) &&
            remaining_ms(start, timeout_ms) > 0)
            continue;
        return io_error();
    }
}

void fwc_port_tcp_close(int sock)
{
    if (sock >= 0)
        (void)close(sock);
}

/* Linux counts unsent and unacknowledged bytes in SIOCOUTQ; elsewhere
 * this port cannot tell (fwc then bounds the wait by silence alone). */
int32_t fwc_port_tcp_unsent(int sock)
{
#ifdef SIOCOUTQ
    int queued = 0;
    if (sock >= 0 && ioctl(sock, SIOCOUTQ, &queued) == 0 && queued >= 0)
        return (int32_t)queued;
#else
    (void)sock;
#endif
    return -1;
}
