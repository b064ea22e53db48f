/* SPDX-License-Identifier: MIT */
/* TLS transport over mbedTLS and the port's TCP sockets (fwc/internal/tls.h).
 *
 * Timeouts: mbedTLS reads and writes through the bio callbacks below, which
 * give each socket call the time left to the current operation's deadline.
 * A socket timeout becomes WANT_READ/WANT_WRITE inside mbedTLS, and the
 * transport reports FWC_ERR_TIMEOUT, so the connection stays usable.
 *
 * Closes: a close_notify is an orderly close (0). A TCP EOF without one is
 * FWC_ERR_CONN_CLOSED, which the HTTP layer treats as "connection gone" but
 * never as the end of a close-delimited body (that could be a truncation
 * attack). Empty records are neither: mbedTLS reads two in a row as a
 * 0-byte read, and fwc reads on.
 *
 * Certificates (verify_cert): fwc decides validity dates itself, against
 * the port's clock with the build date as its floor, and matches a server
 * addressed by IP against the certificate's iPAddress entries. docs/TLS.md
 * has both policies.
 *
 * With CONFIG_FWC_TLS_MBEDTLS off this file compiles to nothing, so a plain
 * source list can keep it: fwc then has no TLS, and needs no mbedTLS. */
#include "fwc/config.h"
#if CONFIG_FWC_TLS_MBEDTLS
#include <string.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#if defined(MBEDTLS_PLATFORM_TIME_ALT)
#include <mbedtls/platform_time.h>
#endif

#include "fwc/port.h"
#include "fwc/internal/proxy.h"
#include "fwc/internal/tls.h"
#include "log.h"
#include "mbedtls_compat.h"
#include "url_host.h"
#include "wipe.h"

struct tls_state {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config conf;
    mbedtls_x509_crt ca;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ssl_session session; /* for resumption */
    const char *host;
    uint16_t port;
    int sock;
    bool connected;
    bool have_session;
    bool tcp_eof;         /* the socket reached EOF (with or without close_notify) */
    bool tls12_without_pss; /* this server tripped mbedTLS issue 10668 */
    uint8_t ip_len;       /* the host is an IPv4 (4) or IPv6 (16) address, or a name (0) */
    uint8_t ip[16];       /* ... whose bytes these are */
    uint32_t deadline;    /* of the operation in progress */
    enum fwc_err io_err;  /* what the socket said last, for exact mapping */
    int last_error;
    uint32_t cert_problems;
    /* ALPN list: mbedTLS keeps the pointer and takes a non-const
     * const char **, so it lives here rather than in static .data. */
    const char *alpn[2];
#if CONFIG_FWC_PROXY
    struct fwc_proxy *proxy; /* NULL: straight to the server */
#endif
};

/* A size check that works in C99: a negative array size stops the build,
 * and the message in the name tells what to raise. */
typedef char CONFIG_FWC_TLS_CONTEXT_SIZE_too_small_for_this_mbedTLS
    [sizeof(struct tls_state) <= CONFIG_FWC_TLS_CONTEXT_SIZE ? 1 : -1];

/* The mbedTLS state inside struct fwc_tls's opaque storage. */
static struct tls_state *state_of(const struct fwc_tls *tls)
{
    return (struct tls_state *)(void *)tls->_internal.bytes;
}

/* The time floor (docs/TLS.md, "Time"): the build's own date. The Makefile
 * passes SOURCE_DATE_EPOCH or the last commit's date, so the same source
 * always gives the same floor; other builds may pass their own. The
 * fallback is the date of this line's last change: an older floor is
 * weaker (it refuses fewer expired certificates), never wrong. */
#ifndef FWC_BUILD_EPOCH
#define FWC_BUILD_EPOCH 1796256000 /* 2026-12-03 */
#endif

/* Without it mbedTLS checks no validity dates. fwc checks them itself
 * either way, but see the Kconfig help for what still goes. */
#if !defined(MBEDTLS_HAVE_TIME_DATE) && !CONFIG_FWC_TLS_MBEDTLS_WITHOUT_DATES
#error "mbedTLS lacks MBEDTLS_HAVE_TIME_DATE: enable it, or set CONFIG_FWC_TLS_MBEDTLS_WITHOUT_DATES (Kconfig)"
#endif

#if CONFIG_FWC_TLS_MAX_FRAGMENT_CODE < 0 || CONFIG_FWC_TLS_MAX_FRAGMENT_CODE > 4
#error "CONFIG_FWC_TLS_MAX_FRAGMENT_CODE must be 0..4"
#endif

/* ---- bio: mbedTLS <-> port sockets --------------------------------------- */

static uint32_t ms_left(const struct tls_state *s)
{
    int32_t left = (int32_t)(s->deadline - fwc_port_now_ms());
    return left > 0 ? (uint32_t)left : 0;
}

static int bio_result(struct tls_state *s, int32_t n, int want)
{
    if (n >= 0)
        return (int)n;
    s->io_err = (enum fwc_err)n;
    if (n == FWC_ERR_TIMEOUT)
        return want;
    return n == FWC_ERR_CONN_RESET ? MBEDTLS_ERR_NET_CONN_RESET : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    struct tls_state *s = ctx;
    return bio_result(s, fwc_port_tcp_send(s->sock, buf, len, ms_left(s)),
                      MBEDTLS_ERR_SSL_WANT_WRITE);
}

static int bio_recv(void *ctx, unsigned char *buf, size_t len)
{
    struct tls_state *s = ctx;
    int32_t n = fwc_port_tcp_recv(s->sock, buf, len, ms_left(s));
    if (n == 0)
        s->tcp_eof = true;
    return bio_result(s, n, MBEDTLS_ERR_SSL_WANT_READ);
}

static int entropy_source(void *ctx, unsigned char *buf, size_t len)
{
    (void)ctx;
    return fwc_port_entropy(buf, len) == FWC_OK ? 0 : MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED;
}

/* ---- certificates: dates and addresses ------------------------------------- */

/* Now, for certificate dates: the port's clock when it knows the date and
 * that is not before the build; else the build date, and false. A clock
 * that reads earlier than the build is wrong (no RTC, not yet set). */
static bool cert_now(int64_t *now)
{
    if (fwc_port_wall_time(now) && *now >= (int64_t)FWC_BUILD_EPOCH)
        return true;
    *now = (int64_t)FWC_BUILD_EPOCH;
    return false;
}

#if defined(MBEDTLS_PLATFORM_TIME_ALT)
/* An mbedTLS built without a C library clock asks fwc, which answers as it
 * does for its own checks. */
static mbedtls_time_t port_wall_time(mbedtls_time_t *out)
{
    int64_t now;
    (void)cert_now(&now);
    if (out != NULL)
        *out = (mbedtls_time_t)now;
    return (mbedtls_time_t)now;
}
#endif

/* Seconds since 1970 of a certificate's UTC time (days from the civil
 * date as in H. Hinnant's days_from_civil; no C library needed). */
static int64_t x509_seconds(const mbedtls_x509_time *t)
{
    int64_t m = t->mon;
    int64_t y = (int64_t)t->year - (m <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + t->day - 1;
    int64_t days = era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
    return days * 86400 + (int64_t)t->hour * 3600 + (int64_t)t->min * 60 + t->sec;
}

/* fwc's verdict on a certificate's dates, in place of mbedTLS's (which
 * reads the C library's clock, or none). With the clock unknown, now is
 * only known to be at or after the build: a certificate that ended before
 * the build is expired, but one that starts after it may have started by
 * now, so it is not called "not yet valid" (a device first switched on
 * months after its build must still reach a server whose certificate was
 * renewed since). */
static uint32_t date_flags(const mbedtls_x509_crt *crt, uint32_t flags)
{
    int64_t now;
    bool known = cert_now(&now);

    flags &= ~(uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE);
    if (now > x509_seconds(&crt->valid_to))
        flags |= MBEDTLS_X509_BADCERT_EXPIRED;
    if (known && now < x509_seconds(&crt->valid_from))
        flags |= MBEDTLS_X509_BADCERT_FUTURE;
    return flags;
}

/* An iPAddress entry holding exactly these bytes. A DNS entry or the CN
 * that spells the address does not count, whatever mbedTLS would say. */
static bool names_address(const mbedtls_x509_crt *crt, const uint8_t *ip, size_t len)
{
    const mbedtls_x509_sequence *san;

    for (san = &crt->subject_alt_names; san != NULL; san = san->next) {
        if (san->buf.tag == (MBEDTLS_ASN1_CONTEXT_SPECIFIC | MBEDTLS_X509_SAN_IP_ADDRESS) &&
            san->buf.len == len && memcmp(san->buf.p, ip, len) == 0)
            return true;
    }
    return false;
}

/* mbedTLS calls this for each certificate of the chain it built, root
 * first, leaf (depth 0) last, with the problems it found; a flag set here
 * fails the handshake like its own. For an address mbedTLS checked no name
 * (none was set), so the leaf's address check here is the only one. */
static int verify_cert(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    const struct tls_state *s = ctx;

    *flags = date_flags(crt, *flags);
    if (depth == 0 && s->ip_len != 0 && !names_address(crt, s->ip, s->ip_len))
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    return 0;
}

/* ---- errors ---------------------------------------------------------------- */

static uint32_t cert_problems_from(uint32_t flags)
{
    uint32_t p = 0;
    if (flags & (MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_MISSING))
        p |= FWC_TLS_CERT_UNTRUSTED;
    if (flags & MBEDTLS_X509_BADCERT_EXPIRED)
        p |= FWC_TLS_CERT_EXPIRED;
    if (flags & MBEDTLS_X509_BADCERT_FUTURE)
        p |= FWC_TLS_CERT_NOT_YET_VALID;
    if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH)
        p |= FWC_TLS_CERT_HOST_MISMATCH;
    if (flags & ~(uint32_t)(MBEDTLS_X509_BADCERT_NOT_TRUSTED | MBEDTLS_X509_BADCERT_MISSING |
                            MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE |
                            MBEDTLS_X509_BADCERT_CN_MISMATCH))
        p |= FWC_TLS_CERT_OTHER;
    return p;
}

/* An X.509 module error (high-level code in -0x2080..-0x3000, perhaps plus
 * a low-level one): a server certificate mbedTLS could not parse, or a chain
 * longer than it verifies (MBEDTLS_X509_MAX_INTERMEDIATE_CA), which ends in
 * MBEDTLS_ERR_X509_FATAL_ERROR without verify flags. Either way the
 * certificate was refused. */
static bool is_x509_error(int ret)
{
    unsigned high;
    if (ret >= 0 || ret <= -0x8000)
        return false;
    high = (unsigned)-ret & 0xFF80u;
    return high >= 0x2080u && high <= 0x3000u;
}

/* An mbedTLS failure, told apart by what the socket said underneath. */
static enum fwc_err map_error(struct tls_state *s, int ret, enum fwc_err otherwise)
{
    s->last_error = ret;
    if (ret == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        s->cert_problems = cert_problems_from(mbedtls_ssl_get_verify_result(&s->ssl));
        return FWC_ERR_TLS_CERT;
    }
    if (ret == FWC_MBEDTLS_ERR_BAD_CERTIFICATE) {
        uint32_t flags = mbedtls_ssl_get_verify_result(&s->ssl);
        /* 0xFFFFFFFF: verification never ran (a malformed message). */
        s->cert_problems = flags != 0 && flags != UINT32_MAX ? cert_problems_from(flags)
                                                              : FWC_TLS_CERT_OTHER;
        return FWC_ERR_TLS_CERT;
    }
    if (is_x509_error(ret)) {
        s->cert_problems = FWC_TLS_CERT_OTHER;
        return FWC_ERR_TLS_CERT;
    }
    if (ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE)
        return FWC_ERR_TIMEOUT;
    if (ret == MBEDTLS_ERR_NET_CONN_RESET)
        return FWC_ERR_CONN_RESET;
    if (ret == MBEDTLS_ERR_NET_SEND_FAILED && s->io_err != FWC_OK)
        return s->io_err;
    return otherwise;
}

/* ---- setup ---------------------------------------------------------------- */

static enum fwc_err configure(struct tls_state *s)
{
    static const unsigned char personal[] = "fwc tls";
    mbedtls_ssl_config *conf = &s->conf;

    if (mbedtls_ctr_drbg_seed(&s->drbg, entropy_source, NULL, personal, sizeof(personal)) != 0)
        return FWC_ERR_TRANSPORT;
    if (mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                    MBEDTLS_SSL_PRESET_DEFAULT) != 0)
        return FWC_ERR_TLS;
    /* The whole point of the product: no way to skip verification. */
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_verify(conf, verify_cert, s);
    mbedtls_ssl_conf_ca_chain(conf, &s->ca, NULL);
    mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &s->drbg);
    /* Maximum fragment length is a TLS 1.2 extension, and mbedTLS 3.6.6
     * with 1.3 enabled rejects the server's MFL answer: with MFL on, 1.2. */
    fwci_compat_conf_versions(conf, CONFIG_FWC_TLS13 && CONFIG_FWC_TLS_MAX_FRAGMENT_CODE == 0);
    fwci_compat_conf_groups(conf);
#if defined(MBEDTLS_SSL_ALPN)
    s->alpn[0] = "http/1.1";
    s->alpn[1] = NULL;
    if (mbedtls_ssl_conf_alpn_protocols(conf, s->alpn) != 0)
        return FWC_ERR_TLS;
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    mbedtls_ssl_conf_session_tickets(conf, CONFIG_FWC_TLS_SESSION_RESUMPTION
                                               ? MBEDTLS_SSL_SESSION_TICKETS_ENABLED
                                               : MBEDTLS_SSL_SESSION_TICKETS_DISABLED);
#endif
#if FWC_HAVE_TLS13_TICKET_SIGNAL && CONFIG_FWC_TLS_SESSION_RESUMPTION
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#endif
#if CONFIG_FWC_TLS_MAX_FRAGMENT_CODE != 0
#if !defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH)
#error "CONFIG_FWC_TLS_MAX_FRAGMENT_CODE needs MBEDTLS_SSL_MAX_FRAGMENT_LENGTH in mbedTLS"
#endif
    if (mbedtls_ssl_conf_max_frag_len(conf, (unsigned char)CONFIG_FWC_TLS_MAX_FRAGMENT_CODE) != 0)
        return FWC_ERR_TLS;
#endif
    /* An address is sent as no SNI (RFC 6066 section 3) and set as no
     * name: mbedTLS 2.28 matches names against DNS entries only, 3.6 also
     * against a DNS entry or CN spelling the address. verify_cert matches
     * it. NULL, given explicitly, is how 3.6 is told so. */
    if (mbedtls_ssl_setup(&s->ssl, conf) != 0 ||
        mbedtls_ssl_set_hostname(&s->ssl, s->ip_len != 0 ? NULL : s->host) != 0)
        return FWC_ERR_TLS;
    mbedtls_ssl_set_bio(&s->ssl, s, bio_send, bio_recv, NULL);
    return FWC_OK;
}

static void release(struct tls_state *s)
{
    mbedtls_ssl_free(&s->ssl);
    mbedtls_ssl_config_free(&s->conf);
    mbedtls_x509_crt_free(&s->ca);
    mbedtls_ctr_drbg_free(&s->drbg);
    mbedtls_ssl_session_free(&s->session);
}

/* ---- transport operations ---------------------------------------------------- */

/* Keep the session so the next connection can skip the full handshake.
 * For TLS 1.3 this runs again whenever a ticket arrives. */
static void save_session(struct tls_state *s)
{
#if CONFIG_FWC_TLS_SESSION_RESUMPTION
    mbedtls_ssl_session_free(&s->session);
    mbedtls_ssl_session_init(&s->session);
    s->have_session = mbedtls_ssl_get_session(&s->ssl, &s->session) == 0;
#else
    (void)s;
#endif
}

static void tls_close(void *ctx)
{
    struct tls_state *s = ctx;

    if (!s->connected)
        return;
    /* Best effort, and brief: the peer may already be gone. */
    s->deadline = fwc_port_now_ms() + 100u;
    (void)mbedtls_ssl_close_notify(&s->ssl);
    fwc_port_tcp_close(s->sock);
    s->sock = -1;
    s->connected = false;
}

static enum fwc_err handshake(struct tls_state *s)
{
    int ret;

    for (;;) {
        ret = mbedtls_ssl_handshake(&s->ssl);
        if (ret == 0)
            return FWC_OK;
#if FWC_HAVE_TLS13_TICKET_SIGNAL
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            save_session(s);
            continue;
        }
#endif
        if ((ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) &&
            ms_left(s) > 0)
            continue;
        return map_error(s, ret, FWC_ERR_TLS_HANDSHAKE);
    }
}

/* TCP connect and handshake within the deadline already set. */
static enum fwc_err connect_and_handshake(struct tls_state *s, uint32_t timeout_ms)
{
    enum fwc_err err;
    int64_t now;

    s->io_err = FWC_OK;
    s->tcp_eof = false;
    s->cert_problems = 0;
    s->last_error = 0;
    if (!cert_now(&now))
        FWC_LOG_TEXT(FWC_LOG_WARNING, "TLS: clock unknown or before the build: dates checked "
                                      "against the build date");
    if (mbedtls_ssl_session_reset(&s->ssl) != 0)
        return FWC_ERR_TLS;
    if (s->have_session && mbedtls_ssl_set_session(&s->ssl, &s->session) != 0)
        s->have_session = false; /* stale ticket: do a full handshake */
#if CONFIG_FWC_PROXY
    if (s->proxy != NULL)
        err = fwci_proxy_connect(s->proxy, s->host, s->port, timeout_ms, &s->sock);
    else
#endif
        err = fwc_port_tcp_connect(s->host, s->port, timeout_ms, &s->sock);
    if (err != FWC_OK)
        return err;
    s->connected = true;
    err = handshake(s);
    if (err != FWC_OK) {
        fwc_port_tcp_close(s->sock);
        s->connected = false;
    }
    return err;
}

static enum fwc_err tls_open(void *ctx, uint32_t timeout_ms)
{
    struct tls_state *s = ctx;
    enum fwc_err err;

    tls_close(s);
    s->deadline = fwc_port_now_ms() + timeout_ms;
    err = connect_and_handshake(s, timeout_ms);
    /* Work round mbedTLS issue 10668 once per server, within the same
     * deadline: the server itself chose TLS 1.2, so nothing is given up. */
    if (err == FWC_ERR_TLS_HANDSHAKE && !s->tls12_without_pss &&
        fwci_compat_tls12_pss_rejected(&s->ssl, s->last_error) && ms_left(s) > 0) {
        s->tls12_without_pss = true;
        fwci_compat_conf_tls12_without_pss(&s->conf);
        err = connect_and_handshake(s, ms_left(s));
    }
    if (err == FWC_OK)
        save_session(s);
    return err;
}

/* TLS adds nothing to wait for: tls_send returns only once mbedTLS has
 * handed its whole record to the socket. */
static int32_t tls_unsent(void *ctx)
{
    struct tls_state *s = ctx;
    return s->connected ? fwc_port_tcp_unsent(s->sock) : -1;
}

static int32_t tls_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    struct tls_state *s = ctx;
    int ret;

    s->deadline = fwc_port_now_ms() + timeout_ms;
    s->io_err = FWC_OK;
    if (len > INT32_MAX)
        len = INT32_MAX;
    do {
        ret = mbedtls_ssl_write(&s->ssl, data, len);
    } while ((ret == MBEDTLS_ERR_SSL_WANT_WRITE || ret == MBEDTLS_ERR_SSL_WANT_READ) &&
             ms_left(s) > 0);
    if (ret > 0)
        return (int32_t)ret;
    return map_error(s, ret, FWC_ERR_TLS);
}

static int32_t tls_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    struct tls_state *s = ctx;
    int ret;

    s->deadline = fwc_port_now_ms() + timeout_ms;
    s->io_err = FWC_OK;
    if (len > INT32_MAX)
        len = INT32_MAX;
    for (;;) {
        ret = mbedtls_ssl_read(&s->ssl, buf, len);
        if (ret > 0)
            return (int32_t)ret;
#if FWC_HAVE_TLS13_TICKET_SIGNAL
        if (ret == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            save_session(s);
            continue;
        }
#endif
        if (ret == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)
            return 0;
        /* 0 is no close_notify: either a bare TCP EOF (the bio saw it) or
         * two empty records in a row, which mbedTLS passes on as a 0-byte
         * read. Those mean no data yet (mbedTLS fails a fourth in a row). */
        if (ret == 0 || ret == MBEDTLS_ERR_SSL_CONN_EOF) {
            if (s->tcp_eof)
                return FWC_ERR_CONN_CLOSED;
            ret = MBEDTLS_ERR_SSL_WANT_READ;
        }
        /* A TLS 1.3 post-handshake message consumed the wait: try again
         * while there is time (a poll gets exactly one look). */
        if ((ret == MBEDTLS_ERR_SSL_WANT_READ || ret == MBEDTLS_ERR_SSL_WANT_WRITE) &&
            s->io_err == FWC_OK && ms_left(s) > 0)
            continue;
        return map_error(s, ret, FWC_ERR_TLS);
    }
}

/* ---- public ------------------------------------------------------------------- */

static bool is_pem(const uint8_t *ca, size_t len)
{
    static const char marker[] = "-----BEGIN ";
    size_t i;
    for (i = 0; i + sizeof(marker) - 1 <= len; i++) {
        if (memcmp(ca + i, marker, sizeof(marker) - 1) == 0)
            return true;
    }
    return false;
}

/* A PEM bundle may hold certificates mbedTLS cannot use (an Ed25519 CA,
 * say): it loads the others and returns how many it skipped. Only a bundle
 * with none usable is refused. */
static enum fwc_err load_ca(mbedtls_x509_crt *chain, const uint8_t *ca, size_t len)
{
    int ret = mbedtls_x509_crt_parse(chain, ca, len);

    if (ret < 0 || chain->raw.len == 0)
        return FWC_ERR_INVALID_ARG;
    if (ret > 0)
        FWC_LOG_VALUE(FWC_LOG_WARNING, "TLS: CA certificates skipped, unusable by mbedTLS",
                      (uint32_t)ret, "");
    return FWC_OK;
}

enum fwc_err fwci_tls_init(struct fwc_tls *tls, const char *host, uint16_t port,
                          const uint8_t *ca, size_t ca_len)
{
    struct tls_state *s;
    enum fwc_err err;
    enum fwc_host_kind kind;
    uint8_t ip[16];

    if (tls == NULL || host == NULL || *host == '\0' || port == 0 || ca == NULL || ca_len == 0)
        return FWC_ERR_INVALID_ARG;
    /* mbedTLS reads PEM as a C string; insist on the terminator. */
    if (is_pem(ca, ca_len) && ca[ca_len - 1] != '\0')
        return FWC_ERR_INVALID_ARG;
    kind = fwci_url_host_kind(host, ip);
    if (kind == FWC_HOST_BAD)
        return FWC_ERR_INVALID_ARG;
    memset(tls, 0, sizeof(*tls));
    s = state_of(tls);
    s->host = host;
    s->ip_len = (uint8_t)kind;
    memcpy(s->ip, ip, s->ip_len);
    s->port = port;
    s->sock = -1;
    mbedtls_ssl_init(&s->ssl);
    mbedtls_ssl_config_init(&s->conf);
    mbedtls_x509_crt_init(&s->ca);
    mbedtls_ctr_drbg_init(&s->drbg);
    mbedtls_ssl_session_init(&s->session);

#if defined(MBEDTLS_PLATFORM_TIME_ALT)
    (void)mbedtls_platform_set_time(port_wall_time);
#endif
    err = fwci_compat_crypto_init() == 0 ? FWC_OK : FWC_ERR_TLS;
    if (err == FWC_OK)
        err = load_ca(&s->ca, ca, ca_len);
    if (err == FWC_OK)
        err = configure(s);
    if (err != FWC_OK) {
        release(s);
        return err;
    }
    tls->transport.open = tls_open;
    tls->transport.send = tls_send;
    tls->transport.recv = tls_recv;
    tls->transport.close = tls_close;
    tls->transport.unsent = tls_unsent;
    tls->transport.ctx = s;
    return FWC_OK;
}

#if CONFIG_FWC_PROXY
void fwci_tls_use_proxy(struct fwc_tls *tls, struct fwc_proxy *px)
{
    if (tls != NULL && tls->transport.ctx != NULL)
        state_of(tls)->proxy = px;
}
#endif

void fwci_tls_free(struct fwc_tls *tls)
{
    if (tls == NULL || tls->transport.ctx == NULL)
        return;
    tls_close(state_of(tls));
    release(state_of(tls));
    memset(tls, 0, sizeof(*tls));
}

uint32_t fwci_tls_cert_problems(const struct fwc_tls *tls)
{
    return state_of(tls)->cert_problems;
}

int fwci_tls_mbedtls_error(const struct fwc_tls *tls)
{
    return state_of(tls)->last_error;
}

const char *fwci_tls_protocol(const struct fwc_tls *tls)
{
    return state_of(tls)->connected ? mbedtls_ssl_get_version(&state_of(tls)->ssl) : "none";
}

/* ---- warm starts ------------------------------------------------------------ */

#if FWC_HAVE_TLS13 && defined(MBEDTLS_SSL_SESSION_TICKETS) && defined(MBEDTLS_HAVE_TIME)
/* mbedTLS 3.6 dates a TLS 1.3 ticket by its own millisecond clock
 * (mbedtls_ms_time(): on Linux the time since boot, on a device often a
 * tick count), which restarts with the device: after a reboot the ticket
 * reads as received in the future, or long ago, and is never offered. An
 * export therefore carries the reception time on the wall clock, and the
 * import moves it back onto mbedTLS's clock. The field is private to
 * mbedTLS (hence MBEDTLS_PRIVATE); a session of another version is left
 * alone. Without a wall clock at either end the ticket is written or
 * loaded unmoved, and a ticket whose age mbedTLS then cannot make sense of
 * costs one full handshake, never an error. */
#include <mbedtls/platform_time.h>

typedef mbedtls_ms_time_t ticket_ms;

/* Wall-clock milliseconds minus mbedTLS's clock, now: what turns one into
 * the other. */
static bool ticket_clock_offset(ticket_ms *offset)
{
    int64_t wall;
    if (!fwc_port_wall_time(&wall))
        return false;
    *offset = (ticket_ms)wall * 1000 - mbedtls_ms_time();
    return true;
}

static void ticket_clock_shift(mbedtls_ssl_session *ss, ticket_ms by)
{
    if (ss->MBEDTLS_PRIVATE(tls_version) == MBEDTLS_SSL_VERSION_TLS1_3)
        ss->MBEDTLS_PRIVATE(ticket_reception_time) += by;
}
#else
/* No TLS 1.3 tickets: a TLS 1.2 session keeps no clock of mbedTLS's. */
typedef int64_t ticket_ms;
static bool ticket_clock_offset(ticket_ms *offset)
{
    *offset = 0;
    return false;
}
static void ticket_clock_shift(mbedtls_ssl_session *ss, ticket_ms by)
{
    (void)ss;
    (void)by;
}
#endif

enum fwc_err fwci_tls_session_export(struct fwc_tls *tls, uint8_t *out, size_t cap, size_t *len)
{
    struct tls_state *s = state_of(tls);
    ticket_ms offset = 0;
    bool shifted;
    int ret;

    *len = 0;
    if (!CONFIG_FWC_TLS_SESSION_RESUMPTION || !s->have_session)
        return FWC_OK;
    /* Moved for the save only: the session kept goes on as it was. */
    shifted = ticket_clock_offset(&offset);
    if (shifted)
        ticket_clock_shift(&s->session, offset);
    ret = mbedtls_ssl_session_save(&s->session, out, cap, len);
    if (shifted)
        ticket_clock_shift(&s->session, -offset);
    if (ret == 0)
        return FWC_OK;
    /* It writes each field that still fits before it finds out. */
    fwci_wipe(out, cap);
    if (ret != MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL)
        *len = 0; /* a session mbedTLS cannot save: none to give */
    return ret == MBEDTLS_ERR_SSL_BUFFER_TOO_SMALL ? FWC_ERR_BODY_TOO_LARGE : FWC_OK;
}

bool fwci_tls_session_import(struct fwc_tls *tls, const uint8_t *in, size_t len)
{
    struct tls_state *s = state_of(tls);
    ticket_ms offset = 0;

    if (!CONFIG_FWC_TLS_SESSION_RESUMPTION || len == 0)
        return false;
    /* mbedTLS loads only into a freshly initialised session, so the one
     * kept goes first (a client just initialised has none); what a refused
     * load left half-filled is freed (and zeroised) again. */
    mbedtls_ssl_session_free(&s->session);
    mbedtls_ssl_session_init(&s->session);
    s->have_session = mbedtls_ssl_session_load(&s->session, in, len) == 0;
    if (!s->have_session) {
        mbedtls_ssl_session_free(&s->session);
        mbedtls_ssl_session_init(&s->session);
    } else if (ticket_clock_offset(&offset)) {
        ticket_clock_shift(&s->session, -offset);
    }
    return s->have_session;
}

int64_t fwci_tls_time_floor(void)
{
    return (int64_t)FWC_BUILD_EPOCH;
}

const char *fwci_tls_library_version(void)
{
    return MBEDTLS_VERSION_STRING_FULL;
}
#else
typedef int fwc_tls_mbedtls_compiled_out; /* C99 wants something in every file */
#endif
