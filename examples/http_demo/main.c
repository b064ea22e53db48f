/* HTTP engine demo: one kept-alive connection to the bundled emulator,
 * a token request and an API call, with what came back summarised.
 *
 * This talks plain TCP on loopback, through a transport defined right
 * here, because the library itself never speaks plaintext unless built
 * with CONFIG_FWC_ALLOW_HTTP. It shows the HTTP layer only: the token is
 * not parsed or used (that is the OAuth layer's job), and bodies are never
 * printed, since one of them holds a token. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/http.h"
#include "fwc/port.h"

struct plain_tcp {
    const char *host;
    uint16_t port;
    int sock;
    unsigned opens;
};

static enum fwc_err tcp_open(void *ctx, uint32_t timeout_ms)
{
    struct plain_tcp *t = ctx;
    t->opens++;
    return fwc_port_tcp_connect(t->host, t->port, timeout_ms, &t->sock);
}

static int32_t tcp_send(void *ctx, const uint8_t *data, size_t len, uint32_t timeout_ms)
{
    return fwc_port_tcp_send(((struct plain_tcp *)ctx)->sock, data, len, timeout_ms);
}

static int32_t tcp_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    return fwc_port_tcp_recv(((struct plain_tcp *)ctx)->sock, buf, len, timeout_ms);
}

static void tcp_close(void *ctx)
{
    struct plain_tcp *t = ctx;
    fwc_port_tcp_close(t->sock);
    t->sock = -1;
}

static struct fwc_http_conn conn; /* static: it holds the 2 KiB I/O buffer */

static int show(const char *what, enum fwc_err err, const struct fwc_http_response *r)
{
    if (err != FWC_OK) {
        fprintf(stderr, "%s: %s\n", what, fwc_strerror(err));
        return 1;
    }
    printf("%-28s -> %d, %s, %lu body bytes%s%s, connection %s\n", what, r->status,
           r->content_type[0] ? r->content_type : "(no type)", (unsigned long)r->body_len,
           r->chunked ? " (chunked)" : "", r->www_authenticate[0] ? ", asks for Bearer" : "",
           r->keep_alive ? "kept" : "closed");
    return 0;
}

int main(int argc, char **argv)
{
    static const char form[] =
        "grant_type=client_credentials&client_id=demo-client"
        "&client_secret=s3cr%2Bt%2Fwith%3Dodd%26chars";
    static const struct fwc_http_header form_headers[] = {
        {"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    static uint8_t body[1024];
    struct plain_tcp tcp = {"127.0.0.1", 0, -1, 0};
    struct fwc_transport transport = {tcp_open, tcp_send, tcp_recv, tcp_close, &tcp};
    struct fwc_http_request req;
    struct fwc_http_response resp;
    char host[32];
    int failures = 0;

    if (argc != 2 || atoi(argv[1]) <= 0 || atoi(argv[1]) > 65535) {
        fprintf(stderr, "usage: %s PORT   (the emulator's port on 127.0.0.1)\n", argv[0]);
        return 2;
    }
    tcp.port = (uint16_t)atoi(argv[1]);
    snprintf(host, sizeof(host), "127.0.0.1:%u", (unsigned)tcp.port);
    if (fwc_http_conn_init(&conn, &transport, host) != FWC_OK)
        return 2;

    memset(&resp, 0, sizeof(resp));
    resp.body_buf = body;
    resp.body_cap = sizeof(body);

    memset(&req, 0, sizeof(req));
    req.method = "POST";
    req.path = "/fotoweb/oauth2/token";
    req.headers = form_headers;
    req.header_count = 2;
    req.body = (const uint8_t *)form;
    req.body_len = sizeof(form) - 1;
    req.idempotent = true; /* asking for a token twice is harmless */
    failures += show("POST /fotoweb/oauth2/token", fwc_http_exchange(&conn, &req, &resp), &resp);
    memset(body, 0, sizeof(body)); /* it held a token */

    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.path = "/fotoweb/me/";
    failures += show("GET /fotoweb/me/ (no token)", fwc_http_exchange(&conn, &req, &resp), &resp);

    fwc_http_close(&conn);
    printf("TCP connections opened: %u\n", tcp.opens);
    return failures == 0 && tcp.opens == 1 ? 0 : 1;
}
