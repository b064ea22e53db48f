/* SPDX-License-Identifier: MIT */
/* Port conformance: what include/fwc/port.h promises, checked against any
 * port through its functions alone, with tests/port/peer.h as the other
 * end. Built once per port (tests/port/port.mk: port/posix on loopback;
 * tests/lwip/lwip.mk: port/lwip over lwIP's stack in a private network
 * namespace). Connect (by address, refused, timed out), send and receive
 * (partial both ways, timeouts that leave the socket usable, a poll with
 * timeout 0), close semantics (FIN is 0 and stays 0, RST is
 * FWC_ERR_CONN_RESET, never a signal; the port's close reaches the peer
 * and frees the socket), entropy, the clock and sleep. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/port.h"
#include "peer.h"

struct pair {
    int listener;
    uint16_t port;
    int client; /* the port's socket */
    int server; /* the peer's */
};

static void open_pair(struct pair *p, int small_window)
{
    p->listener = peer_listen(&p->port, small_window);
    assert_true(p->listener >= 0);
    p->client = -1;
    assert_int_equal(fwc_port_tcp_connect(peer_host(), p->port, 2000, &p->client), FWC_OK);
    assert_true(p->client >= 0);
    p->server = peer_accept(p->listener);
    assert_true(p->server >= 0);
}

static void close_pair(struct pair *p)
{
    fwc_port_tcp_close(p->client);
    peer_close(p->server);
    peer_close(p->listener);
}

/* Receive exactly len bytes within 2 s. */
static void recv_all(int sock, uint8_t *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        int32_t r = fwc_port_tcp_recv(sock, buf + got, len - got, 2000);
        assert_true(r > 0);
        got += (size_t)r;
    }
}

static void connect_refused_is_named(void **state)
{
    uint16_t port = peer_closed_port();
    int sock = -1;
    uint32_t t0 = fwc_port_now_ms();
    (void)state;
    assert_true(port != 0);
    assert_int_equal(fwc_port_tcp_connect(peer_host(), port, 2000, &sock), FWC_ERR_CONNECT);
    assert_true(fwc_port_now_ms() - t0 < 1900); /* told, not timed out */
}

static void connect_to_a_silent_peer_times_out_on_time(void **state)
{
    uint16_t port;
    int sock = -1;
    uint32_t t0, spent;
    int l = peer_listen_silent(&port);
    (void)state;
    assert_true(l >= 0);
    t0 = fwc_port_now_ms();
    assert_int_equal(fwc_port_tcp_connect(peer_host(), port, 300, &sock), FWC_ERR_TIMEOUT);
    spent = fwc_port_now_ms() - t0;
    /* Waited its timeout out, and ended: the upper bound only catches a
     * connect that ignores its timeout, never a busy machine. */
    assert_true(spent >= 290 && spent < 30000);
    peer_close(l);
}

static void bad_arguments_are_refused(void **state)
{
    int sock = -1;
    (void)state;
    assert_int_equal(fwc_port_tcp_connect(NULL, 443, 100, &sock), FWC_ERR_INVALID_ARG);
    assert_int_equal(fwc_port_tcp_connect(peer_host(), 0, 100, &sock), FWC_ERR_INVALID_ARG);
}

static void data_flows_both_ways(void **state)
{
    struct pair p;
    uint8_t b[16];
    (void)state;
    open_pair(&p, 0);
    assert_int_equal(fwc_port_tcp_send(p.client, (const uint8_t *)"hello", 5, 1000), 5);
    assert_int_equal(peer_read(p.server, b, sizeof(b), 2000), 5);
    assert_memory_equal(b, "hello", 5);
    assert_int_equal(peer_write(p.server, "world!", 6), 0);
    recv_all(p.client, b, 6);
    assert_memory_equal(b, "world!", 6);
    close_pair(&p);
}

static void idle_recv_times_out_and_poll_returns_at_once(void **state)
{
    struct pair p;
    uint8_t b[8];
    uint32_t t0;
    (void)state;
    open_pair(&p, 0);
    t0 = fwc_port_now_ms();
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 0), FWC_ERR_TIMEOUT);
    assert_true(fwc_port_now_ms() - t0 < 150); /* a poll, not the 200 ms wait below */
    t0 = fwc_port_now_ms();
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 200), FWC_ERR_TIMEOUT);
    assert_true(fwc_port_now_ms() - t0 >= 190);
    /* Still usable after a timeout. */
    assert_int_equal(peer_write(p.server, "x", 1), 0);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 1000), 1);
    close_pair(&p);
}

static void orderly_close_is_zero_not_timeout(void **state)
{
    struct pair p;
    uint8_t b[8];
    (void)state;
    open_pair(&p, 0);
    assert_int_equal(peer_write(p.server, "end", 3), 0);
    peer_close(p.server);
    p.server = -1;
    /* The data before the FIN first, then 0, and 0 again (also on a poll). */
    recv_all(p.client, b, 3);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 1000), 0);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 0), 0);
    close_pair(&p);
}

static void reset_is_named_and_raises_no_signal(void **state)
{
    struct pair p;
    uint8_t b[8];
    int32_t r;
    int i;
    (void)state;
    open_pair(&p, 0);
    peer_reset(p.server);
    p.server = -1;
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 1000), FWC_ERR_CONN_RESET);
    /* Writing to the dead socket: an error, and the test process lives. */
    for (i = 0, r = 1; i < 4 && r > 0; i++)
        r = fwc_port_tcp_send(p.client, (const uint8_t *)"data", 4, 1000);
    assert_true(r == FWC_ERR_CONN_RESET || r == FWC_ERR_TRANSPORT);
    close_pair(&p);
}

static void partial_recv_delivers_in_pieces(void **state)
{
    struct pair p;
    uint8_t b[4];
    uint32_t t0;
    (void)state;
    open_pair(&p, 0);
    assert_int_equal(peer_write(p.server, "0123456789", 10), 0);
    /* Wait until all ten are there, so the pieces below are the caller's
     * choice, not the network's. */
    t0 = fwc_port_now_ms();
    while (fwc_port_now_ms() - t0 < 50)
        fwc_port_sleep_ms(10);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, 4, 1000), 4);
    assert_memory_equal(b, "0123", 4);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, 4, 1000), 4);
    assert_memory_equal(b, "4567", 4);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, 4, 1000), 2);
    assert_memory_equal(b, "89", 2);
    close_pair(&p);
}

static uint8_t big[8 << 20];
static uint8_t sink[1 << 16];

static void full_send_buffer_gives_partial_send_then_timeout(void **state)
{
    struct pair p;
    size_t sent = 0, drained = 0;
    int32_t r = 1;
    long n;
    (void)state;
    open_pair(&p, 1);
    /* The peer reads nothing: sends return short counts, then time out,
     * never block. */
    while (sent < sizeof(big) && r > 0) {
        r = fwc_port_tcp_send(p.client, big + sent, sizeof(big) - sent, 200);
        if (r > 0) {
            assert_true((size_t)r <= sizeof(big) - sent);
            sent += (size_t)r;
        }
    }
    assert_int_equal(r, FWC_ERR_TIMEOUT);
    assert_true(sent > 0 && sent < sizeof(big));
    /* The timeout left the socket good: once the peer reads, sending goes on. */
    while (drained < sent && (n = peer_read(p.server, sink, sizeof(sink), 2000)) > 0)
        drained += (size_t)n;
    assert_int_equal(drained, sent);
    assert_true(fwc_port_tcp_send(p.client, big, 1000, 2000) > 0);
    close_pair(&p);
}

/* fwc_port_tcp_unsent: -1 on a port that cannot tell; otherwise what the
 * peer has not acknowledged: some while it reads nothing and the send
 * buffer is full, none once it has read everything. */
static void unsent_counts_what_the_peer_has_not_taken(void **state)
{
    struct pair p;
    size_t sent = 0, drained = 0;
    int32_t r = 1, queued;
    uint32_t start;
    long n;
    (void)state;
    open_pair(&p, 1);
    assert_true(fwc_port_tcp_unsent(p.client) <= 0); /* nothing sent yet */
    while (sent < sizeof(big) && r > 0) {
        r = fwc_port_tcp_send(p.client, big + sent, sizeof(big) - sent, 200);
        if (r > 0)
            sent += (size_t)r;
    }
    queued = fwc_port_tcp_unsent(p.client);
    if (queued < 0) {
        assert_int_equal(queued, -1);
        print_message("# this port cannot tell unsent bytes (-1)\n");
        close_pair(&p);
        return;
    }
    assert_true(queued > 0 && (size_t)queued <= sent);
    while (drained < sent && (n = peer_read(p.server, sink, sizeof(sink), 2000)) > 0)
        drained += (size_t)n;
    assert_int_equal(drained, sent);
    start = fwc_port_now_ms();
    while (fwc_port_tcp_unsent(p.client) > 0 && fwc_port_now_ms() - start < 5000u)
        fwc_port_sleep_ms(10);
    assert_int_equal(fwc_port_tcp_unsent(p.client), 0); /* all acknowledged */
    close_pair(&p);
}

static void close_reaches_the_peer_and_frees_the_socket(void **state)
{
    struct pair p;
    uint8_t b[4];
    int i;
    (void)state;
    /* More sockets in turn than a small stack has at once (lwIP's
     * MEMP_NUM_NETCONN defaults to 4): a close that leaks runs out. */
    for (i = 0; i < 12; i++) {
        open_pair(&p, 0);
        fwc_port_tcp_close(p.client);
        assert_int_equal(peer_read(p.server, b, sizeof(b), 2000), 0); /* FIN */
        peer_close(p.server);
        peer_close(p.listener);
    }
}

static void entropy_fills_and_varies(void **state)
{
    uint8_t a[32], b[32], zero[32];
    (void)state;
    memset(zero, 0, sizeof(zero));
    assert_int_equal(fwc_port_entropy(a, sizeof(a)), FWC_OK);
    assert_int_equal(fwc_port_entropy(b, sizeof(b)), FWC_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_memory_not_equal(a, zero, sizeof(a));
}

static void clock_is_monotonic_and_sleep_waits(void **state)
{
    uint32_t t0 = fwc_port_now_ms(), prev = t0, now;
    int i;
    (void)state;
    fwc_port_sleep_ms(50);
    assert_true(fwc_port_now_ms() - t0 >= 50);
    for (i = 0; i < 1000; i++) {
        now = fwc_port_now_ms();
        assert_true(now - prev < 0x80000000u); /* never backwards */
        prev = now;
    }
}

static void wall_clock_is_set_or_says_so(void **state)
{
    int64_t t = 0;
    (void)state;
    if (fwc_port_wall_time(&t))
        assert_true(t >= 1704067200); /* 2024 or later */
}

static int setup(void **state)
{
    (void)state;
    return peer_setup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connect_refused_is_named),
        cmocka_unit_test(connect_to_a_silent_peer_times_out_on_time),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(data_flows_both_ways),
        cmocka_unit_test(idle_recv_times_out_and_poll_returns_at_once),
        cmocka_unit_test(orderly_close_is_zero_not_timeout),
        cmocka_unit_test(reset_is_named_and_raises_no_signal),
        cmocka_unit_test(partial_recv_delivers_in_pieces),
        cmocka_unit_test(full_send_buffer_gives_partial_send_then_timeout),
        cmocka_unit_test(unsent_counts_what_the_peer_has_not_taken),
        cmocka_unit_test(close_reaches_the_peer_and_frees_the_socket),
        cmocka_unit_test(entropy_fills_and_varies),
        cmocka_unit_test(clock_is_monotonic_and_sleep_waits),
        cmocka_unit_test(wall_clock_is_set_or_says_so),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
