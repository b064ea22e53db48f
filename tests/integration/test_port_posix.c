/* The POSIX port against real loopback sockets: the return conventions of
 * port.h (bytes, 0 for an orderly close, named negatives for timeout and
 * reset), partial transfers, and no SIGPIPE. */
#define _DEFAULT_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "fwc/port.h"

struct pair {
    int listener;
    uint16_t port;
    int client; /* fwc's side */
    int server; /* the test's side */
};

static int listen_on(int family, uint16_t *out_port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    int one = 1;
    int s = socket(family, SOCK_STREAM, 0);
    assert_true(s >= 0);
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&ss, 0, sizeof(ss));
    if (family == AF_INET) {
        struct sockaddr_in *a = (struct sockaddr_in *)&ss;
        a->sin_family = AF_INET;
        a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        len = sizeof(*a);
    } else {
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;
        a->sin6_family = AF_INET6;
        a->sin6_addr = in6addr_loopback;
        len = sizeof(*a);
    }
    if (bind(s, (struct sockaddr *)&ss, len) != 0 || listen(s, 4) != 0) {
        close(s);
        return -1;
    }
    len = sizeof(ss);
    getsockname(s, (struct sockaddr *)&ss, &len);
    *out_port = ntohs(family == AF_INET ? ((struct sockaddr_in *)&ss)->sin_port
                                        : ((struct sockaddr_in6 *)&ss)->sin6_port);
    return s;
}

static void open_pair(struct pair *p, const char *host, int family)
{
    p->listener = listen_on(family, &p->port);
    assert_true(p->listener >= 0);
    assert_int_equal(fwc_port_tcp_connect(host, p->port, 2000, &p->client), FWC_OK);
    p->server = accept(p->listener, NULL, NULL);
    assert_true(p->server >= 0);
}

static void close_pair(struct pair *p)
{
    fwc_port_tcp_close(p->client);
    if (p->server >= 0)
        close(p->server);
    close(p->listener);
}

static void connect_refused_is_named(void **state)
{
    uint16_t port;
    int sock = -1;
    int l = listen_on(AF_INET, &port);
    (void)state;
    close(l); /* nothing listens there now */
    assert_int_equal(fwc_port_tcp_connect("127.0.0.1", port, 2000, &sock), FWC_ERR_CONNECT);
}

static void ipv6_loopback_connects(void **state)
{
    struct pair p;
    (void)state;
    uint16_t probe_port;
    int probe = listen_on(AF_INET6, &probe_port);
    if (probe < 0) {
        skip(); /* no IPv6 on this host: reported as skipped, never as passed */
        return;
    }
    close(probe);
    open_pair(&p, "::1", AF_INET6);
    close_pair(&p);
}

static void localhost_name_resolves(void **state)
{
    struct pair p;
    (void)state;
    p.listener = listen_on(AF_INET, &p.port);
    assert_int_equal(fwc_port_tcp_connect("localhost", p.port, 2000, &p.client), FWC_OK);
    p.server = accept(p.listener, NULL, NULL);
    close_pair(&p);
}

static void idle_recv_times_out_and_poll_returns_at_once(void **state)
{
    struct pair p;
    uint8_t b[8];
    uint32_t t0;
    (void)state;
    open_pair(&p, "127.0.0.1", AF_INET);
    t0 = fwc_port_now_ms();
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 0), FWC_ERR_TIMEOUT);
    assert_true(fwc_port_now_ms() - t0 < 1000); /* a poll, not the 200 ms wait below */
    t0 = fwc_port_now_ms();
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 200), FWC_ERR_TIMEOUT);
    assert_true(fwc_port_now_ms() - t0 >= 190);
    /* Still usable after a timeout. */
    assert_int_equal(write(p.server, "x", 1), 1);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 1000), 1);
    close_pair(&p);
}

static void orderly_close_is_zero_not_timeout(void **state)
{
    struct pair p;
    uint8_t b[8];
    (void)state;
    open_pair(&p, "127.0.0.1", AF_INET);
    close(p.server);
    p.server = -1;
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 1000), 0);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, sizeof(b), 0), 0);
    close_pair(&p);
}

static void reset_is_named_and_raises_no_sigpipe(void **state)
{
    struct pair p;
    struct linger lin = {1, 0};
    uint8_t b[8];
    int32_t r;
    int i;
    (void)state;
    open_pair(&p, "127.0.0.1", AF_INET);
    setsockopt(p.server, SOL_SOCKET, SO_LINGER, &lin, sizeof(lin));
    close(p.server); /* RST */
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
    (void)state;
    open_pair(&p, "127.0.0.1", AF_INET);
    assert_int_equal(write(p.server, "0123456789", 10), 10);
    usleep(20000);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, 4, 1000), 4);
    assert_memory_equal(b, "0123", 4);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, 4, 1000), 4);
    assert_int_equal(fwc_port_tcp_recv(p.client, b, 4, 1000), 2);
    assert_memory_equal(b, "89", 2);
    close_pair(&p);
}

static void full_send_buffer_gives_partial_send_then_timeout(void **state)
{
    static uint8_t big[8 << 20];
    struct pair p;
    size_t sent = 0;
    int32_t r = 1;
    (void)state;
    open_pair(&p, "127.0.0.1", AF_INET);
    /* The peer reads nothing: sends must return short counts, then time
     * out, never block. */
    while (sent < sizeof(big) && r > 0) {
        r = fwc_port_tcp_send(p.client, big + sent, sizeof(big) - sent, 200);
        if (r > 0) {
            assert_true((size_t)r <= sizeof(big) - sent);
            sent += (size_t)r;
        }
    }
    assert_int_equal(r, FWC_ERR_TIMEOUT);
    assert_true(sent > 0 && sent < sizeof(big));
    close_pair(&p);
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
    uint32_t t0 = fwc_port_now_ms();
    (void)state;
    fwc_port_sleep_ms(50);
    assert_true(fwc_port_now_ms() - t0 >= 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connect_refused_is_named),
        cmocka_unit_test(ipv6_loopback_connects),
        cmocka_unit_test(localhost_name_resolves),
        cmocka_unit_test(idle_recv_times_out_and_poll_returns_at_once),
        cmocka_unit_test(orderly_close_is_zero_not_timeout),
        cmocka_unit_test(reset_is_named_and_raises_no_sigpipe),
        cmocka_unit_test(partial_recv_delivers_in_pieces),
        cmocka_unit_test(full_send_buffer_gives_partial_send_then_timeout),
        cmocka_unit_test(entropy_fills_and_varies),
        cmocka_unit_test(clock_is_monotonic_and_sleep_waits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
