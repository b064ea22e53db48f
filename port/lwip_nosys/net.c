/* SPDX-License-Identifier: MIT */
/* port/lwip_nosys: TCP over lwIP's raw API with NO_SYS 1. A socket is an
 * index into a small table; lwIP's callbacks record what happened (the
 * connection is up, data arrived, the peer sent FIN, the connection died)
 * and every call of the contract polls the stack until its answer is
 * there or its budget is spent (fwc_port_lwip_nosys.h). */
#include <string.h>

#include "lwip/opt.h"
#include "lwip/err.h"
#include "lwip/ip_addr.h"
#include "lwip/pbuf.h"
#include "lwip/tcp.h"
#if LWIP_DNS
#include "lwip/dns.h"
#endif

#include "fwc/port.h"
#include "fwc_port_lwip_nosys.h"

#if !LWIP_TCP
#error "port/lwip_nosys needs LWIP_TCP"
#endif

enum sock_state {
    SOCK_FREE = 0,
    SOCK_CONNECTING,
    SOCK_OPEN,
    SOCK_DEAD /* lwIP freed the pcb: refused, reset or aborted (err says which) */
};

struct nosys_socket {
    struct tcp_pcb *pcb; /* NULL once lwIP has freed it */
    struct pbuf *rx;     /* received, not yet read; TCP's window bounds it */
    err_t err;           /* what the error callback reported */
    uint8_t state;
    uint8_t fin; /* the peer closed its side; read 0 once rx is empty */
};

static struct nosys_socket sockets[FWC_LWIP_NOSYS_SOCKETS];

static struct nosys_socket *socket_of(int sock)
{
    if (sock < 0 || sock >= FWC_LWIP_NOSYS_SOCKETS || sockets[sock].state == SOCK_FREE)
        return NULL;
    return &sockets[sock];
}

/* Milliseconds left of a budget that started at start. */
static uint32_t remaining_ms(uint32_t start, uint32_t timeout_ms)
{
    uint32_t spent = fwc_port_now_ms() - start;
    return spent >= timeout_ms ? 0 : timeout_ms - spent;
}

/* ---- lwIP's callbacks: they only record ------------------------------- */

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    struct nosys_socket *s = arg;
    (void)pcb;
    (void)err; /* lwIP 2.1 calls this only on success */
    if (s != NULL && s->state == SOCK_CONNECTING)
        s->state = SOCK_OPEN;
    return ERR_OK;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
    struct nosys_socket *s = arg;
    (void)pcb;
    (void)err;
    if (s == NULL) { /* not ours any more: lwIP's default would do the same */
        if (p != NULL)
            pbuf_free(p);
        return ERR_OK;
    }
    if (p == NULL) {
        s->fin = 1;
        return ERR_OK;
    }
    if (s->rx == NULL) {
        s->rx = p;
    } else {
        /* A pbuf chain counts its length in 16 bits. Refusing here makes
         * lwIP keep the segment and offer it again later, once fwc has
         * read; TCP's window normally stops this long before. */
        if ((uint32_t)s->rx->tot_len + p->tot_len > 0xffffu)
            return ERR_MEM;
        pbuf_cat(s->rx, p);
    }
    return ERR_OK;
}

/* The pcb is already freed when this runs: forget it. */
static void on_error(void *arg, err_t err)
{
    struct nosys_socket *s = arg;
    if (s == NULL)
        return;
    s->pcb = NULL;
    s->err = err;
    s->state = SOCK_DEAD;
}

/* ---- helpers ------------------------------------------------------------ */

/* Detach our callbacks, then close: a graceful FIN, or an abort (RST) when
 * lwIP cannot queue the FIN for want of memory, so the pcb is never left
 * behind. */
static void release_pcb(struct tcp_pcb *pcb)
{
    tcp_arg(pcb, NULL);
    tcp_recv(pcb, NULL);
    tcp_err(pcb, NULL);
    if (tcp_close(pcb) != ERR_OK)
        tcp_abort(pcb);
}

static void free_socket(struct nosys_socket *s)
{
    if (s->pcb != NULL)
        release_pcb(s->pcb);
    if (s->rx != NULL)
        (void)pbuf_free(s->rx);
    memset(s, 0, sizeof(*s));
}

/* A dead connection's error, as the contract names it. */
static int32_t dead_error(const struct nosys_socket *s)
{
    /* ERR_RST: the peer reset it; ERR_CLSD: the peer closed it entirely
     * while we still wrote (a kernel then answers with RST too). */
    if (s->err == ERR_RST || s->err == ERR_CLSD)
        return FWC_ERR_CONN_RESET;
    return FWC_ERR_TRANSPORT; /* ERR_ABRT: retransmissions gave up, memory */
}

#if LWIP_DNS
/* One name lookup at a time (fwc connects once at a time). A lookup that
 * timed out may still be answered later: the generation tells that answer
 * apart from the current lookup's. */
static struct {
    ip_addr_t addr;
    uint32_t gen;
    uint8_t state; /* 0 none, 1 waiting, 2 found, 3 no such name */
} lookup;

static void on_dns(const char *name, const ip_addr_t *addr, void *arg)
{
    (void)name;
    if ((uint32_t)(uintptr_t)arg != lookup.gen || lookup.state != 1)
        return;
    if (addr != NULL) {
        ip_addr_copy(lookup.addr, *addr);
        lookup.state = 2;
    } else {
        lookup.state = 3;
    }
}

/* Resolve within the budget: FWC_OK, FWC_ERR_DNS or FWC_ERR_TIMEOUT. */
static enum fwc_err resolve(const char *host, uint32_t start, uint32_t timeout_ms,
                            ip_addr_t *out)
{
    err_t e;
    lookup.gen++;
    lookup.state = 1;
    e = dns_gethostbyname(host, out, on_dns, (void *)(uintptr_t)lookup.gen);
    if (e == ERR_OK) {
        lookup.state = 0;
        return FWC_OK;
    }
    if (e != ERR_INPROGRESS) {
        lookup.state = 0;
        return FWC_ERR_DNS;
    }
    while (lookup.state == 1) {
        uint32_t left = remaining_ms(start, timeout_ms);
        if (left == 0) {
            lookup.state = 0;
            return FWC_ERR_TIMEOUT;
        }
        fwc_lwip_nosys_service(left);
    }
    if (lookup.state == 3) {
        lookup.state = 0;
        return FWC_ERR_DNS;
    }
    ip_addr_copy(*out, lookup.addr);
    lookup.state = 0;
    return FWC_OK;
}
#endif

/* ---- the contract ------------------------------------------------------- */

enum fwc_err fwc_port_tcp_connect(const char *host, uint16_t port, uint32_t timeout_ms,
                                  int *out_sock)
{
    uint32_t start = fwc_port_now_ms();
    struct nosys_socket *s = NULL;
    ip_addr_t addr;
    err_t e;
    int i;

    if (host == NULL || out_sock == NULL || port == 0)
        return FWC_ERR_INVALID_ARG;
    if (!ipaddr_aton(host, &addr)) {
#if LWIP_DNS
        enum fwc_err err = resolve(host, start, timeout_ms, &addr);
        if (err != FWC_OK)
            return err;
#else
        return FWC_ERR_DNS; /* no resolver in this lwIP build: addresses only */
#endif
    }
    for (i = 0; i < FWC_LWIP_NOSYS_SOCKETS && s == NULL; i++)
        if (sockets[i].state == SOCK_FREE)
            s = &sockets[i];
    if (s == NULL)
        return FWC_ERR_TRANSPORT; /* FWC_LWIP_NOSYS_SOCKETS all in use */
    memset(s, 0, sizeof(*s));
    s->pcb = tcp_new_ip_type(IP_GET_TYPE(&addr));
    if (s->pcb == NULL)
        return FWC_ERR_TRANSPORT; /* lwIP's pcb pool is empty */
    s->state = SOCK_CONNECTING;
    tcp_arg(s->pcb, s);
    tcp_recv(s->pcb, on_recv);
    tcp_err(s->pcb, on_error);
    /* Requests are written whole; Nagle would hold back their last piece
     * until the server's (delayed) ACK. */
    tcp_nagle_disable(s->pcb);
    e = tcp_connect(s->pcb, &addr, port, on_connected);
    if (e != ERR_OK) {
        free_socket(s);
        return e == ERR_RTE ? FWC_ERR_CONNECT : FWC_ERR_TRANSPORT;
    }
    while (s->state == SOCK_CONNECTING) {
        uint32_t left = remaining_ms(start, timeout_ms);
        if (left == 0) {
            /* Abort, not close: a SYN still unanswered needs no FIN. */
            tcp_arg(s->pcb, NULL);
            tcp_err(s->pcb, NULL);
            tcp_abort(s->pcb);
            s->pcb = NULL;
            free_socket(s);
            return FWC_ERR_TIMEOUT;
        }
        fwc_lwip_nosys_service(left);
    }
    if (s->state != SOCK_OPEN) {
        /* Refused (RST) or unreachable (lwIP gave up on its SYNs). */
        free_socket(s);
        return FWC_ERR_CONNECT;
    }
    *out_sock = (int)(s - sockets);
    return FWC_OK;
}

/* Queue as much as lwIP takes now; > 0, 0 (no room yet) or an error. */
static int32_t try_send(struct tcp_pcb *pcb, const uint8_t *data, size_t len)
{
    size_t n = len;
    err_t e;

    if (n > tcp_sndbuf(pcb))
        n = tcp_sndbuf(pcb);
    if (n > 0xffffu)
        n = 0xffffu;
    if (n == 0 || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN)
        return 0;
    /* COPY: fwc reuses its buffer as soon as this returns. */
    e = tcp_write(pcb, data, (u16_t)n, TCP_WRITE_FLAG_COPY);
    if (e == ERR_MEM && n > TCP_MSS) { /* out of segments or pbufs: try less */
        n = TCP_MSS;
        e = tcp_write(pcb, data, (u16_t)n, TCP_WRITE_FLAG_COPY);
    }
    if (e == ERR_MEM)
        return 0; /* wait for ACKs to free some */
    if (e != ERR_OK)
        return e == ERR_CONN ? FWC_ERR_CONN_RESET : FWC_ERR_TRANSPORT;
    (void)tcp_output(pcb); /* an error here is retried by TCP's own timers */
    return (int32_t)n;
}

/* Both I/O calls try, then poll the stack for the rest of their budget.
 * With timeout 0 they look twice: once as called, once after one turn of
 * the stack, so frames already received count. */
int32_t fwc_port_tcp_send(int sock, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    struct nosys_socket *s = socket_of(sock);
    uint32_t start = fwc_port_now_ms(), left;
    int polled = 0;
    int32_t n;

    if (s == NULL || (data == NULL && len > 0))
        return FWC_ERR_TRANSPORT;
    if (len > (size_t)INT32_MAX)
        len = (size_t)INT32_MAX;
    for (;;) {
        if (s->pcb == NULL)
            return dead_error(s);
        n = try_send(s->pcb, data, len);
        if (n != 0)
            return n;
        left = remaining_ms(start, timeout_ms);
        if (left == 0 && polled)
            return FWC_ERR_TIMEOUT;
        fwc_lwip_nosys_service(left);
        polled = 1;
    }
}

/* Copy out of the received pbufs and give the window back to the peer. */
static int32_t take(struct nosys_socket *s, uint8_t *buf, size_t len)
{
    u16_t n = s->rx->tot_len;
    if (len < n)
        n = (u16_t)len;
    (void)pbuf_copy_partial(s->rx, buf, n, 0);
    s->rx = pbuf_free_header(s->rx, n);
    if (s->pcb != NULL)
        tcp_recved(s->pcb, n);
    return (int32_t)n;
}

int32_t fwc_port_tcp_recv(int sock, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    struct nosys_socket *s = socket_of(sock);
    uint32_t start = fwc_port_now_ms(), left;
    int polled = 0;

    if (s == NULL || buf == NULL || len == 0)
        return FWC_ERR_TRANSPORT;
    for (;;) {
        /* Data first, even after a FIN or a reset: it arrived before them. */
        if (s->rx != NULL)
            return take(s, buf, len);
        if (s->fin)
            return 0; /* and 0 again every time: the stream ended in order */
        if (s->pcb == NULL)
            return dead_error(s);
        left = remaining_ms(start, timeout_ms);
        if (left == 0 && polled)
            return FWC_ERR_TIMEOUT;
        fwc_lwip_nosys_service(left);
        polled = 1;
    }
}

/* A FIN for the peer; lwIP finishes the close on its own timers. Data not
 * read yet makes lwIP send RST instead, as a kernel's close does. */
void fwc_port_tcp_close(int sock)
{
    struct nosys_socket *s = socket_of(sock);
    if (s == NULL)
        return;
    free_socket(s);
    /* One turn of the stack so the FIN leaves now, not at the next call. */
    fwc_lwip_nosys_service(0);
}

/* lwIP frees send-buffer space as the peer acknowledges, so what is taken
 * from TCP_SND_BUF is what the peer has not acknowledged yet. */
int32_t fwc_port_tcp_unsent(int sock)
{
    struct nosys_socket *s = socket_of(sock);
    if (s == NULL || s->pcb == NULL)
        return -1;
    return (int32_t)TCP_SND_BUF - (int32_t)tcp_sndbuf(s->pcb);
}
