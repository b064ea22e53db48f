/* SPDX-License-Identifier: MIT */
/* The port conformance suite's other end (tests/port/conformance.c): a
 * tiny interface to whatever plays the server, so that the suite is
 * written against include/fwc/port.h and this alone. peer_kernel.c plays
 * it with the host kernel's sockets, on loopback for port/posix and on the
 * kernel side of the TAP device for port/lwip; a device port can supply
 * one that drives a helper on the other end of its link. */
#ifndef FWC_TEST_PEER_H
#define FWC_TEST_PEER_H

#include <stddef.h>
#include <stdint.h>

/* Set up the port under test (bring its stack up) and the peer; 0 or -1. */
int peer_setup(void);
/* The address the port connects to, as fwc_port_tcp_connect takes it. */
const char *peer_host(void);

/* A listening socket; *out_port its port. small_window: make the peer's
 * receive buffer small, so a sender not being read from fills up soon. */
int peer_listen(uint16_t *out_port, int small_window);
/* A port on peer_host where nothing listens (connecting is refused). */
uint16_t peer_closed_port(void);
/* A listener that answers no SYN (its backlog is full): connecting to it
 * times out. Returns the listener; peer_close() it when done. */
int peer_listen_silent(uint16_t *out_port);

/* The next connection on a listener, within 2 s; -1 if none. */
int peer_accept(int listener);
/* Write all of data; 0 or -1. */
int peer_write(int sock, const void *data, size_t len);
/* Read what is there within timeout_ms: bytes, 0 at the peer's FIN, -1. */
long peer_read(int sock, void *buf, size_t len, int timeout_ms);
/* Close in order (FIN). */
void peer_close(int sock);
/* Close with a reset (RST). */
void peer_reset(int sock);

#endif
