/* SPDX-License-Identifier: MIT */
/* port/lwip: TCP over lwIP's sockets API. Sockets are non-blocking from
 * the start; every wait is an lwip_poll() with the caller's budget, so no
 * call blocks past it (name lookup aside: see fwc_port_lwip.h). */
#define _POSIX_C_SOURCE 200809L /* lwIP's unix port wants SSIZE_MAX */
#include <string.h>

#include "lwip/opt.h"
#if LWIP_SOCKET_EXTERNAL_HEADERS
/* lwIP uses the system's socket headers (its unix port): then its
 * O_NONBLOCK and F_SETFL are the system's too, and must be seen before
 * lwip/sockets.h defines its own. */
#include <fcntl.h>
#endif
#include "lwip/def.h"
#include "lwip/inet.h"
#include "lwip/sockets.h"
#include "lwip/sys.h"
#if LWIP_DNS
#include "lwip/netdb.h"
#endif

#include "fwc/port.h"

#if !LWIP_SOCKET || !LWIP_SOCKET_POLL || !LWIP_TCP
#error "port/lwip needs LWIP_SOCKET, LWIP_SOCKET_POLL and LWIP_TCP"
#endif

/* Milliseconds left of a budget that started at start, as lwip_poll()
 * wants them: never negative, which would mean "forever". */
static int remaining_ms(uint32_t start, uint32_t timeout_ms)
{
    uint32_t spent = fwc_port_now_ms() - start;
    uint32_t left = spent >= timeout_ms ? 0 : timeout_ms - spent;
    return left > 0x7fffffffu ? 0x7fffffff : (int)left;
}

/* Wait for events on sock within the budget. 1 ready (or an error or
 * hang-up to be read by the next call), 0 timed out, -1 failed. */
static int wait_for(int sock, short events, uint32_t start, uint32_t timeout_ms)
{
    struct pollfd pfd;
    int r;

    for (;;) {
        pfd.fd = sock;
        pfd.events = events;
        pfd.revents = 0;
        r = lwip_poll(&pfd, 1, remaining_ms(start, timeout_ms));
        if (r >= 0)
            return r > 0 ? 1 : 0;
        if (errno != EINTR)
            return -1;
    }
}

static int32_t io_error(int err)
{
    switch (err) {
    case EAGAIN:
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case EINTR: /* interrupted as the budget ran out: the socket is good */
        return FWC_ERR_TIMEOUT;
    case ECONNRESET:
    case EPIPE:
    case ECONNABORTED:
        return FWC_ERR_CONN_RESET;
    default:
        return FWC_ERR_TRANSPORT;
    }
}

/* The socket's pending error (SO_ERROR), or errno when that cannot be read. */
static int socket_error(int sock)
{
    int so_error = 0;
    socklen_t len = (socklen_t)sizeof(so_error);
    if (lwip_getsockopt(sock, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
        return errno;
    return so_error;
}

/* One address: FWC_OK with *out_sock, or an error; no socket left open. */
static enum fwc_err connect_one(const struct sockaddr *sa, socklen_t sa_len, uint32_t timeout_ms,
                                int *out_sock)
{
    int one = 1;
    int sock = lwip_socket(sa->sa_family, SOCK_STREAM, 0);
    int so_error = 0, ready;

    if (sock < 0)
        return FWC_ERR_TRANSPORT;
    if (lwip_fcntl(sock, F_SETFL, O_NONBLOCK) != 0) {
        (void)lwip_close(sock);
        return FWC_ERR_TRANSPORT;
    }
    /* Requests are written whole; do not let Nagle hold the last piece. */
    (void)lwip_setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &one, (socklen_t)sizeof(one));
    if (lwip_connect(sock, sa, sa_len) != 0) {
        if (errno != EINPROGRESS) {
            so_error = errno;
        } else {
            ready = wait_for(sock, POLLOUT, fwc_port_now_ms(), timeout_ms);
            if (ready <= 0) {
                (void)lwip_close(sock);
                return ready == 0 ? FWC_ERR_TIMEOUT : FWC_ERR_TRANSPORT;
            }
            so_error = socket_error(sock);
        }
    }
    if (so_error != 0) {
        (void)lwip_close(sock);
        return FWC_ERR_CONNECT;
    }
    *out_sock = sock;
    return FWC_OK;
}

/* A numeric IPv4 or IPv6 address, parsed without DNS. */
static bool numeric_address(const char *host, uint16_t port, struct sockaddr_storage *ss,
                            socklen_t *out_len)
{
    memset(ss, 0, sizeof(*ss));
#if LWIP_IPV4
    {
        struct sockaddr_in *a = (struct sockaddr_in *)(void *)ss;
        if (lwip_inet_pton(AF_INET, host, &a->sin_addr) == 1) {
            a->sin_family = AF_INET;
            a->sin_port = lwip_htons(port);
            *out_len = (socklen_t)sizeof(*a);
            return true;
        }
    }
#endif
#if LWIP_IPV6
    {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)(void *)ss;
        if (lwip_inet_pton(AF_INET6, host, &a->sin6_addr) == 1) {
            a->sin6_family = AF_INET6;
            a->sin6_port = lwip_htons(port);
            *out_len = (socklen_t)sizeof(*a);
            return true;
        }
    }
#endif
    return false;
}

#if LWIP_DNS
static enum fwc_err connect_by_name(const char *host, uint16_t port, uint32_t start,
                                    uint32_t timeout_ms, int *out_sock)
{
    struct addrinfo hints, *list = NULL, *ai;
    char service[8];
    enum fwc_err err = FWC_ERR_CONNECT;
    unsigned p = port, i = sizeof(service) - 1;

    service[i] = '\0';
    do {
        service[--i] = (char)('0' + p % 10u);
        p /= 10u;
    } while (p != 0);
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if (lwip_getaddrinfo(host, service + i, &hints, &list) != 0 || list == NULL)
        return FWC_ERR_DNS;
    for (ai = list; ai != NULL; ai = ai->ai_next) {
        int left = remaining_ms(start, timeout_ms);
        if (left == 0) {
            err = FWC_ERR_TIMEOUT;
            break;
        }
        err = connect_one(ai->ai_addr, (socklen_t)ai->ai_addrlen, (uint32_t)left, out_sock);
        if (err == FWC_OK)
            break;
    }
    lwip_freeaddrinfo(list);
    return err;
}
#endif

enum fwc_err fwc_port_tcp_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                                  int *out_sock)
{
    struct sockaddr_storage ss;
    socklen_t len = 0;
    uint32_t start = fwc_port_now_ms();

    if (host == NULL || out_sock == NULL || port == 0)
        return FWC_ERR_INVALID_ARG;
    if (numeric_address(host, port, &ss, &len))
        return connect_one((const struct sockaddr *)(const void *)&ss, len, timeout_ms,
                           out_sock);
#if LWIP_DNS
    return connect_by_name(host, port, start, timeout_ms, out_sock);
#else
    (void)start;
    return FWC_ERR_DNS; /* no resolver in this lwIP build: addresses only */
#endif
}

static size_t clamp_len(size_t len)
{
    return len > (size_t)INT32_MAX ? (size_t)INT32_MAX : len;
}

/* lwip_poll() may report ready and the call still find nothing: wait again
 * for the rest of the same budget rather than report a timeout early. */
int32_t fwc_port_tcp_send(int sock, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    uint32_t start = fwc_port_now_ms();
    ssize_t n;
    int ready, err;

    for (;;) {
        ready = wait_for(sock, POLLOUT, start, timeout_ms);
        if (ready <= 0)
            return ready == 0 ? FWC_ERR_TIMEOUT : FWC_ERR_TRANSPORT;
        n = lwip_send(sock, data, clamp_len(len), 0);
        if (n > 0)
            return (int32_t)n;
        err = n < 0 ? errno : 0;
        if (n < 0 && (err == EINTR || io_error(err) == FWC_ERR_TIMEOUT) &&
            remaining_ms(start, timeout_ms) > 0)
            continue;
        /* lwIP reports a reset connection on send as ENOTCONN or ECONNRESET
         * depending on when the RST arrived; the socket's error tells. */
        if (n < 0 && err == ENOTCONN && io_error(socket_error(sock)) == FWC_ERR_CONN_RESET)
            return FWC_ERR_CONN_RESET;
        return n == 0 ? FWC_ERR_TRANSPORT : io_error(err);
    }
}

int32_t fwc_port_tcp_recv(int sock, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    uint32_t start = fwc_port_now_ms();
    ssize_t n;
    int ready, err;

    for (;;) {
        /* POLLERR and POLLHUP wake the poll as well; recv() then tells. */
        ready = wait_for(sock, POLLIN, start, timeout_ms);
        if (ready <= 0)
            return ready == 0 ? FWC_ERR_TIMEOUT : FWC_ERR_TRANSPORT;
        n = lwip_recv(sock, buf, clamp_len(len), 0);
        if (n >= 0)
            return (int32_t)n;
        err = errno;
        /* lwIP answers the peer's FIN with 0 once, then ENOTCONN: the
         * stream still ended in order, and port.h wants 0 every time (a
         * reset stays ECONNRESET, and the socket's pending error tells a
         * reset reported as ENOTCONN). A socket fwc holds was connected, so
         * ENOTCONN cannot mean "never connected" here. */
        if (err == ENOTCONN)
            return io_error(socket_error(sock)) == FWC_ERR_CONN_RESET ? FWC_ERR_CONN_RESET : 0;
        if ((err == EINTR || io_error(err) == FWC_ERR_TIMEOUT) &&
            remaining_ms(start, timeout_ms) > 0)
            continue;
        return io_error(err);
    }
}

void fwc_port_tcp_close(int sock)
{
    if (sock >= 0)
        (void)lwip_close(sock);
}

/* lwIP's socket API has no way to read the send queue's length. */
int32_t fwc_port_tcp_unsent(int sock)
{
    (void)sock;
    return -1;
}
