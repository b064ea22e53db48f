/* SPDX-License-Identifier: MIT */
/* The few places where mbedTLS 2.28 and 3.x differ, bridged in one spot.
 * Included only by tls_mbedtls.c. */
#ifndef FWC_MBEDTLS_COMPAT_H
#define FWC_MBEDTLS_COMPAT_H

#include <mbedtls/version.h>

#if MBEDTLS_VERSION_NUMBER < 0x02100000
#error "fwc needs mbedTLS 2.16 or later (tested: 2.28 and 3.6)"
#endif

#define FWC_MBEDTLS_3 (MBEDTLS_VERSION_NUMBER >= 0x03000000)

#if FWC_MBEDTLS_3 && defined(MBEDTLS_SSL_PROTO_TLS1_3)
#define FWC_HAVE_TLS13 1
#include <psa/crypto.h>
#else
#define FWC_HAVE_TLS13 0
#endif

/* TLS 1.3 tickets are delivered after the handshake and, from 3.6.1 on,
 * only when the client asks to be told about them. */
#if FWC_HAVE_TLS13 && defined(MBEDTLS_SSL_SESSION_TICKETS) && \
    MBEDTLS_VERSION_NUMBER >= 0x03060100
#define FWC_HAVE_TLS13_TICKET_SIGNAL 1
#else
#define FWC_HAVE_TLS13_TICKET_SIGNAL 0
#endif

/* The server's certificate message refused (-0x7A00): 2.28 names it
 * BAD_HS_CERTIFICATE, 3.x BAD_CERTIFICATE. Among its causes is a chain that
 * verifies but whose leaf is not for servers (key usage, extended key
 * usage): mbedTLS then returns this, not X509_CERT_VERIFY_FAILED. */
#if FWC_MBEDTLS_3
#define FWC_MBEDTLS_ERR_BAD_CERTIFICATE MBEDTLS_ERR_SSL_BAD_CERTIFICATE
#else
#define FWC_MBEDTLS_ERR_BAD_CERTIFICATE MBEDTLS_ERR_SSL_BAD_HS_CERTIFICATE
#endif

/* Pin the protocol range: TLS 1.2 always, up to 1.3 when allowed. */
static inline void fwci_compat_conf_versions(mbedtls_ssl_config *conf, int allow_tls13)
{
#if FWC_MBEDTLS_3
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
    mbedtls_ssl_conf_max_tls_version(conf, allow_tls13 && FWC_HAVE_TLS13
                                               ? MBEDTLS_SSL_VERSION_TLS1_3
                                               : MBEDTLS_SSL_VERSION_TLS1_2);
#else
    (void)allow_tls13;
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
    mbedtls_ssl_conf_max_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

/* The key-exchange groups, P-256 first. mbedTLS 3.x offers X25519 first,
 * but its P-256 generator has precomputed tables (ECP_FIXED_POINT_OPTIM)
 * and X25519's ladder has none: with P-256 the key share costs 3.1 million
 * instructions instead of 7.7 and a cold token fetch 10 % fewer in all
 * (docs/PERFORMANCE.md, "Cold start"). Otherwise 3.6's default list and
 * order, so no server is refused that was accepted; one that has only
 * X25519 costs a HelloRetryRequest. mbedTLS 2.28 has no such tables, and
 * the order made no difference there (both 8.0 million): its default. */
static inline void fwci_compat_conf_groups(mbedtls_ssl_config *conf)
{
#if FWC_MBEDTLS_3
    static const uint16_t groups[] = {
        MBEDTLS_SSL_IANA_TLS_GROUP_SECP256R1, MBEDTLS_SSL_IANA_TLS_GROUP_X25519,
        MBEDTLS_SSL_IANA_TLS_GROUP_SECP384R1, MBEDTLS_SSL_IANA_TLS_GROUP_X448,
        MBEDTLS_SSL_IANA_TLS_GROUP_SECP521R1, MBEDTLS_SSL_IANA_TLS_GROUP_BP256R1,
        MBEDTLS_SSL_IANA_TLS_GROUP_BP384R1,   MBEDTLS_SSL_IANA_TLS_GROUP_BP512R1,
        MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE2048, MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE3072,
        MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE4096, MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE6144,
        MBEDTLS_SSL_IANA_TLS_GROUP_FFDHE8192, MBEDTLS_SSL_IANA_TLS_GROUP_NONE};
    mbedtls_ssl_conf_groups(conf, groups);
#else
    (void)conf;
#endif
}

/* mbedTLS 3.6.6 with TLS 1.3 enabled offers rsa_pss_rsae signatures for
 * TLS 1.3's sake, then rejects a TLS 1.2 server that picks one for its
 * ServerKeyExchange (upstream issue 10668, fixed after 3.6.6). Recognise
 * that failure: the server chose TLS 1.2 and the handshake died with
 * "illegal parameter". */
static inline int fwci_compat_tls12_pss_rejected(const mbedtls_ssl_context *ssl, int ret)
{
#if FWC_HAVE_TLS13
    return ret == MBEDTLS_ERR_SSL_ILLEGAL_PARAMETER &&
           mbedtls_ssl_get_version_number(ssl) == MBEDTLS_SSL_VERSION_TLS1_2;
#else
    (void)ssl;
    (void)ret;
    return 0;
#endif
}

/* The way round it, for a server that showed it speaks only TLS 1.2:
 * TLS 1.2 with PKCS#1 v1.5 or ECDSA signatures, which every TLS 1.2
 * server accepts. */
static inline void fwci_compat_conf_tls12_without_pss(mbedtls_ssl_config *conf)
{
#if FWC_HAVE_TLS13
    static const uint16_t algs[] = {
        MBEDTLS_TLS1_3_SIG_ECDSA_SECP256R1_SHA256, MBEDTLS_TLS1_3_SIG_ECDSA_SECP384R1_SHA384,
        MBEDTLS_TLS1_3_SIG_ECDSA_SECP521R1_SHA512, MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA256,
        MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA384,       MBEDTLS_TLS1_3_SIG_RSA_PKCS1_SHA512,
        MBEDTLS_TLS1_3_SIG_NONE};
    mbedtls_ssl_conf_sig_algs(conf, algs);
    fwci_compat_conf_versions(conf, 0);
#else
    (void)conf;
#endif
}

/* TLS 1.3 runs on PSA crypto, which must be initialised once. */
static inline int fwci_compat_crypto_init(void)
{
#if FWC_HAVE_TLS13
    return psa_crypto_init() == PSA_SUCCESS ? 0 : -1;
#else
    return 0;
#endif
}

#endif
