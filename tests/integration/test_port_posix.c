/* SPDX-License-Identifier: MIT */
/* What only the POSIX port promises, on real loopback sockets: "localhost"
 * answered without DNS, and IPv6 literals. What every port promises
 * (connect, refused, timeouts, partial transfers, close and reset, no
 * SIGPIPE, entropy, clock, unsent bytes) is the conformance suite, tests/port/, which
 * make test runs for this port and for port/lwip. */
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

/* On Linux the POSIX port reads the send queue (SIOCOUTQ) rather than
 * saying it cannot tell; the conformance suite checks the values. */
static void unsent_is_known_on_linux(void **state)
{
    struct pair p;
    (void)state;
#ifndef __linux__
    skip();
    return;
#endif
    open_pair(&p, "127.0.0.1", AF_INET);
    assert_int_equal(fwc_port_tcp_unsent(p.client), 0);
    assert_int_equal(fwc_port_tcp_unsent(-1), -1);
    close_pair(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv6_loopback_connects),
        cmocka_unit_test(localhost_name_resolves),
        cmocka_unit_test(unsent_is_known_on_linux),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
