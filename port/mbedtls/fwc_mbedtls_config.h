/* SPDX-License-Identifier: MIT */
/* mbedTLS 2.28 configuration for a constrained fwc target (Cortex-M class,
 * 64-256 KiB of RAM). Build mbedTLS and fwc with
 *     -DMBEDTLS_CONFIG_FILE='<fwc_mbedtls_config.h>' -Iport/mbedtls
 * It replaces mbedTLS's config.h entirely: anything not defined here is off.
 *
 * What it supports, and nothing more:
 * - TLS 1.2 client only (no server, no DTLS, no TLS 1.0/1.1, no
 *   renegotiation: a server's HelloRequest is refused).
 * - ECDHE-ECDSA key exchange with AES-128-GCM or AES-256-GCM, and
 *   ECDHE-RSA with the same ciphers. The server's certificate may be
 *   ECDSA (P-256, P-384) or RSA up to 4096 bits, since most public
 *   tenants (e.g. behind a cloud load balancer) still present RSA chains.
 * - Certificate verification against PEM or DER CAs, with key usage,
 *   extended key usage and host name checks. Verification cannot be
 *   switched off: fwc always asks for MBEDTLS_SSL_VERIFY_REQUIRED.
 * - SNI, ALPN (http/1.1), extended master secret, session tickets (one
 *   resumed session saves a full ECDHE + ECDSA verify on every reconnect),
 *   and the maximum fragment length extension.
 * - Time for certificate validity from the port (fwc_port_wall_time),
 *   floored at the build date: a device that does not know the date yet
 *   still connects, and refuses certificates that expired before the
 *   build (docs/TLS.md, "Time").
 *
 * Memory: record buffers of IN 4096 / OUT 2048 bytes, so fwc must ask for
 * MFL 2048 (CONFIG_FWC_TLS_MAX_FRAGMENT_CODE=2) or the server must not send
 * records larger than 4096 bytes. A token fetch from an ECDSA P-256 server
 * peaks under 24 KiB of mbedTLS heap with this file; docs/PERFORMANCE.md has
 * the measured figure (`make heap`). */
#ifndef FWC_MBEDTLS_CONFIG_H
#define FWC_MBEDTLS_CONFIG_H

/* ---- System ------------------------------------------------------------ */
#define MBEDTLS_HAVE_ASM
#define MBEDTLS_HAVE_TIME
#define MBEDTLS_HAVE_TIME_DATE
#define MBEDTLS_PLATFORM_C
/* Certificate times come from fwc_port_wall_time(), not the C library. */
#define MBEDTLS_PLATFORM_TIME_ALT
/* No /dev/urandom on a device: the DRBG is seeded from fwc_port_entropy()
 * by fwc itself, so mbedTLS's own entropy collector is not built. */
#define MBEDTLS_NO_PLATFORM_ENTROPY
/* Tables in flash, not computed into RAM at start-up. */
#define MBEDTLS_AES_ROM_TABLES
#define MBEDTLS_AES_FEWER_TABLES

/* ---- Symmetric crypto and hashes --------------------------------------- */
#define MBEDTLS_AES_C
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_CTR_DRBG_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA512_C /* SHA-384: P-384 chains and the *_SHA384 suites */
#define MBEDTLS_SHA256_SMALLER

/* ---- Public key -------------------------------------------------------- */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
/* Smaller point-multiplication tables: slower handshakes, less RAM. */
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_MPI_MAX_SIZE 512 /* RSA-4096 server keys */
#define MBEDTLS_MPI_WINDOW_SIZE 2
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C

/* ---- Certificates ------------------------------------------------------ */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C /* ECDSA signature encoding */
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_CHECK_KEY_USAGE
#define MBEDTLS_X509_CHECK_EXTENDED_KEY_USAGE
#define MBEDTLS_X509_MAX_INTERMEDIATE_CA 4

/* ---- TLS ----------------------------------------------------------------- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_CIPHERSUITES                                                                  \
    MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, MBEDTLS_TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, \
        MBEDTLS_TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, MBEDTLS_TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_ALPN
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_SESSION_TICKETS
#define MBEDTLS_SSL_MAX_FRAGMENT_LENGTH
#define MBEDTLS_SSL_IN_CONTENT_LEN 4096
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048
/* MBEDTLS_SSL_KEEP_PEER_CERTIFICATE stays off: fwc never asks for the
 * peer's certificate after the handshake, and keeping the chain would hold
 * several KiB of heap for the whole session. */

/* ---- Heap: a static arena (build everything with -DFWC_MBEDTLS_ARENA=1) --
 * mbedTLS allocates its record buffers, handshake state and parsed
 * certificates from the heap. With this switch it allocates from one
 * arena the application owns instead, as fwc's memory model asks:
 *     static unsigned char arena[SIZE];   (docs/PERFORMANCE.md: the peak)
 *     mbedtls_memory_buffer_alloc_init(arena, sizeof(arena));
 * once, before fwc_client_init(). Without the standard-function defaults
 * mbedTLS's calloc and free fail until then instead of falling back to the
 * C library's: no malloc is linked into the image at all (nor through
 * gmtime, see below). Text output
 * through mbedtls_snprintf (x509 "info" strings, which fwc never asks for)
 * then fails too. */
#if defined(FWC_MBEDTLS_ARENA) && FWC_MBEDTLS_ARENA
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_SNPRINTF_ALT
/* The arena stops the program with exit() when it finds itself corrupted;
 * <stdlib.h> declares it (the board's _exit decides what stopping means). */
#define MBEDTLS_PLATFORM_STD_MEM_HDR <stdlib.h>
/* Certificate dates through port/mbedtls/fwc_mbedtls_gmtime.c (link it):
 * newlib's gmtime() mallocs its result buffer. */
#define MBEDTLS_PLATFORM_GMTIME_R_ALT
#endif

#include "mbedtls/check_config.h"

#endif
