/* SPDX-License-Identifier: MIT */
/* The request writer: request line, Host, caller headers and framing into
 * the caller's buffer. Everything that goes on the wire is checked here, so
 * a path or header value taken from elsewhere cannot split the request. */
#include <string.h>

#include "http_write.h"
#include "fwc/version.h"
#include "bufwriter.h"
#include "chars.h"

static bool is_token(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        if (!fwci_is_tchar((unsigned char)*s))
            return false;
    }
    return true;
}

static bool is_field_value(const char *s)
{
    if (s == NULL)
        return false;
    for (; *s != '\0'; s++) {
        if (!fwci_is_field_char((unsigned char)*s))
            return false;
    }
    return true;
}

/* origin-form: '/' then visible ASCII. Spaces and non-ASCII must arrive
 * percent-encoded; a raw one would break the request line. */
static bool is_origin_path(const char *s)
{
    if (s == NULL || *s != '/')
        return false;
    for (; *s != '\0'; s++) {
        if (!fwci_is_vchar(*s) || *s == '#')
            return false;
    }
    return true;
}

/* host, IPv6 literal in brackets, optional :port. */
static bool is_host(const char *s)
{
    if (s == NULL || *s == '\0')
        return false;
    for (; *s != '\0'; s++) {
        char c = *s;
        bool ok = fwci_is_alnum(c) || c == '.' || c == '-' || c == '_' || c == ':' ||
                  c == '[' || c == ']';
        if (!ok)
            return false;
    }
    return true;
}

/* Headers fwc writes itself; a caller copy would contradict them. */
static bool is_reserved_header(const char *name)
{
    size_t n = strlen(name);
    return fwci_ascii_ieq(name, n, "host") || fwci_ascii_ieq(name, n, "content-length") ||
           fwci_ascii_ieq(name, n, "transfer-encoding") || fwci_ascii_ieq(name, n, "connection");
}

static enum fwc_err check_request(const char *host, const struct fwc_http_request *req)
{
    size_t i;

    if (!is_token(req->method) || !is_origin_path(req->path) || !is_host(host))
        return FWC_ERR_INVALID_ARG;
    if (req->body_reader != NULL && (req->body != NULL || req->body_len != 0))
        return FWC_ERR_INVALID_ARG;
    if (req->body == NULL && req->body_len != 0)
        return FWC_ERR_INVALID_ARG;
    if (req->header_count != 0 && req->headers == NULL)
        return FWC_ERR_INVALID_ARG;
    for (i = 0; i < req->header_count; i++) {
        const struct fwc_http_header *h = &req->headers[i];
        if (!is_token(h->name) || !is_field_value(h->value) || is_reserved_header(h->name))
            return FWC_ERR_INVALID_ARG;
    }
    return FWC_OK;
}

enum fwc_err fwci_http_write_head(uint8_t *buf, size_t cap, const char *host,
                                 const struct fwc_http_request *req, size_t *out_len)
{
    struct fwci_bufw w;
    enum fwc_err err;
    size_t i;

    if (buf == NULL || req == NULL || out_len == NULL)
        return FWC_ERR_INVALID_ARG;
    err = check_request(host, req);
    if (err != FWC_OK)
        return err;

    fwci_bufw_init(&w, (char *)buf, cap);
    fwci_bufw_str(&w, req->method);
    fwci_bufw_str(&w, " ");
    fwci_bufw_str(&w, req->path);
    fwci_bufw_str(&w, " HTTP/1.1\r\nHost: ");
    fwci_bufw_str(&w, host);
    fwci_bufw_str(&w, "\r\nUser-Agent: fwc/" FWC_VERSION "\r\n");
    for (i = 0; i < req->header_count; i++) {
        fwci_bufw_str(&w, req->headers[i].name);
        fwci_bufw_str(&w, ": ");
        fwci_bufw_str(&w, req->headers[i].value);
        fwci_bufw_str(&w, "\r\n");
    }
    if (req->body_reader != NULL || req->body != NULL || req->send_zero_length) {
        fwci_bufw_str(&w, "Content-Length: ");
        fwci_bufw_u64(&w, req->body_reader != NULL ? req->body_reader_len
                                                   : (uint64_t)req->body_len);
        fwci_bufw_str(&w, "\r\n");
    }
    fwci_bufw_str(&w, "\r\n");
    if (w.overflow)
        return FWC_ERR_REQUEST_TOO_LARGE; /* never a cut head */
    *out_len = w.len;
    return FWC_OK;
}
