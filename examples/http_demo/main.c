/* Demo of the layers built so far: URL, TLS (verified against the given
 * CA), and the HTTP engine, over one kept-alive connection to the bundled
 * FotoWeb emulator. It sends a token request and an API call and
 * summarises the answers. The OAuth layer (parsing and using the token) is
 * the next step; bodies are never printed, since one holds a token.
 *
 * Configuration, as the fwc tool will take it:
 *   FWC_URL       base URL, e.g. https://localhost:8443
 *   FWC_CA_FILE   PEM file of the CA that signed the server's certificate */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fwc/http.h"
#include "fwc/tls.h"
#include "fwc/url.h"

/* Static: they hold the I/O buffer and the TLS state. */
static struct fwc_url url;
static struct fwc_tls tls;
static struct fwc_http_conn conn;
static uint8_t ca[32768];
static uint8_t body[1024];

static size_t load_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    if (f == NULL)
        return 0;
    n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n] = '\0';
    return n + 1; /* PEM: mbedTLS counts the NUL */
}

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

static enum fwc_err post_token_request(struct fwc_http_response *resp)
{
    /* The emulator's demo credentials, form-encoded by hand here; the OAuth
     * layer will encode them (and wipe them) itself. */
    static const char form[] = "grant_type=client_credentials&client_id=demo-client"
                               "&client_secret=s3cr%2Bt%2Fwith%3Dodd%26chars";
    static const struct fwc_http_header headers[] = {
        {"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
    struct fwc_http_request req;
    char path[CONFIG_FWC_URL_PREFIX_MAX + 32];

    snprintf(path, sizeof(path), "%s/fotoweb/oauth2/token", url.prefix);
    memset(&req, 0, sizeof(req));
    req.method = "POST";
    req.path = path;
    req.headers = headers;
    req.header_count = 2;
    req.body = (const uint8_t *)form;
    req.body_len = sizeof(form) - 1;
    req.idempotent = true; /* asking for a token twice is harmless */
    return fwc_http_exchange(&conn, &req, resp);
}

int main(void)
{
    const char *base = getenv("FWC_URL");
    const char *ca_file = getenv("FWC_CA_FILE");
    struct fwc_http_request req;
    struct fwc_http_response resp;
    char path[CONFIG_FWC_URL_PREFIX_MAX + 32];
    size_t ca_len;
    enum fwc_err err;
    int failures = 0;

    if (base == NULL || ca_file == NULL) {
        fprintf(stderr, "set FWC_URL and FWC_CA_FILE (make demo does)\n");
        return 2;
    }
    ca_len = load_file(ca_file, ca, sizeof(ca));
    err = fwc_url_parse(base, &url);
    if (err == FWC_OK && ca_len == 0)
        err = FWC_ERR_INVALID_ARG;
    if (err == FWC_OK)
        err = fwc_tls_init(&tls, url.host, url.port, ca, ca_len);
    if (err == FWC_OK)
        err = fwc_http_conn_init(&conn, &tls.transport, url.authority);
    if (err != FWC_OK) {
        fprintf(stderr, "setup: %s\n", fwc_strerror(err));
        return 2;
    }

    memset(&resp, 0, sizeof(resp));
    resp.body_buf = body;
    resp.body_cap = sizeof(body);
    failures += show("POST /fotoweb/oauth2/token", post_token_request(&resp), &resp);
    memset(body, 0, sizeof(body)); /* it held a token */
    printf("TLS: %s over %s\n", fwc_tls_protocol(&tls), fwc_tls_library_version());

    snprintf(path, sizeof(path), "%s/fotoweb/me/", url.prefix);
    memset(&req, 0, sizeof(req));
    req.method = "GET";
    req.path = path;
    failures += show("GET /fotoweb/me/ (no token)", fwc_http_exchange(&conn, &req, &resp), &resp);

    fwc_http_close(&conn);
    fwc_tls_free(&tls);
    return failures == 0 ? 0 : 1;
}
