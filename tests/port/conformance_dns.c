/* SPDX-License-Identifier: MIT */
/* Port conformance, by name: fwc_port_tcp_connect given a host name, for
 * a port whose resolver it drives itself (port/lwip_nosys over lwIP's DNS
 * client), against tests/port/dns_peer.py on the peer (run under
 * tests/lwip/netns.sh --dns; the names are that server's). A name that
 * resolves connects; one the server says does not exist is FWC_ERR_DNS,
 * told rather than waited out; a name the resolver refuses is FWC_ERR_DNS
 * at once; a server that never answers costs the connect's budget and no
 * more; and an answer that arrives after its lookup timed out is never
 * taken for the next lookup's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fwc/port.h"
#include "peer.h"

/* Connect to name on a fresh listener within timeout_ms; the listener is
 * closed again. The connect's result, and *spent_ms. */
static enum fwc_err connect_by_name(const char *name, uint32_t timeout_ms, uint32_t *spent_ms)
{
    uint16_t port;
    int sock = -1, server;
    int listener = peer_listen(&port, 0);
    uint32_t t0 = fwc_port_now_ms();
    enum fwc_err err;

    assert_true(listener >= 0);
    err = fwc_port_tcp_connect(name, port, timeout_ms, &sock);
    *spent_ms = fwc_port_now_ms() - t0;
    if (err == FWC_OK) {
        uint8_t b[4];
        server = peer_accept(listener);
        assert_true(server >= 0); /* the connection reached the peer */
        assert_int_equal(fwc_port_tcp_send(sock, (const uint8_t *)"fwc", 3, 1000), 3);
        assert_int_equal(peer_read(server, b, sizeof(b), 2000), 3);
        fwc_port_tcp_close(sock);
        peer_close(server);
    }
    peer_close(listener);
    return err;
}

static void a_name_that_resolves_connects(void **state)
{
    uint32_t spent;
    (void)state;
    assert_int_equal(connect_by_name("peer.fwc.test", 5000, &spent), FWC_OK);
}

static void a_name_that_does_not_exist_is_told_not_waited_out(void **state)
{
    uint32_t spent;
    (void)state;
    assert_int_equal(connect_by_name("nosuch.fwc.test", 5000, &spent), FWC_ERR_DNS);
    assert_true(spent < 4900); /* the server's NXDOMAIN, not the budget */
}

static void a_name_the_resolver_refuses_is_named_at_once(void **state)
{
    char name[301];
    uint32_t spent;
    (void)state;
    memset(name, 'a', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0'; /* longer than DNS allows (255) */
    assert_int_equal(connect_by_name(name, 5000, &spent), FWC_ERR_DNS);
    assert_true(spent < 4900);
}

/* late.fwc.test is answered 1.5 s after it is asked, with an address
 * nobody has; slow.fwc.test 2 s after, with the peer's. The first lookup
 * gives up at 0.5 s, so its answer arrives while the second waits: taken
 * for the second's, the connect would go to nobody and time out. */
static void a_late_answer_is_not_taken_for_the_next_lookup(void **state)
{
    uint32_t spent;
    (void)state;
    assert_int_equal(connect_by_name("late.fwc.test", 500, &spent), FWC_ERR_TIMEOUT);
    assert_int_equal(connect_by_name("slow.fwc.test", 10000, &spent), FWC_OK);
    assert_true(spent >= 1000); /* answered, not from a cache */
}

/* Last: lwIP keeps asking for this name in the background after the
 * connect has given up, and that must not disturb the cases above. */
static void a_silent_name_server_costs_the_budget_and_no_more(void **state)
{
    uint32_t spent;
    (void)state;
    assert_int_equal(connect_by_name("silent.fwc.test", 1000, &spent), FWC_ERR_TIMEOUT);
    /* The upper bound only catches a lookup that ignores the budget. */
    assert_true(spent >= 990 && spent < 30000);
}

static int setup(void **state)
{
    (void)state;
    if (getenv("FWC_PORT_DNS") == NULL) {
        print_error("no name server: run under tests/lwip/netns.sh --dns\n");
        return -1;
    }
    return peer_setup();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_name_that_resolves_connects),
        cmocka_unit_test(a_name_that_does_not_exist_is_told_not_waited_out),
        cmocka_unit_test(a_name_the_resolver_refuses_is_named_at_once),
        cmocka_unit_test(a_late_answer_is_not_taken_for_the_next_lookup),
        cmocka_unit_test(a_silent_name_server_costs_the_budget_and_no_more),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
