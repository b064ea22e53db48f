/* SPDX-License-Identifier: MIT */
/* Every CONFIG_FWC_* knob with its default. Kconfig.fwc holds the same
 * knobs with help text (tests/check_config.sh keeps the two equal).
 *
 * Where the values come from:
 * - FWC_CONFIG_HEADER, when given, is included first: fwc's own build passes
 *   build/gen/fwc_config.h (made from .config), an ESP-IDF component
 *   "sdkconfig.h" (included anyway when ESP_PLATFORM is defined). Zephyr
 *   needs neither: it hands every file autoconf.h with -imacros.
 * - The rule, decided here once: a configuration system's header is in use
 *   when CONFIG_FWC is defined. Kconfig defines it wherever fwc is switched
 *   on (`menuconfig FWC` in Kconfig.fwc), and its generated headers leave
 *   out every boolean that is off, so then an absent boolean is OFF. An
 *   absent number or string (hidden behind an option that is off) takes the
 *   default below either way.
 * - Without CONFIG_FWC (no configuration system; -D flags at most) every
 *   absent value, booleans included, takes the default below.
 * After this header every boolean is 0 or 1, never undefined.
 * FWC_CONFIG_FINGERPRINT, at the end, is a hash of the values that shape
 * struct fwc_client (docs/CONFIGURATION.md). */
#ifndef FWC_CONFIG_H
#define FWC_CONFIG_H

#if defined(FWC_CONFIG_HEADER)
#include FWC_CONFIG_HEADER
#elif defined(ESP_PLATFORM)
#include "sdkconfig.h"
#endif

#ifdef __cplusplus
extern "C" { /* nothing here has linkage; every public header has the guard */
#endif

#if defined(CONFIG_FWC)
#if !CONFIG_FWC
#error "CONFIG_FWC is off: this configuration leaves fwc out of the build"
#endif
#define FWC_CONFIG_SYSTEM 1
/* The value of an absent boolean whose Kconfig default is y. */
#define FWCI_DEFAULT_Y 0
#else
#define FWC_CONFIG_SYSTEM 0
#define FWCI_DEFAULT_Y 1
#endif

/* ---- Memory ------------------------------------------------------------ */

/* The one I/O buffer: the request head is written into it and the response
 * is read through it. Bodies larger than this stream through it. */
#ifndef CONFIG_FWC_IO_BUFFER_SIZE
#define CONFIG_FWC_IO_BUFFER_SIZE 2048
#endif

/* ---- HTTP response limits ---------------------------------------------- */

/* Longest status line accepted ("HTTP/1.1 200 OK" plus reason). */
#ifndef CONFIG_FWC_HTTP_MAX_STATUS_LINE
#define CONFIG_FWC_HTTP_MAX_STATUS_LINE 256
#endif
/* Longest header line; the parser holds one line at a time in a buffer of
 * this size, so it is also the parser's largest RAM cost. */
#ifndef CONFIG_FWC_HTTP_MAX_HEADER_LINE
#define CONFIG_FWC_HTTP_MAX_HEADER_LINE 1024
#endif
/* Header lines per response, trailers included. */
#ifndef CONFIG_FWC_HTTP_MAX_HEADERS
#define CONFIG_FWC_HTTP_MAX_HEADERS 64
#endif
/* Longest chunk-size line, chunk extensions included. */
#ifndef CONFIG_FWC_HTTP_MAX_CHUNK_LINE
#define CONFIG_FWC_HTTP_MAX_CHUNK_LINE 128
#endif
/* Largest response body fwc accepts, whatever the framing. */
#ifndef CONFIG_FWC_HTTP_MAX_BODY
#define CONFIG_FWC_HTTP_MAX_BODY 16777216
#endif
/* Slots for the response headers fwc keeps (value without parameters for
 * Content-Type, the scheme for WWW-Authenticate). */
#ifndef CONFIG_FWC_HTTP_CONTENT_TYPE_MAX
#define CONFIG_FWC_HTTP_CONTENT_TYPE_MAX 96
#endif
#ifndef CONFIG_FWC_HTTP_LOCATION_MAX
#define CONFIG_FWC_HTTP_LOCATION_MAX 256
#endif

/* Longest API path fwc_request() accepts (after the URL prefix). */
#ifndef CONFIG_FWC_API_PATH_MAX
#define CONFIG_FWC_API_PATH_MAX 192
#endif
/* Longest host name in a base URL, and longest path prefix after it. */
#ifndef CONFIG_FWC_URL_HOST_MAX
#define CONFIG_FWC_URL_HOST_MAX 128
#endif
#ifndef CONFIG_FWC_URL_PREFIX_MAX
#define CONFIG_FWC_URL_PREFIX_MAX 64
#endif

/* ---- Timeouts (milliseconds) ------------------------------------------- */

/* TCP connect plus TLS handshake. */
#ifndef CONFIG_FWC_CONNECT_TIMEOUT_MS
#define CONFIG_FWC_CONNECT_TIMEOUT_MS 10000
#endif
/* Longest silence: a send or receive that moves nothing, and no request
 * byte leaving the socket's queue either. 30 s outlasts the 20 s stalls of
 * a cellular uplink (tests/field, "lte-poor"). */
#ifndef CONFIG_FWC_IO_TIMEOUT_MS
#define CONFIG_FWC_IO_TIMEOUT_MS 30000
#endif
/* Deadline for one whole request/response exchange without a body (a
 * token fetch, an API call), so a server that trickles one byte at a time
 * cannot hold the device forever. A request with a body gets more: */
#ifndef CONFIG_FWC_EXCHANGE_TIMEOUT_MS
#define CONFIG_FWC_EXCHANGE_TIMEOUT_MS 30000
#endif
/* ... its body's size at this rate (bytes per second), so a 1 MiB upload
 * chunk is bounded by 30 s + 512 s: a GPRS uplink (5 KB/s) finishes it,
 * a stalled link still fails on CONFIG_FWC_IO_TIMEOUT_MS of silence. A
 * request may set its own bound (struct fwc_http_request, deadline_ms). */
#ifndef CONFIG_FWC_MIN_RATE_BPS
#define CONFIG_FWC_MIN_RATE_BPS 2048
#endif

/* ---- Transport --------------------------------------------------------- */

/* fwc's own TLS transport over mbedTLS. 0: the application always gives
 * fwc_client_init() its own transport (a modem that does TLS), and fwc
 * needs neither mbedTLS nor fwc_port_tcp_*. */
#ifndef CONFIG_FWC_TLS_MBEDTLS
#define CONFIG_FWC_TLS_MBEDTLS FWCI_DEFAULT_Y
#endif
/* HTTP proxies (CONNECT) for fwc's own TLS transport: struct fwc_client
 * gains a tunnel with one response line buffer (docs/HTTP.md, "Proxies");
 * 0 leaves it out, and a client config naming a proxy is refused. */
#ifndef CONFIG_FWC_PROXY
#define CONFIG_FWC_PROXY FWCI_DEFAULT_Y
#endif
/* Allow plaintext http:// base URLs. For test rigs only: the secret and the
 * token then cross the network in the clear. */
#ifndef CONFIG_FWC_ALLOW_HTTP
#define CONFIG_FWC_ALLOW_HTTP 0
#endif
/* Offer TLS 1.3 where the mbedTLS build supports it (1.2 is the minimum). */
#ifndef CONFIG_FWC_TLS13
#define CONFIG_FWC_TLS13 FWCI_DEFAULT_Y
#endif
/* Keep the TLS session (ticket) so a reconnect skips the full handshake. */
#ifndef CONFIG_FWC_TLS_SESSION_RESUMPTION
#define CONFIG_FWC_TLS_SESSION_RESUMPTION FWCI_DEFAULT_Y
#endif
/* TLS maximum fragment length code: 0 off, 1=512, 2=1024, 3=2048, 4=4096.
 * A TLS 1.2 extension: with it on, fwc offers TLS 1.2 only (mbedTLS 3.6.6
 * fails a 1.3 handshake that carries it). The length must not exceed the
 * mbedTLS build's smaller IN/OUT buffer; and mbedTLS 2.28 cannot reassemble
 * a certificate chain split across records, so with a small MFL it fails on
 * chains longer than the fragment (docs/TLS-MEMORY.md). */
#ifndef CONFIG_FWC_TLS_MAX_FRAGMENT_CODE
#define CONFIG_FWC_TLS_MAX_FRAGMENT_CODE 0
#endif
/* Allow an mbedTLS built without MBEDTLS_HAVE_TIME_DATE, which checks no
 * certificate dates; fwc still checks them (Kconfig help says what is lost). */
#ifndef CONFIG_FWC_TLS_MBEDTLS_WITHOUT_DATES
#define CONFIG_FWC_TLS_MBEDTLS_WITHOUT_DATES 0
#endif
/* Largest TLS session a warm-start export carries (fwc/warm.h): about 150
 * bytes and the server's ticket, plus the server's certificate when mbedTLS
 * keeps it (MBEDTLS_SSL_KEEP_PEER_CERTIFICATE). A larger one is left out. */
#ifndef CONFIG_FWC_WARM_SESSION_MAX
#define CONFIG_FWC_WARM_SESSION_MAX 3072
#endif
/* Storage for the mbedTLS state inside struct fwc_tls. The build fails,
 * naming the size needed, when this is too small for the mbedTLS in use. */
#ifndef CONFIG_FWC_TLS_CONTEXT_SIZE
#define CONFIG_FWC_TLS_CONTEXT_SIZE 3072
#endif
/* ---- OAuth token ------------------------------------------------------- */

#ifndef CONFIG_FWC_TOKEN_PATH
#define CONFIG_FWC_TOKEN_PATH "/fotoweb/oauth2/token"
#endif
/* Longest access token kept; a longer one is FWC_ERR_TOKEN_TOO_LARGE. */
#ifndef CONFIG_FWC_TOKEN_MAX
#define CONFIG_FWC_TOKEN_MAX 1024
#endif
/* Largest token response body held whole for jsmn. */
#ifndef CONFIG_FWC_TOKEN_RESPONSE_MAX
#define CONFIG_FWC_TOKEN_RESPONSE_MAX 2048
#endif
/* jsmn token slots for one JSON document. */
#ifndef CONFIG_FWC_JSON_MAX_TOKENS
#define CONFIG_FWC_JSON_MAX_TOKENS 48
#endif
/* Lifetime assumed when the server sends no expires_in. */
#ifndef CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S
#define CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S 1800
#endif
/* expires_in above this is treated as an error, not trusted. */
#ifndef CONFIG_FWC_TOKEN_MAX_LIFETIME_S
#define CONFIG_FWC_TOKEN_MAX_LIFETIME_S 604800
#endif
/* Renew when now >= expiry - max(margin seconds, margin percent). */
#ifndef CONFIG_FWC_TOKEN_RENEW_MARGIN_S
#define CONFIG_FWC_TOKEN_RENEW_MARGIN_S 60
#endif
#ifndef CONFIG_FWC_TOKEN_RENEW_MARGIN_PCT
#define CONFIG_FWC_TOKEN_RENEW_MARGIN_PCT 10
#endif
/* Random extra margin so a fleet rebooted together does not renew in step. */
#ifndef CONFIG_FWC_TOKEN_RENEW_JITTER_S
#define CONFIG_FWC_TOKEN_RENEW_JITTER_S 30
#endif
/* ... or this percentage of the lifetime where larger: a fleet whose tokens
 * were issued together renews spread over a large part of the lifetime,
 * not within seconds (docs/OAUTH.md, "Renewal"). */
#ifndef CONFIG_FWC_TOKEN_RENEW_JITTER_PCT
#define CONFIG_FWC_TOKEN_RENEW_JITTER_PCT 50
#endif
/* Sleep a random 0..this many seconds at the start of every call whose
 * token request is due (no token held, or time to renew it). For fleets
 * that boot, renew or are refused together, or whose applications call on
 * a shared schedule. 0 (off): it delays those calls. */
#ifndef CONFIG_FWC_TOKEN_FETCH_SPREAD_S
#define CONFIG_FWC_TOKEN_FETCH_SPREAD_S 0
#endif
/* Build in HTTP Basic client authentication (RFC 6749 2.3.1), chosen at
 * run time; FotoWeb uses client_secret_post. Costs a ~1 KiB scratch buffer. */
#ifndef CONFIG_FWC_AUTH_BASIC
#define CONFIG_FWC_AUTH_BASIC FWCI_DEFAULT_Y
#endif
/* Longest client ID and client secret accepted from the secret hook. */
#ifndef CONFIG_FWC_CLIENT_ID_MAX
#define CONFIG_FWC_CLIENT_ID_MAX 128
#endif
#ifndef CONFIG_FWC_SECRET_MAX
#define CONFIG_FWC_SECRET_MAX 128
#endif
/* Let several tasks share one client: the port's lock hooks guard the token
 * cache (exactly one renewal in flight) and every request and upload as a
 * whole (one connection, one I/O buffer: tasks take turns). */
#ifndef CONFIG_FWC_LOCKS
#define CONFIG_FWC_LOCKS 0
#endif

/* ---- Secret source (exactly one) --------------------------------------- */

/* The build reads a secrets file outside the tree into a generated header. */
#ifndef CONFIG_FWC_SECRET_BUILD
#define CONFIG_FWC_SECRET_BUILD 0
#endif
/* The secrets file the build reads when CONFIG_FWC_SECRET_BUILD is set. */
#ifndef CONFIG_FWC_SECRETS_FILE
#define CONFIG_FWC_SECRETS_FILE ""
#endif
/* The application implements fwc_secret_get() (secure element, NVS, ...). */
#ifndef CONFIG_FWC_SECRET_CALLBACK
#define CONFIG_FWC_SECRET_CALLBACK FWCI_DEFAULT_Y
#endif

/* ---- Requests, retries, upload ----------------------------------------- */

#ifndef CONFIG_FWC_RETRY_MAX_ATTEMPTS
#define CONFIG_FWC_RETRY_MAX_ATTEMPTS 4
#endif
#ifndef CONFIG_FWC_RETRY_MAX_TOTAL_MS
#define CONFIG_FWC_RETRY_MAX_TOTAL_MS 120000
#endif
#ifndef CONFIG_FWC_RETRY_BASE_MS
#define CONFIG_FWC_RETRY_BASE_MS 500
#endif
#ifndef CONFIG_FWC_RETRY_CAP_MS
#define CONFIG_FWC_RETRY_CAP_MS 30000
#endif
/* A Retry-After wait gets a random extra of 0..this percent of it (at least
 * 0..CONFIG_FWC_RETRY_BASE_MS), never less than the server asked. */
#ifndef CONFIG_FWC_RETRY_AFTER_JITTER_PCT
#define CONFIG_FWC_RETRY_AFTER_JITTER_PCT 25
#endif
/* Build the Upload API (create, chunks, XMP, status). */
#ifndef CONFIG_FWC_UPLOAD
#define CONFIG_FWC_UPLOAD FWCI_DEFAULT_Y
#endif
/* Room for the create request's JSON and for the server's JSON answers
 * (upload id, status with the asset URL). */
#ifndef CONFIG_FWC_UPLOAD_JSON_MAX
#define CONFIG_FWC_UPLOAD_JSON_MAX 1024
#endif
/* How long to poll an upload's status before giving up. */
#ifndef CONFIG_FWC_UPLOAD_STATUS_TIMEOUT_MS
#define CONFIG_FWC_UPLOAD_STATUS_TIMEOUT_MS 120000
#endif

/* Storage for one port lock (pthread_mutex_t is 40 bytes on x86-64 glibc,
 * a FreeRTOS semaphore handle one pointer). */
#ifndef CONFIG_FWC_PORT_LOCK_SIZE
#define CONFIG_FWC_PORT_LOCK_SIZE 64
#endif

/* ---- Logging ----------------------------------------------------------- */

/* 0 none, 1 error, 2 warning, 3 info, 4 debug. Secrets never reach a log at
 * any level; a token is shown at most by its first 4 characters. */
#ifndef CONFIG_FWC_LOG_LEVEL
#define CONFIG_FWC_LOG_LEVEL 2
#endif

/* ---- Sanity: a bad value fails the build, not the device ---------------- */

#if CONFIG_FWC_IO_BUFFER_SIZE < 512
#error "CONFIG_FWC_IO_BUFFER_SIZE must be at least 512"
#endif
#if CONFIG_FWC_HTTP_MAX_STATUS_LINE < 32 || CONFIG_FWC_HTTP_MAX_HEADER_LINE < 64
#error "CONFIG_FWC_HTTP_MAX_STATUS_LINE >= 32 and CONFIG_FWC_HTTP_MAX_HEADER_LINE >= 64"
#endif
#if CONFIG_FWC_HTTP_MAX_CHUNK_LINE < 16
#error "CONFIG_FWC_HTTP_MAX_CHUNK_LINE must be at least 16"
#endif
/* The parser counts line bytes and header lines in 16 bits. */
#if CONFIG_FWC_HTTP_MAX_STATUS_LINE > 65535 || CONFIG_FWC_HTTP_MAX_HEADER_LINE > 65535 || \
    CONFIG_FWC_HTTP_MAX_CHUNK_LINE > 65535 || CONFIG_FWC_HTTP_MAX_HEADERS > 65534
#error "HTTP line limits must be <= 65535 and CONFIG_FWC_HTTP_MAX_HEADERS <= 65534"
#endif
#if CONFIG_FWC_HTTP_CONTENT_TYPE_MAX < 16 || CONFIG_FWC_HTTP_LOCATION_MAX < 16
#error "header slots must hold at least 16 bytes"
#endif
/* Token times are milliseconds in 32 bits, compared by elapsed time. */
#if CONFIG_FWC_TOKEN_MAX_LIFETIME_S > 2000000 || CONFIG_FWC_TOKEN_DEFAULT_LIFETIME_S > 2000000
#error "token lifetimes must stay below 2000000 s (about 23 days)"
#endif
#if CONFIG_FWC_RETRY_AFTER_JITTER_PCT < 0 || CONFIG_FWC_RETRY_AFTER_JITTER_PCT > 100
#error "CONFIG_FWC_RETRY_AFTER_JITTER_PCT must be 0..100"
#endif
#if CONFIG_FWC_TOKEN_RENEW_JITTER_PCT < 0 || CONFIG_FWC_TOKEN_RENEW_JITTER_PCT > 80
#error "CONFIG_FWC_TOKEN_RENEW_JITTER_PCT must be 0..80"
#endif
#if CONFIG_FWC_TOKEN_FETCH_SPREAD_S < 0 || CONFIG_FWC_TOKEN_FETCH_SPREAD_S > 3600
#error "CONFIG_FWC_TOKEN_FETCH_SPREAD_S must be 0..3600"
#endif
#if CONFIG_FWC_SECRET_BUILD + CONFIG_FWC_SECRET_CALLBACK != 1
#error "choose exactly one of CONFIG_FWC_SECRET_BUILD and CONFIG_FWC_SECRET_CALLBACK"
#endif

/* The room fwc/warm.h's FWC_WARM_MAX keeps for a TLS session: none
 * without fwc's own TLS or without resumption, which have none to carry. */
#if CONFIG_FWC_TLS_MBEDTLS && CONFIG_FWC_TLS_SESSION_RESUMPTION
#define FWCI_WARM_SESSION_ROOM CONFIG_FWC_WARM_SESSION_MAX
#else
#define FWCI_WARM_SESSION_ROOM 0
#endif
#if CONFIG_FWC_WARM_SESSION_MAX < 0 || CONFIG_FWC_WARM_SESSION_MAX > 65535
#error "CONFIG_FWC_WARM_SESSION_MAX must be 0..65535"
#endif

/* ---- Fingerprint of the layout ----------------------------------------- */

/* A 32-bit value over every option that changes the size or layout of
 * struct fwc_client (or of a type inside it, such as the public
 * struct fwc_http_response): buffer sizes, and the booleans that add
 * members, a size counting only when its member exists. The library is
 * compiled with its own; fwc_client_init() is a macro (fwc/client.h) that
 * hands the library the caller's, with the caller's sizeof(struct
 * fwc_client), so a program compiled with other values than the library
 * gets FWC_ERR_CONFIG_MISMATCH instead of memory corruption. A new
 * CONFIG_FWC_ value in a header's struct belongs here
 * (tests/config/check_fingerprint.sh fails otherwise). FNV-1a's step, one
 * value at a time; usable in #if as well as in C. */
#define FWCI_FP(h, v) ((((h) ^ (v)) * 16777619UL) & 0xFFFFFFFFUL)
#define FWC_CONFIG_FINGERPRINT                                                       \
    FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(  \
    FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(FWCI_FP(  \
    FWCI_FP(FWCI_FP(FWCI_FP(                                                         \
    2166136261UL,                                                                    \
    CONFIG_FWC_IO_BUFFER_SIZE),                                                      \
    CONFIG_FWC_HTTP_MAX_STATUS_LINE),                                                \
    CONFIG_FWC_HTTP_MAX_HEADER_LINE),                                                \
    CONFIG_FWC_HTTP_MAX_CHUNK_LINE),                                                 \
    CONFIG_FWC_HTTP_CONTENT_TYPE_MAX),                                               \
    CONFIG_FWC_HTTP_LOCATION_MAX),                                                   \
    CONFIG_FWC_API_PATH_MAX),                                                        \
    CONFIG_FWC_URL_HOST_MAX),                                                        \
    CONFIG_FWC_URL_PREFIX_MAX),                                                      \
    CONFIG_FWC_TLS_MBEDTLS),                                                         \
    CONFIG_FWC_TLS_MBEDTLS ? CONFIG_FWC_TLS_CONTEXT_SIZE : 0),                       \
    CONFIG_FWC_TLS_MBEDTLS ? CONFIG_FWC_PROXY : 0),                                  \
    CONFIG_FWC_ALLOW_HTTP),                                                          \
    CONFIG_FWC_TOKEN_MAX),                                                           \
    CONFIG_FWC_TOKEN_RESPONSE_MAX),                                                  \
    CONFIG_FWC_JSON_MAX_TOKENS),                                                     \
    CONFIG_FWC_CLIENT_ID_MAX),                                                       \
    CONFIG_FWC_SECRET_MAX),                                                          \
    CONFIG_FWC_AUTH_BASIC),                                                          \
    CONFIG_FWC_LOCKS),                                                               \
    CONFIG_FWC_LOCKS ? CONFIG_FWC_PORT_LOCK_SIZE : 0),                               \
    CONFIG_FWC_UPLOAD),                                                              \
    CONFIG_FWC_UPLOAD ? CONFIG_FWC_UPLOAD_JSON_MAX : 0)

#ifdef __cplusplus
}
#endif

#endif
