/* SPDX-License-Identifier: MIT */
/* A device whose modem does TLS: fwc built with CONFIG_FWC_TLS_MBEDTLS=0,
 * given the application's own transport, linked without mbedTLS and
 * without the port's fwc_port_tcp_* (tests/notls/notls.mk links it so;
 * a reference to either fails the link).
 *
 * The "modem" here is an in-memory server: it answers the first request
 * (the token request) with a token and every later one with a small JSON
 * body, on one kept-alive connection. The program fetches a token, makes
 * an authorized API call, and prints TAP. */
#include <stdio.h>
#include <string.h>

#include "fwc/client.h"
#include "fwc/oauth.h"
#include "fwc/secret.h"

static const char token_answer[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 81\r\n\r\n"
    "{\"access_token\":\"modem-token-0123456789\",\"token_type\":\"bearer\",\"expires_in\":3600}";
static const char api_answer[] =
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n"
    "{\"me\":true}";

struct modem {
    bool open;
    unsigned requests;   /* request heads seen (a blank line ends each) */
    const char *answer;  /* what recv hands out next */
    size_t answer_len, answer_pos;
    char last_head[512]; /* the start of the last request, to check the bearer */
    size_t head_len;
};

static enum fwc_err modem_open(void *ctx, uint32_t timeout_ms)
{
    struct modem *m = ctx;
    (void)timeout_ms;
    m->open = true;
    return FWC_OK;
}

/* A request's head has arrived when its blank line has: the answer is due. */
static int32_t modem_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    struct modem *m = ctx;
    (void)timeout_ms;
    if (m->answer_pos == m->answer_len) { /* a new request begins */
        m->head_len = 0;
        m->answer = NULL;
    }
    if (m->head_len + len < sizeof(m->last_head)) {
        memcpy(m->last_head + m->head_len, data, len);
        m->head_len += len;
        m->last_head[m->head_len] = '\0';
    }
    if (m->answer == NULL && strstr(m->last_head, "\r\n\r\n") != NULL) {
        m->answer = m->requests++ == 0 ? token_answer : api_answer;
        m->answer_len = strlen(m->answer);
        m->answer_pos = 0;
    }
    return (int32_t)len;
}

static int32_t modem_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    struct modem *m = ctx;
    size_t n;
    (void)timeout_ms;
    if (m->answer == NULL || m->answer_pos == m->answer_len)
        return FWC_ERR_TIMEOUT; /* nothing to say before a request */
    n = m->answer_len - m->answer_pos;
    if (n > len)
        n = len;
    memcpy(buf, m->answer + m->answer_pos, n);
    m->answer_pos += n;
    return (int32_t)n;
}

static void modem_close(void *ctx)
{
    ((struct modem *)ctx)->open = false;
}

enum fwc_err fwc_secret_get(void *ctx, enum fwc_secret_item item, char *buf, size_t cap,
                            size_t *out_len)
{
    const char *v = item == FWC_SECRET_CLIENT_ID ? "modem-device" : "modem-secret";
    size_t n = strlen(v);
    (void)ctx;
    if (n > cap)
        return FWC_ERR_SECRET_UNAVAILABLE;
    memcpy(buf, v, n);
    *out_len = n;
    return FWC_OK;
}

static int failures;
static int tap_n;

static void tap(int ok, const char *what)
{
    printf("%s %d - %s\n", ok ? "ok" : "not ok", ++tap_n, what);
    failures += !ok;
}

int main(void)
{
    static struct fwc_client client;
    static struct modem modem;
    struct fwc_transport transport = {
        .open = modem_open, .send = modem_send, .recv = modem_recv, .close = modem_close, .ctx = &modem};
    struct fwc_client_config cfg;
    struct fwc_http_request req;
    struct fwc_http_response resp;
    uint8_t body[64];
    char token[64];
    enum fwc_err err;

    memset(&cfg, 0, sizeof(cfg));
    cfg.base_url = "https://tenant.example.com";
    tap(fwc_client_init(&client, &cfg) == FWC_ERR_INVALID_ARG,
        "without fwc's TLS, a client with no transport of its own is refused");
    cfg.transport = &transport;
    tap(fwc_client_init(&client, &cfg) == FWC_OK, "a client over the modem's transport");
    err = fwc_token(&client, token, sizeof(token), NULL);
    tap(err == FWC_OK && strcmp(token, "modem-token-0123456789") == 0,
        "a token through the modem");
    memset(&req, 0, sizeof(req));
    memset(&resp, 0, sizeof(resp));
    req.method = "GET";
    req.path = "/fotoweb/me/";
    resp.body_buf = body;
    resp.body_cap = sizeof(body);
    err = fwc_request(&client, &req, &resp);
    tap(err == FWC_OK && resp.status == 200 && resp.body_len == 11 &&
            strstr(modem.last_head, "Authorization: Bearer modem-token-0123456789\r\n") != NULL,
        "an authorized API call on the same connection, with the token as bearer");
    tap(modem.requests == 2, "two requests reached the modem");
    tap(fwc_client_cert_problems(&client) == 0, "no certificate problems without fwc's TLS");
    fwc_client_close(&client);
    printf("1..%d\n", tap_n);
    return failures == 0 ? 0 : 1;
}
