/* SPDX-License-Identifier: MIT */
/* The CONNECT tunnel (fwc/internal/proxy.h).
 *
 * Time: the whole set-up (TCP to the proxy, the CONNECT, its answer) fits
 * the caller's timeout, and no call waits more than CONFIG_FWC_IO_TIMEOUT_MS.
 * Secrets: the Base64 credentials exist only in buf, which is wiped as soon
 * as the request has gone (and on every error path); nothing here logs. */
#include "fwc/internal/proxy.h"

#if FWCI_HAS_PROXY
#include <string.h>

#include "fwc/port.h"
#include "fwc/version.h"
#include "wipe.h"

/* The send and receive halves apart, so the deepest chain (the parser's,
 * under the transport's open) does not carry the sender's frame (make size). */
#if defined(__GNUC__)
#define PROXY_APART __attribute__((noinline))
#else
#define PROXY_APART
#endif

struct tunnel {
    struct fwc_proxy *px;
    int sock;
    uint32_t deadline;
};

static bool printable(const char *s, bool host)
{
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || (host && (c == '/' || c == '@' || c == '[' || c == ']')))
            return false;
    }
    return true;
}

enum fwc_err fwci_proxy_init(struct fwc_proxy *px, const struct fwc_proxy_config *cfg)
{
    if (px == NULL || cfg == NULL || cfg->host == NULL || cfg->host[0] == '\0' ||
        cfg->port == 0 || !printable(cfg->host, true) ||
        (cfg->user == NULL && cfg->password != NULL) ||
        (cfg->user != NULL && (!printable(cfg->user, false) || strchr(cfg->user, ':') != NULL ||
                               (cfg->password != NULL && !printable(cfg->password, false)))))
        return FWC_ERR_INVALID_ARG;
    memset(px, 0, sizeof(*px));
    px->_internal.cfg = *cfg;
    return FWC_OK;
}

int fwci_proxy_status(const struct fwc_proxy *px)
{
    return px == NULL ? 0 : px->_internal.status;
}

static uint32_t io_timeout(const struct tunnel *t)
{
    int32_t left = (int32_t)(t->deadline - fwc_port_now_ms());
    if (left <= 0)
        return 0;
    return (uint32_t)left < CONFIG_FWC_IO_TIMEOUT_MS ? (uint32_t)left : CONFIG_FWC_IO_TIMEOUT_MS;
}

static enum fwc_err flush(struct tunnel *t)
{
    struct fwc_proxy *px = t->px;
    size_t off = 0;

    while (off < px->_internal.used) {
        uint32_t timeout = io_timeout(t);
        int32_t n;
        if (timeout == 0)
            return FWC_ERR_TIMEOUT;
        n = fwc_port_tcp_send(t->sock, px->_internal.buf + off, px->_internal.used - off, timeout);
        if (n == FWC_ERR_CONN_RESET || n == FWC_ERR_CONN_CLOSED)
            return FWC_ERR_PROXY_CLOSED;
        if (n < 0)
            return (n >= FWC_ERR_MIN) ? (enum fwc_err)n : FWC_ERR_TRANSPORT;
        if (n == 0 || (size_t)n > px->_internal.used - off)
            return FWC_ERR_TRANSPORT;
        off += (size_t)n;
    }
    px->_internal.used = 0;
    return FWC_OK;
}

static enum fwc_err put(struct tunnel *t, const char *s, size_t len)
{
    struct fwc_proxy *px = t->px;

    while (len > 0) {
        size_t room = sizeof(px->_internal.buf) - px->_internal.used;
        size_t n = len < room ? len : room;
        enum fwc_err err;
        memcpy(px->_internal.buf + px->_internal.used, s, n);
        px->_internal.used += n;
        s += n;
        len -= n;
        if (px->_internal.used == sizeof(px->_internal.buf) && (err = flush(t)) != FWC_OK)
            return err;
    }
    return FWC_OK;
}

static enum fwc_err put_str(struct tunnel *t, const char *s)
{
    return put(t, s, strlen(s));
}

/* "host:port", the address in brackets. */
static enum fwc_err put_authority(struct tunnel *t, const char *host, uint16_t port)
{
    char digits[6];
    size_t k = sizeof(digits);
    bool v6 = strchr(host, ':') != NULL;
    enum fwc_err err = put_str(t, v6 ? "[" : "");

    do {
        digits[--k] = (char)('0' + port % 10u);
        port = (uint16_t)(port / 10u);
    } while (port != 0);
    if (err == FWC_OK)
        err = put_str(t, host);
    if (err == FWC_OK)
        err = put_str(t, v6 ? "]:" : ":");
    return err == FWC_OK ? put(t, digits + k, sizeof(digits) - k) : err;
}

/* Byte i of "user:password". */
static uint8_t cred_byte(const struct fwc_proxy_config *cfg, size_t ulen, size_t i)
{
    if (i < ulen)
        return (uint8_t)cfg->user[i];
    if (i == ulen)
        return ':';
    return (uint8_t)cfg->password[i - ulen - 1];
}

/* Base64 of "user:password", three bytes at a time, straight into buf. */
static enum fwc_err put_credentials(struct tunnel *t)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const struct fwc_proxy_config *cfg = &t->px->_internal.cfg;
    size_t ulen = strlen(cfg->user);
    size_t total = ulen + 1 + (cfg->password != NULL ? strlen(cfg->password) : 0), i;
    enum fwc_err err = put_str(t, "Proxy-Authorization: Basic ");
    char quad[4];

    for (i = 0; i < total && err == FWC_OK; i += 3) {
        uint32_t v = (uint32_t)cred_byte(cfg, ulen, i) << 16;
        if (i + 1 < total)
            v |= (uint32_t)cred_byte(cfg, ulen, i + 1) << 8;
        if (i + 2 < total)
            v |= cred_byte(cfg, ulen, i + 2);
        quad[0] = b64[v >> 18 & 63u];
        quad[1] = b64[v >> 12 & 63u];
        quad[2] = (char)(i + 1 < total ? b64[v >> 6 & 63u] : '=');
        quad[3] = (char)(i + 2 < total ? b64[v & 63u] : '=');
        err = put(t, quad, sizeof(quad));
    }
    fwci_wipe(quad, sizeof(quad));
    return err == FWC_OK ? put_str(t, "\r\n") : err;
}

PROXY_APART static enum fwc_err send_connect(struct tunnel *t, const char *host, uint16_t port)
{
    enum fwc_err err = put_str(t, "CONNECT ");

    if (err == FWC_OK)
        err = put_authority(t, host, port);
    if (err == FWC_OK)
        err = put_str(t, " HTTP/1.1\r\nHost: ");
    if (err == FWC_OK)
        err = put_authority(t, host, port);
    if (err == FWC_OK)
        err = put_str(t, "\r\nUser-Agent: fwc/" FWC_VERSION "\r\n");
    if (err == FWC_OK && t->px->_internal.cfg.user != NULL)
        err = put_credentials(t);
    if (err == FWC_OK)
        err = put_str(t, "\r\n");
    if (err == FWC_OK)
        err = flush(t);
    fwci_wipe(t->px->_internal.buf, sizeof(t->px->_internal.buf));
    t->px->_internal.used = 0;
    return err;
}

/* What the answer's status means for the tunnel. */
static enum fwc_err verdict(int status)
{
    if (status >= 200 && status < 300)
        return FWC_OK;
    /* 401 too: tinyproxy answers it to wrong credentials (and no server
     * can answer a CONNECT the proxy did not pass on). */
    return status == 407 || status == 401 ? FWC_ERR_PROXY_AUTH : FWC_ERR_PROXY;
}

/* Feed one block; *done at the end of the head. A 2xx to CONNECT has no
 * body (RFC 9110 9.3.6), so the parser runs as for HEAD; anything after
 * the head would be the proxy's, not the origin's (it speaks only after
 * our ClientHello): refused. A refusal's body is not read: the tunnel is
 * closed anyway. */
static enum fwc_err feed(struct fwc_proxy *px, const uint8_t *data, size_t len, bool *done)
{
    struct fwc_http_event_data *ev = &px->_internal.ev;
    size_t pos = 0, used;
    enum fwc_err err;

    while (!*done) {
        err = fwci_http_parse(&px->_internal.parser, data + pos, len - pos, &used, ev);
        if (err != FWC_OK)
            return err;
        pos += used;
        if (ev->type == FWC_HTTP_EV_STATUS)
            px->_internal.status = ev->status;
        else if (ev->type == FWC_HTTP_EV_DONE)
            *done = true;
        else if (ev->type == FWC_HTTP_EV_NONE)
            return FWC_OK;
    }
    return pos < len && verdict(px->_internal.status) == FWC_OK ? FWC_ERR_PROXY : FWC_OK;
}

PROXY_APART static enum fwc_err read_answer(struct tunnel *t)
{
    struct fwc_proxy *px = t->px;
    bool done = false;
    enum fwc_err err = FWC_OK;

    fwci_http_parse_init(&px->_internal.parser, true);
    while (!done && err == FWC_OK) {
        uint32_t timeout = io_timeout(t);
        int32_t n;
        if (timeout == 0)
            return FWC_ERR_TIMEOUT;
        n = fwc_port_tcp_recv(t->sock, px->_internal.buf, sizeof(px->_internal.buf), timeout);
        if (n > 0 && (size_t)n <= sizeof(px->_internal.buf))
            err = feed(px, px->_internal.buf, (size_t)n, &done);
        else if (n == 0 || n == FWC_ERR_CONN_RESET || n == FWC_ERR_CONN_CLOSED)
            err = FWC_ERR_PROXY_CLOSED;
        else
            err = (n < 0 && n >= FWC_ERR_MIN) ? (enum fwc_err)n : FWC_ERR_TRANSPORT;
    }
    return err == FWC_OK ? verdict(px->_internal.status) : err;
}

enum fwc_err fwci_proxy_connect(struct fwc_proxy *px, const char *host, uint16_t port,
                               uint32_t timeout_ms, int *out_sock)
{
    struct tunnel t;
    enum fwc_err err;

    if (px == NULL || host == NULL || out_sock == NULL || px->_internal.cfg.host == NULL)
        return FWC_ERR_INVALID_ARG;
    t.px = px;
    t.deadline = fwc_port_now_ms() + timeout_ms;
    t.sock = -1;
    px->_internal.status = 0;
    px->_internal.used = 0;
    err = fwc_port_tcp_connect(px->_internal.cfg.host, px->_internal.cfg.port, timeout_ms, &t.sock);
    if (err != FWC_OK)
        return err;
    err = send_connect(&t, host, port);
    if (err == FWC_OK)
        err = read_answer(&t);
    fwci_wipe(px->_internal.buf, sizeof(px->_internal.buf));
    fwci_wipe(&px->_internal.parser, sizeof(px->_internal.parser));
    fwci_wipe(&px->_internal.ev, sizeof(px->_internal.ev));
    /* No log line here: this runs under the transport's open, at the
     * bottom of the deepest stack (make size); the error names the cause,
     * fwci_proxy_status() the answer. */
    if (err != FWC_OK) {
        fwc_port_tcp_close(t.sock);
        return err;
    }
    *out_sock = t.sock;
    return FWC_OK;
}
#else
typedef int fwc_proxy_not_built;
#endif
