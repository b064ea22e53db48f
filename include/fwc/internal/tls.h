/* SPDX-License-Identifier: MIT */
/* INTERNAL: not for application use. What this header declares changes
 * without notice; fwc/client.h includes it only because struct fwc_client
 * embeds what it defines.
 *
 * The default transport: TLS (mbedTLS) over the port's TCP sockets.
 *
 * Server certificate verification is always on: the CA chain comes from the
 * application, and the host given here is checked against the certificate:
 * a name against its DNS names (and sent as SNI), an IPv4 or IPv6 address
 * against its IP address entries (and no SNI). Validity dates are checked
 * against the port's clock, floored at the build date (fwci_tls_time_floor).
 * There is no switch to turn any of it off.
 * TLS 1.2 is the minimum; TLS 1.3 is offered where the mbedTLS build has it
 * (CONFIG_FWC_TLS13). Sessions are resumed on reconnect
 * (CONFIG_FWC_TLS_SESSION_RESUMPTION). ALPN offers "http/1.1". */
#ifndef FWC_TLS_H
#define FWC_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fwc/config.h"
#include "fwc/error.h"
#include "fwc/transport.h"

/* Why a certificate was rejected (fwci_tls_cert_problems). */
#define FWC_TLS_CERT_UNTRUSTED 0x01u     /* no path to the given CA */
#define FWC_TLS_CERT_EXPIRED 0x02u
#define FWC_TLS_CERT_NOT_YET_VALID 0x04u
#define FWC_TLS_CERT_HOST_MISMATCH 0x08u /* not issued for the host name */
#define FWC_TLS_CERT_OTHER 0x10u         /* revoked, bad key usage, weak key, ... */

/* The mbedTLS state lives inside, as opaque storage, so that only
 * src/tls_mbedtls.c sees mbedTLS headers. Too small a
 * CONFIG_FWC_TLS_CONTEXT_SIZE fails the build and names the size needed. */
struct fwc_tls {
    struct fwc_transport transport; /* hand &tls.transport to the HTTP layer */
    union {
        uint64_t align_u64;
        void *align_ptr;
        uint8_t bytes[CONFIG_FWC_TLS_CONTEXT_SIZE];
    } _internal;
};

/* Set up a TLS transport to host:port. host is a DNS name, a dotted quad
 * or an IPv6 address without brackets, used for DNS, SNI and certificate
 * checks; it must stay valid while tls is in use. An address in another
 * spelling ("127.1", "010.0.0.1") is FWC_ERR_INVALID_ARG.
 * ca is the trusted CA chain, PEM or DER; PEM must be NUL-terminated with
 * the NUL counted in ca_len (as mbedTLS wants). A PEM bundle may hold
 * certificates mbedTLS cannot use (an Ed25519 CA): they are skipped and
 * counted in the log; with none usable, FWC_ERR_INVALID_ARG. Nothing
 * connects yet: the HTTP layer calls transport.open when it needs a
 * connection. */
FWC_NODISCARD enum fwc_err fwci_tls_init(struct fwc_tls *tls, const char *host, uint16_t port,
                                        const uint8_t *ca, size_t ca_len);

#if CONFIG_FWC_PROXY
struct fwc_proxy;
/* Reach the server through this proxy's tunnel (fwc/internal/proxy.h):
 * every open connects to the proxy and asks it for host:port, then runs
 * the handshake inside, with the same checks (SNI = host). Set after
 * fwci_tls_init; px must outlive tls. */
void fwci_tls_use_proxy(struct fwc_tls *tls, struct fwc_proxy *px);
#endif

/* Close any connection and release what mbedTLS holds. */
void fwci_tls_free(struct fwc_tls *tls);

/* After FWC_ERR_TLS_CERT: which FWC_TLS_CERT_* checks failed. */
uint32_t fwci_tls_cert_problems(const struct fwc_tls *tls);

/* The last mbedTLS error code (negative), for a support log. */
int fwci_tls_mbedtls_error(const struct fwc_tls *tls);

/* The mbedTLS this was built with, e.g. "Mbed TLS 3.6.6". */
const char *fwci_tls_library_version(void);

/* The time floor: the build's own date (seconds since 1970), which fwc
 * takes as the earliest possible "now" for certificate validity when the
 * port's clock is unknown or earlier (docs/TLS.md, "Time"). */
int64_t fwci_tls_time_floor(void);

/* Warm starts (fwc/warm.h): the session kept for resumption, serialised by
 * mbedtls_ssl_session_save() into out. FWC_OK with *len 0: no session to
 * give (none yet, or resumption off). FWC_ERR_BODY_TOO_LARGE with *len the
 * size needed when it does not fit cap; out is then wiped (mbedTLS may have
 * written part of the master secret). A TLS 1.3 ticket's reception time
 * is written on the wall clock, not mbedTLS's, which restarts with the
 * device (tls_mbedtls.c, "warm starts"). */
FWC_NODISCARD enum fwc_err fwci_tls_session_export(struct fwc_tls *tls, uint8_t *out,
                                                  size_t cap, size_t *len);

/* ... and back: the next open offers this session. false when mbedTLS
 * refuses it (another mbedTLS version or configuration, garbage) or
 * resumption is off; the client then has no session (a client just
 * initialised had none), and its next open is a full handshake. */
bool fwci_tls_session_import(struct fwc_tls *tls, const uint8_t *in, size_t len);

/* The current connection's protocol ("TLSv1.2", "TLSv1.3"), or "none". */
const char *fwci_tls_protocol(const struct fwc_tls *tls);

#endif
